import { loadBalancerControllerPolicy } from "../iam/addonPolicies";
import { addon } from "./types";

const SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** Binds Services to ALB target groups: the canaries' TargetGroupBindings, and Ingresses. */
export const loadBalancerController = addon({
    key: "loadBalancerController",
    title: "AWS Load Balancer Controller",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "helm", chart: "aws-load-balancer-controller", namespace: "kube-system" },
    identity: {
        namespace: "kube-system",
        serviceAccount: SERVICE_ACCOUNT,
        createdBy: "ecs2eks",
        policy: ({ partition }) => loadBalancerControllerPolicy(partition),
        permits: "the controller's published IAM policy (`components/iam/aws-load-balancer-controller-policy.json`)",
    },
    about: "two replicas, told its region and VPC since pods cannot reach IMDS",
    deploy(ctx) {
        const role = ctx.role();
        ctx.helmRelease(
            {
                clusterName: ctx.env.clusterName,
                // Told, not discovered: IMDS is out of reach of pods (hop limit 1).
                region: ctx.env.region,
                vpcId: ctx.vpcId,
                replicaCount: 2,
                serviceAccount: { create: false, name: SERVICE_ACCOUNT },
            },
            role.serviceAccount ? [role.serviceAccount] : [],
        );
    },
});
