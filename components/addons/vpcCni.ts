import { addon } from "./types";

/**
 * VPC CNI settings: pod ENIs so SecurityGroupPolicies can give pods the ECS
 * services' security groups, and network policy enforcement. Early demux off
 * keeps kubelet probes working for pods with their own security groups.
 * Keys checked in aws/amazon-vpc-cni-k8s@v1.20.1:charts/aws-vpc-cni/values.yaml
 * (enableNetworkPolicy, env and init.env, both rendered as given); the EKS
 * add-on's own schema is checked on first deploy (docs/first-real-deploy.md).
 */
export const VPC_CNI_CONFIGURATION = {
    enableNetworkPolicy: "true",
    env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
    init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } },
} as const;

/** Pod networking. Its own role, so the node role does not carry its permissions. */
export const vpcCni = addon({
    key: "vpc-cni",
    title: "Amazon VPC CNI",
    phase: "core",
    install: { kind: "eks-addon", name: "vpc-cni" },
    // EKS Auto Mode runs it as part of the node (Amazon EKS User Guide, "EKS Auto Mode": networking, DNS, pod identity).
    installWhen: (c) => !c.autoMode,
    identity: {
        namespace: "kube-system",
        serviceAccount: "aws-node",
        createdBy: "eks-addon",
        managedPolicies: ["AmazonEKS_CNI_Policy"],
        // IRSA even in pod-identity mode: the CNI must work before any pod
        // (the Pod Identity agent included) can get an address.
        mode: "irsa",
        description: "Amazon VPC CNI (aws-node)",
        permits: "`AmazonEKS_CNI_Policy`",
    },
    about: "pod ENIs on (security groups for pods), network policy on",
    deploy(ctx) {
        ctx.eksAddon({ role: ctx.role(), configurationValues: VPC_CNI_CONFIGURATION });
    },
});
