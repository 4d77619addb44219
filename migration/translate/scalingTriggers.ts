/**
 * KEDA triggers on CloudWatch metrics, from target tracking on anything but
 * CPU and memory (per task already: metricType Value) and from step scaling
 * alarms; SQS queue depth gets KEDA's own SQS scaler. Pure.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";

type MetricType = "Utilization" | "AverageValue" | "Value";

export interface Trigger {
    readonly type: string;
    readonly metricType?: MetricType;
    readonly metadata: Record<string, string>;
    readonly authenticationRef?: { name: string };
}

export interface CloudWatchMetric {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: readonly { Name?: string; Value?: string }[];
    readonly statistic: string;
    readonly periodSeconds: number;
    readonly unit?: string;
}

/** What every trigger of one workload shares: the estate, the diagnostics, the TriggerAuthentication it reads AWS with. */
export interface TriggerContext {
    readonly snapshot: EcsSnapshot;
    readonly d: Diagnostics;
    readonly auth: { readonly name: string };
}

/** CloudWatch Metrics Insights' function for a plain statistic (it has none for extended statistics). */
const INSIGHTS_FUNCTION: Readonly<Record<string, string>> = { Average: "AVG", Maximum: "MAX", Minimum: "MIN", Sum: "SUM", SampleCount: "COUNT" };
/** Target tracking evaluates one-minute data points. */
export const TARGET_TRACKING_PERIOD = 60;

/** The account of the estate, from any ARN in the snapshot. */
function accountOf(snapshot: EcsSnapshot): string {
    return snapshot.clusters[0]?.cluster.clusterArn?.split(":")[4] ?? "000000000000";
}

/** A KEDA trigger on a CloudWatch metric; SQS queue depth gets KEDA's own SQS scaler. */
export function metricTrigger(m: CloudWatchMetric, value: number, metricType: "Value" | "AverageValue", field: string, t: TriggerContext): Trigger | undefined {
    const { snapshot, d, auth } = t;
    const dims = m.dimensions;
    if (m.namespace === "AWS/SQS" && m.metricName === "ApproximateNumberOfMessagesVisible" && dims.length === 1 && dims[0].Name === "QueueName") {
        return {
            type: "aws-sqs-queue",
            metricType,
            metadata: {
                queueURL: `https://sqs.${snapshot.region}.amazonaws.com/${accountOf(snapshot)}/${dims[0].Value}`,
                queueLength: String(Math.max(1, Math.round(value))),
                // The metric counts visible messages only; KEDA adds in-flight ones unless told not to
                // (scaleOnInFlight default=true, kedacore/keda v2.18.3 pkg/scalers/aws_sqs_queue_scaler.go).
                scaleOnInFlight: "false",
                awsRegion: snapshot.region,
            },
            authenticationRef: auth,
        };
    }
    // The scaler refuses a metric query without dimensions ("dimension name not given"; an empty value counts as
    // none): kedacore/keda v2.18.3 pkg/scalers/aws_cloudwatch_scaler.go Validate, scalersconfig/typed_config.go.
    if (dims.length === 0) {
        const insights = INSIGHTS_FUNCTION[m.statistic];
        d.warn(
            "SCALING_METRIC_DIMENSIONS",
            field,
            `the metric ${m.namespace}/${m.metricName} has no dimensions, and KEDA's aws-cloudwatch scaler refuses a metric without dimensionName and dimensionValue`,
            insights
                ? `write the trigger with an expression instead of namespace and metricName: SELECT ${insights}(${m.metricName}) FROM SCHEMA("${m.namespace}") reads the metric with no dimensions`
                : `publish the metric with a dimension and scale on that, or on a Prometheus metric (a Metrics Insights expression cannot read ${m.statistic})`,
        );
        return undefined;
    }
    // metricStat goes to GetMetricData unchecked since KEDA 2.18 (kedacore/keda#7109; v2.18.3
    // pkg/scalers/aws_cloudwatch_scaler.go has no checkMetricStat), and GetMetricData reads extended statistics
    // (p99, tm90, ...) as an alarm does: a statistic the estate's alarm or policy used is one CloudWatch accepts.
    // KEDA reads the metric over metricCollectionTime (default 300 s), which must be a multiple of the period.
    const collection = m.periodSeconds * Math.max(1, Math.ceil(300 / m.periodSeconds));
    return {
        type: "aws-cloudwatch",
        metricType,
        metadata: {
            namespace: m.namespace,
            metricName: m.metricName,
            ...(dims.length > 0 ? { dimensionName: dims.map((x) => x.Name).join(";"), dimensionValue: dims.map((x) => x.Value).join(";") } : {}),
            targetMetricValue: String(value),
            // Required, no default (kedacore/keda v2.18.3 pkg/scalers/aws_cloudwatch_scaler.go): the value read when
            // CloudWatch returns no data point (ignoreNullValues defaults to true).
            minMetricValue: "0",
            metricStat: m.statistic,
            metricStatPeriod: String(m.periodSeconds),
            ...(collection !== 300 ? { metricCollectionTime: String(collection) } : {}),
            ...(m.unit ? { metricUnit: m.unit } : {}),
            awsRegion: snapshot.region,
        },
        authenticationRef: auth,
    };
}

export type Tracking = NonNullable<EcsSnapshot["scaling"]["policies"][number]["TargetTrackingScalingPolicyConfiguration"]>;
/** A target tracking policy on anything but CPU and memory: per task already, so metricType Value. */
export function trackingTrigger(policy: string, tt: Tracking, value: number, field: string, t: TriggerContext): Trigger | undefined {
    const { d } = t;
    const predefined = tt.PredefinedMetricSpecification?.PredefinedMetricType;
    if (predefined === "ALBRequestCountPerTarget") {
        const tgDimension = (tt.PredefinedMetricSpecification?.ResourceLabel ?? "").split("/").slice(-3).join("/");
        d.info(
            "REQUEST_COUNT_TARGET_GROUP",
            field,
            `scaling follows the requests per target of the ECS target group ${tgDimension} (metricType Value: the metric is per target already); without requests CloudWatch has no data point and KEDA reads 0 where ECS kept its tasks`,
            "once traffic has moved, point the trigger's dimensionValue at the EKS target group",
        );
        return metricTrigger({ namespace: "AWS/ApplicationELB", metricName: "RequestCountPerTarget", dimensions: [{ Name: "TargetGroup", Value: tgDimension }], statistic: "Sum", periodSeconds: TARGET_TRACKING_PERIOD }, value, "Value", field, t);
    }
    const m = tt.CustomizedMetricSpecification;
    if (!m) {
        d.warn("SCALING_METRIC", field, `policy ${policy} tracks ${predefined ?? "an unknown metric"}`, "add a KEDA trigger for that metric by hand");
        return undefined;
    }
    if (!m.MetricName || !m.Namespace) {
        d.warn("METRIC_MATH", field, `policy ${policy} scales on a metric math expression`, "write the KEDA aws-cloudwatch trigger with an expression by hand");
        return undefined;
    }
    return metricTrigger({ namespace: m.Namespace, metricName: m.MetricName, dimensions: m.Dimensions ?? [], statistic: m.Statistic ?? "Average", periodSeconds: TARGET_TRACKING_PERIOD, ...(m.Unit ? { unit: m.Unit } : {}) }, value, "Value", field, t);
}
