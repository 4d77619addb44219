import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddonsConfig, IdentityMode } from "../../config";
import { clusterAutoscalerPolicy, kedaPolicy, loadBalancerControllerPolicy } from "../iam/addonPolicies";
import { PolicyDocument } from "../../core/iam/policyDocument";
import { IrsaRole } from "../irsaRole";
import { CLUSTER_AUTOSCALER_IMAGE_PATCH, HelmChartKey, HELM_CHARTS, addonVersion, chartVersion } from "./versions";

export interface ClusterAddonsArgs {
    readonly config: AddonsConfig;
    readonly identityMode: IdentityMode;
    readonly clusterName: string;
    readonly kubernetesVersion: string;
    readonly region: string;
    readonly partition: string;
    readonly vpcId: pulumi.Input<string>;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
    readonly provider: k8s.Provider;
    /** Controllers need somewhere to run: releases and CoreDNS wait for these. */
    readonly nodeGroups: readonly pulumi.Resource[];
    readonly tags?: Readonly<Record<string, string>>;
}

/** Namespaces and service accounts of the controllers, as their charts expect them. */
export const ADDON_SERVICE_ACCOUNTS = {
    loadBalancerController: { namespace: "kube-system", name: "aws-load-balancer-controller" },
    efsCsi: { namespace: "kube-system", name: "efs-csi-controller-sa" },
    clusterAutoscaler: { namespace: "kube-system", name: "cluster-autoscaler" },
    keda: { namespace: "keda", name: "keda-operator" },
} as const;

/**
 * The controllers a migration needs, each switched in config and each with a
 * role that can do its job and nothing else: AWS Load Balancer Controller,
 * EFS CSI driver, metrics-server, Cluster Autoscaler, KEDA and External
 * Secrets Operator, plus CoreDNS. Installed after the node groups exist.
 */
export class ClusterAddons extends pulumi.ComponentResource {
    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:addons:ClusterAddons", name, {}, opts);
        const { config, provider, partition, region } = args;
        const overrides = config.versionOverrides;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const after = { parent: this, dependsOn: [...args.nodeGroups] };

        const role = (key: keyof typeof ADDON_SERVICE_ACCOUNTS, extra: { managedPolicyArns?: string[]; inline?: pulumi.Input<PolicyDocument>; createServiceAccount?: boolean; dependsOn?: pulumi.Resource[] }) => {
            const sa = ADDON_SERVICE_ACCOUNTS[key];
            return new IrsaRole(
                `${name}-${key}`,
                {
                    mode: args.identityMode,
                    clusterName: args.clusterName,
                    oidcProviderArn: args.oidcProviderArn,
                    oidcProviderUrl: args.oidcProviderUrl,
                    namespace: sa.namespace,
                    serviceAccountName: sa.name,
                    createServiceAccount: extra.createServiceAccount ?? true,
                    provider,
                    managedPolicyArns: extra.managedPolicyArns,
                    inlinePolicies: extra.inline ? { policy: extra.inline } : undefined,
                    tags: args.tags,
                },
                { parent: this, dependsOn: extra.dependsOn },
            );
        };
        // Pod Security Admission as for migrated namespaces: the controllers' charts run
        // restricted-compliant pods, baseline is enforced and restricted reported.
        const podSecurity = { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" };
        const namespace = (ns: string) => new k8s.core.v1.Namespace(`${name}-${ns}`, { metadata: { name: ns, labels: podSecurity } }, { parent: this, provider });
        const release = (key: HelmChartKey, ns: string, values: Record<string, unknown>, dependsOn: pulumi.Resource[] = []) =>
            new k8s.helm.v3.Release(
                `${name}-${key}`,
                {
                    name: key,
                    chart: HELM_CHARTS[key].chart,
                    version: chartVersion(key, overrides),
                    repositoryOpts: { repo: HELM_CHARTS[key].repo },
                    namespace: ns,
                    values,
                    atomic: true,
                    cleanupOnFail: true,
                    timeout: 600,
                },
                { parent: this, provider, dependsOn: [...dependsOn, ...args.nodeGroups] },
            );
        const eksAddon = (addonName: "coredns" | "aws-efs-csi-driver", extra: Partial<aws.eks.AddonArgs> = {}) =>
            new aws.eks.Addon(
                `${name}-${addonName}`,
                {
                    clusterName: args.clusterName,
                    addonName,
                    addonVersion: addonVersion(addonName, overrides),
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                    tags: { ...args.tags },
                    ...extra,
                },
                after,
            );

        // CoreDNS reports DEGRADED until it has nodes to run on.
        eksAddon("coredns");

        if (config.enabled.efsCsi) {
            const efsRole = role("efsCsi", {
                managedPolicyArns: [`arn:${partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy`],
                createServiceAccount: false,
            });
            eksAddon("aws-efs-csi-driver", args.identityMode === "irsa" ? { serviceAccountRoleArn: efsRole.roleArn } : {});
        }

        if (config.enabled.loadBalancerController) {
            const lbc = role("loadBalancerController", { inline: loadBalancerControllerPolicy(partition) });
            release(
                "aws-load-balancer-controller",
                "kube-system",
                {
                    clusterName: args.clusterName,
                    // Told, not discovered: IMDS is out of reach of pods (hop limit 1).
                    region,
                    vpcId: args.vpcId,
                    replicaCount: 2,
                    serviceAccount: { create: false, name: ADDON_SERVICE_ACCOUNTS.loadBalancerController.name },
                },
                lbc.serviceAccount ? [lbc.serviceAccount] : [],
            );
        }

        if (config.enabled.metricsServer) {
            release("metrics-server", "kube-system", { replicas: 2 });
        }

        if (config.enabled.clusterAutoscaler) {
            const ca = role("clusterAutoscaler", {
                inline: account.apply((acct) => clusterAutoscalerPolicy(args.clusterName, partition, region, acct)),
            });
            release(
                "cluster-autoscaler",
                "kube-system",
                {
                    autoDiscovery: { clusterName: args.clusterName },
                    awsRegion: region,
                    cloudProvider: "aws",
                    image: { tag: `v${args.kubernetesVersion}.${CLUSTER_AUTOSCALER_IMAGE_PATCH}` },
                    rbac: { serviceAccount: { create: false, name: ADDON_SERVICE_ACCOUNTS.clusterAutoscaler.name } },
                    extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
                },
                ca.serviceAccount ? [ca.serviceAccount] : [],
            );
        }

        if (config.enabled.keda) {
            const ns = namespace("keda");
            const keda = role("keda", {
                inline: account.apply((acct) => kedaPolicy(partition, region, acct)),
                dependsOn: [ns],
            });
            release(
                "keda",
                "keda",
                { serviceAccount: { operator: { create: false, name: ADDON_SERVICE_ACCOUNTS.keda.name } } },
                keda.serviceAccount ? [keda.serviceAccount] : [ns],
            );
        }

        if (config.enabled.externalSecrets) {
            // No AWS role for the operator itself: each SecretStore reads with its
            // own namespace's role, scoped to the secrets that namespace uses.
            const ns = namespace("external-secrets");
            release("external-secrets", "external-secrets", { installCRDs: true }, [ns]);
        }

        this.registerOutputs({});
    }
}
