import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../irsaRole";
import { addonVersion } from "./versions";

export interface CoreAddonsArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
    readonly versionOverrides: Readonly<Record<string, string>>;
    readonly partition?: string;
    readonly tags?: Readonly<Record<string, string>>;
}

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

/**
 * The EKS managed add-ons nodes need to become Ready (pod networking,
 * kube-proxy, the Pod Identity agent), installed before any node group. The
 * VPC CNI gets its own role, so the node role does not carry its permissions.
 */
export class CoreAddons extends pulumi.ComponentResource {
    constructor(name: string, args: CoreAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:addons:CoreAddons", name, {}, opts);
        const partition = args.partition ?? "aws";
        const addon = (addonName: "vpc-cni" | "kube-proxy" | "eks-pod-identity-agent", extra: Partial<aws.eks.AddonArgs> = {}) =>
            new aws.eks.Addon(
                `${name}-${addonName}`,
                {
                    clusterName: args.clusterName,
                    addonName,
                    addonVersion: addonVersion(addonName, args.versionOverrides),
                    // Take over the copy EKS may have installed itself; keep our settings on upgrade.
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                    tags: { ...args.tags },
                    ...extra,
                },
                { parent: this },
            );

        // IRSA even in pod-identity mode: the CNI must work before any pod
        // (the Pod Identity agent included) can get an address.
        const cniRole = new IrsaRole(
            `${name}-vpc-cni`,
            {
                mode: "irsa",
                clusterName: args.clusterName,
                oidcProviderArn: args.oidcProviderArn,
                oidcProviderUrl: args.oidcProviderUrl,
                namespace: "kube-system",
                serviceAccountName: "aws-node",
                createServiceAccount: false,
                managedPolicyArns: [`arn:${partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
                description: "Amazon VPC CNI (aws-node)",
                tags: args.tags,
            },
            { parent: this },
        );
        addon("vpc-cni", { serviceAccountRoleArn: cniRole.roleArn, configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) });
        addon("kube-proxy");
        addon("eks-pod-identity-agent");
        this.registerOutputs({});
    }
}
