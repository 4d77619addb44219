/**
 * Fidelity of scaling and schedules to what ECS really did: the replica count
 * the Kubernetes autoscaler picks at a known load against the one ECS target
 * tracking picks, the times a CronJob runs against the times the AWS schedule
 * ran, and scheduled tasks' network and overrides read from an emulator.
 */
import * as assert from "assert";
import * as path from "path";
import type { ContainerDefinition, TaskDefinition } from "@aws-sdk/client-ecs";
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, RegisterTaskDefinitionCommand, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateScheduleCommand } from "@aws-sdk/client-scheduler";
import { seedClients } from "../examples/shop/clients";
import { planSecurityGroups } from "../migration/cutover/securityGroups";
import { Aws } from "../migration/ecs/aws";
import { readEcsSnapshot } from "../migration/ecs/reader";
import { EcsSnapshot, Json, ScheduledTaskSnapshot, TaskDefinitionSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { convertSchedule } from "../migration/translate/schedule";
import { translate } from "../migration/translate/translate";
import { K8sObject, WorkloadPlan } from "../migration/translate/types";
import { Moto, startMoto } from "../emulator/moto";
import { at } from "./harness";
import { ACCOUNT, CLUSTER_ARN, One, TD_ARN, service, snapshot, taskDefinition } from "./translateHarness";

process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SECRET_ACCESS_KEY = "testing";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
const RESOURCE = "service/prod/app";

// ---------------------------------------------------------------------------
// Realistic task definitions
// ---------------------------------------------------------------------------

/**
 * A Fargate web service sized the EC2 way: the task reserves 1 vCPU / 2 GiB,
 * the containers reserve less (a FireLens router and the app with a soft
 * memory limit). ECS measured utilization against the task's 1 vCPU / 2 GiB.
 */
const SIZED_WEB: TaskDefinitionSnapshot = taskDefinition(
    {
        family: "shop-web",
        cpu: "1024",
        memory: "2048",
        containerDefinitions: [
            { name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4", essential: true, cpu: 32, memoryReservation: 50, firelensConfiguration: { type: "fluentbit" } },
            {
                name: "web",
                image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop-web:4.2.0`,
                essential: true,
                cpu: 512,
                memory: 1536,
                memoryReservation: 1024,
                portMappings: [{ name: "http", containerPort: 8080, protocol: "tcp" }],
                logConfiguration: { logDriver: "awsfirelens", options: { Name: "cloudwatch_logs", region: "us-east-1", log_group_name: "/ecs/shop/web" } },
            },
        ],
    },
    {},
);

/** One container that takes the whole Fargate task: requests equal the reservation. */
const PLAIN_API: TaskDefinitionSnapshot = taskDefinition({ family: "shop-api", cpu: "512", memory: "1024" }, { name: "api", image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop-api:1.9.3` });

const TARGET = { ResourceId: RESOURCE, ScalableDimension: "ecs:service:DesiredCount", ServiceNamespace: "ecs", MinCapacity: 2, MaxCapacity: 12 };
const ALB_LABEL = "app/shop-alb/50dc6c495c0c9188/targetgroup/shop-web/943f017f100becff";

type Policy = Json<NonNullable<EcsSnapshot["scaling"]["policies"]>[number]>;

function tracking(name: string, spec: object, targetValue: number, extra: object = {}): Policy {
    return {
        PolicyName: name,
        PolicyARN: `arn:aws:autoscaling:us-east-1:${ACCOUNT}:scalingPolicy:1:resource/ecs/${RESOURCE}:policyName/${name}`,
        ResourceId: RESOURCE,
        ServiceNamespace: "ecs",
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: { TargetValue: targetValue, ScaleInCooldown: 300, ScaleOutCooldown: 60, ...spec, ...extra },
    } as Policy;
}

const predefined = (type: string, label?: string) => ({ PredefinedMetricSpecification: { PredefinedMetricType: type, ...(label ? { ResourceLabel: label } : {}) } });

function scaled(td: TaskDefinitionSnapshot, policies: Policy[], desiredCount = 4, target: object = TARGET): One {
    return new One(td, service({ desiredCount }), { scaling: { targets: [target as never], policies, scheduledActions: [] } });
}

// ---------------------------------------------------------------------------
// The two autoscalers, as each computes a replica count
// ---------------------------------------------------------------------------

/**
 * ECS target tracking (Application Auto Scaling): capacity in proportion to
 * the metric, metric / target = 1, within the scalable target's range.
 */
function ecsReplicas(current: number, metric: number, targetValue: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, Math.ceil((current * metric) / targetValue)));
}

/** What the cluster would show the autoscaler. */
interface Load {
    readonly replicas: number;
    /** Each pod's usage, in millicores and MiB. */
    readonly usage?: { readonly cpu?: number; readonly memory?: number };
    /** A CloudWatch metric as GetMetricData returns it for one statistic and period. */
    readonly cloudwatch?: (metricName: string, stat: string, periodSeconds: number) => number;
    readonly sqs?: { readonly visible: number; readonly inFlight: number };
}

const TOLERANCE = 0.1;

/** kubernetes pkg/controller/podautoscaler/replica_calculator.go: no change within 10%, else ceil(ratio × current). */
function proposal(current: number, ratio: number): number {
    return Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(ratio * current);
}

function milli(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(m|Mi|Gi)?$/.exec(q);
    assert.ok(m, `a quantity this test reads: ${q}`);
    const n = Number(m[1]);
    return m[2] === "m" ? n : m[2] === "Gi" ? n * 1024 : m[2] === "Mi" ? n : n * 1000;
}

/** The pod's requests as the HPA sums them: containers and native sidecars; the HPA fails without one. */
function podRequests(podSpec: unknown, resource: "cpu" | "memory"): number {
    const containers = [...((at(podSpec, "containers") as unknown[]) ?? []), ...((at(podSpec, "initContainers") as unknown[]) ?? []).filter((c) => at(c, "restartPolicy") === "Always")];
    return containers.reduce<number>((sum, c) => {
        const q = at(c, `resources.requests.${resource}`) as string | undefined;
        assert.ok(q, `the HPA cannot compute ${resource} utilization: container ${String(at(c, "name"))} requests no ${resource}`);
        return sum + milli(q);
    }, 0);
}

interface MetricTarget {
    readonly type: string;
    readonly averageUtilization?: number;
    readonly averageValue?: string;
}

/** The replica count the HPA (its own, or KEDA's) picks for the workload at this load. */
function kubernetesReplicas(objects: readonly K8sObject[], load: Load): number {
    const deployment = objects.find((o) => o.kind === "Deployment");
    const podSpec = at(deployment, "spec.template.spec");
    const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler");
    const so = objects.find((o) => o.kind === "ScaledObject");
    assert.ok(hpa || so, "an autoscaler");
    const n = load.replicas;
    const resource = (name: "cpu" | "memory", target: MetricTarget): number => {
        const usage = load.usage?.[name];
        assert.ok(usage !== undefined, `the load gives ${name} usage`);
        if (target.type === "Utilization") {
            return proposal(n, ((usage / podRequests(podSpec, name)) * 100) / (target.averageUtilization as number));
        }
        assert.strictEqual(target.type, "AverageValue");
        return proposal(n, usage / milli(target.averageValue as string));
    };
    /** External metrics: Value is multiplied by the replicas, AverageValue divides the metric by them. */
    const external = (value: number, targetValue: number, metricType: string | undefined): number =>
        (metricType ?? "AverageValue") === "Value" ? proposal(n, value / targetValue) : proposal(n, value / (targetValue * n));
    const proposals: number[] = [];
    if (hpa) {
        for (const m of at(hpa, "spec.metrics") as { type: string; resource: { name: "cpu" | "memory"; target: MetricTarget } }[]) {
            assert.strictEqual(m.type, "Resource");
            proposals.push(resource(m.resource.name, m.resource.target));
        }
    } else {
        for (const t of at(so, "spec.triggers") as { type: string; metricType?: string; metadata: Record<string, string> }[]) {
            if (t.type === "cpu" || t.type === "memory") {
                proposals.push(resource(t.type, { type: t.metricType ?? "", ...(t.metricType === "Utilization" ? { averageUtilization: Number(t.metadata.value) } : { averageValue: t.metadata.value }) }));
            } else if (t.type === "aws-cloudwatch") {
                // kedacore/keda v2.18.3 pkg/scalers/aws_cloudwatch_scaler.go defaults: metricStat Average, metricStatPeriod 300.
                const value = (load.cloudwatch as NonNullable<Load["cloudwatch"]>)(t.metadata.metricName, t.metadata.metricStat ?? "Average", Number(t.metadata.metricStatPeriod ?? 300));
                proposals.push(external(value, Number(t.metadata.targetMetricValue), t.metricType));
            } else if (t.type === "aws-sqs-queue") {
                const sqs = load.sqs as NonNullable<Load["sqs"]>;
                // kedacore/keda v2.18.3 pkg/scalers/aws_sqs_queue_scaler.go: in-flight messages count unless scaleOnInFlight is false.
                const value = sqs.visible + (t.metadata.scaleOnInFlight === "false" ? 0 : sqs.inFlight);
                proposals.push(external(value, Number(t.metadata.queueLength ?? 5), t.metricType));
            } else {
                assert.fail(`a trigger this test does not model: ${t.type}`);
            }
        }
    }
    const min = Number(at(hpa ?? so, hpa ? "spec.minReplicas" : "spec.minReplicaCount"));
    const max = Number(at(hpa ?? so, hpa ? "spec.maxReplicas" : "spec.maxReplicaCount"));
    return Math.min(max, Math.max(min, ...proposals));
}

/** ECS's reservation of the task: what its utilization metrics divide by (millicores, MiB). */
function reservation(td: TaskDefinitionSnapshot): { cpu: number; memory: number } {
    return { cpu: (Number(td.cpu) * 1000) / 1024, memory: Number(td.memory) };
}

// ---------------------------------------------------------------------------

describe("fidelity: a Deployment scaled by an HPA or ScaledObject carries no spec.replicas", () => {
    it("leaves the replica count of a scaled-out service to its HPA, which starts at the ECS minimum", () => {
        // At the snapshot the service ran 9 tasks: a peak. Declaring 9 (or 3) would reset it on every apply.
        const one = scaled(SIZED_WEB, [tracking("web-cpu", predefined("ECSServiceAverageCPUUtilization"), 60)], 9, { ...TARGET, MinCapacity: 3 });
        const spec = one.get("Deployment", "spec") as Record<string, unknown>;
        assert.ok(!("replicas" in spec), `no spec.replicas, found ${String(spec.replicas)}`);
        assert.deepStrictEqual([one.get("HorizontalPodAutoscaler", "spec.minReplicas"), one.get("HorizontalPodAutoscaler", "spec.maxReplicas")], [3, 12]);
        const d = one.diagnostic("REPLICAS_FROM_AUTOSCALER");
        assert.match(d.message, /HorizontalPodAutoscaler owns the replica count \(3-12\).*ECS ran 9/);
        assert.match(d.suggestion, /raises it to 3/);
    });

    it("leaves it to a KEDA ScaledObject just the same", () => {
        const one = scaled(SIZED_WEB, [tracking("web-requests", predefined("ALBRequestCountPerTarget", ALB_LABEL), 1000)], 7);
        assert.ok(!("replicas" in (one.get("Deployment", "spec") as object)));
        assert.strictEqual(one.get("ScaledObject", "spec.minReplicaCount"), 2);
        assert.match(one.diagnostic("REPLICAS_FROM_AUTOSCALER").message, /ScaledObject owns/);
    });

    it("declares the desired count when no autoscaler owns it: a scalable target without policies, or none", () => {
        const fixed = scaled(SIZED_WEB, [], 1);
        assert.strictEqual(fixed.get("Deployment", "spec.replicas"), 2, "the desired count raised into the target's range, as ECS does");
        assert.strictEqual(fixed.has("HorizontalPodAutoscaler") || fixed.has("ScaledObject"), false);
        assert.strictEqual(new One(SIZED_WEB, service({ desiredCount: 5 })).get("Deployment", "spec.replicas"), 5);
    });

    it("in the sample shop: exactly the Deployments without an autoscaler declare replicas", () => {
        const plan = translate(readSnapshotFile(SAMPLE));
        const rows = plan.workloads.flatMap((w) =>
            w.objects
                .filter((o) => o.kind === "Deployment")
                .map((o) => {
                    const owner = w.objects.find((x) => ["HorizontalPodAutoscaler", "ScaledObject"].includes(x.kind) && at(x, "spec.scaleTargetRef.name") === o.metadata.name);
                    return [o.metadata.name, owner?.kind ?? "none", at(o, "spec.replicas") ?? "absent"];
                }),
        );
        assert.deepStrictEqual(rows, [
            ["cart", "ScaledObject", "absent"],
            ["catalog", "none", 2],
            ["media", "none", 2],
            ["orders", "HorizontalPodAutoscaler", "absent"],
            ["web", "HorizontalPodAutoscaler", "absent"],
            ["worker", "ScaledObject", "absent"],
        ]);
    });

    /** policy/v1: how many pods an eviction may take at this count (percentages of minAvailable round up). */
    function disruptionsAllowed(pdb: K8sObject, pods: number): number {
        const maxUnavailable = at(pdb, "spec.maxUnavailable");
        if (maxUnavailable !== undefined) {
            return Math.min(pods, Number(maxUnavailable));
        }
        const minAvailable = String(at(pdb, "spec.minAvailable"));
        const keep = minAvailable.endsWith("%") ? Math.ceil((Number(minAvailable.slice(0, -1)) / 100) * pods) : Number(minAvailable);
        return Math.max(0, pods - keep);
    }

    it("sizes the PodDisruptionBudget for the autoscaler's range, so no count between min and max blocks a node drain", () => {
        const rolling = { deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50 } };
        const cases = [
            { min: 1, max: 10, expect: { maxUnavailable: 1 } },
            { min: 4, max: 10, expect: { minAvailable: "50%" } },
        ];
        for (const c of cases) {
            const one = new One(SIZED_WEB, service({ desiredCount: 6, ...rolling }), {
                scaling: { targets: [{ ...TARGET, MinCapacity: c.min, MaxCapacity: c.max } as never], policies: [tracking("cpu", predefined("ECSServiceAverageCPUUtilization"), 60)], scheduledActions: [] },
            });
            const pdb = one.object("PodDisruptionBudget");
            const { selector: _s, ...budget } = pdb.spec as Record<string, unknown>;
            assert.deepStrictEqual(budget, c.expect, `min ${c.min}`);
            for (let pods = c.min; pods <= c.max; pods++) {
                assert.ok(disruptionsAllowed(pdb, pods) >= 1, `min ${c.min}: at ${pods} pods a drain can evict one`);
                // ECS kept minimumHealthyPercent of the desired count (rounded up) while it replaced tasks.
                assert.ok(pods - disruptionsAllowed(pdb, pods) >= Math.ceil(pods * 0.5) || pods === 1, `at ${pods} pods at least half stay`);
            }
        }
        const plan = translate(readSnapshotFile(SAMPLE));
        for (const w of plan.workloads) {
            const pdb = w.objects.find((o) => o.kind === "PodDisruptionBudget");
            const owner = w.objects.find((o) => ["HorizontalPodAutoscaler", "ScaledObject"].includes(o.kind));
            const fewest = owner ? Math.max(1, Number(at(owner, owner.kind === "ScaledObject" ? "spec.minReplicaCount" : "spec.minReplicas"))) : Number(at(w.objects.find((o) => o.kind === "Deployment"), "spec.replicas"));
            if (pdb) {
                assert.ok(disruptionsAllowed(pdb, fewest) >= 1, `${w.name}: a drain can evict a pod at ${fewest} pods`);
            }
        }
    });
});

// ---------------------------------------------------------------------------

describe("fidelity: scaling metrics keep their meaning", () => {
    const loads = [25, 60, 90, 150, 400];
    const replicaCounts = [2, 4, 7];

    for (const [metric, resource] of [
        ["ECSServiceAverageCPUUtilization", "cpu"],
        ["ECSServiceAverageMemoryUtilization", "memory"],
    ] as const) {
        for (const [label, td] of [
            ["containers sized below the task", SIZED_WEB],
            ["one container taking the whole task", PLAIN_API],
        ] as const) {
            it(`${metric}, ${label}: the HPA picks the replicas ECS would at every load`, () => {
                const targetValue = resource === "cpu" ? 60 : 75;
                const one = scaled(td, [tracking("util", predefined(metric), targetValue)]);
                const reserved = reservation(td)[resource];
                for (const replicas of replicaCounts) {
                    for (const percent of loads) {
                        // Each task (pod) uses `percent` of what ECS reserved for it.
                        const load: Load = { replicas, usage: { [resource]: (reserved * percent) / 100 } };
                        assert.strictEqual(kubernetesReplicas(one.workload.objects, load), ecsReplicas(replicas, percent, targetValue, 2, 12), `${replicas} pods at ${percent}%`);
                    }
                }
            });
        }
    }

    it("keeps Utilization where the requests are the reservation, and says why it does not elsewhere", () => {
        const plain = scaled(PLAIN_API, [tracking("cpu", predefined("ECSServiceAverageCPUUtilization"), 60)]);
        assert.deepStrictEqual(plain.get("HorizontalPodAutoscaler", "spec.metrics.0.resource.target"), { type: "Utilization", averageUtilization: 60 });
        const sized = scaled(SIZED_WEB, [tracking("cpu", predefined("ECSServiceAverageCPUUtilization"), 60)]);
        // 60% of the task's 1 vCPU, whatever the containers request.
        assert.deepStrictEqual(sized.get("HorizontalPodAutoscaler", "spec.metrics.0.resource.target"), { type: "AverageValue", averageValue: "600m" });
        assert.match(sized.diagnostic("UTILIZATION_AS_AVERAGE_VALUE").message, /against the task's 1000m.*60% becomes the same usage per pod: 600m/);
    });

    it("a CPU policy on an EC2 task that reserves no CPU is reported: the HPA needs a request on every container", () => {
        const ec2 = taskDefinition({ family: "legacy-api", requiresCompatibilities: ["EC2"], networkMode: "bridge", cpu: undefined, memory: undefined }, { name: "api", memory: 512 });
        const one = scaled(ec2, [tracking("cpu", predefined("ECSServiceAverageCPUUtilization"), 60)]);
        assert.match(one.diagnostic("UTILIZATION_WITHOUT_REQUESTS").message, /neither the task definition nor the pod's containers reserve cpu/);
        assert.throws(() => kubernetesReplicas(one.workload.objects, { replicas: 2, usage: { cpu: 300 } }), /requests no cpu/);
    });

    /** ALB request counts per target group: per target, and the total the targets share. */
    const albLoad = (replicas: number, perTarget: number): Load => ({
        replicas,
        cloudwatch: (metricName, stat, periodSeconds) => {
            assert.strictEqual(stat, "Sum", "request counts are summed over the period, as ECS's ALBRequestCountPerTarget is");
            const minutes = periodSeconds / 60;
            if (metricName === "RequestCountPerTarget") {
                return perTarget * minutes;
            }
            assert.strictEqual(metricName, "RequestCount");
            return perTarget * replicas * minutes;
        },
    });

    it("ALBRequestCountPerTarget: the ScaledObject picks the replicas ECS would at every load", () => {
        const targetValue = 1000;
        const one = scaled(SIZED_WEB, [tracking("requests", predefined("ALBRequestCountPerTarget", ALB_LABEL), targetValue)]);
        for (const replicas of replicaCounts) {
            for (const perTarget of [250, 1000, 1500, 4000, 12000]) {
                assert.strictEqual(kubernetesReplicas(one.workload.objects, albLoad(replicas, perTarget)), ecsReplicas(replicas, perTarget, targetValue, 2, 12), `${replicas} pods, ${perTarget} requests per target per minute`);
            }
        }
    });

    it("ALBRequestCountPerTarget: the per-target metric with metricType Value is right, and dividing it by the replicas again is not", () => {
        const one = scaled(SIZED_WEB, [tracking("requests", predefined("ALBRequestCountPerTarget", ALB_LABEL), 1000)]);
        const trigger = one.get("ScaledObject", "spec.triggers.0") as { metricType: string; metadata: Record<string, string> };
        assert.strictEqual(trigger.metricType, "Value");
        assert.deepStrictEqual([trigger.metadata.metricName, trigger.metadata.dimensionName, trigger.metadata.dimensionValue, trigger.metadata.metricStat, trigger.metadata.metricStatPeriod], [
            "RequestCountPerTarget",
            "TargetGroup",
            "targetgroup/shop-web/943f017f100becff",
            "Sum",
            "60",
        ]);
        // 4 tasks at 1500 requests per target per minute, target 1000: ECS runs 6.
        const load = albLoad(4, 1500);
        const withTrigger = (metricType: string, metricName: string) => [
            ...one.workload.objects.filter((o) => o.kind !== "ScaledObject"),
            { ...one.object("ScaledObject"), spec: { ...(one.object("ScaledObject").spec as object), triggers: [{ ...trigger, metricType, metadata: { ...trigger.metadata, metricName } }] } },
        ];
        assert.strictEqual(ecsReplicas(4, 1500, 1000, 2, 12), 6);
        assert.strictEqual(kubernetesReplicas(withTrigger("Value", "RequestCountPerTarget"), load), 6, "per target, multiplied by the replicas");
        assert.strictEqual(kubernetesReplicas(withTrigger("AverageValue", "RequestCount"), load), 6, "the total, divided by the replicas: the same");
        assert.strictEqual(kubernetesReplicas(withTrigger("AverageValue", "RequestCountPerTarget"), load), 2, "per target divided again: scales in at a peak");
        // KEDA's default period is 300 s: a five-minute sum against a one-minute target would scale out five times over.
        const { metricStatPeriod: _p, ...fiveMinutes } = trigger.metadata;
        const defaultPeriod = [...one.workload.objects.filter((o) => o.kind !== "ScaledObject"), { ...one.object("ScaledObject"), spec: { ...(one.object("ScaledObject").spec as object), triggers: [{ ...trigger, metadata: fiveMinutes }] } }];
        assert.strictEqual(kubernetesReplicas(defaultPeriod, load), 12);
    });

    it("customized CloudWatch metrics: per task, so the trigger multiplies by the replicas as ECS did", () => {
        const custom = { CustomizedMetricSpecification: { Namespace: "Shop/Orders", MetricName: "InFlightRequestsPerTask", Dimensions: [{ Name: "Service", Value: "orders" }], Statistic: "Average" } };
        const one = scaled(SIZED_WEB, [tracking("in-flight", custom, 20)]);
        for (const replicas of replicaCounts) {
            for (const perTask of [5, 20, 35, 90]) {
                const load: Load = {
                    replicas,
                    cloudwatch: (metricName, stat) => {
                        assert.deepStrictEqual([metricName, stat], ["InFlightRequestsPerTask", "Average"]);
                        return perTask;
                    },
                };
                assert.strictEqual(kubernetesReplicas(one.workload.objects, load), ecsReplicas(replicas, perTask, 20, 2, 12), `${replicas} pods at ${perTask}`);
            }
        }
    });

    it("SQS queue depth: visible messages only, multiplied by the replicas as ECS did", () => {
        const queue = { CustomizedMetricSpecification: { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", Dimensions: [{ Name: "QueueName", Value: "shop-orders" }], Statistic: "Average" } };
        const one = scaled(SIZED_WEB, [tracking("queue", queue, 100)], 4, { ...TARGET, MinCapacity: 1, MaxCapacity: 40 });
        assert.strictEqual(one.get("ScaledObject", "spec.triggers.0.type"), "aws-sqs-queue");
        for (const replicas of replicaCounts) {
            for (const visible of [20, 100, 250, 900]) {
                // Messages being worked on are not in ECS's metric.
                const load: Load = { replicas, sqs: { visible, inFlight: replicas * 10 } };
                assert.strictEqual(kubernetesReplicas(one.workload.objects, load), ecsReplicas(replicas, visible, 100, 1, 40), `${replicas} pods, ${visible} visible`);
            }
        }
    });

    it("several policies: the autoscaler takes the highest count, as Application Auto Scaling does", () => {
        const one = scaled(SIZED_WEB, [tracking("cpu", predefined("ECSServiceAverageCPUUtilization"), 60), tracking("requests", predefined("ALBRequestCountPerTarget", ALB_LABEL), 1000)]);
        const cpu = reservation(SIZED_WEB).cpu;
        const load = (cpuPercent: number, perTarget: number): Load => ({ ...albLoad(4, perTarget), usage: { cpu: (cpu * cpuPercent) / 100 } });
        for (const [cpuPercent, perTarget] of [
            [90, 500],
            [30, 2500],
            [20, 300],
        ]) {
            const ecs = Math.max(ecsReplicas(4, cpuPercent, 60, 2, 12), ecsReplicas(4, perTarget, 1000, 2, 12));
            assert.strictEqual(kubernetesReplicas(one.workload.objects, load(cpuPercent, perTarget)), ecs, `cpu ${cpuPercent}%, ${perTarget} per target`);
        }
    });

    it("scale-in: cooldowns become the stabilization window; scale-in disabled everywhere disables scale-down", () => {
        const cpu = predefined("ECSServiceAverageCPUUtilization");
        const behavior = (policies: Policy[]) => scaled(SIZED_WEB, policies).get("HorizontalPodAutoscaler", "spec.behavior.scaleDown");
        assert.deepStrictEqual(behavior([tracking("cpu", cpu, 60, { ScaleInCooldown: 120 })]), { stabilizationWindowSeconds: 120 });
        assert.deepStrictEqual(behavior([tracking("cpu", cpu, 60, { ScaleInCooldown: undefined })]), { stabilizationWindowSeconds: 300 }, "ECS's default scale-in cooldown");
        assert.deepStrictEqual(behavior([tracking("cpu", cpu, 60, { ScaleInCooldown: 7200 })]), { stabilizationWindowSeconds: 3600 }, "the HPA's longest window");
        assert.deepStrictEqual(behavior([tracking("cpu", cpu, 60, { DisableScaleIn: true }), tracking("mem", predefined("ECSServiceAverageMemoryUtilization"), 70, { DisableScaleIn: true })]), { selectPolicy: "Disabled" });
        const partly = scaled(SIZED_WEB, [tracking("cpu", cpu, 60, { DisableScaleIn: true }), tracking("mem", predefined("ECSServiceAverageMemoryUtilization"), 70)]);
        assert.deepStrictEqual(partly.get("HorizontalPodAutoscaler", "spec.behavior.scaleDown"), { stabilizationWindowSeconds: 300 });
        assert.match(partly.diagnostic("SCALE_IN_PARTLY_DISABLED").message, /policies cpu never scaled in on ECS/);
    });

    it("every trigger is one KEDA 2.18.3 accepts: minMetricValue and dimensions given, a collection time that is a multiple of the period", () => {
        const plans = [
            translate(readSnapshotFile(SAMPLE)),
            scaled(SIZED_WEB, [
                tracking("requests", predefined("ALBRequestCountPerTarget", ALB_LABEL), 1000),
                tracking("latency", { CustomizedMetricSpecification: { Namespace: "Shop", MetricName: "QueueWait", Dimensions: [{ Name: "Service", Value: "web" }], Statistic: "Maximum", Unit: "Seconds" } }, 2),
            ]).plan,
        ];
        const triggers = plans.flatMap((p) => p.workloads.flatMap((w) => w.objects.filter((o) => o.kind === "ScaledObject").flatMap((o) => at(o, "spec.triggers") as { type: string; metricType?: string; metadata: Record<string, string> }[])));
        const cloudwatch = triggers.filter((t) => t.type === "aws-cloudwatch");
        assert.ok(cloudwatch.length >= 2 && triggers.some((t) => t.type === "aws-sqs-queue"));
        for (const t of cloudwatch) {
            const m = t.metadata;
            // kedacore/keda v2.18.3 pkg/scalers/aws_cloudwatch_scaler.go: minMetricValue has no default; Validate refuses
            // a metric without dimensionName/dimensionValue or with counts that differ. metricStat is not checked since 2.18.
            assert.ok(m.minMetricValue !== undefined, `${m.metricName}: minMetricValue is required`);
            assert.ok(m.dimensionName && m.dimensionValue, `${m.metricName}: dimensionName and dimensionValue are required`);
            assert.strictEqual(m.dimensionName.split(";").length, m.dimensionValue.split(";").length, `${m.metricName}: as many dimension values as names`);
            const period = Number(m.metricStatPeriod ?? 300);
            assert.ok([1, 5, 10, 30].includes(period) || period % 60 === 0, `${m.metricName}: period ${period}`);
            assert.strictEqual(Number(m.metricCollectionTime ?? 300) % period, 0, `${m.metricName}: collection time`);
            assert.ok(m.awsRegion, "awsRegion is required");
        }
        for (const t of triggers.filter((x) => x.type.startsWith("aws-"))) {
            assert.ok(t.metricType === "Value" || t.metricType === "AverageValue", `${t.type}: KEDA refuses Utilization on external metrics`);
        }
        for (const t of triggers.filter((x) => x.type === "aws-sqs-queue")) {
            assert.match(t.metadata.queueLength, /^\d+$/, "queueLength is an integer");
        }
    });

    /** A step scaling policy acting on one CloudWatch alarm. */
    function stepScaled(alarm: object): One {
        const policyArn = `arn:aws:autoscaling:us-east-1:${ACCOUNT}:scalingPolicy:2:resource/ecs/${RESOURCE}:policyName/latency-burst`;
        return new One(SIZED_WEB, service({ desiredCount: 2 }), {
            scaling: {
                targets: [TARGET as never],
                policies: [{ PolicyName: "latency-burst", PolicyARN: policyArn, ResourceId: RESOURCE, PolicyType: "StepScaling", StepScalingPolicyConfiguration: { Cooldown: 120 } }] as never,
                scheduledActions: [],
                alarms: [{ AlarmName: "web-p99-high", AlarmActions: [policyArn], Period: 60, Threshold: 0.5, ComparisonOperator: "GreaterThanThreshold", ...alarm }],
            },
        });
    }
    const P99_ALARM = {
        Namespace: "AWS/ApplicationELB",
        MetricName: "TargetResponseTime",
        Dimensions: [
            { Name: "LoadBalancer", Value: "app/shop-alb/50dc6c495c0c9188" },
            { Name: "TargetGroup", Value: "targetgroup/shop-web/943f017f100becff" },
        ],
        ExtendedStatistic: "p99",
    };

    it("a percentile alarm's step policy reads the alarm's percentile over its period (KEDA 2.18 reads extended statistics)", () => {
        const one = stepScaled(P99_ALARM);
        assert.deepStrictEqual(one.get("ScaledObject", "spec.triggers.0.metadata"), {
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensionName: "LoadBalancer;TargetGroup",
            dimensionValue: "app/shop-alb/50dc6c495c0c9188;targetgroup/shop-web/943f017f100becff",
            targetMetricValue: "0.5",
            minMetricValue: "0",
            metricStat: "p99",
            metricStatPeriod: "60",
            awsRegion: "us-east-1",
        });
        assert.strictEqual(one.has("TriggerAuthentication"), true);
        // KEDA asks CloudWatch for what the alarm evaluated: the p99 of each minute, not an average.
        const read: string[] = [];
        const load: Load = { replicas: 2, cloudwatch: (metricName, stat, period) => (read.push(`${metricName} ${stat} ${period}`), 2.0) };
        assert.strictEqual(kubernetesReplicas(one.workload.objects, load), 4, "2 s at 0.5 s per replica");
        assert.deepStrictEqual(read, ["TargetResponseTime p99 60"]);
        assert.match(one.diagnostic("STEP_SCALING_APPROXIMATED").message, /TargetResponseTime p99 GreaterThanThreshold 0\.5/);
        assert.doesNotMatch(one.diagnostic("STEP_SCALING_APPROXIMATED").message, /too few samples/);
    });

    it("a percentile alarm that ignored sparse data says KEDA does not", () => {
        const one = stepScaled({ ...P99_ALARM, EvaluateLowSampleCountPercentile: "ignore" });
        assert.strictEqual(one.get("ScaledObject", "spec.triggers.0.metadata.metricStat"), "p99");
        assert.match(one.diagnostic("STEP_SCALING_APPROXIMATED").message, /the alarm ignored p99 over too few samples, KEDA reads it however few/);
    });

    it("a metric without dimensions is reported, not emitted: KEDA's scaler refuses it", () => {
        const one = stepScaled({ Namespace: "Shop", MetricName: "CheckoutLatency", Statistic: "Maximum" });
        assert.strictEqual(one.has("ScaledObject"), false);
        const diagnostic = one.diagnostic("SCALING_METRIC_DIMENSIONS");
        assert.strictEqual(diagnostic.severity, "warning");
        assert.match(diagnostic.message, /Shop\/CheckoutLatency has no dimensions/);
        assert.match(diagnostic.suggestion, /SELECT MAX\(CheckoutLatency\) FROM SCHEMA\("Shop"\)/);
        assert.strictEqual(one.get("Deployment", "spec.replicas"), 2, "no autoscaler, so the Deployment keeps the count");
        // No Metrics Insights function reads a percentile: the suggestion does not offer one.
        const p99 = stepScaled({ Namespace: "Shop", MetricName: "CheckoutLatency", ExtendedStatistic: "p99" });
        assert.match(p99.diagnostic("SCALING_METRIC_DIMENSIONS").suggestion, /cannot read p99/);
        const tracked = scaled(SIZED_WEB, [tracking("backlog", { CustomizedMetricSpecification: { Namespace: "Shop", MetricName: "Backlog", Statistic: "Average" } }, 50)]);
        assert.match(tracked.diagnostic("SCALING_METRIC_DIMENSIONS").suggestion, /SELECT AVG\(Backlog\) FROM SCHEMA\("Shop"\)/);
    });
});

// ---------------------------------------------------------------------------
// Schedules: when each side runs
// ---------------------------------------------------------------------------

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** The values of a list of values, ranges and steps within [min, max]; names by position from `first`. */
function values(field: string, min: number, max: number, names: readonly string[] = [], first = min): Set<number> {
    const out = new Set<number>();
    const num = (t: string) => (names.includes(t.toUpperCase()) ? names.indexOf(t.toUpperCase()) + first : Number(t));
    for (const item of field.split(",")) {
        const [range, step] = item.split("/");
        let [lo, hi] = range === "*" || range === "?" ? [min, max] : range.split("-").map(num);
        if (hi === undefined) {
            hi = step !== undefined ? max : lo;
        }
        assert.ok(lo >= min && hi <= max && lo <= hi, `${item} within ${min}-${max}`);
        for (let v = lo; v <= hi; v += Number(step ?? 1)) {
            out.add(v);
        }
    }
    return out;
}

/** AWS cron(m h dom mon dow year), as EventBridge documents it: day-of-week 1 = SUNDAY, `?`, `L`, `#`. */
function awsRuns(expression: string): (t: Date) => boolean {
    const [minute, hour, dom, month, dow, year] = /^cron\((.*)\)$/.exec(expression)?.[1].split(" ") ?? [];
    const minutes = values(minute, 0, 59);
    const hours = values(hour, 0, 23);
    const months = values(month, 1, 12, MONTH_NAMES, 1);
    const years = year === "*" ? undefined : values(year, 1970, 2199);
    const days = dom === "?" ? undefined : values(dom, 1, 31);
    const weekday = (t: Date): boolean => {
        const day = t.getUTCDay() + 1;
        const daysInMonth = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
        return dow.split(",").some((item) => {
            if (item === "L") {
                return day === 7;
            }
            const nth = /^(\w+)#(\d)$/.exec(item);
            if (nth) {
                return values(nth[1], 1, 7, DAY_NAMES, 1).has(day) && Math.ceil(t.getUTCDate() / 7) === Number(nth[2]);
            }
            const last = /^(\w+)L$/.exec(item);
            if (last) {
                return values(last[1], 1, 7, DAY_NAMES, 1).has(day) && t.getUTCDate() + 7 > daysInMonth;
            }
            if (/^\w+-\w+$/.test(item)) {
                // Quartz ranges wrap around the week: FRI-MON.
                const [a, b] = item.split("-").map((x) => [...values(x, 1, 7, DAY_NAMES, 1)][0]);
                return a <= b ? day >= a && day <= b : day >= a || day <= b;
            }
            return values(item, 1, 7, DAY_NAMES, 1).has(day);
        });
    };
    return (t) =>
        minutes.has(t.getUTCMinutes()) &&
        hours.has(t.getUTCHours()) &&
        months.has(t.getUTCMonth() + 1) &&
        (years === undefined || years.has(t.getUTCFullYear())) &&
        (days === undefined ? weekday(t) : days.has(t.getUTCDate()));
}

/**
 * A 5-field schedule as Kubernetes' CronJob controller and KEDA read it
 * (robfig/cron v3 parser.go and spec.go): day-of-week 0 = SUNDAY, 7 is an
 * error, `N/step` means N-max/step, and day-of-month and day-of-week are ORed
 * unless one of them starts with `*` or `?` without a step.
 */
function cronRuns(cron: string): (t: Date) => boolean {
    const [minute, hour, dom, month, dow] = cron.split(" ");
    assert.strictEqual(cron.split(" ").length, 5, cron);
    const star = (f: string) => f.split(",").some((item) => /^[*?](\/1)?$/.test(item));
    const minutes = values(minute, 0, 59);
    const hours = values(hour, 0, 23);
    const days = values(dom, 1, 31);
    const months = values(month, 1, 12, MONTH_NAMES, 1);
    const weekdays = values(dow, 0, 6, DAY_NAMES, 0);
    return (t) => {
        const domMatch = days.has(t.getUTCDate());
        const dowMatch = weekdays.has(t.getUTCDay());
        const dayMatch = star(dom) || star(dow) ? domMatch && dowMatch : domMatch || dowMatch;
        return minutes.has(t.getUTCMinutes()) && hours.has(t.getUTCHours()) && months.has(t.getUTCMonth() + 1) && dayMatch;
    };
}

/** Every minute that `runs` says in the first months of each year (2026 and 2027 unless told). */
function runTimes(runs: (t: Date) => boolean, months = 4, years: readonly number[] = [2026, 2027]): number[] {
    const out: number[] = [];
    for (const year of years) {
        for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year, months, 1); t += 60000) {
            if (runs(new Date(t))) {
                out.push(t);
            }
        }
    }
    return out;
}

function converted(expression: string) {
    const r = convertSchedule(expression);
    assert.ok(r.ok, `${expression}: ${r.ok ? "" : r.reason}`);
    return r.schedule;
}

describe("fidelity: a schedule runs when ECS ran it", function () {
    this.timeout(60000);

    for (const [expression, cron] of [
        ["cron(0 12 ? * MON-FRI *)", "0 12 * * MON-FRI"],
        ["cron(0/15 * * * ? *)", "*/15 * * * *"],
        ["cron(15 10 ? * 2-6 *)", "15 10 * * 1-5"],
        ["cron(0 0 ? * 1 *)", "0 0 * * 0"],
        ["cron(0 0 ? * 1,7 *)", "0 0 * * 0,6"],
        ["cron(0 6 ? * 2/2 *)", "0 6 * * 1-6/2"],
        ["cron(0 6 ? * */2 *)", "0 6 * * */2"],
        ["cron(30 6 ? * L *)", "30 6 * * SAT"],
        ["cron(0 9 ? * FRI-MON *)", "0 9 * * FRI-6,0-MON"],
        ["cron(5/10 8-17 ? JAN-MAR MON-FRI *)", "5-59/10 8-17 * JAN-MAR MON-FRI"],
        ["cron(0 8 1/5 * ? *)", "0 8 */5 * *"],
        ["cron(0 2 * * ? *)", "0 2 * * *"],
    ] as const) {
        it(`${expression} → ${cron}: exactly the same runs`, () => {
            const s = converted(expression);
            assert.strictEqual(s.cron, cron);
            assert.strictEqual(s.approximation, undefined);
            const aws = runTimes(awsRuns(expression));
            assert.ok(aws.length > 0);
            assert.deepStrictEqual(runTimes(cronRuns(s.cron)), aws);
        });
    }

    it("reads EventBridge's day-of-week 1 as Sunday, where cron's Sunday is 0", () => {
        const runs = runTimes(cronRuns(converted("cron(0 0 ? * 1 *)").cron));
        assert.ok(runs.length > 0 && runs.every((t) => new Date(t).getUTCDay() === 0));
        assert.ok(runTimes(cronRuns(converted("cron(0 0 ? * 7 *)").cron)).every((t) => new Date(t).getUTCDay() === 6));
    });

    for (const [expression, cron, says] of [
        ["cron(0 0 ? * 6#3 *)", "0 0 * * 5", /day-of-week 6#3 \(the third Friday of the month\) becomes every Friday: the CronJob runs 4-5 times a month instead of once/],
        ["cron(0 22 ? * 2L *)", "0 22 * * 1", /2L \(the last Monday of the month\) becomes every Monday/],
        ["cron(0 0 ? * FRI#1 *)", "0 0 * * FRI", /the first Friday of the month\) becomes every Friday/],
    ] as const) {
        it(`${expression} → ${cron}: reported, running on a superset of the AWS days, 4-5 times a month`, () => {
            const s = converted(expression);
            assert.strictEqual(s.cron, cron);
            assert.match(s.approximation ?? "", says);
            const aws = runTimes(awsRuns(expression));
            const k8s = runTimes(cronRuns(s.cron));
            assert.ok(aws.length >= 8 && aws.every((t) => k8s.includes(t)), "every AWS run is a CronJob run");
            const perMonth = (runs: number[]) => [...new Set(runs.map((t) => new Date(t).toISOString().slice(0, 7)))].map((m) => runs.filter((t) => new Date(t).toISOString().startsWith(m)).length);
            assert.deepStrictEqual([...new Set(perMonth(aws))], [1]);
            assert.ok(perMonth(k8s).every((n) => n === 4 || n === 5));
        });
    }

    it("a year field is reported: the CronJob runs every year", () => {
        assert.match(converted("cron(0 0 1 1 ? 2027)").approximation ?? "", /year field 2027 is dropped/);
    });

    it("last day and nearest weekday of the month are not guessed: the reason says how to do it by hand", () => {
        for (const e of ["cron(0 0 L * ? *)", "cron(0 9 15W * ? *)", "cron(0 9 LW * ? *)"]) {
            const r = convertSchedule(e);
            assert.strictEqual(r.ok, false, e);
            assert.match((r as { reason: string }).reason, /cron on Kubernetes cannot say; schedule days 28-31/);
        }
    });

    /** Gaps between consecutive runs, in minutes, and runs per unit. */
    function gaps(runs: number[]): Set<number> {
        return new Set(runs.slice(1).map((t, i) => (t - runs[i]) / 60000));
    }

    it("rates that divide the hour, the day or the week run at that interval", () => {
        for (const [expression, minutes] of [
            ["rate(1 minute)", 1],
            ["rate(5 minutes)", 5],
            ["rate(20 minutes)", 20],
            ["rate(2 hours)", 120],
            ["rate(180 minutes)", 180],
            ["rate(1 day)", 1440],
            ["rate(24 hours)", 1440],
            ["rate(7 days)", 10080],
        ] as const) {
            const s = converted(expression);
            assert.strictEqual(s.approximation, undefined, expression);
            assert.deepStrictEqual([...gaps(runTimes(cronRuns(s.cron), minutes > 1440 ? 4 : 1, [2026]))], [minutes], expression);
            assert.match(s.note ?? "", /counted .* from when the schedule was created; the CronJob runs on the clock/);
        }
    });

    it("rates cron cannot keep are reported with the runs the CronJob really makes", () => {
        const seven = converted("rate(7 minutes)");
        assert.strictEqual(seven.cron, "*/7 * * * *");
        assert.match(seven.approximation ?? "", /9 runs an hour instead of 8\.6, the last one 4 minutes before the next/);
        const sevenRuns = runTimes(cronRuns(seven.cron), 1, [2026]);
        assert.deepStrictEqual([...gaps(sevenRuns)].sort((a, b) => a - b), [4, 7]);
        assert.strictEqual(sevenRuns.filter((t) => t < Date.UTC(2026, 0, 1, 1)).length, 9);

        const ninety = converted("rate(90 minutes)");
        assert.strictEqual(ninety.cron, "0 */2 * * *");
        assert.match(ninety.approximation ?? "", /every 90 minutes \(16 runs a day\) becomes every 2 hours \(12 runs a day\)/);
        assert.strictEqual(runTimes(cronRuns(ninety.cron), 1, [2026]).filter((t) => t < Date.UTC(2026, 0, 2)).length, 12);

        const five = converted("rate(5 hours)");
        assert.strictEqual(five.cron, "0 */5 * * *");
        assert.match(five.approximation ?? "", /5 runs a day instead of 4\.8, the last one 4 hours before midnight/);
        assert.deepStrictEqual([...gaps(runTimes(cronRuns(five.cron), 1, [2026]))].sort((a, b) => a - b), [240, 300]);

        for (const [expression, cron] of [
            ["rate(5 days)", "0 0 */5 * *"],
            ["rate(14 days)", "0 0 */14 * *"],
        ] as const) {
            const s = converted(expression);
            assert.strictEqual(s.cron, cron);
            // The message's numbers are those of the runs, over a common and a leap year.
            const runs = runTimes(cronRuns(s.cron), 12, [2027, 2028]);
            const byMonth = new Map<string, number>();
            runs.forEach((t) => byMonth.set(new Date(t).toISOString().slice(0, 7), (byMonth.get(new Date(t).toISOString().slice(0, 7)) ?? 0) + 1));
            const counts = [...byMonth.values()];
            const monthEnds = runs.slice(1).map((t, i) => (t - runs[i]) / 86400000).filter((_g, i) => new Date(runs[i + 1]).getUTCDate() === 1);
            const span = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}-${Math.max(...xs)}`);
            assert.match(s.approximation ?? "", new RegExp(`a month's last run comes ${span(monthEnds)} days before the next and the CronJob runs ${span(counts)} times a month`), expression);
        }
        assert.match(converted("rate(30 days)").approximation ?? "", /the 1st of every month: months are 28-31 days long/);
        assert.match(converted("rate(36 hours)").approximation ?? "", /^every 36 hours becomes every 2 days; every 2 days becomes days 1, 3/);
    });

    it("in a schedule's translation: exact runs are mapped, approximations are warnings, the rate's start is a note", () => {
        const td = taskDefinition({ family: "report" }, { name: "report", command: ["report"] });
        const plan = (scheduleExpression: string) => {
            const snap = snapshot([], [td]);
            snap.clusters[0].scheduledTasks.push({ source: "eventbridge", name: "report/run", arn: "arn:aws:events:us-east-1:1:rule/report", scheduleExpression, state: "ENABLED", clusterArn: CLUSTER_ARN, taskDefinitionArn: TD_ARN, taskCount: 1 });
            return translate(snap).workloads[0];
        };
        const codes = (w: WorkloadPlan) => w.diagnostics.filter((d) => /^SCHEDULE($|_)/.test(d.code)).map((d) => `${d.code}:${d.severity}`);
        assert.deepStrictEqual(codes(plan("cron(0 12 ? * MON-FRI *)")), []);
        assert.deepStrictEqual(codes(plan("cron(0 0 ? * 6#3 *)")), ["SCHEDULE_APPROXIMATE:warning"]);
        assert.deepStrictEqual(codes(plan("rate(7 minutes)")), ["SCHEDULE_APPROXIMATE:warning", "SCHEDULE_RATE_START:info"]);
        assert.deepStrictEqual(codes(plan("cron(0 0 L * ? *)")), ["SCHEDULE:error"]);
        assert.strictEqual(plan("cron(0 0 L * ? *)").objects.some((o) => o.kind === "CronJob"), false);
    });
});

// ---------------------------------------------------------------------------
// Scheduled tasks: network configuration and overrides
// ---------------------------------------------------------------------------

const EXPORT_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecs/billing-export-task`;
const WAREHOUSE_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecs/billing-warehouse-writer`;

/** A nightly billing export: the job and an OpenTelemetry collector beside it. */
const EXPORT_CONTAINERS: Json<ContainerDefinition>[] = [
    {
        name: "export",
        image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/billing-export:2.4.1`,
        essential: true,
        command: ["export", "--since", "1d"],
        environment: [
            { name: "EXPORT_FORMAT", value: "csv" },
            { name: "EXPORT_BUCKET", value: "billing-exports" },
        ],
        cpu: 256,
        memory: 1024,
    },
    { name: "otel", image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", essential: false, cpu: 64, memoryReservation: 128 },
];
const EXPORT_TD: Json<TaskDefinition> = {
    taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/billing-export:3`,
    family: "billing-export",
    revision: 3,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "512",
    memory: "2048",
    taskRoleArn: EXPORT_ROLE,
    containerDefinitions: EXPORT_CONTAINERS,
};

/** The RunTask overrides a month-end run passes: a bigger task, another output and the warehouse role. */
const MONTH_END_OVERRIDES = {
    containerOverrides: [
        {
            name: "export",
            command: ["export", "--since", "31d", "--full"],
            environment: [
                { name: "EXPORT_FORMAT", value: "parquet" },
                { name: "EXPORT_TARGET", value: "warehouse" },
            ],
            cpu: 1536,
            memory: 6144,
        },
    ],
    cpu: "2048",
    memory: "8192",
    taskRoleArn: WAREHOUSE_ROLE,
};

function exportSnapshot(task: Partial<ScheduledTaskSnapshot>): EcsSnapshot {
    const snap = snapshot([], [EXPORT_TD], {
        roles: [
            { arn: EXPORT_ROLE, name: "billing-export-task", path: "/ecs/", assumeRolePolicy: {}, attachedPolicies: [], inlinePolicies: [{ name: "read-ledger", awsManaged: false, document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:Query", Resource: "*" }] } }] },
            { arn: WAREHOUSE_ROLE, name: "billing-warehouse-writer", path: "/ecs/", assumeRolePolicy: {}, attachedPolicies: [], inlinePolicies: [{ name: "write-warehouse", awsManaged: false, document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "redshift-data:ExecuteStatement", Resource: "*" }] } }] },
        ],
    });
    snap.clusters[0].scheduledTasks.push({
        source: "eventbridge",
        name: "billing-month-end/export",
        arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/billing-month-end`,
        scheduleExpression: "cron(0 3 1 * ? *)",
        state: "ENABLED",
        clusterArn: CLUSTER_ARN,
        taskDefinitionArn: EXPORT_TD.taskDefinitionArn ?? "",
        taskCount: 1,
        launchType: "FARGATE",
        ...task,
    });
    return snap;
}

function cronJobOf(w: WorkloadPlan): { container: (name: string) => Record<string, unknown>; podLabels: Record<string, string> } {
    const cron = w.objects.find((o) => o.kind === "CronJob");
    assert.ok(cron, `a CronJob: ${w.diagnostics.map((d) => d.code).join(", ")}`);
    const spec = at(cron, "spec.jobTemplate.spec.template.spec");
    const all = [...((at(spec, "initContainers") as Record<string, unknown>[]) ?? []), ...((at(spec, "containers") as Record<string, unknown>[]) ?? [])];
    return {
        container: (name) => {
            const c = all.find((x) => x.name === name);
            assert.ok(c, `container ${name}`);
            return c;
        },
        podLabels: at(cron, "spec.jobTemplate.spec.template.metadata.labels") as Record<string, string>,
    };
}

describe("fidelity: scheduled tasks keep their network configuration and overrides", () => {
    it("runs the task as the schedule starts it: command, environment, sizes and task role overridden", () => {
        const w = translate(exportSnapshot({ overrides: MONTH_END_OVERRIDES })).workloads[0];
        const job = cronJobOf(w);
        const exp = job.container("export");
        assert.deepStrictEqual(exp.args, ["export", "--since", "31d", "--full"]);
        // ECS adds override variables and replaces those of the same name.
        assert.deepStrictEqual(exp.env, [
            { name: "EXPORT_FORMAT", value: "parquet" },
            { name: "EXPORT_BUCKET", value: "billing-exports" },
            { name: "EXPORT_TARGET", value: "warehouse" },
        ]);
        assert.deepStrictEqual([at(exp, "resources.requests.cpu"), at(exp, "resources.limits.memory")], ["1500m", "6144Mi"]);
        // The collector keeps the task definition's sizes.
        assert.strictEqual(at(job.container("otel"), "resources.requests.cpu"), "63m");
        // The override's role is cloned, not the task definition's.
        assert.strictEqual(w.role?.sourceRoleArn, WAREHOUSE_ROLE);
        assert.deepStrictEqual(w.role?.policies.map((p) => p.name), ["write-warehouse"]);
        assert.ok(w.mapped.includes("overrides.containerOverrides") && w.mapped.includes("overrides.taskRoleArn"));
    });

    it("task-level cpu and memory overrides size the containers that do not size themselves", () => {
        const { containerOverrides: _c, ...taskOnly } = MONTH_END_OVERRIDES;
        const td = { ...EXPORT_TD, containerDefinitions: EXPORT_CONTAINERS.map(({ cpu: _cpu, memory: _m, memoryReservation: _r, ...c }) => c) };
        const snap = exportSnapshot({ overrides: taskOnly });
        (snap as { taskDefinitions: TaskDefinitionSnapshot[] }).taskDefinitions = [td];
        const job = cronJobOf(translate(snap).workloads[0]);
        const cpu = ["export", "otel"].map((c) => at(job.container(c), "resources.requests.cpu") as string).reduce((n, q) => n + milli(q), 0);
        const memory = ["export", "otel"].map((c) => at(job.container(c), "resources.requests.memory") as string).reduce((n, q) => n + milli(q), 0);
        assert.ok(Math.abs(cpu - 2000) <= 2, `the 2 vCPU of the override shared: ${cpu}m`);
        assert.ok(Math.abs(memory - 8192) <= 2, `the 8 GiB of the override shared: ${memory}Mi`);
    });

    it("gives the CronJob's pods the target's security groups through a SecurityGroupPolicy", () => {
        const w = translate(
            exportSnapshot({ networkConfiguration: { awsvpcConfiguration: { Subnets: ["subnet-0a1b2c3d4e5f60718"], SecurityGroups: ["sg-0f1e2d3c4b5a69788", "sg-0a1b2c3d4e5f60718"], AssignPublicIp: "ENABLED" } } }),
        ).workloads[0];
        const sgp = w.objects.find((o) => o.kind === "SecurityGroupPolicy");
        assert.ok(sgp);
        assert.deepStrictEqual(at(sgp, "spec.securityGroups.groupIds"), ["sg-0a1b2c3d4e5f60718", "sg-0f1e2d3c4b5a69788"]);
        const selector = at(sgp, "spec.podSelector.matchLabels") as Record<string, string>;
        const podLabels = cronJobOf(w).podLabels;
        assert.ok(Object.entries(selector).every(([k, v]) => podLabels[k] === v), "the policy selects the job's pods");
        assert.deepStrictEqual(w.securityGroupIds, ["sg-0a1b2c3d4e5f60718", "sg-0f1e2d3c4b5a69788"], "the migration clones them");
        assert.deepStrictEqual(
            w.diagnostics.filter((d) => ["PUBLIC_IP", "SUBNETS"].includes(d.code)).map((d) => d.code),
            ["SUBNETS", "PUBLIC_IP"],
        );
    });

    it("reads the overrides of snapshots written before they were parsed, and reports input that is not overrides", () => {
        const legacy = translate(exportSnapshot({ input: JSON.stringify(MONTH_END_OVERRIDES) })).workloads[0];
        assert.deepStrictEqual(cronJobOf(legacy).container("export").args, ["export", "--since", "31d", "--full"]);
        assert.strictEqual(legacy.role?.sourceRoleArn, WAREHOUSE_ROLE);
        const text = translate(exportSnapshot({ input: "month-end" })).workloads[0];
        assert.strictEqual(text.diagnostics.find((d) => d.code === "SCHEDULE_INPUT")?.severity, "warning");
        assert.deepStrictEqual(cronJobOf(text).container("export").args, ["export", "--since", "1d"]);
    });

    it("reports an override of a container the task definition does not have (ECS refuses such a run)", () => {
        const w = translate(exportSnapshot({ overrides: { containerOverrides: [{ name: "exporter", command: ["x"] }] } })).workloads[0];
        assert.match(w.diagnostics.find((d) => d.code === "SCHEDULE_OVERRIDE_CONTAINER")?.message ?? "", /container "exporter", which task definition billing-export:3 does not have/);
        assert.deepStrictEqual(cronJobOf(w).container("export").args, ["export", "--since", "1d"]);
    });
});

describe("fidelity: the reader keeps a schedule's network configuration and overrides (moto)", function () {
    this.timeout(120000);
    let moto: Moto;
    let read: EcsSnapshot;
    const ids = { vpc: "", subnets: [] as string[], jobSg: "", exportTd: "" };

    before(async () => {
        moto = await startMoto();
        const c = seedClients(moto.endpoint);
        ids.vpc = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }))).Vpc?.VpcId ?? "";
        for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
            ids.subnets.push((await c.ec2.send(new CreateSubnetCommand({ VpcId: ids.vpc, CidrBlock: `10.20.${i + 1}.0/24`, AvailabilityZone: az }))).Subnet?.SubnetId ?? "");
        }
        // A group only the schedule wears: no service would bring it into the snapshot.
        ids.jobSg = (await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: "billing-export-job", Description: "Billing export: to the ledger database", VpcId: ids.vpc }))).GroupId ?? "";
        await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: ids.jobSg, IpPermissions: [{ IpProtocol: "tcp", FromPort: 4317, ToPort: 4317, IpRanges: [{ CidrIp: "10.20.0.0/16", Description: "OTLP from the VPC" }] }] }));
        const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
        for (const [name, action] of [
            ["billing-export-task", "dynamodb:Query"],
            ["billing-warehouse-writer", "redshift-data:ExecuteStatement"],
        ]) {
            await c.iam.send(new CreateRoleCommand({ RoleName: name, Path: "/ecs/", AssumeRolePolicyDocument: trust }));
            await c.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "access", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] }) }));
        }
        await c.ecs.send(new CreateClusterCommand({ clusterName: "billing" }));
        const { taskDefinitionArn: _a, revision: _r, ...register } = EXPORT_TD;
        ids.exportTd =
            (await c.ecs.send(new RegisterTaskDefinitionCommand({ ...(register as RegisterTaskDefinitionCommandInput), containerDefinitions: EXPORT_CONTAINERS as ContainerDefinition[] }))).taskDefinition?.taskDefinitionArn ?? "";
        const clusterArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/billing`;
        const network = { awsvpcConfiguration: { Subnets: ids.subnets, SecurityGroups: [ids.jobSg], AssignPublicIp: "DISABLED" as const } };
        await c.events.send(new PutRuleCommand({ Name: "billing-month-end", ScheduleExpression: "cron(0 3 1 * ? *)", State: "ENABLED" }));
        await c.events.send(
            new PutTargetsCommand({
                Rule: "billing-month-end",
                Targets: [
                    {
                        Id: "export",
                        Arn: clusterArn,
                        RoleArn: `arn:aws:iam::${ACCOUNT}:role/ecs-events`,
                        EcsParameters: { TaskDefinitionArn: ids.exportTd, TaskCount: 1, LaunchType: "FARGATE", NetworkConfiguration: network },
                        Input: JSON.stringify({ ...MONTH_END_OVERRIDES, taskRoleArn: WAREHOUSE_ROLE }),
                    },
                ],
            }),
        );
        await c.scheduler.send(
            new CreateScheduleCommand({
                Name: "billing-weekday-export",
                ScheduleExpression: "cron(0 12 ? * MON-FRI *)",
                ScheduleExpressionTimezone: "Europe/Dublin",
                FlexibleTimeWindow: { Mode: "OFF" },
                Target: {
                    Arn: clusterArn,
                    RoleArn: `arn:aws:iam::${ACCOUNT}:role/ecs-events`,
                    EcsParameters: { TaskDefinitionArn: ids.exportTd, TaskCount: 1, LaunchType: "FARGATE", NetworkConfiguration: network },
                    Input: JSON.stringify({ containerOverrides: [{ name: "export", environment: [{ name: "EXPORT_FORMAT", value: "json" }], environmentFiles: [{ type: "s3", value: "arn:aws:s3:::billing-config/export.env" }] }] }),
                },
            }),
        );
        const aws = new Aws({ region: "us-east-1", endpoint: moto.endpoint });
        try {
            read = await readEcsSnapshot(aws, { clusters: ["billing"], now: () => new Date("2026-11-27T12:00:00.000Z") });
        } finally {
            aws.destroy();
        }
    });
    after(async () => {
        await moto?.stop();
    });

    it("stores each target's security groups, subnets and RunTask overrides", () => {
        const tasks = read.clusters[0].scheduledTasks;
        assert.deepStrictEqual(tasks.map((t) => [t.source, t.name, t.scheduleExpression]), [
            ["eventbridge", "billing-month-end/export", "cron(0 3 1 * ? *)"],
            ["scheduler", "default/billing-weekday-export", "cron(0 12 ? * MON-FRI *)"],
        ]);
        for (const t of tasks) {
            assert.deepStrictEqual(t.networkConfiguration?.awsvpcConfiguration?.SecurityGroups, [ids.jobSg]);
            assert.deepStrictEqual([...(t.networkConfiguration?.awsvpcConfiguration?.Subnets ?? [])].sort(), [...ids.subnets].sort());
            assert.strictEqual(t.input, undefined, "the input is stored as overrides");
        }
        assert.deepStrictEqual(tasks[0].overrides, MONTH_END_OVERRIDES);
        assert.deepStrictEqual(tasks[1].overrides?.containerOverrides?.[0].environmentFiles, [{ type: "s3", value: "arn:aws:s3:::billing-config/export.env" }]);
    });

    it("reads what the overrides and the network need: the override's role and the schedule's own security group", () => {
        assert.deepStrictEqual(read.roles.map((r) => r.arn).sort(), [EXPORT_ROLE, WAREHOUSE_ROLE]);
        const sg = read.securityGroups.find((g) => g.GroupId === ids.jobSg);
        assert.strictEqual(sg?.IpPermissions?.[0].FromPort, 4317);
    });

    it("translates into CronJobs that run as the schedules ran, with the security group cloned for their pods", () => {
        const plan = translate(read);
        const [monthEnd, weekday] = plan.workloads;
        assert.deepStrictEqual(at(monthEnd.objects.find((o) => o.kind === "CronJob"), "spec.schedule"), "0 3 1 * *");
        assert.deepStrictEqual(cronJobOf(monthEnd).container("export").args, ["export", "--since", "31d", "--full"]);
        assert.strictEqual(monthEnd.role?.sourceRoleArn, WAREHOUSE_ROLE);
        assert.deepStrictEqual(monthEnd.role?.policies.map((p) => p.name), ["access"]);
        assert.deepStrictEqual([at(weekday.objects.find((o) => o.kind === "CronJob"), "spec.schedule"), at(weekday.objects.find((o) => o.kind === "CronJob"), "spec.timeZone")], ["0 12 * * MON-FRI", "Europe/Dublin"]);
        assert.ok((cronJobOf(weekday).container("export").env as { name: string; value: string }[]).some((e) => e.name === "EXPORT_FORMAT" && e.value === "json"));
        assert.ok(weekday.diagnostics.some((d) => d.code === "ENVIRONMENT_FILES"), "the override's S3 environment file is reported like the task definition's");
        for (const w of [monthEnd, weekday]) {
            assert.deepStrictEqual(at(w.objects.find((o) => o.kind === "SecurityGroupPolicy"), "spec.securityGroups.groupIds"), [ids.jobSg]);
        }
        const clones = planSecurityGroups(read, plan.workloads);
        assert.deepStrictEqual(clones.clones.map((c) => [c.sourceId, c.rules.filter((r) => r.direction === "ingress").map((r) => `${r.protocol} ${r.fromPort} ${r.cidrIpv4}`)]), [[ids.jobSg, ["tcp 4317 10.20.0.0/16"]]]);
    });
});
