/**
 * Which front door each load-balanced service's traffic moves through, and
 * what of it the ECS stacks may still own: the decommission check asks this
 * (one call), whatever shape it has. Pure.
 */
import type { CutoverConfig, CutoverStrategy } from "../../config/types";
import type { EcsSnapshot } from "../../core/snapshot";
import type { MigrationPlan } from "../translate/types";
import { planStaging } from "./cloudfront";
import { planWeightedRecords } from "./route53";
import { planStrategies } from "./strategy";
import { eksWeight, frontDoorConfig } from "./weights";

export interface ServiceFrontDoor {
    readonly service: string;
    readonly strategy: CutoverStrategy;
    readonly eksWeight: number;
    /**
     * What this stack relies on that the ECS stacks may own, as migration:adopted
     * names it: the Route 53 records it took over (zone/name/type[/set]), the
     * primary CloudFront distribution (its ID). The shared listener's load
     * balancer is the existing checks' business.
     */
    readonly ecsOwned: readonly string[];
    /** How to take each out of the ECS stacks. */
    readonly fix: string;
}

const FIX: Readonly<Record<CutoverStrategy, string>> = {
    "alb-weighted": "",
    "route53-weighted":
        "this stack owns the weighted records (ecs and eks); if an ECS stack declared the original record, take it out of that stack's state (pulumi state delete <urn>, or state move here) so its destroy does not delete the name, then list it in migration:adopted as <zone id>/<name>/<type>",
    "cloudfront-staging":
        "after promotion the primary distribution serves from EKS; it still belongs to the ECS stack: move it out of that stack's state (pulumi state move, or pulumi state delete there and pulumi import here) before destroying it, then list its ID in migration:adopted",
};

export function frontDoorsOf(plan: MigrationPlan, snapshot: EcsSnapshot, cutover: CutoverConfig): ServiceFrontDoor[] {
    const { services } = planStrategies(plan, snapshot, cutover);
    const records = planWeightedRecords(snapshot, services, cutover);
    const staging = planStaging(snapshot, services, cutover);
    return [...new Set(plan.workloads.filter((w) => w.loadBalancers.length > 0).map((w) => w.source.name))].sort().map((service) => {
        const strategy = frontDoorConfig(cutover, service).strategy;
        const ecsOwned =
            strategy === "route53-weighted"
                ? records.filter((r) => r.services.includes(service)).map((r) => r.ecsOwnedKey)
                : strategy === "cloudfront-staging"
                  ? staging.filter((d) => d.services.includes(service)).map((d) => d.distributionId)
                  : [];
        return { service, strategy, eksWeight: eksWeight(cutover, service), ecsOwned: [...new Set(ecsOwned)].sort(), fix: FIX[strategy] };
    });
}
