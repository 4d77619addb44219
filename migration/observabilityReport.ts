/** Logs and alarms as a section of the migration report: where each container's logs land, and each alarm's EKS twin. Pure. */
import type { AlarmResult } from "./cutover/alarms";
import { LogPlan, describeDestination } from "./translate/logging";

const cell = (s: string) => s.replace(/\|/g, "\\|");

export function renderObservability(logs: LogPlan | undefined, alarms: AlarmResult): string {
    const lines = ["## Logs and alarms", ""];
    const destinations = logs?.destinations ?? [];
    if (destinations.length > 0) {
        lines.push(
            "The cluster's Fluent Bit (add-on logPipeline) ships each container's stdout where ECS sent it, keyed off the pod's `logs.ecs2eks.io/*` annotations; containers without a destination go to `/aws/eks/<cluster>/containers`.",
            "",
            "| workload | container | from | to |",
            "|---|---|---|---|",
            ...destinations.map((d) => `| ${d.namespace}/${d.workload} | ${d.container} | ${d.via} | ${cell(describeDestination(d))} |`),
            "",
        );
    }
    if (alarms.alarms.length > 0) {
        lines.push(
            "Each alarm on a service's ECS metrics or its target group gets an EKS twin with the same statistic, threshold, periods, comparison, missing-data treatment and actions.",
            "",
            "| ECS alarm | EKS twin | metric | condition | actions |",
            "|---|---|---|---|---|",
            ...alarms.alarms.map(
                (a) =>
                    `| ${cell(a.sourceAlarm)} | ${cell(a.name)} | ${a.metric.namespace} ${a.metric.metricName} (${Object.entries(a.metric.dimensions).map(([k, v]) => `${k}=${v}`).join(", ")}) | ${a.extendedStatistic ?? a.statistic} ${a.comparisonOperator} ${a.threshold}, ${a.datapointsToAlarm ?? a.evaluationPeriods} of ${a.evaluationPeriods} × ${a.period} s, missing ${a.treatMissingData ?? "missing"} | ${cell(a.alarmActions.join(", ") || "none")} |`,
            ),
            "",
        );
    }
    const reported = alarms.diagnostics.filter((d) => d.diagnostic.severity !== "info");
    if (reported.length > 0) {
        lines.push("Not carried over as is:", "", ...reported.map((d) => `- ${d.diagnostic.service}, ${d.diagnostic.field}: ${d.diagnostic.message}; ${d.diagnostic.suggestion}`), "");
    }
    return lines.length > 2 ? `${lines.join("\n")}\n` : "";
}
