/**
 * Application Auto Scaling → HPA (CPU and memory target tracking) or a KEDA
 * ScaledObject (request count, SQS, custom metrics, schedules). One
 * workload gets one of the two: KEDA makes its own HPA. Pure.
 */
import type { EcsSnapshot } from "../ecs/snapshot";
import { Diagnostics } from "./diagnostics";
import { convertSchedule } from "./schedule";
import { K8sObject } from "./types";

export interface ScalingResult {
    readonly objects: K8sObject[];
    /** The replica count to start with (within the scalable target's range). */
    readonly replicas?: number;
}

interface Trigger {
    readonly type: string;
    readonly metadata: Record<string, string>;
    readonly metricType?: string;
    readonly authenticationRef?: { name: string };
}

const PREDEFINED_RESOURCE: Readonly<Record<string, "cpu" | "memory">> = {
    ECSServiceAverageCPUUtilization: "cpu",
    ECSServiceAverageMemoryUtilization: "memory",
};

export function translateScaling(
    resourceId: string,
    kind: "Deployment" | "DaemonSet",
    workload: string,
    namespace: string,
    labels: Record<string, string>,
    desiredCount: number,
    snapshot: EcsSnapshot,
    d: Diagnostics,
): ScalingResult {
    const target = snapshot.scaling.targets.find((t) => t.ResourceId === resourceId && t.ScalableDimension === "ecs:service:DesiredCount");
    const policies = snapshot.scaling.policies.filter((p) => p.ResourceId === resourceId);
    const actions = snapshot.scaling.scheduledActions.filter((a) => a.ResourceId === resourceId);
    if (!target) {
        return { objects: [] };
    }
    if (kind === "DaemonSet") {
        d.warn("DAEMON_SCALING", "scalableTarget", "a DAEMON service has a scalable target; a DaemonSet runs one pod per node", "remove the scalable target");
        return { objects: [] };
    }
    let min = target.MinCapacity ?? 1;
    const max = Math.max(target.MaxCapacity ?? min, 1);
    const resources: { name: "cpu" | "memory"; value: number }[] = [];
    const triggers: Trigger[] = [];
    const auth = { name: `${workload}-aws` };
    let scaleInCooldown = 0;
    /** A KEDA trigger on a CloudWatch metric; SQS queue depth gets KEDA's own SQS scaler. */
    const metricTrigger = (namespace: string, metricName: string, dims: readonly { Name?: string; Value?: string }[], target: number, statistic: string): Trigger => {
        if (namespace === "AWS/SQS" && metricName === "ApproximateNumberOfMessagesVisible" && dims.length === 1 && dims[0].Name === "QueueName") {
            return {
                type: "aws-sqs-queue",
                metadata: { queueURL: `https://sqs.${snapshot.region}.amazonaws.com/${accountOf(snapshot)}/${dims[0].Value}`, queueLength: String(Math.max(1, Math.round(target))), awsRegion: snapshot.region, identityOwner: "operator" },
                authenticationRef: auth,
            };
        }
        return {
            type: "aws-cloudwatch",
            metadata: {
                namespace,
                metricName,
                ...(dims.length > 0 ? { dimensionName: dims.map((x) => x.Name).join(";"), dimensionValue: dims.map((x) => x.Value).join(";") } : {}),
                targetMetricValue: String(target),
                metricStat: statistic,
                awsRegion: snapshot.region,
                identityOwner: "operator",
            },
            authenticationRef: auth,
        };
    };
    let scaleInDisabled = false;

    policies.forEach((p) => {
        const field = `scalingPolicies[${p.PolicyName}]`;
        const tt = p.TargetTrackingScalingPolicyConfiguration;
        if (p.PolicyType === "TargetTrackingScaling" && tt) {
            scaleInCooldown = Math.max(scaleInCooldown, tt.ScaleInCooldown ?? 300);
            scaleInDisabled ||= tt.DisableScaleIn === true;
            const predefined = tt.PredefinedMetricSpecification?.PredefinedMetricType;
            const value = tt.TargetValue ?? 0;
            if (predefined && PREDEFINED_RESOURCE[predefined]) {
                resources.push({ name: PREDEFINED_RESOURCE[predefined], value: Math.max(1, Math.round(value)) });
                d.map(field);
            } else if (predefined === "ALBRequestCountPerTarget") {
                const label = tt.PredefinedMetricSpecification?.ResourceLabel ?? "";
                const tgDimension = label.split("/").slice(-3).join("/");
                triggers.push({
                    type: "aws-cloudwatch",
                    metadata: { namespace: "AWS/ApplicationELB", metricName: "RequestCountPerTarget", dimensionName: "TargetGroup", dimensionValue: tgDimension, targetMetricValue: String(value), metricStat: "Sum", metricStatPeriod: "60", awsRegion: snapshot.region, identityOwner: "operator" },
                    authenticationRef: auth,
                });
                d.map(field);
                d.info("REQUEST_COUNT_TARGET_GROUP", field, "scaling follows the request count of the ECS target group", "once traffic has moved, point the trigger's dimensionValue at the EKS target group");
            } else if (tt.CustomizedMetricSpecification) {
                const m = tt.CustomizedMetricSpecification;
                const trigger = m.MetricName && m.Namespace ? metricTrigger(m.Namespace, m.MetricName, m.Dimensions ?? [], value, m.Statistic ?? "Average") : undefined;
                if (trigger) {
                    triggers.push(trigger);
                } else {
                    d.warn("METRIC_MATH", field, `policy ${p.PolicyName} scales on a metric math expression`, "write the KEDA aws-cloudwatch trigger with an expression by hand");
                    return;
                }
                d.map(field);
            } else {
                d.warn("SCALING_METRIC", field, `policy ${p.PolicyName} tracks ${predefined ?? "an unknown metric"}`, "add a KEDA trigger for that metric by hand");
            }
        } else if (p.PolicyType === "StepScaling") {
            const alarms = (snapshot.scaling.alarms ?? []).filter((a) => (a.AlarmActions ?? []).includes(p.PolicyARN ?? ""));
            // The scale-out alarm says what load means; its threshold becomes the per-replica target.
            const alarm = alarms.find((a) => /^GreaterThan/.test(a.ComparisonOperator ?? "")) ?? alarms[0];
            if (!alarm?.MetricName || !alarm.Namespace) {
                const names = (p.Alarms ?? []).map((a) => a.AlarmName).join(", ");
                d.warn(
                    "STEP_SCALING",
                    field,
                    `step scaling policy ${p.PolicyName} acts on CloudWatch alarm ${names || "(none found)"}, whose metric the snapshot does not hold`,
                    "add a KEDA aws-cloudwatch trigger on the alarm's metric with its threshold as targetMetricValue",
                );
                return;
            }
            triggers.push(metricTrigger(alarm.Namespace, alarm.MetricName, alarm.Dimensions ?? [], alarm.Threshold ?? 1, alarm.Statistic ?? "Average"));
            d.map(field);
            d.info(
                "STEP_SCALING_APPROXIMATED",
                field,
                `step scaling on alarm ${alarm.AlarmName} (${alarm.Namespace}/${alarm.MetricName} ${alarm.ComparisonOperator} ${alarm.Threshold}) becomes a KEDA trigger with ${alarm.Threshold} per replica: replicas follow the metric instead of stepping`,
                "check the trigger's target value against the steps you had",
            );
        } else {
            d.warn("SCALING_POLICY", field, `policy ${p.PolicyName} of type ${p.PolicyType} is not carried over`, "add the equivalent HPA metric or KEDA trigger by hand");
        }
    });

    actions.forEach((a) => {
        const field = `scheduledActions[${a.ScheduledActionName}]`;
        const converted = a.Schedule ? convertSchedule(a.Schedule, a.Timezone) : { ok: false as const, reason: "it has no schedule" };
        if (!converted.ok || a.ScalableTargetAction?.MinCapacity === undefined) {
            d.warn("SCHEDULED_SCALING", field, `scheduled action ${a.ScheduledActionName} is not carried over: ${converted.ok ? "it sets no minimum" : converted.reason}`, "add a KEDA cron trigger by hand");
            return;
        }
        const [, hour, ...rest] = converted.schedule.cron.split(" ");
        // ECS keeps the capacity until another action changes it; KEDA's cron holds it from start to end:
        // the end of that day, or of that hour for hourly schedules.
        const end = `59 ${/^\d+$/.test(hour) ? "23" : hour} ${rest.join(" ")}`;
        triggers.push({
            type: "cron",
            metadata: { timezone: converted.schedule.timeZone, start: converted.schedule.cron, end, desiredReplicas: String(a.ScalableTargetAction.MinCapacity) },
        });
        d.map(field);
        d.info("SCHEDULED_SCALING_END", field, `ECS kept the minimum of ${a.ScalableTargetAction.MinCapacity} from ${a.Schedule} until the next action; the cron trigger holds it until ${end}`, "set the trigger's end to when the capacity should drop");
    });

    if (resources.length === 0 && triggers.length === 0) {
        if (policies.length === 0 && actions.length === 0) {
            d.info("SCALING_FIXED", "scalableTarget", `a scalable target (${min}-${max}) without policies`, "nothing to do: replicas stay at the desired count");
        }
        return { objects: [], replicas: clamp(desiredCount, min, max) };
    }
    const replicas = clamp(desiredCount, min, max);
    const behavior = {
        scaleDown: scaleInDisabled ? { selectPolicy: "Disabled" } : { stabilizationWindowSeconds: Math.min(scaleInCooldown, 3600) },
    };
    if (triggers.length === 0) {
        if (min < 1) {
            d.info("MIN_ZERO", "scalableTarget.MinCapacity", "an HPA cannot scale to zero; the minimum is 1", "use KEDA if the service must scale to zero");
            min = 1;
        }
        return {
            replicas,
            objects: [
                {
                    apiVersion: "autoscaling/v2",
                    kind: "HorizontalPodAutoscaler",
                    metadata: { name: workload, namespace, labels },
                    spec: {
                        scaleTargetRef: { apiVersion: "apps/v1", kind, name: workload },
                        minReplicas: min,
                        maxReplicas: max,
                        metrics: resources.map((r) => ({ type: "Resource", resource: { name: r.name, target: { type: "Utilization", averageUtilization: r.value } } })),
                        behavior,
                    },
                },
            ],
        };
    }
    const allTriggers = [...resources.map((r) => ({ type: r.name, metricType: "Utilization", metadata: { value: String(r.value) } })), ...triggers];
    const objects: K8sObject[] = [
        {
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata: { name: workload, namespace, labels },
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind, name: workload },
                minReplicaCount: min,
                maxReplicaCount: max,
                advanced: { horizontalPodAutoscalerConfig: { behavior } },
                triggers: allTriggers,
            },
        },
    ];
    if (triggers.some((t) => t.authenticationRef)) {
        objects.push({
            apiVersion: "keda.sh/v1alpha1",
            kind: "TriggerAuthentication",
            metadata: { name: auth.name, namespace, labels },
            spec: { podIdentity: { provider: "aws", identityOwner: "keda" } },
        });
    }
    return { replicas, objects };
}

function clamp(n: number, min: number, max: number): number {
    return Math.min(Math.max(n, min), max);
}

/** The account of the estate, from any ARN in the snapshot. */
function accountOf(snapshot: EcsSnapshot): string {
    return snapshot.clusters[0]?.cluster.clusterArn?.split(":")[4] ?? "000000000000";
}
