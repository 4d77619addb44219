/** The cutover as a section of the migration report: who gets which share of the traffic, and which schedules wait. Pure. */
import { bindingName } from "./bindings";
import type { CutoverPlan } from "./index";

export function renderCutover(cutover: CutoverPlan): string {
    const lines = [
        "## Cutover",
        "",
        `Planned with migration:cutover ${JSON.stringify({ default: { eksWeight: cutover.weights.defaultEksWeight }, services: Object.fromEntries(Object.entries(cutover.weights.services).map(([s, w]) => [s, { eksWeight: w }])) })}${cutover.weights.strategies ? ` with strategies ${JSON.stringify(cutover.weights.strategies)}` : ""} (\`ecs2eks plan --cutover\` plans another split).`,
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
    lines.push(...renderFrontDoors(cutover));
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

/** The Route 53 and CloudFront cutovers: what moves, at which weight, and the steps this stack cannot take itself. */
function renderFrontDoors(cutover: CutoverPlan): string[] {
    const { records, staging, ingresses } = cutover.frontDoors;
    if (records.length === 0 && staging.length === 0) {
        return [];
    }
    const lines = [
        `These services get a load balancer of their own on EKS (an Ingress each, one ALB per IngressGroup: ${[...new Set(ingresses.map((i) => i.group))].sort().join(", ")}); the front door in front of them splits the traffic.`,
        "",
    ];
    if (records.length > 0) {
        lines.push(
            "| record | services | ecs weight | eks weight | TTL | EKS health check |",
            "|---|---|---:|---:|---:|---|",
            ...records.map((r) => `| ${r.name} ${r.type} | ${r.services.join(", ")} | ${r.ecs?.weight ?? "gone"} | ${r.eks.weight} | ${r.eks.ttl ?? "alias (60)"} | ${r.healthCheck.type} ${r.healthCheck.port} ${r.healthCheck.resourcePath} |`),
            "",
        );
        for (const r of records.filter((x) => x.conversion)) {
            lines.push(
                `Before the first pulumi up, make ${r.name} the weighted record \`${r.ecs?.setIdentifier}\` in one atomic change (the stack then adopts it with the import id ${r.ecs?.importId}):`,
                "",
                `    ${r.conversion?.command}`,
                "",
            );
        }
    }
    for (const d of staging) {
        const t = d.policy.trafficConfig;
        lines.push(
            `CloudFront ${d.distributionId} (${d.distributionDomainName}) for ${d.services.join(", ")}: a staging distribution with origin${d.eksOrigins.length === 1 ? "" : "s"} ${d.eksOrigins.join(", ")} on EKS; policy ${d.policy.enabled ? "on" : "off"}, ${t.type === "SingleWeight" ? `${Math.round(t.singleWeightConfig.weight * 100)}% of viewers, sticky for ${t.singleWeightConfig.sessionStickinessConfig.idleTtl}-${t.singleWeightConfig.sessionStickinessConfig.maximumTtl} s` : `requests with ${t.singleHeaderConfig.header}: ${t.singleHeaderConfig.value}`}.`,
            "",
            "Once, after the first pulumi up, attach the policy to the primary (the ECS stack owns it; or set continuousDeploymentPolicyId there):",
            "",
            `    ${d.commands.attach}`,
            "",
            d.promote
                ? `At eksWeight 100, promote the staging configuration onto the primary (CloudFront never sends more than 15% to staging):\n\n    ${d.commands.promote}\n`
                : "Rollback: eksWeight 0 and pulumi up switches the policy off (every viewer on the primary). To detach it for good:\n\n    " + d.commands.detach + "\n",
            "",
        );
    }
    return lines;
}
