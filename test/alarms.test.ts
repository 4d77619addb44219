import * as assert from "assert";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { AlarmSnapshot, EcsSnapshot } from "../core/snapshot";
import { planCutover } from "../migration/cutover";
import { EKS_CLUSTER_DIMENSION, EKS_TARGET_GROUP_DIMENSION, planAlarms } from "../migration/cutover/alarms";
import { Aws } from "../migration/ecs/aws";
import { readEcsSnapshot } from "../migration/ecs/reader";
import { readSnapshotFile, validateSnapshot } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { SHOP_CLUSTER } from "../examples/shop/seed";
import { buildStack } from "../program";
import { runOffline } from "../preview/run";
import { Platform, at, rawConfig } from "./harness";
import { seededShop } from "./shopEmulator";

// moto takes any credentials; the SDK needs some.
process.env.AWS_ACCESS_KEY_ID ??= "testing";
process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
const ONCALL = "arn:aws:sns:us-east-1:123456789012:shop-oncall";
const STEP_POLICY = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1a2b:resource/ecs/service/shop/orders:policyName/orders-step";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** The shop with these alarms instead of its own. */
function withAlarms(alarms: AlarmSnapshot[]): EcsSnapshot {
    return { ...readSnapshotFile(SAMPLE), alarms };
}

function plan(snapshot: EcsSnapshot) {
    const translated = translate(snapshot);
    return planAlarms(translated, snapshot, planCutover(translated, snapshot, { defaultEksWeight: 10, services: {} }));
}

const ecsAlarm = (over: Partial<AlarmSnapshot> = {}): AlarmSnapshot => ({
    AlarmName: "orders-memory",
    Namespace: "AWS/ECS",
    MetricName: "MemoryUtilization",
    Dimensions: [
        { Name: "ClusterName", Value: "shop" },
        { Name: "ServiceName", Value: "orders" },
    ],
    Statistic: "Maximum",
    Period: 300,
    EvaluationPeriods: 4,
    DatapointsToAlarm: 2,
    Threshold: 92.5,
    ComparisonOperator: "GreaterThanThreshold",
    TreatMissingData: "ignore",
    ActionsEnabled: true,
    AlarmActions: [ONCALL],
    OKActions: ["arn:aws:sns:us-east-1:123456789012:ok"],
    InsufficientDataActions: ["arn:aws:sns:us-east-1:123456789012:nodata"],
    ...over,
});

describe("alarms: the reader (moto)", function () {
    this.timeout(60000);
    const shop = seededShop();

    it("reads the alarms on the services' ECS metrics and target groups, and no other alarm, with DescribeAlarms only", async () => {
        const aws = new Aws({ region: "us-east-1", endpoint: shop.endpoint });
        try {
            const snapshot = await readEcsSnapshot(aws, { clusters: [SHOP_CLUSTER], now: () => new Date("2026-11-28T00:00:00Z") });
            const all = (snapshot.alarms ?? []).map((a) => a.AlarmName ?? "");
            // The alarms Application Auto Scaling made for target tracking are read too: the plan says the HPA takes them over.
            assert.ok(["orders", "web"].every((s) => all.some((n) => n.startsWith(`TargetTracking-service/shop/${s}-AlarmHigh-`))));
            const names = all.filter((n) => !n.startsWith("TargetTracking-"));
            assert.deepStrictEqual(names, [
                "shop-cart-cpu-high",
                "shop-catalog-memory-high",
                "shop-log-agent-memory-high",
                "shop-media-cpu-high",
                "shop-orders-cpu-high",
                "shop-orders-latency-p90",
                "shop-orders-memory-high",
                "shop-web-5xx",
                "shop-web-cpu-high",
                "shop-worker-memory-high",
            ]);
            // The SQS backlog alarm watches a queue, not a service; it stays with the step scaling it triggers.
            assert.ok(!names.includes("shop-orders-backlog-high"));
            const web5xx = snapshot.alarms?.find((a) => a.AlarmName === "shop-web-5xx");
            assert.deepStrictEqual([web5xx?.Threshold, web5xx?.Period, web5xx?.Statistic, (web5xx as Record<string, unknown> | undefined)?.StateValue], [25, 60, "Sum", undefined]);
            assert.ok([...aws.calls.keys()].filter((k) => k.startsWith("cloudwatch:")).every((k) => k === "cloudwatch:DescribeAlarms"));
            // What it read is what the committed sample holds (IDs aside: this moto is not seeded).
            const settings = (alarms: AlarmSnapshot[] | undefined) => (alarms ?? []).filter((a) => a.AlarmName?.startsWith("shop-")).map((a) => [a.AlarmName, a.MetricName, a.Statistic ?? a.ExtendedStatistic, a.Threshold, a.Period, a.EvaluationPeriods, a.AlarmActions]);
            assert.deepStrictEqual(settings(snapshot.alarms), settings(readSnapshotFile(SAMPLE).alarms));
        } finally {
            aws.destroy();
        }
    });

    it("still loads a snapshot written before alarms were read, and plans no twins for it", () => {
        const { alarms: _alarms, ...old } = readSnapshotFile(SAMPLE);
        const loaded = validateSnapshot(JSON.parse(JSON.stringify(old)), "old.json");
        assert.deepStrictEqual(plan(loaded).alarms, []);
    });

    it("refuses an alarm without a name, naming the path", () => {
        const bad = JSON.parse(JSON.stringify(readSnapshotFile(SAMPLE))) as { alarms: { AlarmName?: string }[] };
        delete bad.alarms[0].AlarmName;
        assert.throws(() => validateSnapshot(bad, "bad.json"), /alarms.*AlarmName/);
    });
});

describe("alarms: the EKS twins", () => {
    it("keeps statistic, threshold, periods, comparison, missing data and every action of an ECS alarm", () => {
        const [twin] = plan(withAlarms([ecsAlarm()])).alarms;
        assert.deepStrictEqual(
            { ...twin, description: undefined },
            {
                name: "orders-memory-eks",
                sourceAlarm: "orders-memory",
                namespace: "shop",
                workload: "orders",
                ecsService: "orders",
                description: undefined,
                metric: { namespace: "ContainerInsights", metricName: "pod_memory_utilization_over_pod_limit", dimensions: { ClusterName: EKS_CLUSTER_DIMENSION, Namespace: "shop", PodName: "orders" } },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 4,
                datapointsToAlarm: 2,
                threshold: 92.5,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "ignore",
                actionsEnabled: true,
                alarmActions: [ONCALL],
                okActions: ["arn:aws:sns:us-east-1:123456789012:ok"],
                insufficientDataActions: ["arn:aws:sns:us-east-1:123456789012:nodata"],
            },
        );
    });

    it("moves a target group alarm to the service's EKS target group on the same load balancer, percentile and all", () => {
        const shop = readSnapshotFile(SAMPLE);
        const twin = plan(shop).alarms.find((a) => a.sourceAlarm === "shop-orders-latency-p90");
        const source = shop.alarms?.find((a) => a.AlarmName === "shop-orders-latency-p90");
        const dims = Object.fromEntries((source?.Dimensions ?? []).map((d) => [d.Name, d.Value]));
        assert.deepStrictEqual(twin?.metric, { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: { TargetGroup: EKS_TARGET_GROUP_DIMENSION, LoadBalancer: dims.LoadBalancer } });
        assert.deepStrictEqual([twin?.extendedStatistic, twin?.statistic, twin?.threshold, twin?.evaluationPeriods], ["p90", undefined, 0.5, 3]);
        assert.ok(twin?.canary?.ecsTargetGroupArn.endsWith(dims.TargetGroup ?? "?"));
    });

    it("gives every service of the shop a twin on its ECS metrics, and web and orders on their target groups", () => {
        const twins = plan(readSnapshotFile(SAMPLE)).alarms;
        assert.deepStrictEqual([...new Set(twins.filter((a) => a.metric.namespace === "ContainerInsights").map((a) => a.workload))].sort(), ["cart", "catalog", "log-agent", "media", "orders", "web", "worker"]);
        assert.deepStrictEqual(twins.filter((a) => a.metric.namespace === "AWS/ApplicationELB").map((a) => a.workload).sort(), ["orders", "web"]);
    });

    it("says CPU is measured against the node on EKS, not against the reservation", () => {
        const result = plan(withAlarms([ecsAlarm({ AlarmName: "orders-cpu", MetricName: "CPUUtilization" })]));
        assert.strictEqual(result.alarms[0].metric.metricName, "pod_cpu_utilization");
        assert.deepStrictEqual(result.diagnostics.map((d) => [d.diagnostic.code, d.diagnostic.severity]), [["ALARM_CPU_BASIS", "warning"]]);
    });

    it("leaves scaling triggers to the HPA or KEDA, and keeps only the other actions of a mixed alarm", () => {
        const trigger = plan(withAlarms([ecsAlarm({ AlarmName: "TargetTracking-orders-high", AlarmActions: [STEP_POLICY], OKActions: [], InsufficientDataActions: [] })]));
        assert.deepStrictEqual(trigger.alarms, []);
        assert.strictEqual(trigger.diagnostics[0].diagnostic.code, "ALARM_SCALING_TRIGGER");
        const mixed = plan(withAlarms([ecsAlarm({ AlarmActions: [STEP_POLICY, ONCALL] })]));
        assert.deepStrictEqual(mixed.alarms[0].alarmActions, [ONCALL]);
        assert.strictEqual(mixed.diagnostics[0].diagnostic.code, "ALARM_SCALING_ACTION");
    });

    it("reports what has no twin: metric math, and metrics Container Insights has no counterpart of", () => {
        const math = plan(withAlarms([ecsAlarm({ MetricName: undefined, Statistic: undefined, Dimensions: undefined, Metrics: [{ Id: "m1", MetricStat: { Metric: { Namespace: "AWS/ECS", MetricName: "CPUUtilization", Dimensions: [{ Name: "ClusterName", Value: "shop" }, { Name: "ServiceName", Value: "orders" }] }, Period: 60, Stat: "Average" } }] })]));
        // Its service is named by the metrics its math reads.
        assert.deepStrictEqual(math.alarms, []);
        assert.deepStrictEqual(math.diagnostics.map((d) => [d.workload, d.diagnostic.code]), [["orders", "ALARM_METRIC_MATH"]]);
        const dimensioned = plan(withAlarms([ecsAlarm({ MetricName: undefined, Metrics: [{ Id: "e1", Expression: "m1 * 2" }] })]));
        assert.deepStrictEqual(dimensioned.alarms, []);
        assert.strictEqual(dimensioned.diagnostics[0].diagnostic.code, "ALARM_METRIC_MATH");
        const unknown = plan(withAlarms([ecsAlarm({ Namespace: "ECS/ContainerInsights", MetricName: "StorageReadBytes" })]));
        assert.deepStrictEqual(unknown.alarms, []);
        assert.match(unknown.diagnostics[0].diagnostic.message, /ECS\/ContainerInsights StorageReadBytes, which has no Container Insights or ALB equivalent/);
    });

    it("declares each twin as a CloudWatch alarm under its workload, on the EKS target group's ARN suffix and the cluster's name", async function () {
        this.timeout(60000);
        const snapshot = readSnapshotFile(SAMPLE);
        const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": { default: { eksWeight: 10 } } });
        const result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snapshot) }) });
        const platform = new Platform(result);
        const alarms = platform.ofType(ALARM);
        assert.strictEqual(alarms.length, plan(snapshot).alarms.length);
        const web = platform.one(ALARM, "shop-web-5xx-eks");
        assert.strictEqual(platform.parentOf(web)?.name, "shop-web");
        const eksTg = platform.ofType("aws:lb/targetGroup:TargetGroup").find((t) => platform.parentOf(t)?.name === "shop-web");
        // Its TargetGroup dimension is the EKS target group's ARN suffix: it waits for that target group.
        assert.ok(eksTg && web.dependencies.includes(eksTg.urn), "the twin watches the EKS target group");
        assert.deepStrictEqual([web.inputs.threshold, web.inputs.statistic, web.inputs.alarmActions], [25, "Sum", [ONCALL]]);
        const cpu = platform.one(ALARM, "shop-web-cpu-high-eks");
        assert.strictEqual(at(cpu.inputs, "dimensions.ClusterName"), validateConfig(raw, "test").cluster.name);
    });
});
