import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { EcsSnapshot } from "./core/snapshot";
import { PlatformPlacement, placeOnPlatform, readPlacement } from "./migration/capacity/placement";
import { RouteOutput } from "./migration/ecsMigration";
import { shardPolicyName } from "./migration/shards/logAccess";
import { declareShardLogAccess, shardLogAccessFor } from "./migration/shards/logAccessResources";
import { SelectedEstate, selectEstate, unitId } from "./migration/shards/select";
import { describeSnapshot } from "./migration/source";
import { translate } from "./migration/translate/translate";
import { MigrationPlan } from "./migration/translate/types";
import { declareMigration } from "./program";

/**
 * The platform stack's outputs a migration shard reads through its stack
 * reference, and nothing else: the cluster to deploy onto (kubeconfig, name,
 * endpoint), the identity it hands out (OIDC provider, identity mode), the
 * network its pods join (VPC, node security group) and what the translator
 * must know of the nodes (region, largest node disk), and the log pipeline's
 * role the shard grants its log groups on (logPipelineRoleArn: absent when
 * addons:logPipeline is off on the platform, or the platform predates it;
 * the shard then grants nothing and warns), and the platform's compute
 * (placement: Auto Mode, node provisioner, Fargate namespaces, EBS driver,
 * node pools and DaemonSets), so the shard's pods are placed and checked as
 * the platform's own would be. The platform stack exports each under this
 * name (program.ts StackOutputs).
 */
export const PLATFORM_OUTPUTS = [
    "clusterName",
    "clusterEndpoint",
    "kubeconfig",
    "oidcProviderArn",
    "oidcProviderUrl",
    "nodeSecurityGroupId",
    "vpcId",
    "privateSubnetIds",
    "efsFileSystemId",
    "region",
    "identityMode",
    "largestNodeDiskGiB",
    "logPipelineRoleArn",
    "placement",
] as const;
export type PlatformOutputName = (typeof PLATFORM_OUTPUTS)[number];

/** What `pulumi stack output` shows for a shard. */
export interface ShardOutputs {
    readonly platformStack: string;
    readonly clusterName: pulumi.Output<string>;
    /** `cluster/name` of every ECS service and scheduled task this shard migrates: what the overlap check compares. */
    readonly migrates: string[];
    readonly ecsSource: ReturnType<typeof describeSnapshot>;
    readonly routing: RouteOutput[];
    /** The grant on the platform's log pipeline role: inline or managed, its size, and any name prefixes granted for many groups. */
    readonly logAccess: { readonly kind: string; readonly chars: number; readonly groups: number; readonly prefixes: string[] } | undefined;
}

/**
 * The plan's namespaces as this shard declares them. A namespace belongs to
 * exactly one stack (Kubernetes refuses a second create): of a cluster split
 * across shards, the shard that does not list it in migration:sharedClusters.
 * That shard's SecretStores read the secrets of the whole cluster's workloads,
 * so the other shards' ExternalSecrets resolve through them.
 */
function ownedNamespaces(plan: MigrationPlan, selected: SelectedEstate, snapshot: EcsSnapshot, shared: readonly string[], nodeDiskGiB: number | undefined): MigrationPlan {
    const owned = [...new Set(selected.units.map((u) => u.cluster))].filter((c) => !shared.includes(c));
    const whole = selectEstate(snapshot, { clusters: owned, include: [], exclude: [], tags: {} });
    // Translating again only when this shard owns clusters it holds part of: a shard of whole clusters has its namespaces already.
    const held = new Set(selected.units.map((u) => `${u.kind}:${unitId(u)}`));
    const partial = whole.units.some((u) => !held.has(`${u.kind}:${unitId(u)}`));
    const namespaces = owned.length === 0 ? [] : partial ? translate(whole.snapshot, { nodeDiskGiB }).namespaces : plan.namespaces;
    return { ...plan, namespaces: namespaces.filter((ns) => owned.includes(ns.cluster)) };
}

/**
 * The platform's compute. A platform stack older than this output cannot say
 * whether it runs Auto Mode (whose EBS driver the shard's classes must name),
 * Karpenter or Fargate profiles, or which nodes it makes: guessing would
 * mis-place pods or leave volumes unprovisioned with no error, so the shard
 * fails until the platform stack is updated (a `pulumi up` that only adds the output).
 */
async function platformPlacementOf(platform: pulumi.StackReference, stack: string): Promise<PlatformPlacement> {
    const reading = readPlacement(await platformValue<unknown>(platform, "placement", stack));
    if ("problem" in reading) {
        throw new pulumi.RunError(`platform stack ${stack}'s output placement ${reading.problem}; run \`pulumi up\` on the platform stack with the ecs2eks version of this shard`);
    }
    return reading.placement;
}

async function platformValue<T>(platform: pulumi.StackReference, name: PlatformOutputName, stack: string): Promise<T> {
    const details = await platform.getOutputDetails(name);
    const value = (details.value ?? details.secretValue) as T | undefined;
    if (value === undefined) {
        throw new pulumi.RunError(`platform stack ${stack} has no output ${name}; run \`pulumi up\` on it with this version of ecs2eks first (a migration shard reads ${PLATFORM_OUTPUTS.join(", ")})`);
    }
    return value;
}

/**
 * A migration shard: the part of the estate its config selects, deployed onto
 * the platform stack's cluster. It declares no platform resources: no VPC, no
 * cluster, no node groups, no add-ons.
 */
export async function buildShard(config: StackConfig, snapshot: EcsSnapshot): Promise<ShardOutputs> {
    const shard = config.migration.shard;
    if (!shard) {
        throw new Error("buildShard needs migration:platformStack");
    }
    const platform = new pulumi.StackReference("platform", { name: shard.platformStack });
    const region = await platformValue<string>(platform, "region", shard.platformStack);
    if (region !== config.region) {
        throw new pulumi.RunError(`aws:region ${config.region} differs from the platform stack's (${shard.platformStack}: ${region}); a shard deploys into its platform's region: set aws:region ${region}`);
    }
    // Plain text, not an Output: the migrated EBS classes carry it as a volume tag (placeOnPlatform).
    const clusterName = await platformValue<string>(platform, "clusterName", shard.platformStack);
    const identityMode = await platformValue<StackConfig["identity"]["mode"]>(platform, "identityMode", shard.platformStack);
    const nodeDisk = (await platform.getOutputDetails("largestNodeDiskGiB")).value as number | undefined;
    const selection = { clusters: config.migration.clusters, include: shard.include, exclude: shard.exclude, tags: shard.tags };
    const selected = selectEstate(snapshot, selection);
    for (const warning of selected.warnings) {
        void pulumi.log.warn(warning);
    }
    if (selected.units.length === 0) {
        void pulumi.log.warn(`this shard selects no ECS service or scheduled task of the snapshot; check migration:clusters, migration:services and migration:serviceTags (npx ecs2eks shards --check)`);
    }
    const placement = await platformPlacementOf(platform, shard.platformStack);
    const owned = ownedNamespaces(translate(selected.snapshot, { nodeDiskGiB: nodeDisk, workloads: config.migration.workloads }), selected, snapshot, shard.sharedClusters, nodeDisk);
    // As the platform stack places its own: Karpenter, Fargate, the capacity check, Auto Mode's EBS driver, the cluster's volume tag.
    const translated = placeOnPlatform(owned, selected.snapshot, placement, { shard: config.stack, clusterName, warn: (m) => void pulumi.log.warn(m) }).plan;
    const pipelineRoleArn = (await platform.getOutputDetails("logPipelineRoleArn")).value as string | undefined;
    const logAccess = shardLogAccessFor(pipelineRoleArn, translated, region, shard.platformStack);
    const plan = logAccess ? { ...translated, diagnostics: [...translated.diagnostics, ...logAccess.access.diagnostics] } : translated;
    const out = (name: PlatformOutputName) => platform.requireOutput(name) as pulumi.Output<string>;
    const provider = new k8s.Provider("platform-k8s", { kubeconfig: out("kubeconfig"), enableServerSideApply: true });
    const tags = { "ecs2eks:stack": config.stack, "ecs2eks:platform-stack": shard.platformStack };
    const migration = declareMigration(config, selected.snapshot, plan, {
        cluster: {
            name: out("clusterName"),
            provider,
            oidcProviderArn: out("oidcProviderArn"),
            oidcProviderUrl: out("oidcProviderUrl"),
            nodeSecurityGroupId: out("nodeSecurityGroupId"),
        },
        vpcId: out("vpcId"),
        identityMode,
        tags,
    });
    if (logAccess) {
        declareShardLogAccess(logAccess.access, { roleName: logAccess.roleName, policyName: shardPolicyName(pulumi.getProject(), config.stack), platformStack: shard.platformStack, tags }, migration);
    }
    return {
        platformStack: shard.platformStack,
        clusterName: out("clusterName"),
        migrates: selected.units.map(unitId),
        ecsSource: describeSnapshot(selected.snapshot),
        routing: migration.routes,
        logAccess: logAccess ? { kind: logAccess.access.kind, chars: logAccess.access.chars, groups: logAccess.access.groups.length, prefixes: logAccess.access.collapsed.map((c) => `${c.prefix}*`) } : undefined,
    };
}
