import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons } from "./components/addons/clusterAddons";
import { CoreAddons } from "./components/addons/coreAddons";
import { Cluster } from "./components/cluster";
import { EbsStorage } from "./components/ebsStorage";
import { EfsStorage } from "./components/efsStorage";
import { Network } from "./components/network";
import { NodeGroups } from "./components/nodeGroups";
import { StackConfig } from "./config";
import { unknownWorkloadSettings } from "./config/workloads";
import { unknownCutoverServices } from "./migration/cutover/weights";
import { EcsMigration, EcsMigrationArgs, RouteOutput } from "./migration/ecsMigration";
import { MigrationPlan } from "./migration/translate/types";
import { EcsSnapshot } from "./core/snapshot";
import { announcePlan, summaryLine } from "./migration/planSummary";
import { describeSnapshot } from "./migration/source";
import { LogPlan, describeDestination } from "./migration/translate/logging";
import { translate } from "./migration/translate/translate";
import { Karpenter } from "./components/karpenter";
import { FargateProfiles } from "./components/fargate";
import { AutoModeStorage } from "./components/autoMode";
import { PlatformPlacement, placeOnPlatform, platformPlacement } from "./migration/capacity/placement";
import { declareAdoptedResources } from "./migration/adoptedResources";

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
    /** Where each migrated container's logs go: workload → container → destination. */
    readonly logRouting: Record<string, Record<string, string>> | undefined;
    /**
     * The log pipeline's role (addons:logPipeline; absent when it is off): each
     * migration shard puts the grant for its own log groups on it (migration/shards/logAccess.ts).
     */
    readonly logPipelineRoleName: pulumi.Output<string> | undefined;
    readonly logPipelineRoleArn: pulumi.Output<string> | undefined;
    /** aws:region, identity:mode and the largest node disk: what a migration shard must know of the platform (shardProgram.ts). */
    readonly region: string;
    readonly identityMode: StackConfig["identity"]["mode"];
    readonly largestNodeDiskGiB: number | undefined;
    /** The platform's compute as a shard must know it to place its pods as this stack would (migration/capacity/placement.ts). */
    readonly placement: PlatformPlacement;
}

/** The disk of the biggest node the node groups make: what a pod's ephemeral storage must fit in. */
function largestNodeDisk(config: StackConfig): number | undefined {
    return config.nodeGroups.length > 0 ? Math.max(...config.nodeGroups.map((g) => g.diskSizeGiB)) : undefined;
}

function logRouting(logs: LogPlan): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const d of logs.destinations) {
        (out[`${d.namespace}/${d.workload}`] ??= {})[d.container] = describeDestination(d);
    }
    return out;
}

/** Composes the platform from validated config. Kept apart from index.ts so tests can run it with any config. */
export function buildStack(config: StackConfig, snapshot?: EcsSnapshot): StackOutputs {
    const tags = { "ecs2eks:stack": config.stack, "ecs2eks:cluster": config.cluster.name };
    const partition = config.partition;
    declareAdoptedResources(config.migration.adoptedResources, process.cwd()); // what pulumi state move brought here from the ECS stacks
    const network = new Network("network", { config: config.network, clusterName: config.cluster.name, tags });
    const cluster = new Cluster("cluster", {
        config: config.cluster,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        partition,
        tags,
        ...(config.compute.autoMode ? { autoMode: true } : {}),
    });
    // Translated before the add-ons: the log pipeline is configured for the containers' log destinations.
    const translated = snapshot ? translate(snapshot, { nodeDiskGiB: largestNodeDisk(config), workloads: config.migration.workloads }) : undefined;
    const addonArgs = {
        logs: translated?.logs,
        namespaces: translated?.namespaces.map((n) => n.name),
        config: config.addons,
        identityMode: config.identity.mode,
        clusterName: config.cluster.name,
        kubernetesVersion: config.cluster.version,
        region: config.region,
        partition,
        vpcId: network.vpcId,
        tags,
        compute: { nodeProvisioner: config.compute.nodeProvisioner, autoMode: config.compute.autoMode },
    };
    const clusterAccess = { oidcProviderArn: cluster.oidcProviderArn, oidcProviderUrl: cluster.oidcProviderUrl, provider: cluster.provider };
    // Nodes become Ready only once pod networking is installed; the core add-ons wait for the cluster by its name.
    const coreAddons = new CoreAddons("core", { ...addonArgs, cluster: { name: cluster.name, ...clusterAccess } }, { dependsOn: [cluster] });
    const nodeGroups = new NodeGroups("nodes", {
        clusterName: cluster.name,
        // Auto Mode's NodePools replace the managed node groups.
        groups: config.compute.autoMode ? [] : config.nodeGroups,
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
    // The gp3 class and the snapshot class need the driver (the add-on's, or Auto Mode's own) and the snapshot CRDs.
    const placement = platformPlacement(config);
    const ebsDriver = placement.ebsDriver;
    if ((config.addons.enabled.ebsCsi || config.compute.autoMode) && config.addons.enabled.snapshotController) {
        new EbsStorage("ebs", { clusterName: config.cluster.name, provider: cluster.provider, tags, ...(ebsDriver ? { driver: ebsDriver } : {}) }, { dependsOn: [addons] });
    }
    const karpenter =
        config.compute.nodeProvisioner === "karpenter"
            ? new Karpenter(
                  "karpenter",
                  {
                      clusterName: config.cluster.name,
                      partition,
                      privateSubnetIds: network.privateSubnetIds,
                      privateSubnetCount: network.privateSubnetCount,
                      nodeSecurityGroupId: cluster.nodeSecurityGroupId,
                      diskSizeGiB: largestNodeDisk(config) ?? 50,
                      provider: cluster.provider,
                      tags,
                  },
                  // The NodePools need the controller's CRDs.
                  { dependsOn: [addons] },
              )
            : undefined;
    if (config.compute.autoMode) {
        new AutoModeStorage("auto-mode-storage", { provider: cluster.provider }, { dependsOn: [cluster] });
    }
    const fargate =
        config.compute.fargateNamespaces.length > 0
            ? new FargateProfiles("fargate", { clusterName: cluster.name, namespaces: config.compute.fargateNamespaces, privateSubnetIds: network.privateSubnetIds, partition, tags }, { dependsOn: [cluster] })
            : undefined;

    let migration: EcsMigration | undefined;
    if (snapshot && translated) {
        // Placed on the platform's compute, every pod checked to fit a node the cluster can make: as a shard's are.
        const plan = placeOnPlatform(translated, snapshot, placement, { clusterName: config.cluster.name, warn: (m) => void pulumi.log.warn(m) }).plan;
        migration = declareMigration(config, snapshot, plan, {
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
            // The controllers (load balancer, external secrets, KEDA) and the node provisioners must exist before their objects.
            opts: { dependsOn: [addons, nodeGroups, ...(karpenter ? [karpenter] : []), ...(fargate ? [fargate] : [])] },
        });
    }
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
        logRouting: translated?.logs ? logRouting(translated.logs) : undefined,
        logPipelineRoleName: addons.roles.logPipeline?.name,
        logPipelineRoleArn: addons.roles.logPipeline?.arn,
        region: config.region,
        identityMode: config.identity.mode,
        largestNodeDiskGiB: largestNodeDisk(config),
        placement,
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
    const unknownWorkloads = unknownWorkloadSettings(config.migration.workloads, services);
    if (unknownWorkloads.length > 0) {
        throw new pulumi.RunError(`migration:workloads.${unknownWorkloads[0]} names no ECS service of the snapshot; services: ${services.join(", ")}`);
    }
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
            testRoute: config.migration.testRoute,
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
