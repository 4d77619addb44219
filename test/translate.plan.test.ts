import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import type { ContainerDefinition, TaskDefinition } from "@aws-sdk/client-ecs";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { EcsSnapshot, Json, ServiceSnapshot, TaskDefinitionSnapshot } from "../core/snapshot";
import { LEDGER } from "../migration/translate/ledger";
import { NameScope, dns1035Label, dns1123Label, portName } from "../migration/translate/names";
import { convertSchedule } from "../migration/translate/schedule";
import { shapeMembers } from "../migration/translate/shapes";
import { translate } from "../migration/translate/translate";
import { K8sObject } from "../migration/translate/types";
import { validateObject, validateObjects } from "../migration/translate/validate";
import { ACCOUNT, One, TD_ARN, service, snapshot, taskDefinition } from "./translateHarness";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");
const RESOURCE = "service/prod/app";

function allObjects(snap: EcsSnapshot): K8sObject[] {
    const plan = translate(snap);
    return [...plan.namespaces.flatMap((n) => n.objects), ...plan.workloads.flatMap((w) => w.objects)];
}

describe("translate: scaling and schedules", () => {
    const target = { ResourceId: RESOURCE, ScalableDimension: "ecs:service:DesiredCount" as const, ServiceNamespace: "ecs" as const, MinCapacity: 2, MaxCapacity: 10 };
    const tracking = (name: string, metric: string, value: number) => ({
        PolicyName: name,
        ResourceId: RESOURCE,
        PolicyType: "TargetTrackingScaling" as const,
        TargetTrackingScalingPolicyConfiguration: { TargetValue: value, PredefinedMetricSpecification: { PredefinedMetricType: metric as "ECSServiceAverageCPUUtilization" }, ScaleInCooldown: 120 },
    });
    const scaled = (policies: object[], scheduledActions: object[] = []) =>
        new One(taskDefinition(), service({ desiredCount: 1 }), { scaling: { targets: [target as never], policies: policies as never, scheduledActions: scheduledActions as never } });

    it("turns CPU and memory target tracking into an HPA", () => {
        const one = scaled([tracking("cpu", "ECSServiceAverageCPUUtilization", 60), tracking("mem", "ECSServiceAverageMemoryUtilization", 75)]);
        assert.deepStrictEqual(one.get("HorizontalPodAutoscaler", "spec"), {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "app" },
            minReplicas: 2,
            maxReplicas: 10,
            metrics: [
                { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } },
                { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 75 } } },
            ],
            behavior: { scaleDown: { stabilizationWindowSeconds: 120 } },
        });
        assert.strictEqual(one.get("Deployment", "spec.replicas"), undefined, "the HPA owns the replica count");
        assert.strictEqual(one.has("ScaledObject"), false);
    });

    it("scales on SQS queue depth with KEDA, using KEDA's own AWS identity", () => {
        const one = scaled([
            {
                PolicyName: "queue",
                ResourceId: RESOURCE,
                PolicyType: "TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration: { TargetValue: 100, CustomizedMetricSpecification: { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Dimensions: [{ Name: "QueueName", Value: "jobs" }], Statistic: "Average" } },
            },
            tracking("cpu", "ECSServiceAverageCPUUtilization", 70),
        ]);
        assert.deepStrictEqual(one.get("ScaledObject", "spec.triggers"), [
            { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
            {
                type: "aws-sqs-queue",
                metricType: "Value",
                metadata: { queueURL: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`, queueLength: "100", scaleOnInFlight: "false", awsRegion: "us-east-1" },
                authenticationRef: { name: "app-aws" },
            },
        ]);
        assert.deepStrictEqual(one.get("TriggerAuthentication", "spec"), { podIdentity: { provider: "aws", identityOwner: "keda" } });
        assert.strictEqual(one.has("HorizontalPodAutoscaler"), false, "KEDA makes its own HPA");
    });

    it("scales on ALB request count and custom CloudWatch metrics with KEDA", () => {
        const one = scaled([
            {
                PolicyName: "requests",
                ResourceId: RESOURCE,
                PolicyType: "TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration: { TargetValue: 500, PredefinedMetricSpecification: { PredefinedMetricType: "ALBRequestCountPerTarget", ResourceLabel: "app/web/50dc6c495c0c9188/targetgroup/web/943f017f100becff" } },
            },
            {
                PolicyName: "latency",
                ResourceId: RESOURCE,
                PolicyType: "TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration: { TargetValue: 0.2, CustomizedMetricSpecification: { Namespace: "App", MetricName: "Latency", Dimensions: [{ Name: "Service", Value: "app" }], Statistic: "Average" } },
            },
        ]);
        const triggers = one.get("ScaledObject", "spec.triggers") as { type: string; metadata: Record<string, string> }[];
        assert.deepStrictEqual(triggers.map((t) => [t.type, t.metadata.metricName, t.metadata.dimensionValue]), [
            ["aws-cloudwatch", "RequestCountPerTarget", "targetgroup/web/943f017f100becff"],
            ["aws-cloudwatch", "Latency", "app"],
        ]);
    });

    it("scales on the metric of a step policy's scale-out alarm, its threshold per replica", () => {
        const policyArn = "arn:aws:autoscaling:us-east-1:1:scalingPolicy:x:resource/ecs/service/prod/app:policyName/burst";
        const one = new One(taskDefinition(), service({ desiredCount: 1 }), {
            scaling: {
                targets: [target as never],
                policies: [{ PolicyName: "burst", PolicyARN: policyArn, ResourceId: RESOURCE, PolicyType: "StepScaling" }] as never,
                scheduledActions: [],
                alarms: [
                    { AlarmName: "low", AlarmActions: [policyArn], Namespace: "App", MetricName: "Backlog", ComparisonOperator: "LessThanThreshold", Threshold: 10, Statistic: "Average" },
                    { AlarmName: "high", AlarmActions: [policyArn], Namespace: "App", MetricName: "Backlog", Dimensions: [{ Name: "Queue", Value: "jobs" }], ComparisonOperator: "GreaterThanThreshold", Threshold: 200, Statistic: "Maximum" },
                ],
            },
        });
        assert.deepStrictEqual(one.get("ScaledObject", "spec.triggers"), [
            {
                type: "aws-cloudwatch",
                metricType: "AverageValue",
                metadata: { namespace: "App", metricName: "Backlog", dimensionName: "Queue", dimensionValue: "jobs", targetMetricValue: "200", minMetricValue: "0", metricStat: "Maximum", metricStatPeriod: "60", awsRegion: "us-east-1" },
                authenticationRef: { name: "app-aws" },
            },
        ]);
        assert.strictEqual(one.diagnostic("STEP_SCALING_APPROXIMATED").severity, "info");
    });

    it("reports step scaling whose alarm the snapshot does not hold", () => {
        const one = scaled([{ PolicyName: "step", ResourceId: RESOURCE, PolicyType: "StepScaling", Alarms: [{ AlarmName: "queue-high" }] }]);
        assert.match(one.diagnostic("STEP_SCALING").message, /queue-high/);
    });

    it("turns scheduled scaling into a KEDA cron trigger in its time zone", () => {
        const one = scaled([], [{ ScheduledActionName: "peak", ResourceId: RESOURCE, Schedule: "cron(30 17 ? * MON-FRI *)", Timezone: "Europe/Paris", ScalableTargetAction: { MinCapacity: 6, MaxCapacity: 10 } }]);
        assert.deepStrictEqual(one.get("ScaledObject", "spec.triggers.0"), { type: "cron", metadata: { timezone: "Europe/Paris", start: "30 17 * * MON-FRI", end: "59 23 * * MON-FRI", desiredReplicas: "6" } });
    });

    it("converts AWS cron and rate expressions to 5-field cron", () => {
        const ok = (e: string, tz?: string) => {
            const r = convertSchedule(e, tz);
            assert.ok(r.ok, e);
            return r.schedule;
        };
        assert.deepStrictEqual(ok("cron(0 2 * * ? *)"), { cron: "0 2 * * *", timeZone: "Etc/UTC" });
        assert.deepStrictEqual(ok("cron(15 10 ? * 2-6 *)", "America/New_York"), { cron: "15 10 * * 1-5", timeZone: "America/New_York" });
        assert.strictEqual(ok("cron(0 8 1 * ? *)").cron, "0 8 1 * *");
        assert.strictEqual(ok("cron(0 0 ? * 1,7 *)").cron, "0 0 * * 0,6");
        assert.strictEqual(ok("rate(5 minutes)").cron, "*/5 * * * *");
        assert.strictEqual(ok("rate(1 hour)").cron, "0 * * * *");
        assert.strictEqual(ok("rate(6 hours)").cron, "0 */6 * * *");
        assert.strictEqual(ok("rate(1 day)").cron, "0 0 * * *");
        assert.match(ok("rate(7 minutes)").approximation ?? "", /minutes 0, 7, …, 56 of each hour/);
        assert.match(ok("cron(0 0 1 1 ? 2027)").approximation ?? "", /year/);
        assert.match((convertSchedule("cron(0 0 L * ? *)") as { reason: string }).reason, /^cron\(0 0 L \* \? \*\) runs on day-of-month L \(last day or nearest weekday of the month\), which cron on Kubernetes cannot say/);
        assert.strictEqual(convertSchedule("at(2026-12-01T00:00:00)").ok, false);
    });

    it("turns scheduled tasks into CronJobs with their time zone, overrides and state", () => {
        const td = taskDefinition({ taskDefinitionArn: TD_ARN }, { command: ["report"] });
        const snap = snapshot([], [td]);
        snap.clusters[0].scheduledTasks.push({
            source: "scheduler",
            name: "default/nightly",
            arn: "arn:aws:scheduler:us-east-1:1:schedule/default/nightly",
            scheduleExpression: "cron(0 3 * * ? *)",
            timezone: "Asia/Tokyo",
            state: "DISABLED",
            clusterArn: "",
            taskDefinitionArn: TD_ARN,
            taskCount: 2,
            input: JSON.stringify({ containerOverrides: [{ name: "app", command: ["report", "--full"] }] }),
        });
        const cron = translate(snap).workloads[0].objects.find((o) => o.kind === "CronJob") as K8sObject & { spec: Record<string, unknown> };
        assert.strictEqual(cron.metadata.name, "nightly");
        assert.deepStrictEqual([cron.spec.schedule, cron.spec.timeZone, cron.spec.suspend], ["0 3 * * *", "Asia/Tokyo", true]);
        const job = (cron.spec.jobTemplate as { spec: { parallelism: number; template: { spec: { containers: { args: string[] }[]; restartPolicy: string } } } }).spec;
        assert.strictEqual(job.parallelism, 2);
        assert.deepStrictEqual(job.template.spec.containers[0].args, ["report", "--full"]);
        assert.strictEqual(job.template.spec.restartPolicy, "Never");
    });
});

describe("translate: names", () => {
    it("makes DNS-1123 and DNS-1035 labels of anything", () => {
        assert.strictEqual(dns1123Label("consulServer"), "consul-server");
        assert.strictEqual(dns1123Label("My_App.v2"), "my-app-v2");
        assert.strictEqual(dns1123Label("--"), "x");
        assert.strictEqual(dns1035Label("3d-render"), "s-3d-render");
        const long = dns1123Label("a".repeat(80));
        assert.ok(long.length <= 63 && /^[a-z0-9-]+$/.test(long));
        assert.notStrictEqual(dns1123Label(`${"a".repeat(70)}1`), dns1123Label(`${"a".repeat(70)}2`));
    });

    it("never gives two sources the same name, and always the same name to one source", () => {
        const scope = new NameScope((t) => dns1123Label(t));
        const a = scope.claim("Web_App");
        const b = scope.claim("web-app");
        assert.notStrictEqual(a, b);
        assert.strictEqual(scope.claim("Web_App"), a);
    });

    it("makes port names IANA service names of at most 15 characters", () => {
        assert.strictEqual(portName("http", 80, "tcp"), "http");
        assert.strictEqual(portName(undefined, 8125, "udp"), "u8125");
        assert.strictEqual(portName("8080", 8080, "tcp"), "p8080");
        assert.ok(portName("a-very-long-port-name-indeed", 1, "tcp").length <= 15);
    });
});

describe("field ledger", () => {
    it("classifies every member of the SDK's TaskDefinition and Service shapes", () => {
        // The table is checked against the installed SDK in architecture.test.ts.
        const members = shapeMembers();
        assert.ok(members.length > 300, `only ${members.length} members found: the SDK schema walk is broken`);
        assert.deepStrictEqual(members.filter((m) => !LEDGER[m]), [], "unclassified SDK members: add them to migration/translate/ledger.ts");
        assert.deepStrictEqual(Object.keys(LEDGER).filter((k) => !members.includes(k)), [], "ledger entries the SDK no longer has");
    });

    it("gives a reason for every field it calls not applicable, and a suggestion for every one it reports", () => {
        for (const [member, entry] of Object.entries(LEDGER)) {
            if (entry.status === "n/a") {
                assert.ok(entry.reason.length > 10, member);
            }
            if (entry.status === "reported") {
                assert.ok(entry.suggestion.length > 10 && /^[A-Z_0-9]+$/.test(entry.code), member);
            }
        }
    });

    it("reports a field the translator does not handle itself, from the ledger", () => {
        const one = new One(taskDefinition({ enableFaultInjection: true }, { startTimeout: 120 }));
        assert.strictEqual(one.diagnostic("FAULT_INJECTION").field, "TaskDefinition.enableFaultInjection");
        assert.strictEqual(one.diagnostic("START_TIMEOUT").severity, "info");
    });

    it("carries coverage figures in the plan", () => {
        const plan = translate(readSnapshotFile(SAMPLE));
        assert.strictEqual(plan.coverage.ledgerMembers, Object.keys(LEDGER).length);
        assert.ok(plan.coverage.mapped > 100);
    });
});

describe("translate: validity", () => {
    it("emits only objects the API server accepts, for the sample shop", () => {
        const objects = allObjects(readSnapshotFile(SAMPLE));
        assert.ok(objects.length > 40);
        assert.deepStrictEqual(validateObjects(objects), []);
    });

    it("is deterministic: the same snapshot gives byte-identical plans", () => {
        const snap = readSnapshotFile(SAMPLE);
        assert.strictEqual(JSON.stringify(translate(snap)), JSON.stringify(translate(JSON.parse(JSON.stringify(snap)))));
    });

    describe("the validator catches what public converters ship", () => {
        const deployment = (containers: object[], strategy: object = { maxSurge: "25%", maxUnavailable: "25%" }, volumes: object[] = []): K8sObject => ({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "x", namespace: "n" },
            spec: { selector: { matchLabels: { app: "x" } }, strategy: { type: "RollingUpdate", rollingUpdate: strategy }, template: { metadata: { labels: { app: "x" } }, spec: { containers, volumes } } },
        });
        const expectProblem = (obj: K8sObject, pattern: RegExp) => assert.ok(validateObject(obj).some((p) => pattern.test(p)), `${JSON.stringify(validateObject(obj))} does not match ${pattern}`);

        it("a multi-port Service with unnamed ports", () => {
            expectProblem({ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80 }, { port: 81 }] } }, /needs a name on every port/);
        });
        it("a container named consulServer", () => {
            expectProblem(deployment([{ name: "consulServer", image: "x" }]), /not a DNS-1123 label/);
        });
        it("a rolling update with maxSurge and maxUnavailable both 0%", () => {
            expectProblem(deployment([{ name: "a", image: "x" }], { maxSurge: "0%", maxUnavailable: "0%" }), /cannot progress/);
        });
        it("a port name longer than 15 characters", () => {
            expectProblem(deployment([{ name: "a", image: "x", ports: [{ name: "much-too-long-port", containerPort: 80 }] }]), /IANA service name/);
        });
        it("requests above limits, two probe handlers, a mount without a volume", () => {
            const obj = deployment([
                {
                    name: "a",
                    image: "x",
                    resources: { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } },
                    livenessProbe: { exec: { command: ["true"] }, httpGet: { path: "/", port: 80 } },
                    volumeMounts: [{ name: "data", mountPath: "/data" }],
                },
            ]);
            expectProblem(obj, /above its limit/);
            expectProblem(obj, /exactly one handler/);
            expectProblem(obj, /volume mount data has no volume/);
        });
        it("a selector that does not match the template", () => {
            const obj = deployment([{ name: "a", image: "x" }]);
            ((obj.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels).app = "y";
            expectProblem(obj, /does not match the template's labels/);
        });
        it("a schema violation", () => {
            expectProblem(deployment([{ name: "a", image: "x", ports: [{ containerPort: "http" }] }]), /must be integer/);
        });
    });
});

describe("translate: property test on random and malformed input", () => {
    const name = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,30}$/), fc.string({ maxLength: 70 }));
    const port = fc.record(
        {
            name: fc.option(name, { nil: undefined }),
            containerPort: fc.option(fc.integer({ min: -5, max: 70000 }), { nil: undefined }),
            hostPort: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
            protocol: fc.option(fc.constantFrom("tcp", "udp", "sctp"), { nil: undefined }),
            containerPortRange: fc.option(fc.constant("9000-9010"), { nil: undefined }),
            appProtocol: fc.option(fc.constantFrom("http", "http2", "grpc"), { nil: undefined }),
        },
        { requiredKeys: [] },
    );
    const container: fc.Arbitrary<Json<ContainerDefinition>> = fc.record(
        {
            name,
            image: fc.option(fc.constantFrom("nginx:1.27", "registry.example.com/x/y:1"), { nil: undefined }),
            cpu: fc.option(fc.integer({ min: 0, max: 8192 }), { nil: undefined }),
            memory: fc.option(fc.integer({ min: 0, max: 16384 }), { nil: undefined }),
            memoryReservation: fc.option(fc.integer({ min: 0, max: 16384 }), { nil: undefined }),
            essential: fc.option(fc.boolean(), { nil: undefined }),
            portMappings: fc.option(fc.array(port, { maxLength: 4 }), { nil: undefined }),
            user: fc.option(fc.oneof(fc.constantFrom("0", "1000:1000", "nobody", "1000:"), fc.string({ maxLength: 8 })), { nil: undefined }),
            privileged: fc.option(fc.boolean(), { nil: undefined }),
            healthCheck: fc.option(fc.record({ command: fc.array(fc.oneof(fc.constantFrom("CMD", "CMD-SHELL", "NONE"), fc.string({ maxLength: 10 })), { maxLength: 4 }), interval: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), timeout: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }), retries: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }), startPeriod: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }) }), { nil: undefined }),
            secrets: fc.option(fc.array(fc.record({ name: fc.stringMatching(/^[A-Z_]{1,12}$/), valueFrom: fc.oneof(fc.constant(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:x-AbCdEf:key::`), fc.constant("/a/b"), fc.string({ maxLength: 30 })) }), { maxLength: 3 }), { nil: undefined }),
            mountPoints: fc.option(fc.array(fc.record({ sourceVolume: fc.constantFrom("data", "missing"), containerPath: fc.constantFrom("/data", "/x") }), { maxLength: 2 }), { nil: undefined }),
            dependsOn: fc.option(fc.array(fc.record({ containerName: name, condition: fc.constantFrom("START", "COMPLETE", "SUCCESS", "HEALTHY") }), { maxLength: 2 }), { nil: undefined }),
            linuxParameters: fc.option(fc.record({ sharedMemorySize: fc.option(fc.integer({ min: 1, max: 1024 }), { nil: undefined }), capabilities: fc.option(fc.record({ add: fc.array(fc.constantFrom("NET_ADMIN", "SYS_PTRACE", "NET_BIND_SERVICE"), { maxLength: 2 }) }), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined }),
            hostname: fc.option(name, { nil: undefined }),
            stopTimeout: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        },
        { requiredKeys: [] },
    ) as fc.Arbitrary<Json<ContainerDefinition>>;
    const td: fc.Arbitrary<TaskDefinitionSnapshot> = fc.record(
        {
            cpu: fc.option(fc.oneof(fc.constantFrom("256", "1 vCPU", "abc"), fc.integer({ min: 1, max: 16384 }).map(String)), { nil: undefined }),
            memory: fc.option(fc.oneof(fc.constantFrom("512", "2 GB", "x"), fc.integer({ min: 1, max: 65536 }).map(String)), { nil: undefined }),
            networkMode: fc.option(fc.constantFrom("awsvpc", "bridge", "host", "none"), { nil: undefined }),
            pidMode: fc.option(fc.constantFrom("host", "task"), { nil: undefined }),
            containerDefinitions: fc.array(container, { maxLength: 4 }),
            volumes: fc.option(fc.array(fc.oneof(fc.constant({ name: "data", host: {} }), fc.constant({ name: "data", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: "ENABLED" as const } }), fc.record({ name })), { maxLength: 2 }), { nil: undefined }),
        },
        { requiredKeys: ["containerDefinitions"] },
    ).map((t) => ({ ...t, taskDefinitionArn: TD_ARN, family: "app" }) as Json<TaskDefinition>);
    const svc: fc.Arbitrary<ServiceSnapshot> = fc.record(
        {
            serviceName: name,
            desiredCount: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
            schedulingStrategy: fc.option(fc.constantFrom("REPLICA", "DAEMON"), { nil: undefined }),
            deploymentConfiguration: fc.option(fc.record({ maximumPercent: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }), minimumHealthyPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }) }), { nil: undefined }),
            placementConstraints: fc.option(fc.array(fc.record({ type: fc.constantFrom("distinctInstance", "memberOf"), expression: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }) }), { maxLength: 2 }), { nil: undefined }),
            capacityProviderStrategy: fc.option(fc.array(fc.record({ capacityProvider: fc.constantFrom("FARGATE", "FARGATE_SPOT", "my-spot-asg"), weight: fc.integer({ min: 0, max: 5 }), base: fc.integer({ min: 0, max: 2 }) }), { maxLength: 2 }), { nil: undefined }),
        },
        { requiredKeys: ["serviceName"] },
    ).map((s) => ({ ...s, serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/x`, taskDefinition: TD_ARN }) as ServiceSnapshot);

    it("never throws; the output validates or the input gets an error diagnostic (1,000 cases)", () => {
        fc.assert(
            fc.property(fc.array(fc.tuple(svc, td), { minLength: 1, maxLength: 3 }), (pairs) => {
                const snap = snapshot(
                    pairs.map(([s], i) => ({ ...s, taskDefinition: `${TD_ARN}-${i}` })),
                    pairs.map(([, t], i) => ({ ...t, taskDefinitionArn: `${TD_ARN}-${i}` })),
                );
                const plan = translate(snap);
                assert.strictEqual(plan.workloads.length, pairs.length, "every service gets a plan");
                for (const w of plan.workloads) {
                    assert.ok(!w.diagnostics.some((d) => d.code === "INTERNAL_ERROR"), `internal error: ${JSON.stringify(w.diagnostics)}`);
                    const problems = validateObjects(w.objects);
                    if (problems.length > 0) {
                        assert.ok(w.diagnostics.some((d) => d.severity === "error"), `invalid output without an error diagnostic: ${problems.join("; ")}`);
                    }
                }
                assert.deepStrictEqual(validateObjects(plan.namespaces.flatMap((n) => n.objects)), []);
            }),
            { numRuns: Number(process.env.PROPERTY_RUNS ?? 1000), seed: Number(process.env.PROPERTY_SEED ?? 20261127) },
        );
    });
});

describe("ecs2eks plan", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "plan", ...args], { cwd: ROOT, encoding: "utf8" });

    it("writes valid manifests, plan.json and a readable report for the sample shop", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        try {
            const r = run("--snapshot", SAMPLE, "--out", out);
            assert.strictEqual(r.status, 0, r.stderr);
            const files = fs.readdirSync(path.join(out, "manifests")).sort();
            assert.ok(files.includes("10-web.yaml") && files.includes("10-orders.yaml") && files.includes("00-namespaces.yaml"), files.join(", "));
            const docs = files.flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(out, "manifests", f), "utf8")) as K8sObject[]);
            assert.deepStrictEqual(validateObjects(docs), []);
            const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
            assert.deepStrictEqual(Object.keys(plan).sort(), ["alarms", "capacity", "coverage", "cutover", "diagnostics", "logs", "namespaces", "planVersion", "source", "workloads"]);
            const report = fs.readFileSync(path.join(out, "report.md"), "utf8");
            assert.match(report, /^# ECS → EKS migration report/);
            assert.match(report, /## web[\s\S]*Left to do:/);
            assert.match(report, /\*\*Do:\*\*/);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("exits 1 with one line for a missing or invalid snapshot", () => {
        const missing = run("--snapshot", "nope.json", "--out", os.tmpdir());
        assert.strictEqual(missing.status, 1);
        assert.match(missing.stderr, /^error: snapshot file nope\.json does not exist/);
        const bad = path.join(os.tmpdir(), `bad-${process.pid}.json`);
        fs.writeFileSync(bad, JSON.stringify({ schemaVersion: 1, reader: { name: "x", version: "1" }, capturedAt: "t", region: "r", clusters: [{ cluster: {} }] }));
        const invalid = run("--snapshot", bad, "--out", os.tmpdir());
        assert.strictEqual(invalid.status, 1);
        assert.match(invalid.stderr, /^error: .* is not a valid ECS snapshot \(\d+ problems; .*\n  \$\.clusters\[0\]\.cluster\.clusterArn: expected a non-empty string, found nothing \(the field is missing\)\n/);
        fs.rmSync(bad);
    });
});
