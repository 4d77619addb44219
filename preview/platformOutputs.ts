import { validateConfig } from "../config/validate";
import { platformPlacement } from "../migration/capacity/placement";
import { clusterOutputs, mockArn, vpcOutputs } from "./mocks";
import { ProjectFiles, listStacks, loadStackConfigValues } from "./project";
import { StackConfigError, StackConfigValues } from "./stackConfig";

/** The stack part of org/project/stack: the name of its Pulumi.<stack>.yaml. */
export const stackNameOf = (qualified: string): string => qualified.split("/").pop() ?? qualified;

/** The fully qualified platform stack a stack's config names, when it is a migration shard. */
export function platformStackOf(values: StackConfigValues): string | undefined {
    return values.values["migration:platformStack"];
}

/**
 * What a shard's stack reference reads from its platform stack, offline: the
 * platform stack's own config (Pulumi.<stack>.yaml in this project) run
 * through the same validation and the same mocks its offline preview uses,
 * so a shard previews with no cloud and no Pulumi backend. The names are
 * PLATFORM_OUTPUTS (shardProgram.ts); the platform test checks they match
 * what the platform's offline preview exports.
 */
export function offlinePlatformOutputs(project: ProjectFiles, platformStack: string): Record<string, unknown> {
    const stack = stackNameOf(platformStack);
    if (!listStacks(project).includes(stack)) {
        throw new StackConfigError(`migration:platformStack ${platformStack}: no Pulumi.${stack}.yaml in ${project.dir}; the offline preview of a shard reads its platform stack's config there (stacks here: ${listStacks(project).join(", ") || "none"})`);
    }
    const config = validateConfig(loadStackConfigValues(project, stack, []).values, stack);
    const cluster = clusterOutputs("cluster", { name: config.cluster.name });
    const network = config.network.mode === "existing"
        ? { vpcId: config.network.vpcId, privateSubnetIds: [...config.network.privateSubnetIds] }
        : vpcOutputs("network", { numberOfAvailabilityZones: config.network.azCount });
    const disks = config.nodeGroups.map((g) => g.diskSizeGiB);
    return {
        clusterName: config.cluster.name,
        clusterEndpoint: (cluster.eksCluster as { endpoint: string }).endpoint,
        kubeconfig: cluster.kubeconfigJson,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        nodeSecurityGroupId: (cluster.eksCluster as { vpcConfig: { clusterSecurityGroupId: string } }).vpcConfig.clusterSecurityGroupId,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        efsFileSystemId: config.storage.efs ? "fs-platform" : undefined,
        region: config.region,
        identityMode: config.identity.mode,
        largestNodeDiskGiB: disks.length > 0 ? Math.max(...disks) : undefined,
        placement: platformPlacement(config),
        // The role program.ts declares for the add-on (ClusterAddons "addons", key logPipeline); none when it is off.
        ...(config.addons.enabled.logPipeline ? { logPipelineRoleArn: mockArn("aws:iam/role:Role", "addons-logPipeline") } : {}),
    };
}
