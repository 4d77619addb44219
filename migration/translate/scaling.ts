/**
 * Application Auto Scaling → HPA (CPU and memory target tracking) or a KEDA
 * ScaledObject (request count, SQS, custom metrics, schedules). One
 * workload gets one of the two: KEDA makes its own HPA. Pure.
 *
 * ECS target tracking keeps `metric / target` at 1 by setting
 * replicas = ceil(current × metric / target). Each trigger is chosen so the
 * HPA's arithmetic gives the same count:
 *  - CPU and memory: ECS divides usage by the task's reservation, the HPA's
 *    Utilization divides it by the pod's requests; where those differ the
 *    target becomes the same absolute usage per pod (AverageValue).
 *  - Metrics that are already per task (ALBRequestCountPerTarget, customized
 *    metrics): external metric target type Value, which the HPA multiplies by
 *    the current replicas. The default, AverageValue, divides the metric by the
 *    replicas once more: a per-target metric would then scale in under load.
 * The CPU and memory targets are scalingResources.ts, the CloudWatch and SQS
 * triggers scalingTriggers.ts; this module picks the autoscaler and its range.
 */
import type { EcsSnapshot, TaskDefinitionSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { convertSchedule } from "./schedule";
import { PREDEFINED_RESOURCE, ResourceTarget, resourceTarget } from "./scalingResources";
import { TARGET_TRACKING_PERIOD, Trigger, TriggerContext, metricTrigger, trackingTrigger } from "./scalingTriggers";
import { K8sObject } from "./types";

export interface ScalingContext {
    /** Application Auto Scaling's resource id: service/<cluster>/<service>. */
    readonly resourceId: string;
    readonly kind: "Deployment" | "StatefulSet" | "DaemonSet";
    readonly workload: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly desiredCount: number;
    /** ECS measured CPU and memory utilization against this task definition's reservation. */
    readonly td: TaskDefinitionSnapshot;
    /** The HPA measures it against this pod spec's requests. */
    readonly podSpec: Record<string, unknown>;
    readonly snapshot: EcsSnapshot;
    readonly d: Diagnostics;
}

export interface ScalingResult {
    readonly objects: K8sObject[];
    /** The replica count the Deployment declares; absent when an autoscaler owns it. */
    readonly replicas?: number;
    /** The autoscaler's range, when one owns the replica count. */
    readonly autoscaled?: { readonly min: number; readonly max: number };
}

/** ECS's default cooldowns are 300 s. */
const DEFAULT_COOLDOWN = 300;
/** The HPA's longest stabilization window. */
const MAX_STABILIZATION = 3600;

export function translateScaling(ctx: ScalingContext): ScalingResult {
    const { snapshot, d, kind, workload, namespace, labels } = ctx;
    const target = snapshot.scaling.targets.find((t) => t.ResourceId === ctx.resourceId && t.ScalableDimension === "ecs:service:DesiredCount");
    const policies = snapshot.scaling.policies.filter((p) => p.ResourceId === ctx.resourceId);
    const actions = snapshot.scaling.scheduledActions.filter((a) => a.ResourceId === ctx.resourceId);
    if (!target) {
        return { objects: [] };
    }
    if (kind === "DaemonSet") {
        d.warn("DAEMON_SCALING", "scalableTarget", "a DAEMON service has a scalable target; a DaemonSet runs one pod per node", "remove the scalable target");
        return { objects: [] };
    }
    let min = target.MinCapacity ?? 1;
    const max = Math.max(target.MaxCapacity ?? min, 1);
    const resources: ResourceTarget[] = [];
    const triggers: Trigger[] = [];
    const auth = { name: `${workload}-aws` };
    /** Policies that became a metric, and whether each may scale in. */
    const scaleIn: { policy: string; enabled: boolean }[] = [];
    let cooldown: number | undefined;
    const t: TriggerContext = { snapshot, d, auth };

    policies.forEach((p) => {
        const field = `scalingPolicies[${p.PolicyName}]`;
        const tt = p.TargetTrackingScalingPolicyConfiguration;
        if (p.PolicyType === "TargetTrackingScaling" && tt) {
            const predefined = tt.PredefinedMetricSpecification?.PredefinedMetricType;
            const value = tt.TargetValue ?? 0;
            const resource = predefined ? PREDEFINED_RESOURCE[predefined] : undefined;
            if (resource) {
                resources.push(resourceTarget(resource, value, field, ctx));
            } else {
                const trigger = trackingTrigger(p.PolicyName ?? "", tt, value, field, t);
                if (!trigger) {
                    return;
                }
                triggers.push(trigger);
            }
            d.map(field);
            cooldown = Math.max(cooldown ?? 0, tt.ScaleInCooldown ?? DEFAULT_COOLDOWN);
            scaleIn.push({ policy: p.PolicyName ?? "", enabled: tt.DisableScaleIn !== true });
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
            const metric = { namespace: alarm.Namespace, metricName: alarm.MetricName, dimensions: alarm.Dimensions ?? [], statistic: alarm.Statistic ?? alarm.ExtendedStatistic ?? "Average", periodSeconds: alarm.Period ?? TARGET_TRACKING_PERIOD, ...(alarm.Unit ? { unit: alarm.Unit } : {}) };
            const trigger = metricTrigger(metric, alarm.Threshold ?? 1, "AverageValue", field, t);
            if (!trigger) {
                return;
            }
            triggers.push(trigger);
            d.map(field);
            cooldown = Math.max(cooldown ?? 0, p.StepScalingPolicyConfiguration?.Cooldown ?? DEFAULT_COOLDOWN);
            scaleIn.push({ policy: p.PolicyName ?? "", enabled: true });
            d.info(
                "STEP_SCALING_APPROXIMATED",
                field,
                `step scaling on alarm ${alarm.AlarmName} (${alarm.Namespace}/${alarm.MetricName} ${metric.statistic} ${alarm.ComparisonOperator} ${alarm.Threshold}) becomes a KEDA trigger with ${alarm.Threshold} per replica: replicas follow the metric instead of stepping` +
                    // The alarm kept its state through periods with too few samples for the percentile; KEDA reads them all.
                    (alarm.EvaluateLowSampleCountPercentile === "ignore" ? `; the alarm ignored ${metric.statistic} over too few samples, KEDA reads it however few` : ""),
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
        if (converted.schedule.approximation) {
            d.warn("SCHEDULE_APPROXIMATE", field, `${a.Schedule} → ${converted.schedule.cron}: ${converted.schedule.approximation}`, "check the cron trigger's start");
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
        return { objects: [], replicas: clamp(ctx.desiredCount, min, max) };
    }

    const behavior = { scaleDown: scaleDownBehavior(scaleIn, cooldown, d) };
    const autoscaler = triggers.length === 0 ? "HorizontalPodAutoscaler" : "ScaledObject";
    if (autoscaler === "HorizontalPodAutoscaler" && min < 1) {
        d.info("MIN_ZERO", "scalableTarget.MinCapacity", "an HPA cannot scale to zero; the minimum is 1", "use KEDA if the service must scale to zero");
        min = 1;
    }
    d.info(
        "REPLICAS_FROM_AUTOSCALER",
        "desiredCount",
        `the ${autoscaler} owns the replica count (${min}-${max}); the Deployment declares none, so an apply never resets a scaled-out service (ECS ran ${ctx.desiredCount} at the snapshot)`,
        `nothing to do: a new Deployment starts with 1 pod and the autoscaler raises it to ${min} at once; if ECS runs well above ${min} when you cut over, shift traffic in steps so the autoscaler follows the load`,
    );
    const range = { min, max };
    if (autoscaler === "HorizontalPodAutoscaler") {
        return {
            autoscaled: range,
            objects: [
                {
                    apiVersion: "autoscaling/v2",
                    kind: "HorizontalPodAutoscaler",
                    metadata: { name: workload, namespace, labels },
                    spec: {
                        scaleTargetRef: { apiVersion: "apps/v1", kind, name: workload },
                        minReplicas: min,
                        maxReplicas: max,
                        metrics: resources.map((r) => ({
                            type: "Resource",
                            resource: { name: r.name, target: r.type === "Utilization" ? { type: "Utilization", averageUtilization: Number(r.value) } : { type: "AverageValue", averageValue: r.value } },
                        })),
                        behavior,
                    },
                },
            ],
        };
    }
    const allTriggers: Trigger[] = [...resources.map((r) => ({ type: r.name, metricType: r.type, metadata: { value: r.value } })), ...triggers];
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
        // KEDA's operator reads CloudWatch and SQS with its own identity (pod identity provider aws, identityOwner
        // keda or workload: kedacore/keda v2.18.3 apis/keda/v1alpha1/triggerauthentication_types.go,
        // pkg/scalers/aws/aws_common.go GetAwsAuthorization).
        objects.push({
            apiVersion: "keda.sh/v1alpha1",
            kind: "TriggerAuthentication",
            metadata: { name: auth.name, namespace, labels },
            spec: { podIdentity: { provider: "aws", identityOwner: "keda" } },
        });
    }
    return { autoscaled: range, objects };
}

/**
 * Scale-in cooldown → stabilization window (the HPA keeps the highest
 * recommendation of that long). Scale-in off on every policy → scale-down off;
 * on some only, the HPA still scales in once every metric allows it.
 */
function scaleDownBehavior(scaleIn: readonly { policy: string; enabled: boolean }[], cooldown: number | undefined, d: Diagnostics): Record<string, unknown> {
    const off = scaleIn.filter((s) => !s.enabled);
    if (off.length > 0 && off.length === scaleIn.length) {
        return { selectPolicy: "Disabled" };
    }
    if (off.length > 0) {
        d.warn(
            "SCALE_IN_PARTLY_DISABLED",
            `scalingPolicies[${off[0].policy}]`,
            `policies ${off.map((s) => s.policy).join(", ")} never scaled in on ECS; the autoscaler scales in when every metric, theirs too, is below its target`,
            "if those metrics must never remove replicas, set behavior.scaleDown.selectPolicy: Disabled and scale in by hand or on a schedule",
        );
    }
    const window = cooldown ?? DEFAULT_COOLDOWN;
    if (window > MAX_STABILIZATION) {
        d.info("SCALE_IN_COOLDOWN_CAPPED", "scalingPolicies", `the scale-in cooldown of ${window} s is longer than the HPA's longest stabilization window`, `nothing to do: scale-down waits ${MAX_STABILIZATION} s`);
    }
    return { stabilizationWindowSeconds: Math.min(window, MAX_STABILIZATION) };
}

function clamp(n: number, min: number, max: number): number {
    return Math.min(Math.max(n, min), max);
}
