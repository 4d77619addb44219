/** The cutover as a section of the migration report: who gets which share of the traffic, and which schedules wait. Pure. */
import { bindingName } from "./bindings";
import type { CutoverPlan } from "./index";

export function renderCutover(cutover: CutoverPlan): string {
    const lines = [
        "## Cutover",
        "",
        `Planned with migration:cutover ${JSON.stringify({ default: { eksWeight: cutover.weights.defaultEksWeight }, services: Object.fromEntries(Object.entries(cutover.weights.services).map(([s, w]) => [s, { eksWeight: w }])) })} (\`ecs2eks plan --cutover\` plans another split).`,
        "",
    ];
    if (cutover.canaries.length > 0) {
        lines.push(
            "Each load-balanced service gets a target group of its own, a TargetGroupBinding that registers its pods there, and a listener rule of this stack, just before the ECS one, that splits each request by weight (stickiness off).",
            "",
            "| service | listener rule | ECS % | EKS % | EKS target group | binding |",
            "|---|---|---:|---:|---|---|",
            ...cutover.canaries.map(
                (c) =>
                    `| ${c.ecsService} | priority ${c.priority} on ${c.listenerArn} | ${c.ecsWeight} | ${c.eksWeight} | ${c.targetGroup.name} (${c.targetGroup.protocol} ${c.targetGroup.port}) | TargetGroupBinding ${c.namespace}/${bindingName(c)} → Service ${c.serviceName}:${c.servicePort} |`,
            ),
            "",
            "With raw manifests, create each EKS target group (plan.json cutover.canaries[].targetGroup) and its listener rule before applying the bindings: the load balancer controller looks each target group up by name. pulumi up does both.",
            "",
        );
    }
    if (cutover.testRoutes.length > 0) {
        const { header, value } = cutover.testRoutes[0].header;
        lines.push(
            `Before any user traffic, each service's EKS side answers requests that carry the header \`${header}: ${value}\` (migration:testRoute), through the real load balancer: a rule just before the weighted one, with its conditions and the header, forwards them to the EKS target group only. \`ecs2eks loadtest --service NAME\` writes a k6 script for it; \`ecs2eks verify\` compares the two sides.`,
            "",
            "| service | test rule | before | conditions |",
            "|---|---|---|---|",
            ...cutover.testRoutes.map((t) => `| ${t.ecsService} | priority ${t.priority} on ${t.listenerArn} | priority ${t.weightedPriority} | ${t.conditions.map((c) => JSON.stringify(c).replace(/\|/g, "\\|")).join(" ")} |`),
            "",
        );
    }
    if (cutover.schedules.length > 0) {
        lines.push(
            "| schedule | CronJob | eksWeight | suspended | why |",
            "|---|---|---:|---|---|",
            ...cutover.schedules.map((s) => `| ${s.ecsSchedule} | ${s.namespace}/${s.cronJob} | ${s.eksWeight} | ${s.suspend ? "yes" : "no"} | ${s.reason} |`),
            "",
        );
    }
    return `${lines.join("\n")}\n`;
}
