/**
 * After `pulumi state move`, the EKS stack declares what it took over:
 * decommission-check --adopt-out writes the moved resources as this stack
 * will hold them, and migration:adoptedResources declares them at the URNs
 * the move gives them, with the ECS stack's inputs, protected and retained,
 * so that the next `pulumi up` deletes and replaces none of them.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { validateConfig } from "../config/validate";
import { AdoptDocument, AdoptedResource, SECRET_SIG, SPECIAL_SIG, validateAdoptDocument } from "../migration/adopt/adoptFile";
import { adoptDocument, adoptedFromExport } from "../migration/adopt/fromExport";
import { declarationOf } from "../migration/adoptedResources";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { buildStack } from "../program";
import { OfflineMocks } from "../preview/mocks";
import { Registration, runRecorded } from "../preview/recorder";
import { rawConfig } from "./harness";
import { ROOT, runCli } from "./runCli";

const EXPORT = path.join(ROOT, "test", "fixtures", "ecs-state", "shop-pulumi.json");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");
const CHECK = ["decommission-check", "--config", "migration:source=snapshot", "--config", "migration:snapshotFile=examples/shop/snapshot.json", "--config", 'migration:cutover={"default":{"eksWeight":100}}'];
type Json = Record<string, unknown>;

const exportDoc = (): { deployment: { resources: Json[] } } => JSON.parse(fs.readFileSync(EXPORT, "utf8")) as { deployment: { resources: Json[] } };

/** What the engine receives of a registration's aliases (the recorder does not keep them). */
interface AliasedRequest {
    getType(): string;
    getName(): string;
    getAliasesList(): { getUrn(): string }[];
}
interface Monitor {
    registerResource(req: AliasedRequest, callback: unknown): void;
}

/** Runs the whole program (platform and the shop's migration) offline with the file, recording every registration and the aliases sent. */
async function runProgram(file: string, stack = "dev"): Promise<{ registered: Registration[]; aliases: Map<string, string[]> }> {
    const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:adoptedResources": file });
    const registered: Registration[] = [];
    const aliases = new Map<string, string[]>();
    const program = () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, callback) => {
            const urns = req.getAliasesList().map((a) => a.getUrn()).filter((u) => u !== "");
            if (urns.length > 0) {
                aliases.set(`${req.getType()}::${req.getName()}`, urns);
            }
            register(req, callback);
        };
        return { ...buildStack(validateConfig(raw, stack), readSnapshotFile(SAMPLE)) };
    };
    await runRecorded({ project: "ecs2eks", stack, mocks: new OfflineMocks(), program }, (r) => registered.push(r));
    return { registered, aliases };
}

describe("decommission-check --adopt-out (the shop's Pulumi export)", function () {
    this.timeout(120000);
    let tmp = "";
    let file = "";
    let doc: AdoptDocument;
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
        file = path.join(tmp, "adopted.json");
        const run = await runCli([...CHECK, "--ecs-state", `acme/shop-ecs/prod=${EXPORT}`, "--adopt-out", file]);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stdout, /\nWrote 23 resources to .*adopted\.json: each as this stack will hold it after the pulumi state move lines above/);
        assert.match(run.stdout, /pulumi config set migration:adoptedResources .*adopted\.json --stack dev/);
        doc = JSON.parse(fs.readFileSync(file, "utf8")) as AdoptDocument;
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("writes every resource its move lines move, at the URN the move gives it in this stack", async () => {
        const json = JSON.parse((await runCli([...CHECK, "--json", "--ecs-state", EXPORT])).stdout) as { ecsStacks: { blockers: { address: string }[] }[] };
        const moved = json.ecsStacks[0].blockers.map((b) => b.address.replace("urn:pulumi:prod::shop-ecs::", "urn:pulumi:dev::ecs2eks::"));
        assert.deepStrictEqual([doc.version, doc.project, doc.stack, doc.sources], [1, "ecs2eks", "dev", ["acme/shop-ecs/prod"]]);
        assert.deepStrictEqual(doc.resources.map((r) => r.urn).sort(), moved.sort());
        const alb = doc.resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer");
        assert.deepStrictEqual([alb?.name, alb?.id], ["shop-alb", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop-alb/acd1e0536a4d402e"]);
        // The inputs are the ECS stack's, as its state holds them.
        const state = exportDoc().deployment.resources.find((r) => r.urn === "urn:pulumi:prod::shop-ecs::aws:cloudwatch/logGroup:LogGroup::logs-web");
        assert.deepStrictEqual(doc.resources.find((r) => r.name === "logs-web")?.inputs, state?.inputs);
        // The file system's component stays behind: its type chain stays in the URN.
        assert.ok(doc.resources.some((r) => r.urn === "urn:pulumi:dev::ecs2eks::shop:index:SharedStorage$aws:efs/fileSystem:FileSystem::shop-media" && r.parent === undefined));
    });

    it("never writes a secret: the secret inputs are left to the moved state (ignoreChanges), not even as the ECS stack's ciphertext", () => {
        const text = fs.readFileSync(file, "utf8");
        assert.doesNotMatch(text, /ciphertext|4dabf18193072939515e22adb298388d|plaintext/);
        const version = doc.resources.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion");
        assert.deepStrictEqual([version?.inputs.secretString, version?.ignoreChanges], [undefined, ["secretString"]]);
        assert.deepStrictEqual(doc.resources.find((r) => r.name === "stripe-api-key")?.ignoreChanges, ["value"]);
        assert.ok(doc.resources.filter((r) => !["shop-db", "stripe-api-key"].includes(r.name) || r.type === "aws:secretsmanager/secret:Secret").every((r) => r.ignoreChanges.length === 0));
    });

    it("once the moves are done the check finds nothing to move and leaves the file as it is; --json says how many it holds", async () => {
        const after = exportDoc();
        const moved = new Set(doc.resources.map((r) => r.urn.replace("urn:pulumi:dev::ecs2eks::", "urn:pulumi:prod::shop-ecs::")));
        after.deployment.resources = after.deployment.resources.filter((r) => !moved.has(r.urn as string));
        const exported = path.join(tmp, "after-move.json");
        fs.writeFileSync(exported, JSON.stringify(after));
        const before = fs.readFileSync(file, "utf8");
        const run = await runCli([...CHECK, "--json", "--ecs-state", exported, "--adopt-out", file]);
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.deepStrictEqual((JSON.parse(run.stdout) as { adoptOut: unknown }).adoptOut, { file, resources: 0 });
        assert.strictEqual(fs.readFileSync(file, "utf8"), before, "the file still declares what was moved");
    });

    it("refuses without a Pulumi export, and writes nothing before the ECS state is frozen", async () => {
        const tf = await runCli([...CHECK, "--ecs-state", path.join(ROOT, "test", "fixtures", "ecs-state", "shop-terraform.json"), "--adopt-out", path.join(tmp, "tf.json")]);
        assert.strictEqual(tf.status, 2);
        assert.match(tf.stderr, /--adopt-out writes the resources to move from a Pulumi ECS stack: give that stack's pulumi stack export with --ecs-state/);
        assert.ok(!fs.existsSync(path.join(tmp, "tf.json")));
        // Before the ECS state is frozen the check never reads the export: nothing written, the checklist says why.
        const early = await runCli(["decommission-check", "--config", "migration:source=none", "--ecs-state", EXPORT, "--adopt-out", path.join(tmp, "early.json")]);
        assert.strictEqual(early.status, 1, early.stderr);
        assert.match(early.stdout, /\n--adopt-out: .*early\.json was not written: the check stops before the ECS stacks' state until the ECS state is frozen \(above\)\.\n$/);
        assert.ok(!fs.existsSync(path.join(tmp, "early.json")));
    });

    it("from a migration shard, moves and writes into the platform stack: a shard declares no moved resources", async () => {
        const shards = path.join(ROOT, "examples", "shards");
        const out = path.join(tmp, "shard-adopt.json");
        const run = await runCli(["decommission-check", "--stack", "shop-a", "--config", 'migration:cutover={"default":{"eksWeight":100}}', "--ecs-state", EXPORT, "--adopt-out", out], {}, shards);
        assert.strictEqual(run.status, 1, run.stderr);
        const moves = run.stdout.split("\n").filter((l) => l.trimStart().startsWith("pulumi state move") || l.includes("to clear: pulumi state move"));
        assert.ok(moves.length > 0);
        for (const line of moves) {
            assert.match(line, /--dest organization\/ecs2eks\/shop-platform '?urn:/);
        }
        const written = validateAdoptDocument(JSON.parse(fs.readFileSync(out, "utf8")), { file: out, project: "ecs2eks", stack: "shop-platform" });
        assert.ok(written.resources.every((r) => r.urn.startsWith("urn:pulumi:shop-platform::ecs2eks::")));
        assert.match(run.stdout, /pulumi config set migration:adoptedResources .* --stack organization\/ecs2eks\/shop-platform/);
    });

    it("the program declares exactly those resources at those URNs, with those inputs, protected and retained: preview shows no delete and no replace", async () => {
        const { registered, aliases } = await runProgram(file);
        const byName = new Map(registered.filter((r) => r.type.startsWith("aws:") && r.parent === undefined).map((r) => [`${r.type}::${r.name}`, r]));
        for (const entry of doc.resources) {
            const r = byName.get(`${entry.type}::${entry.name}`);
            assert.ok(r, `${entry.urn} is declared`);
            // Declared at the root: at the URN the move gave it, or with an alias to it where its parent stayed behind.
            const sent = aliases.get(`${entry.type}::${entry.name}`);
            assert.strictEqual(sent ? sent[0] : r.urn, entry.urn, entry.urn);
            assert.strictEqual(declarationOf(entry, "ecs2eks", "dev").alias, sent?.[0]);
            assert.deepStrictEqual([r.protect, r.retainOnDelete, r.ignoreChanges], [true, true, entry.ignoreChanges], entry.urn);
            assert.deepStrictEqual(r.inputs(), entry.inputs, entry.urn);
        }
        assert.strictEqual(registered.find((r) => r.name === "shop-media" && r.type === "aws:efs/fileSystem:FileSystem")?.urn, "urn:pulumi:dev::ecs2eks::aws:efs/fileSystem:FileSystem::shop-media");
        assert.deepStrictEqual([...aliases.keys()].sort(), ["aws:efs/accessPoint:AccessPoint::shop-media-uploads", "aws:efs/fileSystem:FileSystem::shop-media"]);
        // Nothing else of the program moved to the root as an AWS resource.
        assert.strictEqual(registered.filter((r) => r.type.startsWith("aws:") && r.protect).length, doc.resources.length);
    });

    it("a file for another stack fails the run with one clear message naming the value and the fix", async () => {
        await assert.rejects(runProgram(file, "prod"), (err: Error) => {
            assert.match(err.message, /migration:adoptedResources .*adopted\.json: it was written for stack "dev" of project "ecs2eks", this is stack prod of project ecs2eks/);
            assert.match(err.message, /resources\[0\] \(urn:pulumi:dev::ecs2eks::aws:cloudwatch\/logGroup:LogGroup::logs-cart\): the URN names stack dev of project ecs2eks, not this stack \(prod of ecs2eks\)/);
            return true;
        });
        await assert.rejects(runProgram(path.join(tmp, "missing.json")), /migration:adoptedResources .*missing\.json: no such file; write it with ecs2eks decommission-check --stack dev --ecs-state <export> --adopt-out/);
    });
});

describe("the adopted-resources file is checked entry by entry", () => {
    const where = { file: "adopted.json", project: "ecs2eks", stack: "prod" };
    const entry = (over: Partial<AdoptedResource> & Json = {}): Json => ({
        urn: "urn:pulumi:prod::ecs2eks::aws:cloudwatch/logGroup:LogGroup::logs-web",
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "logs-web",
        id: "/ecs/shop/web",
        inputs: { name: "/ecs/shop/web", retentionInDays: 30 },
        ignoreChanges: [],
        ...over,
    });
    const problems = (resources: unknown[], top: Json = {}): string => {
        try {
            validateAdoptDocument({ version: 1, project: "ecs2eks", stack: "prod", sources: ["acme/shop-ecs/prod"], resources, ...top }, where);
        } catch (err) {
            return (err as Error).message;
        }
        return "";
    };

    it("accepts what --adopt-out writes", () => {
        assert.strictEqual(problems([entry()]), "");
    });

    it("names the entry, the value and the fix for each problem, all at once", () => {
        assert.match(problems([], { version: 2 }), /^adopted\.json: version 2 is not supported; expected 1; write it again with ecs2eks decommission-check/);
        const k8s = problems([entry({ urn: "urn:pulumi:prod::ecs2eks::kubernetes:core/v1:Secret::db", type: "kubernetes:core/v1:Secret", name: "db" })]);
        assert.match(k8s, /resources\[0\] \(urn:pulumi:prod::ecs2eks::kubernetes:core\/v1:Secret::db\): type "kubernetes:core\/v1:Secret" is not an AWS resource type/);
        const twice = problems([entry(), entry({ urn: "urn:pulumi:prod::ecs2eks::shop:index:Logs$aws:cloudwatch/logGroup:LogGroup::logs-web" })]);
        assert.match(twice, /resources\[1\] .*: a second aws:cloudwatch\/logGroup:LogGroup named logs-web: the program would declare the same URN twice/);
        assert.match(problems([entry({ name: "logs-api" })]), /name "logs-api" is not the name its URN ends with \(logs-web\)/);
        assert.match(problems([entry({ type: "aws:ssm/parameter:Parameter" })]), /type aws:ssm\/parameter:Parameter is not the type its URN names \(aws:cloudwatch\/logGroup:LogGroup\)/);
        assert.match(problems([entry({ parent: "urn:pulumi:prod::ecs2eks::aws:ec2/vpc:Vpc::shop" })]), /parent "urn:pulumi:prod::ecs2eks::aws:ec2\/vpc:Vpc::shop" is not the URN of a resource listed before it/);
        assert.strictEqual(problems([entry({ id: "" }), entry({ urn: "bad" })]).split("\n").length, 2, "every problem, one a line");
    });

    it("refuses a secret from another stack's state in the inputs, ciphertext or plaintext", () => {
        for (const secret of [{ [SPECIAL_SIG]: SECRET_SIG, ciphertext: "v1:abc" }, { [SPECIAL_SIG]: SECRET_SIG, plaintext: '"hunter2"' }]) {
            assert.match(problems([entry({ inputs: { name: "x", kmsKeyId: secret } })]), /inputs\.kmsKeyId holds a Pulumi secret .*; leave kmsKeyId out of inputs and list it in ignoreChanges/);
        }
    });
});

describe("adopting from an export", () => {
    const resource = (urn: string, over: Json = {}): Json => ({ urn, custom: true, id: urn.split("::").pop(), type: urn.split("::")[2].split("$").pop(), parent: "urn:pulumi:prod::shop-ecs::pulumi:pulumi:Stack::shop-ecs-prod", ...over });
    const bucket = "urn:pulumi:prod::shop-ecs::aws:s3/bucketV2:BucketV2::assets";
    const policy = "urn:pulumi:prod::shop-ecs::aws:s3/bucketV2:BucketV2$aws:s3/bucketPolicy:BucketPolicy::assets";

    it("takes the children along (the move does), under their moved parent; never a plaintext secret from an export made with --show-secrets", () => {
        const doc = {
            version: 3,
            deployment: {
                resources: [
                    resource(bucket, { inputs: { bucket: "assets", __defaults: [], tags: { team: "web", __defaults: [] } } }),
                    resource(policy, { parent: bucket, inputs: { bucket: "assets", policy: { [SPECIAL_SIG]: SECRET_SIG, plaintext: '"{\\"Statement\\":\\"hunter2\\"}"' } } }),
                    resource("urn:pulumi:prod::shop-ecs::aws:s3/bucketV2:BucketV2::other"),
                ],
            },
        };
        const adopted = adoptedFromExport({ doc, source: "prod", urns: [bucket] }, "ecs2eks", "prod");
        assert.deepStrictEqual(
            adopted.map((r) => [r.urn, r.parent, r.inputs, r.ignoreChanges]),
            [
                ["urn:pulumi:prod::ecs2eks::aws:s3/bucketV2:BucketV2::assets", undefined, { bucket: "assets", tags: { team: "web" } }, []],
                ["urn:pulumi:prod::ecs2eks::aws:s3/bucketV2:BucketV2$aws:s3/bucketPolicy:BucketPolicy::assets", "urn:pulumi:prod::ecs2eks::aws:s3/bucketV2:BucketV2::assets", { bucket: "assets" }, ["policy"]],
            ],
        );
        assert.doesNotMatch(JSON.stringify(adopted), /hunter2/);
        // Declared under its moved parent, the child's URN is the one the move gave it: no alias.
        assert.strictEqual(declarationOf(adopted[1], "ecs2eks", "prod", {} as never).alias, undefined);
        // The file validates, and a later run adds to it rather than dropping what an earlier one wrote.
        const first = validateAdoptDocument(adoptDocument("ecs2eks", "prod", [{ doc, source: "prod", urns: [bucket] }]), { file: "f", project: "ecs2eks", stack: "prod" });
        const merged = adoptDocument("ecs2eks", "prod", [{ doc, source: "acme/other/prod", urns: ["urn:pulumi:prod::shop-ecs::aws:s3/bucketV2:BucketV2::other"] }], first);
        assert.deepStrictEqual([merged.resources.length, merged.sources], [3, ["prod", "acme/other/prod"]]);
    });
});

describe("config: migration:adoptedResources", () => {
    it("is a platform stack's setting: a migration shard declares no moved resources", () => {
        assert.strictEqual(validateConfig({ "aws:region": "us-east-1", "migration:adoptedResources": "adopted.json" }, "dev").migration.adoptedResources, "adopted.json");
        assert.throws(
            () => validateConfig({ "aws:region": "us-east-1", "migration:source": "snapshot", "migration:snapshotFile": "s.json", "migration:platformStack": "acme/ecs2eks/prod", "migration:adoptedResources": "adopted.json" }, "shop-a"),
            /migration:adoptedResources adopted\.json: a migration shard does not declare resources moved from the ECS stacks; move them into the platform stack \(acme\/ecs2eks\/prod\)/,
        );
    });
});
