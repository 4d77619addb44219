/**
 * The TargetGroupBinding of a canary: the AWS Load Balancer Controller
 * registers the Service's pods in the canary's own target group, never in
 * the ECS one (the controller deregisters targets it did not register).
 * Pure.
 */
import { apiVersionOf } from "../translate/kinds";
import type { CanaryPlan } from "./canary";

/**
 * Where the binding finds its target group. The component gives the ARN of
 * the target group it creates; the plan, made before that exists, names it
 * (the controller's webhook looks the name up when the binding is created:
 * aws-load-balancer-controller v2.13.4,
 * webhooks/elbv2/targetgroupbinding_mutator.go).
 */
export type TargetGroupRef<T> = { readonly targetGroupARN: T } | { readonly targetGroupName: string };

/**
 * The binding's vpcID: the target group's VPC when the pods run in another
 * one (peered), none when the cluster's VPC is the target group's, and the
 * target group's VPC when the cluster's is not known (the plan): the
 * controller accepts its own target group's VPC either way.
 */
export function bindingVpcId(c: CanaryPlan, clusterVpcId?: string): string | undefined {
    return clusterVpcId !== undefined && clusterVpcId === c.targetGroup.vpcId ? undefined : c.targetGroup.vpcId;
}

/** Named after the workload and its rule's priority: one per listener rule. */
export function bindingName(c: CanaryPlan): string {
    return `${c.workload}-${c.priority}`;
}

export function targetGroupBinding<A, V>(c: CanaryPlan, target: TargetGroupRef<A>, vpcID: V | undefined) {
    return {
        apiVersion: apiVersionOf("TargetGroupBinding"),
        kind: "TargetGroupBinding",
        metadata: { name: bindingName(c), namespace: c.namespace },
        spec: {
            serviceRef: { name: c.serviceName, port: c.servicePort },
            ...target,
            targetType: "ip",
            ...(vpcID !== undefined ? { vpcID } : {}),
        },
    };
}
