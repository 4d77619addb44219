/**
 * Declares an EKS twin alarm (migration/cutover/alarms.ts) as a CloudWatch
 * MetricAlarm, with the EKS cluster's name and the EKS target group's ARN
 * suffix put where the plan could only name them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmPlan, EKS_CLUSTER_DIMENSION, EKS_TARGET_GROUP_DIMENSION } from "./cutover/alarms";

export function declareAlarm(a: AlarmPlan, parent: pulumi.Resource, clusterName: pulumi.Input<string>, targetGroup: aws.lb.TargetGroup | undefined, tags: Record<string, string>): aws.cloudwatch.MetricAlarm {
    const dimensions: Record<string, pulumi.Input<string>> = {};
    for (const [k, v] of Object.entries(a.metric.dimensions)) {
        dimensions[k] = v === EKS_CLUSTER_DIMENSION ? clusterName : v === EKS_TARGET_GROUP_DIMENSION && targetGroup ? targetGroup.arnSuffix : v;
    }
    return new aws.cloudwatch.MetricAlarm(
        a.name,
        {
            name: a.name,
            alarmDescription: a.description,
            namespace: a.metric.namespace,
            metricName: a.metric.metricName,
            dimensions,
            ...(a.statistic ? { statistic: a.statistic } : {}),
            ...(a.extendedStatistic ? { extendedStatistic: a.extendedStatistic } : {}),
            ...(a.unit ? { unit: a.unit } : {}),
            period: a.period,
            evaluationPeriods: a.evaluationPeriods,
            ...(a.datapointsToAlarm !== undefined ? { datapointsToAlarm: a.datapointsToAlarm } : {}),
            threshold: a.threshold,
            comparisonOperator: a.comparisonOperator,
            ...(a.treatMissingData ? { treatMissingData: a.treatMissingData } : {}),
            ...(a.evaluateLowSampleCountPercentiles ? { evaluateLowSampleCountPercentiles: a.evaluateLowSampleCountPercentiles } : {}),
            actionsEnabled: a.actionsEnabled,
            alarmActions: [...a.alarmActions],
            okActions: [...a.okActions],
            insufficientDataActions: [...a.insufficientDataActions],
            tags: { ...tags, "ecs2eks:twin-of": a.sourceAlarm },
        },
        { parent },
    );
}
