/**
 * The CloudWatch alarms that watch the migrated services: on their ECS
 * metrics (AWS/ECS and ECS/ContainerInsights, ClusterName and ServiceName
 * dimensions) and on their target groups (AWS/ApplicationELB, TargetGroup
 * dimension). CloudWatch cannot filter alarms by dimension, so the account's
 * metric alarms are listed (100 a page, cloudwatch:DescribeAlarms only) and
 * kept where a metric, or a metric of their math, is one of those.
 */
import { DescribeAlarmsCommand, Dimension, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { Aws } from "./aws";
import { allPages } from "./concurrency";

export interface WatchedService {
    readonly cluster: string;
    readonly service: string;
}

/** `targetgroup/<name>/<id>`: the TargetGroup dimension of a target group's ARN. */
export function targetGroupDimension(arn: string): string {
    const i = arn.indexOf(":targetgroup/");
    return i >= 0 ? arn.slice(i + 1) : arn;
}

const ECS_NAMESPACES = new Set(["AWS/ECS", "ECS/ContainerInsights"]);

function dimension(dims: readonly Dimension[] | undefined, name: string): string | undefined {
    return (dims ?? []).find((d) => d.Name === name)?.Value;
}

/** The metrics an alarm watches: its own, or those of its metric math. */
function metricsOf(a: MetricAlarm): { namespace?: string; dimensions?: Dimension[] }[] {
    if (a.MetricName) {
        return [{ namespace: a.Namespace, dimensions: a.Dimensions }];
    }
    return (a.Metrics ?? []).flatMap((m) => (m.MetricStat?.Metric ? [{ namespace: m.MetricStat.Metric.Namespace, dimensions: m.MetricStat.Metric.Dimensions }] : []));
}

export function watchesOne(a: MetricAlarm, services: ReadonlySet<string>, targetGroups: ReadonlySet<string>): boolean {
    return metricsOf(a).some(
        (m) =>
            (ECS_NAMESPACES.has(m.namespace ?? "") && services.has(`${dimension(m.dimensions, "ClusterName")}/${dimension(m.dimensions, "ServiceName")}`)) ||
            (m.namespace === "AWS/ApplicationELB" && targetGroups.has(dimension(m.dimensions, "TargetGroup") ?? "")),
    );
}

export async function readServiceAlarms(aws: Aws, services: readonly WatchedService[], targetGroupArns: readonly string[]): Promise<MetricAlarm[]> {
    if (services.length === 0) {
        return [];
    }
    const wanted = new Set(services.map((s) => `${s.cluster}/${s.service}`));
    const groups = new Set(targetGroupArns.map(targetGroupDimension));
    const alarms = await allPages(
        (NextToken) => aws.call("cloudwatch", "DescribeAlarms", "metric alarms", () => aws.cloudWatch.send(new DescribeAlarmsCommand({ AlarmTypes: ["MetricAlarm"], MaxRecords: 100, NextToken }))),
        (page) => page.MetricAlarms,
        (page) => page.NextToken,
    );
    return alarms.filter((a) => watchesOne(a, wanted, groups));
}
