import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons } from "./components/addons/clusterAddons";
import { CoreAddons } from "./components/addons/coreAddons";
import { Cluster } from "./components/cluster";
import { EfsStorage } from "./components/efsStorage";
import { Network } from "./components/network";
import { NodeGroups } from "./components/nodeGroups";
import { StackConfig } from "./config";
import { unknownCutoverServices } from "./migration/cutover/weights";
import { EcsMigration, EcsMigrationArgs, RouteOutput } from "./migration/ecsMigration";
import { MigrationPlan } from "./migration/translate/types";
import { EcsSnapshot } from "./core/snapshot";
import { announcePlan, summaryLine } from "./migration/planSummary";
import { describeSnapshot } from "./migration/source";
import { translate } from "./migration/translate/translate";

/** What `pulumi stack output` shows and later stacks or tools consume. */
export interface StackOutputs {
    readonly clusterName: pulumi.Output<string>;
    readonly clusterEndpoint: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcProviderUrl: pulumi.Output<string>;
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly efsFileSystemId: pulumi.Output<string | undefined>;
    /** Which ECS state the migration works from, when there is one. */
    readonly ecsSource: ReturnType<typeof describeSnapshot> | undefined;
    /** Each load-balanced service's traffic split between ECS and EKS. */
    readonly routing: RouteOutput[] | undefined;
    /** aws:region, identity:mode and the largest node disk: what a migration shard must know of the platform (shardProgram.ts). */
    readonly region: string;
    readonly identityMode: StackConfig["identity"]["mode"];
    readonly largestNodeDiskGiB: number | undefined;
}

/** The disk of the biggest node the node groups make: what a pod's ephemeral storage must fit in. */
function largestNodeDisk(config: StackConfig): number | undefined {
    return config.nodeGroups.length > 0 ? Math.max(...config.nodeGroups.map((g) => g.diskSizeGiB)) : undefined;
}

/** Composes the platform from validated config. Kept apart from index.ts so tests can run it with any config. */
export function buildStack(config: StackConfig, snapshot?: EcsSnapshot): StackOutputs {
    const tags = { "ecs2eks:stack": config.stack, "ecs2eks:cluster": config.cluster.name };
    const partition = config.partition;
    const network = new Network("network", { config: config.network, clusterName: config.cluster.name, tags });
    const cluster = new Cluster("cluster", {
        config: config.cluster,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        partition,
        tags,
    });
    const addonArgs = {
        config: config.addons,
        identityMode: config.identity.mode,
        clusterName: config.cluster.name,
        kubernetesVersion: config.cluster.version,
        region: config.region,
        partition,
        vpcId: network.vpcId,
        tags,
    };
    const clusterAccess = { oidcProviderArn: cluster.oidcProviderArn, oidcProviderUrl: cluster.oidcProviderUrl, provider: cluster.provider };
    // Nodes become Ready only once pod networking is installed; the core add-ons wait for the cluster by its name.
    const coreAddons = new CoreAddons("core", { ...addonArgs, cluster: { name: cluster.name, ...clusterAccess } }, { dependsOn: [cluster] });
    const nodeGroups = new NodeGroups("nodes", {
        clusterName: cluster.name,
        groups: config.nodeGroups,
        subnetIds: network.privateSubnetIds,
        partition,
        tags,
    }, { dependsOn: [coreAddons] });
    const efs = config.storage.efs
        ? new EfsStorage("efs", {
              config: config.storage,
              vpcId: network.vpcId,
              privateSubnetIds: network.privateSubnetIds,
              privateSubnetCount: network.privateSubnetCount,
              nodeSecurityGroupId: cluster.nodeSecurityGroupId,
              provider: cluster.provider,
              tags,
          })
        : undefined;
    const addons = new ClusterAddons("addons", { ...addonArgs, cluster: { name: config.cluster.name, ...clusterAccess }, nodeGroups: [nodeGroups] });

    const migration = snapshot
        ? declareMigration(config, snapshot, translate(snapshot, { nodeDiskGiB: largestNodeDisk(config) }), {
              cluster: {
                  name: cluster.name,
                  provider: cluster.provider,
                  oidcProviderArn: cluster.oidcProviderArn,
                  oidcProviderUrl: cluster.oidcProviderUrl,
                  nodeSecurityGroupId: cluster.nodeSecurityGroupId,
              },
              vpcId: network.vpcId,
              identityMode: config.identity.mode,
              tags,
              // The controllers (load balancer, external secrets, KEDA) must exist before their objects.
              opts: { dependsOn: [addons, nodeGroups] },
          })
        : undefined;
    return {
        clusterName: cluster.name,
        clusterEndpoint: cluster.endpoint,
        kubeconfig: cluster.kubeconfig,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        nodeSecurityGroupId: cluster.nodeSecurityGroupId,
        nodeRoleArn: nodeGroups.roleArn,
        efsFileSystemId: efs ? efs.fileSystemId : pulumi.output(undefined),
        ecsSource: snapshot ? describeSnapshot(snapshot) : undefined,
        routing: migration?.routes,
        region: config.region,
        identityMode: config.identity.mode,
        largestNodeDiskGiB: largestNodeDisk(config),
    };
}

/** Where the migrated workloads go: the cluster of this stack, or of the platform stack a shard references. */
export interface MigrationTarget {
    readonly cluster: EcsMigrationArgs["cluster"];
    readonly vpcId: pulumi.Input<string>;
    readonly identityMode: StackConfig["identity"]["mode"];
    readonly tags: Readonly<Record<string, string>>;
    readonly opts?: pulumi.ComponentResourceOptions;
}

/** The migration component for a translated plan; shared by the platform stack and migration shards. */
export function declareMigration(config: StackConfig, snapshot: EcsSnapshot, plan: MigrationPlan, target: MigrationTarget): EcsMigration {
    const services = plan.workloads.map((w) => w.source.name);
    const unknown = unknownCutoverServices(config.migration.cutover, services);
    if (unknown.length > 0) {
        throw new pulumi.RunError(`migration:cutover.services.${unknown[0]} names no ECS service of the snapshot; services: ${services.join(", ")}`);
    }
    const summary = announcePlan(plan);
    void (summary.errors > 0 ? pulumi.log.warn : pulumi.log.info)(summaryLine(summary));
    return new EcsMigration(
        "migration",
        {
            plan,
            snapshot,
            cutover: config.migration.cutover,
            identityMode: target.identityMode,
            partition: config.partition,
            cluster: target.cluster,
            vpcId: target.vpcId,
            allowBroadIam: config.migration.allowBroadIam,
            allowPrivileged: config.migration.allowPrivileged,
            tags: target.tags,
        },
        target.opts,
    );
}
