/**
 * Declares the Route 53 and CloudFront cutovers that migration/cutover
 * planned: weighted records with a health check on the EKS side, and a
 * staging distribution with its continuous deployment policy. A thin layer:
 * every decision is in the plan objects.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FrontDoorPlan } from "./cutover";
import type { WeightedRecordPlan } from "./cutover/route53";
import type { StagingPlan } from "./cutover/cloudfront";
import { stagingDistributionArgs } from "./cutover/cloudfront";
import type { FrontDoorRouteOutput } from "./ecsMigration";
import type { EcsSnapshot } from "../core/snapshot";

const slug = (name: string) => name.replace(/[^A-Za-z0-9-]/g, "-");

function declareRecords(parent: pulumi.Resource, r: WeightedRecordPlan, eksDns: pulumi.Output<string>, tags: Record<string, string>): void {
    const name = `${slug(r.name)}-${r.type.toLowerCase()}`;
    const check = new aws.route53.HealthCheck(
        `${name}-eks`,
        {
            type: r.healthCheck.type,
            fqdn: eksDns,
            port: r.healthCheck.port,
            resourcePath: r.healthCheck.resourcePath,
            failureThreshold: r.healthCheck.failureThreshold,
            requestInterval: r.healthCheck.requestInterval,
            tags: { ...tags, Name: `${r.name} on EKS`, "ecs2eks:front-door": r.name },
        },
        { parent },
    );
    const answer = (target: { alias: { name: pulumi.Input<string>; zoneId: pulumi.Input<string>; evaluateTargetHealth: boolean } } | { cname: pulumi.Input<string> }, ttl: number | undefined) =>
        "alias" in target ? { aliases: [target.alias] } : { records: [target.cname], ttl: ttl ?? 60 };
    if (r.ecs) {
        new aws.route53.Record(
            `${name}-ecs`,
            { zoneId: r.zoneId, name: r.name, type: r.type, setIdentifier: r.ecs.setIdentifier, weightedRoutingPolicies: [{ weight: r.ecs.weight }], ...answer(r.ecs.target, r.ecs.ttl) },
            // The record exists (the ECS estate's, made weighted): adopted, never created beside it.
            { parent, import: r.ecs.importId },
        );
    }
    const eksZone = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "application" }, { parent }).id;
    const eksTarget = r.eks.targetKind === "alias" ? { alias: { name: eksDns, zoneId: eksZone, evaluateTargetHealth: true } } : { cname: eksDns };
    new aws.route53.Record(
        `${name}-eks`,
        { zoneId: r.zoneId, name: r.name, type: r.type, setIdentifier: r.eks.setIdentifier, weightedRoutingPolicies: [{ weight: r.eks.weight }], healthCheckId: check.id, ...answer(eksTarget, r.eks.ttl) },
        { parent },
    );
}

function declareStaging(parent: pulumi.Resource, d: StagingPlan, distribution: Record<string, unknown>, tags: Record<string, string>) {
    const staging = new aws.cloudfront.Distribution(`${d.distributionId}-staging`, { ...(distribution as unknown as aws.cloudfront.DistributionArgs), tags: { ...tags, "ecs2eks:staging-of": d.distributionId } }, { parent });
    const policy = new aws.cloudfront.ContinuousDeploymentPolicy(
        `${d.distributionId}-eks`,
        {
            enabled: d.policy.enabled,
            stagingDistributionDnsNames: { items: [staging.domainName], quantity: 1 },
            trafficConfig: d.policy.trafficConfig as aws.types.input.cloudfront.ContinuousDeploymentPolicyTrafficConfig,
        },
        { parent },
    );
    return { staging, policy };
}

/** What `routing` shows for the front doors: each service's weights and the records or distribution that carry them. */
export function frontDoorRoutes(plan: FrontDoorPlan, snapshot: EcsSnapshot): FrontDoorRouteOutput[] {
    const routes: FrontDoorRouteOutput[] = [];
    for (const service of [...new Set(plan.records.flatMap((r) => r.services))].sort()) {
        const mine = plan.records.filter((r) => r.services.includes(service));
        routes.push({ service, strategy: "route53-weighted", ecsWeight: 100 - mine[0].eksWeight, eksWeight: mine[0].eksWeight, frontDoor: mine.map((r) => r.name).join(",") });
    }
    for (const d of plan.staging) {
        if (!(snapshot.loadBalancing.distributions ?? []).some((x) => x.id === d.distributionId)) {
            continue;
        }
        for (const service of d.services) {
            routes.push({ service, strategy: "cloudfront-staging", ecsWeight: 100 - d.eksWeight, eksWeight: d.eksWeight, frontDoor: d.distributionId });
        }
    }
    return routes;
}

/** Declares every front door of the plan under `parent`, each onto the DNS name of its ingress group's ALB. */
export function declareFrontDoors(parent: pulumi.Resource, plan: FrontDoorPlan, snapshot: EcsSnapshot, eksLoadBalancers: ReadonlyMap<string, pulumi.Output<string>>, tags: Record<string, string>): void {
    const eksDns = (group: string) => eksLoadBalancers.get(group) ?? pulumi.output("");
    for (const r of plan.records) {
        declareRecords(parent, r, eksDns(r.ingressGroup), tags);
    }
    for (const d of plan.staging) {
        const source = (snapshot.loadBalancing.distributions ?? []).find((x) => x.id === d.distributionId);
        if (source) {
            declareStaging(parent, d, stagingDistributionArgs(source, eksDns(d.ingressGroup)), tags);
        }
    }
}
