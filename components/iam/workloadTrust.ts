import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { IdentityMode } from "../../config/types";
import { eksClusterArn, workloadTrustPolicy } from "../../core/iam/trustPolicy";

export interface TrustedCluster {
    readonly name: pulumi.Input<string>;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
}

/** Builds a workload role's trust policy (JSON) for a service account of the cluster. */
export type WorkloadTrust = (mode: IdentityMode, namespace: string, serviceAccount: string) => pulumi.Output<string>;

/**
 * The one way roles for service accounts get their trust, for IrsaRole and
 * the migrated workloads alike. The account and the cluster's ARN, which
 * Pod Identity trusts name, are looked up once and only when needed.
 */
export function workloadTrust(cluster: TrustedCluster, parent: pulumi.Resource): WorkloadTrust {
    let podIdentityScope: pulumi.Output<{ account: string; clusterArn: string }> | undefined;
    const scope = () =>
        (podIdentityScope ??= pulumi
            .all([
                aws.getCallerIdentityOutput({}, { parent }).accountId,
                aws.getPartitionOutput({}, { parent }).partition,
                aws.getRegionOutput({}, { parent }).region,
                cluster.name,
            ])
            .apply(([account, partition, region, name]) => ({ account, clusterArn: eksClusterArn(partition, region, account, name) })));
    return (mode, namespace, serviceAccount) =>
        mode === "irsa"
            ? pulumi
                  .all([cluster.oidcProviderArn, cluster.oidcProviderUrl])
                  .apply(([oidcProviderArn, oidcProviderUrl]) => JSON.stringify(workloadTrustPolicy({ mode, oidcProviderArn, oidcProviderUrl }, namespace, serviceAccount)))
            : scope().apply(({ account, clusterArn }) => JSON.stringify(workloadTrustPolicy({ mode, account, clusterArn }, namespace, serviceAccount)));
}
