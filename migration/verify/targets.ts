/**
 * What `verify`, `loadtest` and the canary gate look at for each
 * load-balanced service: the ECS target group, the EKS one this stack makes
 * (by name: its ARN exists once created), the load balancer, the desired
 * replicas and the planned weight. Derived from the same cutover plan the
 * EcsMigration component declares, so offline (snapshot + cutover) and the
 * stack agree. Pure.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { bindingName } from "../cutover/bindings";
import type { CutoverPlan } from "../cutover";
import { testRouteOf } from "../cutover/testRoute";

export interface VerifyTarget {
    readonly service: string;
    readonly namespace: string;
    readonly workload: string;
    readonly listenerArn: string;
    readonly priority: number;
    readonly eksWeight: number;
    readonly ecsTargetGroupArn: string;
    readonly eksTargetGroupName: string;
    readonly loadBalancerArn: string;
    /** The ECS service's desired count: how many healthy pods the EKS side should have. */
    readonly desiredReplicas: number;
    /** The TargetGroupBinding that registers the pods. */
    readonly binding: string;
    /** The test route's priority, when it has one. */
    readonly testRoutePriority?: number;
}

export function verifyTargets(cutover: CutoverPlan, snapshot: EcsSnapshot): VerifyTarget[] {
    const desired = new Map(snapshot.clusters.flatMap((c) => c.services.map((s) => [s.serviceName ?? "", s.desiredCount ?? 0] as const)));
    return cutover.canaries.map((c) => {
        const test = testRouteOf(c, cutover.testRoutes);
        return {
            service: c.ecsService,
            namespace: c.namespace,
            workload: c.workload,
            listenerArn: c.listenerArn,
            priority: c.priority,
            eksWeight: c.eksWeight,
            ecsTargetGroupArn: c.ecsTargetGroupArn,
            eksTargetGroupName: c.targetGroup.name,
            loadBalancerArn: c.loadBalancerArn,
            desiredReplicas: desired.get(c.ecsService) ?? 0,
            binding: bindingName(c),
            ...(test ? { testRoutePriority: test.priority } : {}),
        };
    });
}

/** CloudWatch's dimension value of a load balancer or target group: its ARN after the resource type's colon ("app/name/id", "targetgroup/name/id"). */
export function metricDimension(arn: string): string {
    const resource = arn.split(":").slice(5).join(":");
    return resource.startsWith("loadbalancer/") ? resource.slice("loadbalancer/".length) : resource;
}
