import {
    DescribeScalableTargetsCommand,
    DescribeScalingPoliciesCommand,
    DescribeScheduledActionsCommand,
    ScalableTarget,
    ScalingPolicy,
    ScheduledAction,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { Aws } from "./aws";
import { allPages, chunk, mapLimit } from "./concurrency";

/** DescribeScalableTargets takes up to 50 resource IDs a call. */
export const SCALABLE_TARGETS_BATCH = 50;

export interface ScalingRead {
    readonly targets: ScalableTarget[];
    readonly policies: ScalingPolicy[];
    readonly scheduledActions: ScheduledAction[];
    /** The CloudWatch alarms that trigger step scaling policies: their metric is what KEDA scales on. */
    readonly alarms: MetricAlarm[];
}

/** Alarms whose actions include a step policy, found by action prefix: one call per step policy. */
async function readStepAlarms(aws: Aws, policies: readonly ScalingPolicy[], concurrency: number): Promise<MetricAlarm[]> {
    const step = policies.filter((p) => p.PolicyType === "StepScaling" && p.PolicyARN);
    const alarms = await mapLimit(step, concurrency, (p) =>
        allPages(
            (NextToken) =>
                aws.call("cloudwatch", "DescribeAlarms", p.PolicyARN ?? "", () => aws.cloudWatch.send(new DescribeAlarmsCommand({ ActionPrefix: p.PolicyARN, AlarmTypes: ["MetricAlarm"], NextToken }))),
            (page) => page.MetricAlarms,
            (page) => page.NextToken,
        ),
    );
    const byName = new Map(alarms.flat().map((a) => [a.AlarmName ?? "", a]));
    return [...byName.values()];
}

/** Application Auto Scaling resource ID of an ECS service. */
export function scalingResourceId(clusterName: string, serviceName: string): string {
    return `service/${clusterName}/${serviceName}`;
}

/**
 * Scalable targets by resource ID in batches of 50. Policies and scheduled
 * actions take one resource ID a call, so they are listed for the whole ECS
 * namespace page by page (50 a page) and kept for the services read: a few
 * calls in all instead of two per service.
 */
export async function readScaling(aws: Aws, resourceIds: readonly string[], concurrency: number): Promise<ScalingRead> {
    if (resourceIds.length === 0) {
        return { targets: [], policies: [], scheduledActions: [], alarms: [] };
    }
    const wanted = new Set(resourceIds);
    const targets = (
        await mapLimit(chunk(resourceIds, SCALABLE_TARGETS_BATCH), concurrency, (batch) =>
            allPages(
                (NextToken) =>
                    aws.call("application-autoscaling", "DescribeScalableTargets", batch[0], () =>
                        aws.autoScaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: batch, NextToken })),
                    ),
                (p) => p.ScalableTargets,
                (p) => p.NextToken,
            ),
        )
    ).flat();
    if (targets.length === 0) {
        return { targets: [], policies: [], scheduledActions: [], alarms: [] };
    }
    const [policies, scheduledActions] = await Promise.all([
        allPages(
            (NextToken) =>
                aws.call("application-autoscaling", "DescribeScalingPolicies", "ecs", () =>
                    aws.autoScaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs", MaxResults: 50, NextToken })),
                ),
            (p) => p.ScalingPolicies,
            (p) => p.NextToken,
        ),
        allPages(
            (NextToken) =>
                aws.call("application-autoscaling", "DescribeScheduledActions", "ecs", () =>
                    aws.autoScaling.send(new DescribeScheduledActionsCommand({ ServiceNamespace: "ecs", MaxResults: 50, NextToken })),
                ),
            (p) => p.ScheduledActions,
            (p) => p.NextToken,
        ),
    ]);
    const ours = policies.filter((p) => wanted.has(p.ResourceId ?? ""));
    return {
        targets,
        policies: ours,
        scheduledActions: scheduledActions.filter((a) => wanted.has(a.ResourceId ?? "")),
        alarms: await readStepAlarms(aws, ours, concurrency),
    };
}
