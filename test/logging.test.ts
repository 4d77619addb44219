import * as assert from "assert";
import * as path from "path";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { clusterLogGroup, logPipelinePolicy, logPipelineValues, routingLua } from "../components/addons/logPipeline";
import { AwsScope } from "../components/addons/types";
import { validateConfig } from "../config/validate";
import { EcsSnapshot, Json } from "../core/snapshot";
import { decommissionChecks } from "../migration/decommission";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { LogPlan, logAnnotation } from "../migration/translate/logging";
import { translate } from "../migration/translate/translate";
import { buildStack } from "../program";
import { runOffline } from "../preview/run";
import { Platform, at, rawConfig } from "./harness";
import { One, service, snapshot, taskDefinition } from "./translateHarness";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");

/** One container that logs as given, translated as a service. */
function logging(logConfiguration: Json<ContainerDefinition>["logConfiguration"]): One {
    return new One(taskDefinition({}, { logConfiguration }));
}

const podAnnotations = (one: One) => (at(one.object("Deployment"), "spec.template.metadata.annotations") ?? {}) as Record<string, string>;
const scope = (logs: LogPlan): AwsScope => ({ clusterName: "prod-eks", kubernetesVersion: "1.33", region: "us-east-1", partition: "aws", identityMode: "irsa", account: "123456789012", logs });

describe("log destinations from the task definitions", () => {
    it("sends an awslogs container to its group, with the stream prefix as the stream name's first part", () => {
        const one = logging({ logDriver: "awslogs", options: { "awslogs-group": "/ecs/prod/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" } });
        assert.deepStrictEqual(podAnnotations(one), { [logAnnotation("group", "app")]: "/ecs/prod/app", [logAnnotation("stream", "app")]: "app/app" });
        const [dst] = one.plan.logs?.destinations ?? [];
        assert.deepStrictEqual(
            { via: dst.via, group: dst.logGroup, prefix: dst.streamPrefix, create: dst.createGroup, route: dst.route },
            { via: "awslogs", group: "/ecs/prod/app", prefix: "app/app", create: false, route: undefined },
        );
        assert.deepStrictEqual(one.plan.logs?.groups, [{ name: "/ecs/prod/app", region: "us-east-1", create: false }]);
        assert.match(one.diagnostic("LOGGING").message, /log group \/ecs\/prod\/app, streams app\/app\/<pod>/);
    });

    it("honours awslogs-create-group: the group is creatable only when ECS could create it", () => {
        const created = logging({ logDriver: "awslogs", options: { "awslogs-group": "/ecs/new", "awslogs-create-group": "true" } });
        assert.deepStrictEqual(created.plan.logs?.groups, [{ name: "/ecs/new", region: "us-east-1", create: true }]);
        const existing = logging({ logDriver: "awslogs", options: { "awslogs-group": "/ecs/old", "awslogs-create-group": "false" } });
        assert.deepStrictEqual(existing.plan.logs?.groups, [{ name: "/ecs/old", region: "us-east-1", create: false }]);
    });

    it("keeps another awslogs-region through a route to that region's output, and notes mode and buffer size", () => {
        const one = logging({ logDriver: "awslogs", options: { "awslogs-group": "/ecs/eu", "awslogs-region": "eu-west-1", mode: "non-blocking", "max-buffer-size": "25m" } });
        assert.strictEqual(podAnnotations(one)[logAnnotation("route", "app")], "cloudwatch_logs.eu-west-1");
        assert.deepStrictEqual(one.plan.logs?.routes, [{ id: "cloudwatch_logs.eu-west-1", output: "cloudwatch_logs", region: "eu-west-1" }]);
        assert.ok(one.codes().includes("LOG_REGION"));
        assert.strictEqual(one.workload.diagnostics.filter((d) => d.code === "LOG_DELIVERY_MODE").length, 2);
    });

    it("reports multiline options, which the pipeline does not apply per container", () => {
        const one = logging({ logDriver: "awslogs", options: { "awslogs-group": "/ecs/java", "awslogs-multiline-pattern": "^\\d{4}-" } });
        assert.strictEqual(one.diagnostic("LOG_MULTILINE").severity, "warning");
    });

    it("carries FireLens CloudWatch, Firehose and Kinesis outputs over", () => {
        const cw = logging({ logDriver: "awsfirelens", options: { Name: "cloudwatch_logs", region: "us-east-1", log_group_name: "/ecs/firelens", log_stream_prefix: "fl-", auto_create_group: "true" } });
        assert.deepStrictEqual(podAnnotations(cw), { [logAnnotation("group", "app")]: "/ecs/firelens", [logAnnotation("stream", "app")]: "fl/app" });
        assert.deepStrictEqual(cw.plan.logs?.groups, [{ name: "/ecs/firelens", region: "us-east-1", create: true }]);

        const firehose = logging({ logDriver: "awsfirelens", options: { Name: "kinesis_firehose", region: "us-east-1", delivery_stream: "audit-stream" } });
        assert.strictEqual(podAnnotations(firehose)[logAnnotation("route", "app")], "firehose.us-east-1.audit-stream");
        assert.deepStrictEqual(firehose.plan.logs?.routes, [{ id: "firehose.us-east-1.audit-stream", output: "firehose", region: "us-east-1", deliveryStream: "audit-stream" }]);

        const kinesis = logging({ logDriver: "awsfirelens", options: { Name: "kinesis_streams", region: "us-west-2", stream: "clicks" } });
        assert.deepStrictEqual(kinesis.plan.logs?.routes, [{ id: "kinesis_streams.us-west-2.clicks", output: "kinesis_streams", region: "us-west-2", stream: "clicks" }]);
    });

    it("reports a FireLens output the pipeline has no twin for, and other log drivers, sending them to the cluster's group", () => {
        const datadog = logging({ logDriver: "awsfirelens", options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com" } });
        assert.strictEqual(datadog.diagnostic("FIRELENS_OUTPUT_UNSUPPORTED").severity, "warning");
        assert.deepStrictEqual(podAnnotations(datadog), {});
        assert.strictEqual(datadog.plan.logs?.destinations[0].via, "cluster");

        const splunk = logging({ logDriver: "splunk", options: { "splunk-url": "https://splunk.example.com:8088" } });
        assert.match(splunk.diagnostic("LOG_DRIVER_UNSUPPORTED").message, /log driver splunk/);
        assert.deepStrictEqual(splunk.plan.logs?.groups, []);
    });

    it("reports awslogs without a group instead of inventing one", () => {
        const one = logging({ logDriver: "awslogs", options: { "awslogs-stream-prefix": "x" } });
        assert.ok(one.codes().includes("LOG_GROUP_MISSING"));
        assert.deepStrictEqual(podAnnotations(one), {});
    });

    it("writes the annotations the pipeline's Lua filter reads", () => {
        const lua = routingLua("/aws/eks/prod-eks/containers");
        for (const what of ["group", "stream", "route"] as const) {
            const key = logAnnotation(what, "web");
            assert.ok(lua.includes(`"${key.slice(0, -"web".length)}" .. c`), `the filter reads ${key}`);
        }
        assert.ok(lua.includes('"/aws/eks/prod-eks/containers"'), "unannotated containers go to the cluster's group");
    });
});

describe("the log pipeline add-on", function () {
    this.timeout(60000);

    it("may only write streams to the migrated groups and the cluster's group, and create only where ECS could", () => {
        const logs: LogPlan = {
            destinations: [],
            groups: [
                { name: "/ecs/new", region: "us-east-1", create: true },
                { name: "/ecs/old", region: "us-east-1", create: false },
            ],
            routes: [{ id: "firehose.us-east-1.audit", output: "firehose", region: "us-east-1", deliveryStream: "audit" }],
        };
        const doc = logPipelinePolicy(scope(logs), logs);
        const arn = (g: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${g}`;
        assert.deepStrictEqual(
            doc.Statement.map((s) => [s.Action, s.Resource]),
            [
                [["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], [arn("/aws/eks/prod-eks/containers"), `${arn("/aws/eks/prod-eks/containers")}:*`, arn("/ecs/new"), `${arn("/ecs/new")}:*`, arn("/ecs/old"), `${arn("/ecs/old")}:*`]],
                ["logs:CreateLogGroup", [arn("/ecs/new"), `${arn("/ecs/new")}:*`]],
                ["firehose:PutRecordBatch", ["arn:aws:firehose:us-east-1:123456789012:deliverystream/audit"]],
            ],
        );
        assert.ok(doc.Statement.every((s) => s.Resource !== "*" && !String(s.Action).includes("*")), "no wildcard action or resource");
    });

    it("creates no group at all when no ECS task could", () => {
        const logs: LogPlan = { destinations: [], groups: [{ name: "/ecs/old", region: "us-east-1", create: false }], routes: [] };
        assert.ok(!logPipelinePolicy(scope(logs), logs).Statement.some((s) => s.Action === "logs:CreateLogGroup"));
        assert.strictEqual(at(logPipelineValues(scope(logs)), "cloudWatchLogs.autoCreateGroup"), false);
    });

    it("is installed for the sample shop with its log groups, a KMS-encrypted cluster group with retention, and Container Insights", async () => {
        const snapshot = readSnapshotFile(SAMPLE);
        const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE });
        const result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snapshot) }) });
        const platform = new Platform(result);
        const cluster = validateConfig(raw, "test").cluster.name;

        const release = platform.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "aws-for-fluent-bit");
        assert.ok(release, "the aws-for-fluent-bit release");
        assert.strictEqual(at(release.inputs, "namespace"), "kube-system");
        assert.strictEqual(at(release.inputs, "values.cloudWatchLogs.logGroupName"), clusterLogGroup(cluster));
        assert.strictEqual(at(release.inputs, "values.cloudWatchLogs.logGroupTemplate"), "$ecs2eks_group");
        // The raw line, as awslogs sent it, so the groups' metric filters match the same text.
        assert.strictEqual(at(release.inputs, "values.cloudWatchLogs.logKey"), "log");
        // The shop's catalog had awslogs-create-group.
        assert.strictEqual(at(release.inputs, "values.cloudWatchLogs.autoCreateGroup"), true);

        const group = platform.one("aws:cloudwatch/logGroup:LogGroup");
        assert.strictEqual(group.inputs.name, clusterLogGroup(cluster));
        assert.ok(Number(group.inputs.retentionInDays) > 0 && typeof group.inputs.kmsKeyId === "string");
        assert.strictEqual(platform.one("aws:kms/key:Key", "addons-logPipeline-logs").inputs.enableKeyRotation, true);

        const policy = JSON.parse(String(platform.input("aws:iam/rolePolicy:RolePolicy", "addons-logPipeline-policy", "policy"))) as { Statement: { Action: string | string[]; Resource: string[] }[] };
        const write = policy.Statement.find((s) => Array.isArray(s.Action) && s.Action.includes("logs:PutLogEvents"));
        for (const g of ["/ecs/shop/web", "/ecs/shop/orders", "/ecs/shop/catalog", "/ecs/shop/worker"]) {
            assert.ok(write?.Resource.some((r) => r.endsWith(`:log-group:${g}`)), `may write to ${g}`);
        }
        const create = policy.Statement.find((s) => s.Action === "logs:CreateLogGroup");
        assert.deepStrictEqual(create?.Resource.map((r) => r.split(":log-group:")[1]), ["/ecs/shop/catalog", "/ecs/shop/catalog:*"]);

        const insights = platform.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "amazon-cloudwatch-observability");
        assert.deepStrictEqual(JSON.parse(String(insights?.inputs.configurationValues)), { containerLogs: { enabled: false } });
    });
});

describe("decommission and the ECS log groups", () => {
    const shop = readSnapshotFile(SAMPLE);
    const check = (snap: EcsSnapshot, adopted: string[]) => {
        const config = validateConfig(rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:adopted": adopted }), "prod");
        return decommissionChecks(config, " --stack prod", snap, translate(snap)).find((c) => c.title === "Log groups stay, with their history");
    };

    it("blocks while a log group the ECS task definitions write to is not adopted, and names it", () => {
        const groups = ["/ecs/shop/web", "/ecs/shop/orders", "/ecs/shop/xray", "/ecs/shop/catalog", "/ecs/shop/cart", "/ecs/shop/worker", "/ecs/shop/media", "/ecs/shop/log-agent", "/ecs/shop/report"];
        const open = check(shop, groups.filter((g) => g !== "/ecs/shop/orders"));
        assert.strictEqual(open?.ok, false);
        assert.match(open?.detail ?? "", /1 still owned by the ECS stacks .*: \/ecs\/shop\/orders$/);
        assert.match(open?.fix ?? "", /migration:adopted/);
        assert.strictEqual(check(shop, groups)?.ok, true);
    });

    it("has nothing to block when no task logs to CloudWatch", () => {
        const quiet = snapshot([service()], [taskDefinition()]);
        assert.deepStrictEqual(check(quiet, []), { ok: true, title: "Log groups stay, with their history", detail: "none: no log groups the ECS task definitions write to, where the migrated containers' logs now land too" });
    });
});
