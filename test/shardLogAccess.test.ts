/**
 * A migration shard's log access: the platform's log pipeline role may write
 * each shard's log groups because each shard grants them on it, in a policy
 * of its own; what the platform's pipeline cannot ship for a shard (another
 * region, Firehose, Kinesis) is a warning at preview.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { logPipelinePolicy } from "../components/addons/logPipeline";
import { PolicyDocument } from "../core/iam/policyDocument";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { INLINE_SHARE_CHARS, MANAGED_POLICY_CHARS, PipelineScope, parseRoleArn, planShardLogAccess, shardPolicyName } from "../migration/shards/logAccess";
import { selectEstate } from "../migration/shards/select";
import { LogPlan, NO_LOGS } from "../migration/translate/logging";
import { translate } from "../migration/translate/translate";
import { MigrationPlan } from "../migration/translate/types";
import { offlinePlatformOutputs } from "../preview/platformOutputs";
import { rawConfig, runPlatform } from "./harness";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "shards");
const SNAPSHOT = path.join(ROOT, "examples", "shop", "snapshot.json");
const shop = readSnapshotFile(SNAPSHOT);
const SCOPE: PipelineScope = { partition: "aws", account: "123456789012", region: "us-east-1" };
const ARN = "arn:aws:logs:us-east-1:123456789012:log-group:";

/** The shards of examples/shards: shop-a takes these services, shop-b the rest of the shop cluster. */
const SHOP_A = ["web", "catalog", "cart", "media", "log-agent"];
const planOf = (shard: "a" | "b"): MigrationPlan => translate(selectEstate(shop, { clusters: ["shop"], include: shard === "a" ? SHOP_A : [], exclude: shard === "b" ? SHOP_A : [], tags: {} }).snapshot);
const resources = (doc: PolicyDocument | undefined, sid: string): string[] => [doc?.Statement.find((s) => s.Sid === sid)?.Resource ?? []].flat();
/** The log groups a document's write statement names: exact groups, and prefixes with their `*`. */
const groupsIn = (doc: PolicyDocument | undefined, sid = "WriteLogStreams") => [...new Set(resources(doc, sid).map((r) => r.slice(ARN.length).replace(/:\*$/, "")))];

/** A shard's plan of n log groups named as given, for the IAM size arithmetic. */
function logPlan(names: readonly string[], region = "us-east-1"): LogPlan {
    return { ...NO_LOGS, groups: names.map((name) => ({ name, region, create: false })) };
}

describe("shard log access: the grant (pure)", () => {
    it("grants a shard exactly its services' log groups, with the statements the platform's role gets for them", () => {
        const a = planShardLogAccess(planOf("a").logs ?? NO_LOGS, planOf("a").workloads, SCOPE, "acme/ecs2eks/prod");
        assert.deepStrictEqual(a.groups, ["/ecs/shop/cart", "/ecs/shop/catalog", "/ecs/shop/log-agent", "/ecs/shop/media", "/ecs/shop/web"]);
        assert.deepStrictEqual(groupsIn(a.document), a.groups);
        assert.deepStrictEqual(groupsIn(a.document, "CreateGroupsEcsMayCreate"), ["/ecs/shop/catalog"], "CreateLogGroup only where ECS had awslogs-create-group");
        // The platform's own statements for the same plan, less its cluster group: one builder for both.
        const platform = logPipelinePolicy({ ...SCOPE, clusterName: "c", kubernetesVersion: "1.33", identityMode: "irsa", logs: planOf("a").logs ?? NO_LOGS }, planOf("a").logs ?? NO_LOGS);
        const withoutCluster = platform.Statement.map((s) => ({ ...s, Resource: [s.Resource ?? []].flat().filter((r) => !r.includes("/aws/eks/c/containers")) }));
        assert.deepStrictEqual(a.document?.Statement, withoutCluster);
        const b = planShardLogAccess(planOf("b").logs ?? NO_LOGS, planOf("b").workloads, SCOPE, "acme/ecs2eks/prod");
        assert.deepStrictEqual(b.groups, ["/ecs/shop/orders", "/ecs/shop/report", "/ecs/shop/worker", "/ecs/shop/xray"]);
        assert.deepStrictEqual(a.diagnostics, []);
    });

    it("puts a small shard's grant inline and a larger one in a managed policy, by the document's size", () => {
        const b = planShardLogAccess(planOf("b").logs ?? NO_LOGS, [], SCOPE, "p");
        assert.strictEqual(b.kind, "inline");
        assert.strictEqual(b.chars, JSON.stringify(b.document).length);
        assert.ok(b.chars <= INLINE_SHARE_CHARS, `${b.chars}`);
        const a = planShardLogAccess(planOf("a").logs ?? NO_LOGS, [], SCOPE, "p");
        assert.strictEqual(a.kind, "managed");
        assert.ok(a.chars > INLINE_SHARE_CHARS && a.chars <= MANAGED_POLICY_CHARS, `${a.chars}`);
        assert.strictEqual(planShardLogAccess(NO_LOGS, [], SCOPE, "p").kind, "none");
    });

    it("fits 20 shards of 100 log groups each: one managed policy per shard, a prefix per ECS cluster, each named in a warning", () => {
        for (let shard = 0; shard < 20; shard++) {
            const names = Array.from({ length: 100 }, (_, i) => `/ecs/team-${shard}/service-${String(i).padStart(3, "0")}`);
            const access = planShardLogAccess(logPlan(names), [], SCOPE, "p");
            assert.strictEqual(access.kind, "managed");
            assert.ok(access.chars <= MANAGED_POLICY_CHARS, `shard ${shard}: ${access.chars}`);
            assert.deepStrictEqual(access.refused, []);
            assert.deepStrictEqual(access.groups, names, "every group is still granted");
            // service-0xx: the most specific prefixes that fit, never wider than the shard's own cluster.
            assert.ok(access.collapsed.every((c) => c.prefix.startsWith(`/ecs/team-${shard}/`)), access.collapsed.map((c) => c.prefix).join(", "));
            const warnings = access.diagnostics.filter((d) => d.code === "SHARD_LOG_PREFIX");
            assert.strictEqual(warnings.length, access.collapsed.length);
            if (shard === 0) {
                assert.deepStrictEqual(groupsIn(access.document), access.collapsed.map((c) => `${c.prefix}*`));
                assert.match(warnings[0].message, /this shard's 100 log groups need 1\d{4} characters of IAM policy, more than one managed policy holds \(6144\); the log pipeline is granted \/ecs\/team-0\/service-\S*\* in us-east-1/);
            }
        }
    });

    it("grants the same document for the same groups every time, whatever their order", () => {
        const names = Array.from({ length: 120 }, (_, i) => `/ecs/c${i % 3}/svc-${i}`);
        const one = planShardLogAccess(logPlan(names), [], SCOPE, "p");
        const two = planShardLogAccess(logPlan([...names].reverse()), [], SCOPE, "p");
        assert.strictEqual(JSON.stringify(one.document), JSON.stringify(two.document));
    });

    it("refuses what shares no prefix and does not fit, and says which groups", () => {
        // 62 long names, each starting with a different letter or digit: no prefix to share.
        const starts = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const names = [...starts].map((c) => `${c}${"x".repeat(60)}`).sort();
        const access = planShardLogAccess(logPlan(names), [], SCOPE, "p");
        assert.ok(access.chars <= MANAGED_POLICY_CHARS);
        assert.ok(access.refused.length > 0);
        assert.strictEqual(access.groups.length + access.refused.length, names.length);
        assert.match(access.diagnostics.find((d) => d.code === "SHARD_LOG_REFUSED")?.message ?? "", new RegExp(`^${access.refused.length} log groups share no name prefix .* the log pipeline is refused for ${access.refused[0]}`));
    });

    it("warns about logs the platform's pipeline cannot ship for a shard, naming service, container, region and the fix, and grants nothing for them", () => {
        const moved = JSON.parse(JSON.stringify(shop)) as typeof shop;
        const cart = moved.taskDefinitions.find((td) => td.family === "shop-cart")?.containerDefinitions?.[0];
        assert.ok(cart?.logConfiguration?.options);
        cart.logConfiguration.options["awslogs-region"] = "eu-west-1";
        const media = moved.taskDefinitions.find((td) => td.family === "shop-media")?.containerDefinitions?.[0];
        assert.ok(media);
        media.logConfiguration = { logDriver: "awsfirelens", options: { Name: "kinesis_firehose", delivery_stream: "media-logs", region: "us-east-1" } };
        const plan = translate(selectEstate(moved, { clusters: [], include: SHOP_A, exclude: [], tags: {} }).snapshot);
        const access = planShardLogAccess(plan.logs ?? NO_LOGS, plan.workloads, SCOPE, "acme/ecs2eks/prod");
        const unrouted = access.diagnostics.filter((d) => d.code === "SHARD_LOG_UNROUTED");
        assert.deepStrictEqual(unrouted.map((d) => [d.service, d.container, d.severity]), [["cart", "cart", "warning"], ["media", "media", "warning"]]);
        assert.match(unrouted[0].message, /container cart of service cart logs to log group \/ecs\/shop\/cart in eu-west-1; the log pipeline of platform stack acme\/ecs2eks\/prod writes only CloudWatch Logs in us-east-1, and a migration shard cannot add an output to it/);
        assert.match(unrouted[0].suggestion, /awslogs-region us-east-1/);
        assert.match(unrouted[1].message, /Firehose delivery stream media-logs in us-east-1/);
        assert.ok(!access.groups.includes("/ecs/shop/cart"), "the other region's group is not granted");
        assert.ok(!JSON.stringify(access.document).includes("firehose"));
    });

    it("names the shard's policy for its project and stack, and reads the role from the platform's ARN", () => {
        assert.strictEqual(shardPolicyName("ecs2eks", "shop-a"), "ecs2eks-shard.ecs2eks.shop-a");
        assert.notStrictEqual(shardPolicyName("ecs2eks", "shop-a"), shardPolicyName("ecs2eks", "shop-b"));
        assert.deepStrictEqual(parseRoleArn("arn:aws-us-gov:iam::123456789012:role/team/addons-logPipeline-0d088e3"), { partition: "aws-us-gov", account: "123456789012", roleName: "addons-logPipeline-0d088e3" });
        assert.strictEqual(parseRoleArn("addons-logPipeline-0d088e3"), undefined);
    });
});

describe("shard log access: the sample shop as a platform stack and two shards", function () {
    this.timeout(120000);
    interface Resource { type: string; name: string; parent?: string; inputs: Record<string, unknown> }
    const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
    const preview = (stack: string, cwd = EXAMPLE) => {
        const run = cli(["preview", "--stack", stack, "--json"], cwd);
        assert.strictEqual(run.status, 0, run.stderr);
        return { resources: JSON.parse(run.stdout) as Resource[], stderr: run.stderr };
    };
    const grants = (rs: Resource[]) => rs.filter((r) => r.name === "shard-log-access");
    const documentOf = (r: Resource | undefined) => JSON.parse(String(r?.inputs.policy)) as PolicyDocument;
    let roleArn: string;
    before(() => {
        roleArn = String(offlinePlatformOutputs({ dir: EXAMPLE, name: "ecs2eks" }, "organization/ecs2eks/shop-platform").logPipelineRoleArn);
    });

    it("the platform stack exports its pipeline role's name and ARN, and none when addons:logPipeline is off", async () => {
        const on = await runPlatform(rawConfig({ "migration:source": "none" }));
        // The role the platform's own pipeline policy is on.
        assert.strictEqual(on.result.outputs.logPipelineRoleName, on.input("aws:iam/rolePolicy:RolePolicy", "addons-logPipeline-policy", "role"));
        assert.match(String(on.result.outputs.logPipelineRoleName), /^addons-logPipeline-/);
        assert.strictEqual(on.result.outputs.logPipelineRoleArn, `arn:aws:iam::123456789012:role/${String(on.result.outputs.logPipelineRoleName)}`);
        assert.strictEqual(roleArn, on.result.outputs.logPipelineRoleArn, "the offline preview of a shard stands in with the ARN the platform exports");
        const off = await runPlatform(rawConfig({ "migration:source": "none", "addons:logPipeline": false }));
        assert.strictEqual(off.result.outputs.logPipelineRoleArn, undefined);
        assert.strictEqual(off.result.outputs.logPipelineRoleName, undefined);
    });

    it("each shard grants its own log groups on the platform's role, under its own migration, and not the other shard's", () => {
        const roleName = roleArn.split("/").pop();
        const a = preview("shop-a").resources;
        const b = preview("shop-b").resources;
        // shop-a's grant is over the inline share: a managed policy and its attachment.
        const [policyA, attachA] = [grants(a).find((r) => r.type === "aws:iam/policy:Policy"), grants(a).find((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")];
        assert.deepStrictEqual(grants(a).map((r) => r.type).sort(), ["aws:iam/policy:Policy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"]);
        assert.strictEqual(attachA?.inputs.role, roleName);
        assert.strictEqual(policyA?.inputs.name, "ecs2eks-shard.ecs2eks.shop-a");
        assert.deepStrictEqual(groupsIn(documentOf(policyA)), ["/ecs/shop/cart", "/ecs/shop/catalog", "/ecs/shop/log-agent", "/ecs/shop/media", "/ecs/shop/web"]);
        // shop-b's is small: an inline RolePolicy named for the shard.
        assert.deepStrictEqual(grants(b).map((r) => r.type), ["aws:iam/rolePolicy:RolePolicy"]);
        const inlineB = grants(b)[0];
        assert.strictEqual(inlineB.inputs.role, roleName);
        assert.strictEqual(inlineB.inputs.name, "ecs2eks-shard.ecs2eks.shop-b");
        assert.deepStrictEqual(groupsIn(documentOf(inlineB)), ["/ecs/shop/orders", "/ecs/shop/report", "/ecs/shop/worker", "/ecs/shop/xray"]);
        // Destroying a shard removes only what its own migration component holds.
        for (const [rs, stack] of [[a, "shop-a"], [b, "shop-b"]] as const) {
            for (const g of grants(rs)) {
                assert.match(String(g.parent), new RegExp(`^urn:pulumi:${stack}::ecs2eks::ecs2eks:migration:EcsMigration::migration$`));
            }
        }
    });

    it("grants nothing and warns when the platform runs no log pipeline, and warns about another region at preview", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-shard-logs-"));
        try {
            const shards = path.join(dir, "shards");
            fs.mkdirSync(shards);
            fs.mkdirSync(path.join(dir, "shop"));
            for (const f of fs.readdirSync(EXAMPLE)) {
                fs.copyFileSync(path.join(EXAMPLE, f), path.join(shards, f));
            }
            const moved = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")) as typeof shop;
            const orders = moved.taskDefinitions.find((td) => td.family === "shop-orders")?.containerDefinitions?.find((c) => c.name === "orders");
            assert.ok(orders?.logConfiguration?.options);
            orders.logConfiguration.options["awslogs-region"] = "eu-west-1";
            fs.writeFileSync(path.join(dir, "shop", "snapshot.json"), JSON.stringify(moved));

            const regional = preview("shop-b", shards);
            assert.match(regional.stderr, /orders: container orders of service orders logs to log group \/ecs\/shop\/orders in eu-west-1; the log pipeline of platform stack organization\/ecs2eks\/shop-platform writes only CloudWatch Logs in us-east-1.*awslogs-region us-east-1/);
            assert.ok(!groupsIn(documentOf(grants(regional.resources)[0])).includes("/ecs/shop/orders"));

            const platformFile = path.join(shards, "Pulumi.shop-platform.yaml");
            fs.appendFileSync(platformFile, "  addons:logPipeline: false\n");
            const off = preview("shop-a", shards);
            assert.deepStrictEqual(grants(off.resources), []);
            assert.match(off.stderr, /platform stack organization\/ecs2eks\/shop-platform exports no logPipelineRoleArn: addons:logPipeline is off there, or its last update predates shard log access; this shard grants no log pipeline access to its 5 log groups/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
