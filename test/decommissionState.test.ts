/**
 * decommission-check with the ECS stacks' own state as evidence: a Pulumi
 * export, a Terraform `show -json` state and a CloudFormation stack, all
 * generated from the sample shop's ECS program (examples/shop/ecs-stack,
 * npm run fixtures:ecs-state).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { EcsSnapshot } from "../core/snapshot";
import { Moto, startMoto } from "../emulator/moto";
import { motoCloudFormation } from "../emulator/cloudFormationQuery";
import { DecommissionResult, EcsState, decommission } from "../migration/decommission";
import { CloudFormationApi, CloudFormationStackRead, cloudFormationResources, readCloudFormationStack } from "../migration/decommission/cloudFormation";
import { parseStateDocument } from "../migration/decommission/stateFile";
import { StateBlocker } from "../migration/decommission/evidence";
import { StateFileError, StateFormat, StateResource } from "../migration/decommission/stateResources";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { rawConfig } from "./harness";
import { ROOT, runCli } from "./runCli";

const FIXTURES = path.join(ROOT, "test", "fixtures", "ecs-state");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");
const fixture = (f: string): string => fs.readFileSync(path.join(FIXTURES, f), "utf8");
type Json = Record<string, unknown>;

const snapshot: EcsSnapshot = readSnapshotFile(SAMPLE);
const plan = translate(snapshot);
const ALB = snapshot.loadBalancing.loadBalancers[0].LoadBalancerArn ?? "";
const LISTENER = snapshot.loadBalancing.listeners[0].ListenerArn ?? "";
const ALB_SG = "sg-71c361fd1b397e931";
const DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db-zYKGyQ";
const FS = "fs-77623548";

function check(states: EcsState[], overrides: Record<string, unknown> = {}): DecommissionResult {
    const config = validateConfig(rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": { default: { eksWeight: 100 } }, ...overrides }), "prod");
    return decommission(config, " --stack prod", snapshot, plan, undefined, { states, context: { stack: "prod", project: "ecs2eks", pulumiSource: "acme/shop-ecs/prod" } });
}
const state = (source: string, format: StateFormat, resources: StateResource[]): EcsState => ({ source, format, resources });
const fromFile = (f: string): EcsState => {
    const resources = parseStateDocument(fixture(f), f);
    return state(f, resources[0].format, resources);
};
const cfnShop = (): EcsState => state("shop-ecs-prod", "cloudformation", cloudFormationResources(JSON.parse(fixture("shop-cfn-stack.json")) as CloudFormationStackRead));
const blockers = (r: DecommissionResult): StateBlocker[] => r.ecsStacks.flatMap((s) => s.blockers);
const safe = (r: DecommissionResult): boolean => r.checks.every((c) => c.ok);

/** The shop's shared resources every format must name: the Done-when list. */
const SHARED = [ALB, LISTENER, ALB_SG, DB_SECRET, "/shop/feature-flags", FS, "fsap-a24e4569", "/ecs/shop/web", "/ecs/shop/orders", "/ecs/shop/media"];

describe("ECS state files: told apart by content, parsed into one list", () => {
    it("reads the Pulumi export: custom resources only, its stack from the URNs, retainOnDelete kept", () => {
        const rs = parseStateDocument(fixture("shop-pulumi.json"), "ecs-prod.json");
        assert.ok(rs.every((r) => r.format === "pulumi" && r.stack === "shop-ecs/prod"));
        assert.ok(!rs.some((r) => r.type.startsWith("pulumi:") || r.type === "shop:index:SharedStorage"), "no stack, provider or component");
        const report = rs.find((r) => r.physicalId === "/ecs/shop/report");
        assert.deepStrictEqual([report?.kind, report?.retained], ["logGroup", "retainOnDelete"]);
        assert.strictEqual(rs.find((r) => r.physicalId === FS)?.address, "urn:pulumi:prod::shop-ecs::shop:index:SharedStorage$aws:efs/fileSystem:FileSystem::shop-media");
    });

    it("reads terraform show -json, child modules included", () => {
        const rs = parseStateDocument(fixture("shop-terraform.json"), "tf.json");
        assert.ok(rs.every((r) => r.format === "terraform"));
        assert.strictEqual(rs.find((r) => r.physicalId === FS)?.address, "module.media_storage.aws_efs_file_system.shop_media");
        assert.strictEqual(rs.find((r) => r.address === "aws_lb.shop_alb")?.kind, "loadBalancer");
    });

    it("refuses anything else, saying what it takes and how to make it", () => {
        assert.throws(() => parseStateDocument("{", "x.json"), (e: Error) => e instanceof StateFileError && /^x\.json is not JSON .*pulumi stack export or terraform show -json/.test(e.message));
        assert.throws(() => parseStateDocument('{"foo": 1}', "x.json"), (e: Error) => /^x\.json is neither a Pulumi stack export \(deployment\.resources\) nor a Terraform state in terraform show -json form \(values\.root_module\)$/.test(e.message));
        assert.throws(() => parseStateDocument('{"version": 4, "terraform_version": "1.9.8", "resources": []}', "terraform.tfstate"), /looks like a raw terraform\.tfstate: run terraform show -json > state\.json/);
    });

    it("reads a CloudFormation stack's DeletionPolicy from its template, YAML short forms included", () => {
        const read: CloudFormationStackRead = {
            stackName: "ecs",
            resources: [
                { LogicalResourceId: "Logs", PhysicalResourceId: "/ecs/shop/web", ResourceType: "AWS::Logs::LogGroup", ResourceStatus: "CREATE_COMPLETE" },
                { LogicalResourceId: "Zone", PhysicalResourceId: "Q61ZWN3D57R4AQB5YURDAK", ResourceType: "AWS::Route53::HostedZone", ResourceStatus: "CREATE_COMPLETE" },
                { LogicalResourceId: "Www", PhysicalResourceId: "www.shop.example.com", ResourceType: "AWS::Route53::RecordSet", ResourceStatus: "UPDATE_COMPLETE" },
                { LogicalResourceId: "Gone", PhysicalResourceId: "x", ResourceType: "AWS::Logs::LogGroup", ResourceStatus: "DELETE_COMPLETE" },
            ],
            templateBody: "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Retain\n  Www:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneId: !Ref Zone\n      Name: www.shop.example.com\n      Type: A\n      AliasTarget:\n        DNSName: !GetAtt Alb.DNSName\n",
        };
        const rs = cloudFormationResources(read);
        assert.deepStrictEqual(rs.map((r) => [r.address, r.kind, r.retained]), [["Logs", "logGroup", "DeletionPolicy: Retain"], ["Zone", "other", undefined], ["Www", "dnsRecord", undefined]]);
        // The Ref resolves to the zone's physical ID: the record is known by the name the check uses.
        assert.ok(rs[2].keys.includes("dnsRecord:q61zwn3d57r4aqb5yurdak/www.shop.example.com/a"), rs[2].keys.join(", "));
    });
});

describe("decommission-check with the shop's ECS state (Done when)", () => {
    for (const [format, load] of [
        ["pulumi", () => fromFile("shop-pulumi.json")],
        ["terraform", () => fromFile("shop-terraform.json")],
        ["cloudformation", cfnShop],
    ] as const) {
        it(`${format}: names the shared load balancer, listener, security group, secrets, file system and log groups, with the way out`, () => {
            const result = check([load()]);
            assert.strictEqual(safe(result), false);
            const found = blockers(result);
            for (const id of SHARED) {
                assert.ok(found.some((b) => b.physicalId === id), `${format}: ${id} is not a blocker; blockers: ${found.map((b) => b.physicalId).join(", ")}`);
            }
            // Nothing the migration no longer needs: the ECS services, task definitions, roles and target groups go.
            assert.deepStrictEqual(found.filter((b) => b.kind === "other" || b.kind === "targetGroup"), []);
            const alb = found.find((b) => b.physicalId === ALB) as StateBlocker;
            const expected = {
                pulumi: ["pulumi state move --source acme/shop-ecs/prod --dest prod urn:pulumi:prod::shop-ecs::aws:lb/loadBalancer:LoadBalancer::shop-alb"],
                terraform: ["terraform state rm aws_lb.shop_alb", `pulumi import --stack prod aws:lb/loadBalancer:LoadBalancer shop_alb ${ALB}`],
                cloudformation: [
                    "in stack shop-ecs-prod's template set DeletionPolicy: Retain on ShopAlbLoadBalancer (AWS::ElasticLoadBalancingV2::LoadBalancer) and update the stack, or move ShopAlbLoadBalancer out with a stack refactor (aws cloudformation create-stack-refactor)",
                    `pulumi import --stack prod aws:lb/loadBalancer:LoadBalancer ShopAlbLoadBalancer ${ALB}  (to manage it here)`,
                ],
            }[format];
            assert.deepStrictEqual(alb.wayOut, expected);
            const stackCheck = result.checks.find((c) => c.title.startsWith("Destroying "));
            assert.ok(stackCheck && !stackCheck.ok && stackCheck.fix?.includes(expected[0]));
        });
    }

    it("the rules that belong to an in-use security group block with it; rules of groups this stack does not use do not", () => {
        const found = blockers(check([fromFile("shop-pulumi.json")]));
        const rules = found.filter((b) => b.kind === "securityGroupRule").map((b) => b.address.split("::").pop());
        assert.deepStrictEqual(rules, ["alb-https"]);
        assert.match(found.find((b) => b.kind === "securityGroupRule")?.why ?? "", new RegExp(`^part of ${ALB_SG} \\(guards load balancer shop-alb\\)$`));
    });

    it("retained resources do not block: retainOnDelete (Pulumi) and DeletionPolicy: Retain (CloudFormation); Terraform state cannot say, so it blocks", () => {
        const report = "/ecs/shop/report";
        for (const s of [fromFile("shop-pulumi.json"), cfnShop()]) {
            const result = check([s]);
            assert.ok(!blockers(result).some((b) => b.physicalId === report), s.format);
            assert.deepStrictEqual(result.ecsStacks[0].retained.map((r) => r.physicalId), [report], s.format);
        }
        assert.ok(blockers(check([fromFile("shop-terraform.json")])).some((b) => b.physicalId === report));
    });

    it("Pulumi protect does not count as retained: unprotecting it to finish the destroy deletes it", () => {
        const doc = JSON.parse(fixture("shop-pulumi.json")) as { deployment: { resources: Json[] } };
        for (const r of doc.deployment.resources.filter((x) => x.id === FS)) {
            r.protect = true;
        }
        const fsBlocker = blockers(check([state("p", "pulumi", parseStateDocument(JSON.stringify(doc), "p"))])).find((b) => b.physicalId === FS);
        assert.match(fsBlocker?.wayOut[0] ?? "", /pulumi state move .* \(it stays protected: the move keeps protect\)$/);
    });

    it("an adopted resource still in an ECS state is a blocker; adopted and gone from it is not", () => {
        const adopted = { "migration:adopted": [FS] };
        assert.ok(blockers(check([fromFile("shop-pulumi.json")], adopted)).some((b) => b.physicalId === FS));
        const without = fromFile("shop-pulumi.json");
        const moved = state(without.source, "pulumi", without.resources.filter((r) => r.physicalId !== FS));
        assert.ok(!blockers(check([moved], adopted)).some((b) => b.physicalId === FS));
        // An adopted resource of a kind the plan never uses (an EBS snapshot, a Cloud Map namespace) blocks all the same.
        const ns = snapshot.serviceDiscovery.namespaces[0].Id ?? "";
        const withNs = check([fromFile("shop-pulumi.json")], { "migration:adopted": [ns] });
        assert.deepStrictEqual(
            blockers(withNs).filter((b) => b.kind === "cloudMapNamespace").map((b) => [b.physicalId, b.why]),
            [[ns, "listed in migration:adopted"]],
        );
    });

    it("while a service still takes traffic on ECS, its target group and the rule forwarding to it are in use too", () => {
        const found = blockers(check([fromFile("shop-terraform.json")], { "migration:cutover": { default: { eksWeight: 100 }, services: { orders: { eksWeight: 50 } } } }));
        const ordersTg = snapshot.loadBalancing.targetGroups.find((t) => t.TargetGroupName === "shop-orders")?.TargetGroupArn;
        assert.deepStrictEqual(found.filter((b) => b.kind === "targetGroup").map((b) => [b.physicalId, b.why]), [[ordersTg, "orders still sends 50% of its traffic to it"]]);
        assert.deepStrictEqual(found.filter((b) => b.kind === "listenerRule").map((b) => b.address), ["aws_lb_listener_rule.orders"]);
    });

    it("a KMS key that encrypts a secret in use blocks, in whichever stack it is", () => {
        const keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
        const tf = JSON.parse(fixture("shop-terraform.json")) as { values: { root_module: { resources: Json[] } } };
        const secret = tf.values.root_module.resources.find((r) => r.address === "aws_secretsmanager_secret.shop_db") as { values: Json };
        secret.values.kms_key_id = `arn:aws:kms:us-east-1:123456789012:key/${keyId}`;
        const keys: Json = {
            version: 3,
            deployment: { resources: [{ urn: "urn:pulumi:prod::keys::aws:kms/key:Key::shop", custom: true, type: "aws:kms/key:Key", id: keyId, outputs: { arn: `arn:aws:kms:us-east-1:123456789012:key/${keyId}`, keyId } }] },
        };
        const result = check([state("tf.json", "terraform", parseStateDocument(JSON.stringify(tf), "tf.json")), state("keys.json", "pulumi", parseStateDocument(JSON.stringify(keys), "keys.json"))]);
        const key = blockers(result).find((b) => b.kind === "kmsKey");
        assert.deepStrictEqual([key?.stack, key?.physicalId, key?.why], ["keys/prod", keyId, `encrypts ${DB_SECRET}, which this stack uses`]);
        // Another project's stack: its organization is not in the export, so the line says where it goes.
        const config = validateConfig(rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": { default: { eksWeight: 100 } } }), "prod");
        const states = [state("keys.json", "pulumi", parseStateDocument(JSON.stringify(keys), "keys.json")), state("tf.json", "terraform", parseStateDocument(JSON.stringify(tf), "tf.json"))];
        const other = decommission(config, " --stack prod", snapshot, plan, undefined, { states, context: { stack: "prod", project: "ecs2eks" } });
        assert.match(blockers(other).find((b) => b.kind === "kmsKey")?.wayOut[0] ?? "", /^pulumi state move --source <org>\/keys\/prod --dest prod urn:pulumi:prod::keys::aws:kms\/key:Key::shop$/);
    });

    it("passes once the blockers are out of the ECS stacks: moved (Pulumi), removed (Terraform), retained (CloudFormation)", () => {
        for (const s of [fromFile("shop-pulumi.json"), fromFile("shop-terraform.json")]) {
            const before = check([s]);
            // What pulumi state move / terraform state rm leave behind: the same state without those resources.
            const gone = new Set(blockers(before).map((b) => b.address));
            const after = check([state(s.source, s.format, s.resources.filter((r) => !gone.has(r.address)))]);
            assert.deepStrictEqual(blockers(after), [], s.format);
            assert.ok(safe(after), `${s.format}: ${after.checks.filter((c) => !c.ok).map((c) => c.title).join(", ")}`);
            assert.ok(after.ecsStacks[0].deletes > 20, "the ECS services and the rest still go");
        }
        const read = JSON.parse(fixture("shop-cfn-stack.json")) as CloudFormationStackRead;
        const gone = new Set(blockers(check([cfnShop()])).map((b) => b.address));
        const template = JSON.parse(read.templateBody ?? "{}") as { Resources: Record<string, Json> };
        for (const id of gone) {
            template.Resources[id].DeletionPolicy = "Retain";
        }
        const after = check([state("shop-ecs-prod", "cloudformation", cloudFormationResources({ ...read, templateBody: JSON.stringify(template) }))]);
        assert.ok(safe(after));
        assert.strictEqual(after.ecsStacks[0].retained.length, gone.size + 1);
    });

    it("without ECS state it still trusts migration:adopted, as before", () => {
        const config = validateConfig(rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": { default: { eksWeight: 100 } } }), "prod");
        const result = decommission(config, " --stack prod", snapshot, plan);
        assert.deepStrictEqual(result.ecsStacks, []);
        assert.ok(result.checks.some((c) => c.title === "Load balancers and listeners stay" && !c.ok));
    });
});

describe("decommission-check --ecs-state on the command line", function () {
    this.timeout(60000);
    const base = ["decommission-check", "--config", "migration:source=snapshot", "--config", "migration:snapshotFile=examples/shop/snapshot.json", "--config", 'migration:cutover={"default":{"eksWeight":100}}'];
    let tmp = "";
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "decom-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("lists each blocker with its URN and pulumi state move line, exits 1; --json carries the verdict", async () => {
        const run = await runCli([...base, "--ecs-state", `acme/shop-ecs/prod=${path.join(FIXTURES, "shop-pulumi.json")}`]);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stdout, /\[ \] Destroying Pulumi stack shop-ecs\/prod deletes nothing in use: 23 of the 57 resources it deletes are used here:/);
        assert.match(run.stdout, /\n {8}urn:pulumi:prod::shop-ecs::aws:lb\/loadBalancer:LoadBalancer::shop-alb \(arn:aws:elasticloadbalancing:.*loadbalancer\/app\/shop-alb\/acd1e0536a4d402e\): carries this stack's weighted rules for orders, web\n/);
        for (const urn of ["aws:lb/listener:Listener::http", "aws:ec2/securityGroup:SecurityGroup::shop-alb", "aws:secretsmanager/secret:Secret::shop-db", "aws:cloudwatch/logGroup:LogGroup::logs-web"]) {
            assert.ok(run.stdout.includes(`pulumi state move --source acme/shop-ecs/prod --dest dev urn:pulumi:prod::shop-ecs::${urn}\n`), urn);
        }
        assert.ok(run.stdout.includes("pulumi state move --source acme/shop-ecs/prod --dest dev 'urn:pulumi:prod::shop-ecs::shop:index:SharedStorage$aws:efs/fileSystem:FileSystem::shop-media'"));
        assert.doesNotMatch(run.stdout, /pulumi state delete/);
        const json = await runCli([...base, "--json", "--ecs-state", path.join(FIXTURES, "shop-pulumi.json")]);
        const report = JSON.parse(json.stdout) as { safe: boolean; ecsStacks: { stack: string; format: string; blockers: StateBlocker[]; retained: unknown[] }[] };
        assert.deepStrictEqual([report.safe, report.ecsStacks.map((s) => [s.stack, s.format, s.blockers.length, s.retained.length])], [false, [["shop-ecs/prod", "pulumi", 23, 1]]]);
    });

    it("passes once the resources are moved out of the export, and checks every stack given", async () => {
        const doc = JSON.parse(fixture("shop-pulumi.json")) as { deployment: { resources: Json[] } };
        const blocked = JSON.parse((await runCli([...base, "--json", "--ecs-state", path.join(FIXTURES, "shop-pulumi.json")])).stdout) as { ecsStacks: { blockers: StateBlocker[] }[] };
        const moved = new Set(blocked.ecsStacks[0].blockers.map((b) => b.address));
        doc.deployment.resources = doc.deployment.resources.filter((r) => !moved.has(r.urn as string));
        const file = path.join(tmp, "ecs-prod-after-move.json");
        fs.writeFileSync(file, JSON.stringify(doc));
        const run = await runCli([...base, "--ecs-state", file]);
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /\[x\] Destroying Pulumi stack shop-ecs\/prod deletes nothing in use: 34 resources deleted, none used here/);
        // The Terraform state of the same estate still holds them: two stacks given, one blocks.
        const both = await runCli([...base, "--ecs-state", file, "--ecs-state", path.join(FIXTURES, "shop-terraform.json")]);
        assert.strictEqual(both.status, 1);
        assert.match(both.stdout, /\[ \] Destroying Terraform state .*shop-terraform\.json deletes nothing in use: 24 of the 58/);
        assert.match(both.stdout, /terraform state rm module\.media_storage\.aws_efs_file_system\.shop_media\n +pulumi import --stack dev aws:efs\/fileSystem:FileSystem shop_media fs-77623548\n/);
    });

    it("fails with one clear line on a file that is neither format, or missing", async () => {
        const bad = path.join(tmp, "bad.json");
        fs.writeFileSync(bad, '{"resources": []}');
        const run = await runCli([...base, "--ecs-state", bad]);
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stderr, `error: ${bad} is neither a Pulumi stack export (deployment.resources) nor a Terraform state in terraform show -json form (values.root_module)\n`);
        const missing = await runCli([...base, "--ecs-state", path.join(tmp, "nope.json")]);
        assert.match(missing.stderr, /^error: cannot read --ecs-state .*nope\.json: no such file\n$/);
    });
});

describe("the CloudFormation reader against moto", function () {
    this.timeout(120000);
    let moto: Moto | undefined;
    /**
     * What moto 5.2.1 lists without a physical ID, so the reader leaves it out
     * as never created: the types it has no CloudFormation support for
     * (secrets, Cloud Map), and two it creates but does not report (EFS
     * access points, security group ingress rules).
     */
    const MOTO_CANNOT = new Set(["AWS::SecretsManager::Secret", "AWS::ServiceDiscovery::HttpNamespace", "AWS::ServiceDiscovery::Service", "AWS::EFS::AccessPoint", "AWS::EC2::SecurityGroupIngress"]);
    let read: CloudFormationStackRead | undefined;
    let template: { Resources: Record<string, { Type: string; DeletionPolicy?: string }> } = { Resources: {} };
    before(async () => {
        moto = await startMoto();
        template = JSON.parse(fixture("shop-cfn-template.json")) as typeof template;
        const api = motoCloudFormation(moto.endpoint);
        await api.createStack("shop-ecs-prod", fixture("shop-cfn-template.json"));
        read = await readCloudFormationStack(api, "shop-ecs-prod");
    });
    after(async () => moto?.stop());

    it("creates the sample's stack and reads every resource back with its type and physical ID", () => {
        const rs = cloudFormationResources(read as CloudFormationStackRead);
        const expected = Object.entries(template.Resources).filter(([, r]) => !MOTO_CANNOT.has(r.Type)).map(([id]) => id).sort();
        assert.deepStrictEqual(rs.map((r) => r.address).sort(), expected);
        assert.ok(rs.every((r) => r.physicalId.length > 0));
        assert.deepStrictEqual(rs.filter((r) => r.retained).map((r) => [r.address, r.physicalId, r.retained]), [["LogsReportLogGroup", "/ecs/shop/report", "DeletionPolicy: Retain"]]);
        assert.strictEqual(rs.find((r) => r.address === "ShopAlbLoadBalancer")?.kind, "loadBalancer");
    });

    it("blocks on what it holds that this stack adopted (moto's IDs), with the template change and the import", () => {
        const rs = cloudFormationResources(read as CloudFormationStackRead);
        const lb = rs.find((r) => r.address === "ShopAlbLoadBalancer") as StateResource;
        const fsr = rs.find((r) => r.address === "ShopMediaFileSystem") as StateResource;
        const result = check([state("shop-ecs-prod", "cloudformation", rs)], { "migration:adopted": [lb.physicalId, fsr.physicalId] });
        const found = blockers(result).filter((b) => b.why === "listed in migration:adopted");
        assert.deepStrictEqual(found.map((b) => b.address).sort(), ["ShopAlbLoadBalancer", "ShopMediaFileSystem"]);
        assert.match(found.find((b) => b.address === "ShopMediaFileSystem")?.wayOut.join("\n") ?? "", new RegExp(`DeletionPolicy: Retain on ShopMediaFileSystem \\(AWS::EFS::FileSystem\\)[\\s\\S]*pulumi import --stack prod aws:efs/fileSystem:FileSystem ShopMediaFileSystem ${fsr.physicalId}`));
    });

    it("decommission-check --ecs-cfn-stack reads it through the AWS SDK (when the client is installed)", async function () {
        if (!fs.existsSync(path.join(ROOT, "node_modules", "@aws-sdk", "client-cloudformation"))) {
            this.skip();
        }
        const rs = cloudFormationResources(read as CloudFormationStackRead);
        const lb = (rs.find((r) => r.address === "ShopAlbLoadBalancer") as StateResource).physicalId;
        const args = ["decommission-check", "--config", "migration:source=snapshot", "--config", "migration:snapshotFile=examples/shop/snapshot.json", "--config", 'migration:cutover={"default":{"eksWeight":100}}'];
        const run = await runCli([...args, "--config", `migration:adopted=["${lb}"]`, "--ecs-cfn-stack", "shop-ecs-prod"], { AWS_ENDPOINT_URL: (moto as Moto).endpoint, AWS_REGION: "us-east-1" });
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stdout, /\[ \] Destroying CloudFormation stack shop-ecs-prod deletes nothing in use: \d+ of the \d+ resources it deletes are used here:/);
        // moto made up its own ARNs: the adopted one matches by ARN, the named ones (log groups, parameters) by name.
        assert.ok(run.stdout.includes(`ShopAlbLoadBalancer (${lb}): listed in migration:adopted`), run.stdout);
        assert.ok(run.stdout.includes("LogsWebLogGroup (/ecs/shop/web): where shop-web/web logs"), run.stdout);
    });

    it("says so when the stack does not exist", async () => {
        const api: CloudFormationApi = motoCloudFormation((moto as Moto).endpoint);
        await assert.rejects(() => readCloudFormationStack(api, "nope"), (e: Error) => /^CloudFormation stack nope does not exist in this account and region/.test(e.message));
    });

    it("follows ListStackResources' pages", async () => {
        const pages: CloudFormationApi = {
            describeStack: async () => ({ StackId: "s" }),
            listStackResources: async (_name, token) =>
                token
                    ? { StackResourceSummaries: [{ LogicalResourceId: "B", PhysicalResourceId: "/b", ResourceType: "AWS::Logs::LogGroup" }] }
                    : { StackResourceSummaries: [{ LogicalResourceId: "A", PhysicalResourceId: "/a", ResourceType: "AWS::Logs::LogGroup" }], NextToken: "2" },
            getTemplate: async () => undefined,
        };
        assert.deepStrictEqual((await readCloudFormationStack(pages, "s")).resources.map((r) => r.LogicalResourceId), ["A", "B"]);
    });
});

describe("the ECS state fixtures", function () {
    this.timeout(120000);
    it("are what the sample's ECS program gives today (npm run fixtures:ecs-state)", () => {
        const run = spawnSync(process.execPath, [path.join(ROOT, "dist", "tools", "ecsStateFixtures.js"), "--check"], { encoding: "utf8" });
        assert.strictEqual(run.status, 0, run.stderr);
    });

    it("hold no secret value", () => {
        for (const f of fs.readdirSync(FIXTURES)) {
            assert.ok(!fixture(f).includes("change-me"), f);
        }
        assert.match(fixture("shop-pulumi.json"), /"secretString": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext": "v1:/);
    });
});
