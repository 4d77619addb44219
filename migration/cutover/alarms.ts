/**
 * The EKS twins of the alarms that watched the ECS services: same statistic,
 * threshold, periods, comparison, missing-data treatment and actions, on the
 * metric that says the same thing on EKS. ECS service metrics become
 * Container Insights pod metrics (namespace ContainerInsights, dimensions
 * ClusterName, Namespace, PodName — the workload's name, which Container
 * Insights gives the pods of a Deployment); a target group's ALB metrics
 * become the same metric of the service's EKS target group (canary.ts).
 * What has no twin is reported. Pure.
 *
 * Metric names and dimensions: CloudWatch User Guide, "Amazon EKS and
 * Kubernetes Container Insights metrics" (Container-Insights-metrics-EKS).
 */
import type { AlarmSnapshot, EcsSnapshot } from "../../core/snapshot";
import type { Diagnostic, MigrationPlan, WorkloadPlan } from "../translate/types";
import type { CanaryPlan, CutoverDiagnostic } from "./canary";
import type { CutoverPlan } from "./index";

/** Stands for the EKS cluster's name until the component knows it. */
export const EKS_CLUSTER_DIMENSION = "<eks-cluster>";
/** Stands for the EKS target group's ARN suffix until the component creates it. */
export const EKS_TARGET_GROUP_DIMENSION = "<eks-target-group>";

export interface AlarmPlan {
    /** The twin's name: the ECS alarm's, with -eks. */
    readonly name: string;
    readonly sourceAlarm: string;
    readonly namespace: string;
    readonly workload: string;
    readonly ecsService: string;
    readonly description: string;
    readonly metric: { readonly namespace: string; readonly metricName: string; readonly dimensions: Readonly<Record<string, string>> };
    /** The canary whose target group the twin watches (its listener rule's priority). */
    readonly canary?: { readonly ecsTargetGroupArn: string; readonly priority: number };
    readonly statistic?: string;
    readonly extendedStatistic?: string;
    readonly unit?: string;
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm?: number;
    readonly threshold: number;
    readonly comparisonOperator: string;
    readonly treatMissingData?: string;
    readonly evaluateLowSampleCountPercentiles?: string;
    readonly actionsEnabled: boolean;
    readonly alarmActions: readonly string[];
    readonly okActions: readonly string[];
    readonly insufficientDataActions: readonly string[];
}

export interface AlarmResult {
    readonly alarms: readonly AlarmPlan[];
    readonly diagnostics: readonly CutoverDiagnostic[];
}

/** ECS service metrics with a Container Insights twin, and what the twin's number means. */
const POD_METRICS: Readonly<Record<string, { readonly metric: string; readonly note?: { readonly code: string; readonly severity: "info" | "warning"; readonly message: string; readonly suggestion: string } }>> = {
    "AWS/ECS/CPUUtilization": {
        metric: "pod_cpu_utilization",
        note: {
            code: "ALARM_CPU_BASIS",
            severity: "warning",
            message:
                "ECS CPUUtilization is a share of the CPU the service reserved; pod_cpu_utilization is a share of the node's CPU, so the same threshold fires later on EKS",
            suggestion: "lower the twin's threshold by the pod's CPU request over the node's CPU, or give the pods a CPU limit and alarm on pod_cpu_utilization_over_pod_limit",
        },
    },
    // The memory limit is the ECS hard limit (or the task's memory): the same share of the same ceiling.
    "AWS/ECS/MemoryUtilization": { metric: "pod_memory_utilization_over_pod_limit" },
};

const arnSuffix = (arn: string, kind: string) => {
    const i = arn.indexOf(`:${kind}/`);
    return i >= 0 ? arn.slice(i + 1) : arn;
};
/** The alarm's dimensions, or for metric math those of the metrics it reads: what says which service it is about. */
const dims = (a: AlarmSnapshot): Record<string, string> =>
    Object.fromEntries([...(a.Metrics ?? []).flatMap((m) => m.MetricStat?.Metric?.Dimensions ?? []), ...(a.Dimensions ?? [])].map((d) => [d.Name ?? "", d.Value ?? ""]));
const isScalingAction = (arn: string) => /^arn:[^:]+:autoscaling:/.test(arn);

function serviceWorkload(plan: MigrationPlan, cluster: string, service: string): WorkloadPlan | undefined {
    return plan.workloads.find((w) => w.source.kind === "service" && w.source.cluster === cluster && w.source.name === service && w.objects.length > 0);
}

/** The twin of one ECS alarm with a new metric; actions without the scaling policies (HPA and KEDA scale on EKS). */
function twin(a: AlarmSnapshot, w: WorkloadPlan, metric: AlarmPlan["metric"], canary?: CanaryPlan): AlarmPlan {
    const keep = (actions: readonly string[] | undefined) => (actions ?? []).filter((x) => !isScalingAction(x));
    return {
        name: `${a.AlarmName}-eks`,
        sourceAlarm: a.AlarmName ?? "",
        namespace: w.namespace,
        workload: w.name,
        ecsService: w.source.name,
        description: `EKS twin of ECS alarm ${a.AlarmName}${a.AlarmDescription ? `: ${a.AlarmDescription}` : ""}`,
        metric,
        ...(canary ? { canary: { ecsTargetGroupArn: canary.ecsTargetGroupArn, priority: canary.priority } } : {}),
        ...(a.Statistic ? { statistic: a.Statistic } : {}),
        ...(a.ExtendedStatistic ? { extendedStatistic: a.ExtendedStatistic } : {}),
        ...(a.Unit ? { unit: a.Unit } : {}),
        period: a.Period ?? 60,
        evaluationPeriods: a.EvaluationPeriods ?? 1,
        ...(a.DatapointsToAlarm !== undefined ? { datapointsToAlarm: a.DatapointsToAlarm } : {}),
        threshold: a.Threshold ?? 0,
        comparisonOperator: a.ComparisonOperator ?? "GreaterThanThreshold",
        ...(a.TreatMissingData ? { treatMissingData: a.TreatMissingData } : {}),
        ...(a.EvaluateLowSampleCountPercentile ? { evaluateLowSampleCountPercentiles: a.EvaluateLowSampleCountPercentile } : {}),
        actionsEnabled: a.ActionsEnabled ?? true,
        alarmActions: keep(a.AlarmActions),
        okActions: keep(a.OKActions),
        insufficientDataActions: keep(a.InsufficientDataActions),
    };
}

export function planAlarms(plan: MigrationPlan, snapshot: EcsSnapshot, cutover: Pick<CutoverPlan, "canaries">): AlarmResult {
    const alarms: AlarmPlan[] = [];
    const diagnostics: CutoverDiagnostic[] = [];
    const report = (w: WorkloadPlan, a: AlarmSnapshot, code: string, severity: Diagnostic["severity"], message: string, suggestion: string) =>
        diagnostics.push({ namespace: w.namespace, workload: w.name, diagnostic: { code, severity, service: w.source.name, field: `alarm ${a.AlarmName}`, message, suggestion } });

    for (const a of snapshot.alarms ?? []) {
        const d = dims(a);
        const actions = [...(a.AlarmActions ?? []), ...(a.OKActions ?? []), ...(a.InsufficientDataActions ?? [])];
        const ecsWorkload = d.ClusterName && d.ServiceName ? serviceWorkload(plan, d.ClusterName, d.ServiceName) : undefined;
        const canaries = d.TargetGroup ? cutover.canaries.filter((c) => arnSuffix(c.ecsTargetGroupArn, "targetgroup") === d.TargetGroup) : [];
        const lbWorkload = canaries.length > 0 ? plan.workloads.find((w) => w.namespace === canaries[0].namespace && w.name === canaries[0].workload) : undefined;
        const w = ecsWorkload ?? lbWorkload ?? plan.workloads.find((x) => x.loadBalancers.some((lb) => arnSuffix(lb.ecsTargetGroupArn, "targetgroup") === d.TargetGroup));
        if (!w) {
            continue;
        }
        if (actions.length > 0 && actions.every(isScalingAction)) {
            report(w, a, "ALARM_SCALING_TRIGGER", "info", `${a.AlarmName} only triggers ECS scaling policies; the workload's HPA or KEDA ScaledObject scales it on EKS`, "nothing to do");
            continue;
        }
        if (!a.MetricName) {
            report(w, a, "ALARM_METRIC_MATH", "warning", `${a.AlarmName} alarms on metric math or an anomaly band, which is not carried over`, "write its EKS twin by hand with the metrics below (Container Insights pod metrics, the EKS target group's ALB metrics)");
            continue;
        }
        if (actions.some(isScalingAction)) {
            report(w, a, "ALARM_SCALING_ACTION", "info", `${a.AlarmName} also triggers ECS scaling policies; its twin keeps only the other actions`, "nothing to do: the HPA or KEDA ScaledObject scales the workload");
        }
        if (a.Namespace === "AWS/ApplicationELB") {
            if (canaries.length === 0) {
                report(w, a, "ALARM_NO_EKS_TARGET_GROUP", "warning", `${a.AlarmName} watches target group ${d.TargetGroup}, which has no EKS target group (no canary)`, "fix the cutover diagnostics for this service; the twin follows its EKS target group");
                continue;
            }
            for (const c of canaries) {
                const dimensions = { ...d, TargetGroup: EKS_TARGET_GROUP_DIMENSION, ...(d.LoadBalancer ? { LoadBalancer: arnSuffix(c.loadBalancerArn, "loadbalancer").replace(/^loadbalancer\//, "") } : {}) };
                const t = twin(a, w, { namespace: "AWS/ApplicationELB", metricName: a.MetricName, dimensions }, c);
                alarms.push(canaries.length > 1 ? { ...t, name: `${t.name}-${c.priority}` } : t);
            }
            if (/Count$/.test(a.MetricName) && (a.Statistic === "Sum" || a.Statistic === "SampleCount")) {
                report(w, a, "ALARM_COUNT_FOLLOWS_WEIGHT", "info", `${a.AlarmName} counts ${a.MetricName}; the EKS target group gets only its weight's share of the requests, so the same threshold is reached later until eksWeight is 100`, "nothing to do, or scale the twin's threshold by the weight while the canary runs");
            }
            continue;
        }
        const pod = POD_METRICS[`${a.Namespace}/${a.MetricName}`];
        if (ecsWorkload && pod) {
            alarms.push(twin(a, w, { namespace: "ContainerInsights", metricName: pod.metric, dimensions: { ClusterName: EKS_CLUSTER_DIMENSION, Namespace: w.namespace, PodName: w.name } }));
            if (pod.note) {
                report(w, a, pod.note.code, pod.note.severity, pod.note.message, pod.note.suggestion);
            }
            continue;
        }
        if (ecsWorkload && a.Namespace === "ECS/ContainerInsights" && a.MetricName === "RunningTaskCount") {
            const service = w.loadBalancers[0]?.serviceName ?? w.name;
            alarms.push(twin(a, w, { namespace: "ContainerInsights", metricName: "service_number_of_running_pods", dimensions: { ClusterName: EKS_CLUSTER_DIMENSION, Namespace: w.namespace, Service: service } }));
            continue;
        }
        report(w, a, "ALARM_NO_EQUIVALENT", "warning", `${a.AlarmName} watches ${a.Namespace} ${a.MetricName}, which has no Container Insights or ALB equivalent on EKS`, "write its EKS twin by hand, or drop it");
    }
    const by = (x: AlarmPlan) => x.name;
    return { alarms: alarms.sort((x, y) => by(x).localeCompare(by(y))), diagnostics };
}
