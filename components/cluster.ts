import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig } from "../config";
import { PUBLIC_ENDPOINT_ALLOWED_TAG } from "../core/allowances";
import { awsServiceRole } from "./iam/serviceRole";

/** Control-plane logs every production cluster keeps: who called the API and what it did. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"] as const;

/** What the control plane's role needs: run the cluster, manage pod ENIs. */
export const CLUSTER_MANAGED_POLICIES = ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"] as const;

/** What EKS Auto Mode needs of the cluster role besides the above: it runs compute, block storage, load balancing and networking (Amazon EKS User Guide, "Automate cluster infrastructure with EKS Auto Mode", cluster IAM role). */
export const AUTO_MODE_CLUSTER_POLICIES = ["AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"] as const;

export interface ClusterArgs {
    readonly config: ClusterConfig;
    /** EKS Auto Mode (cluster:autoMode); default off. */
    readonly autoMode?: boolean;
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Only for internet-facing load balancers; the control plane and nodes stay private. */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Partition for managed policy ARNs. Default "aws". */
    readonly partition?: string;
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The EKS control plane: access entries (API mode), an OIDC provider for IRSA,
 * envelope encryption of Secrets with a key of its own, a private endpoint,
 * audit logs, and no default node group. Exposes a Kubernetes provider built
 * from the cluster's kubeconfig for everything that runs on it.
 */
export class Cluster extends pulumi.ComponentResource {
    readonly name: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcProviderUrl: pulumi.Output<string>;
    /** The EKS-managed cluster security group, which managed nodes join. */
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    readonly secretsKeyArn: pulumi.Output<string>;
    readonly provider: k8s.Provider;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:platform:Cluster", name, {}, opts);
        const config = args.config;

        const secretsKey = new aws.kms.Key(
            `${name}-secrets`,
            {
                description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${config.name}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags: { ...args.tags },
            },
            // Kept on destroy, like every key: KMS schedules deletion, and what it encrypted would be lost.
            { parent: this, retainOnDelete: true },
        );

        // Our own service role so it carries AmazonEKSVPCResourceController,
        // which gives pods their own ENIs and security groups.
        const partition = args.partition ?? "aws";
        const { role: serviceRole, attachments: serviceRolePolicies } = awsServiceRole(
            `${name}-service`,
            {
                service: "eks.amazonaws.com",
                actions: ["sts:AssumeRole", "sts:TagSession"],
                description: `EKS control plane of ${config.name}`,
                managedPolicies: args.autoMode ? [...CLUSTER_MANAGED_POLICIES, ...AUTO_MODE_CLUSTER_POLICIES] : CLUSTER_MANAGED_POLICIES,
                partition,
                tags: args.tags,
            },
            this,
        );

        const accessEntries: Record<string, eks.types.input.AccessEntryArgs> = {};
        config.adminPrincipalArns.forEach((principalArn, i) => {
            accessEntries[`admin-${i}`] = {
                principalArn,
                accessPolicies: {
                    admin: {
                        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                        accessScope: { type: "cluster" },
                    },
                },
            };
        });

        const publicAccess = config.publicAccessCidrs.length > 0;
        const cluster = new eks.Cluster(
            name,
            {
                name: config.name,
                version: config.version,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                publicSubnetIds: args.publicSubnetIds,
                nodeAssociatePublicIpAddress: false,
                authenticationMode: "API",
                accessEntries,
                createOidcProvider: true,
                encryptionConfigKeyArn: secretsKey.arn,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicAccess,
                ...(publicAccess ? { publicAccessCidrs: [...config.publicAccessCidrs] } : {}),
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                serviceRole,
                skipDefaultNodeGroup: true,
                // CoreAddons installs vpc-cni, kube-proxy and CoreDNS as EKS managed
                // add-ons at the versions pinned in components/addons/versions.ts.
                bootstrapSelfManagedAddons: false,
                useDefaultVpcCni: true,
                corednsAddonOptions: { enabled: false },
                kubeProxyAddonOptions: { enabled: false },
                // Managed node groups join the EKS-managed cluster security group;
                // the component's extra groups would only be used by self-managed nodes.
                skipDefaultSecurityGroups: true,
                deletionProtection: config.deletionProtection,
                // Auto Mode: EKS runs the nodes (its general-purpose and system NodePools, with a node role
                // and access entry the component makes), EBS volumes and load balancers.
                ...(args.autoMode ? { autoMode: { enabled: true, createNodeRole: true, computeConfig: { nodePools: ["general-purpose", "system"] } } } : {}),
                // The policy pack reads the explicit allowance from here.
                tags: { ...args.tags, ...(config.allowPublicEndpointFromAnywhere ? { [PUBLIC_ENDPOINT_ALLOWED_TAG]: "true" } : {}) },
            },
            { parent: this, dependsOn: serviceRolePolicies },
        );

        this.name = pulumi.output(config.name);
        this.endpoint = cluster.eksCluster.apply((c) => c.endpoint);
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcProviderUrl = cluster.oidcProviderUrl;
        this.nodeSecurityGroupId = cluster.eksCluster.apply((c) => c.vpcConfig.clusterSecurityGroupId);
        this.secretsKeyArn = secretsKey.arn;
        this.provider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this },
        );

        this.registerOutputs({
            name: this.name,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            oidcProviderArn: this.oidcProviderArn,
            oidcProviderUrl: this.oidcProviderUrl,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            secretsKeyArn: this.secretsKeyArn,
        });
    }
}
