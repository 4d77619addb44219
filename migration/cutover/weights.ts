/** How a service's traffic is split between ECS and EKS (migration:cutover). Pure. */
import { CutoverConfig, DEFAULT_FRONT_DOOR, FrontDoorConfig } from "../../config/types";

/** The share of an ECS service's traffic that goes to EKS, in percent. */
export function eksWeight(cutover: CutoverConfig, ecsServiceName: string): number {
    return cutover.services[ecsServiceName] ?? cutover.defaultEksWeight;
}

/** How a service's traffic moves: its own strategy, the default's, or the shared ALB listener (as before strategies). */
export function frontDoorConfig(cutover: CutoverConfig, ecsServiceName: string): FrontDoorConfig {
    return cutover.strategies?.[ecsServiceName] ?? cutover.strategies?.[DEFAULT_FRONT_DOOR] ?? { strategy: "alb-weighted" };
}

/** Services named in migration:cutover that the plan does not have: almost always a typo. */
export function unknownCutoverServices(cutover: CutoverConfig, serviceNames: readonly string[]): string[] {
    const named = [...new Set([...Object.keys(cutover.services), ...Object.keys(cutover.strategies ?? {}).filter((k) => k !== DEFAULT_FRONT_DOOR)])];
    return named.filter((name) => !serviceNames.includes(name));
}

/** One target group of a weighted forward: the ECS one by its ARN, the EKS one by the name this stack gives it. */
export interface WeightedTarget {
    readonly side: "ecs" | "eks";
    /** The ECS target group's ARN, or the EKS target group's name (its ARN exists once it is created). */
    readonly targetGroup: string;
    readonly weight: number;
}

/** The forward action of a canary listener rule. */
export interface ForwardPlan {
    readonly targetGroups: readonly WeightedTarget[];
    /**
     * Off, so each request is split by the weights: a client stuck to ECS
     * would never move. ELB wants a duration (1 to 604800 s) even when off.
     */
    readonly stickiness: { readonly enabled: boolean; readonly duration: number };
}

/**
 * The weighted forward for an EKS share. At 100 the rule forwards to EKS
 * alone, so nothing of this stack still points at the ECS target group
 * (the decommission check relies on it).
 */
export function forwardPlan(weight: number, ecsTargetGroupArn: string, eksTargetGroupName: string): ForwardPlan {
    const eks: WeightedTarget = { side: "eks", targetGroup: eksTargetGroupName, weight: weight >= 100 ? 100 : weight };
    return {
        targetGroups: weight >= 100 ? [eks] : [{ side: "ecs", targetGroup: ecsTargetGroupArn, weight: 100 - weight }, eks],
        stickiness: { enabled: false, duration: 1 },
    };
}
