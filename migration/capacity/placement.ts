/**
 * What the platform's compute does to a translated plan before it is
 * declared, for both roles of the program: the platform stack (program.ts)
 * and a migration shard onto its cluster (shardProgram.ts), which learns the
 * platform's compute from the stack output `placement`. One function applies
 * it, so a shard's pods are placed, labelled, checked and given storage as
 * the platform's own would be:
 *   1. Karpenter placement (capacity-type affinity, ECS strategy spreads),
 *   2. the Fargate profile's label in cluster:fargateNamespaces,
 *   3. the capacity check against the nodes the cluster can make,
 *   4. the EBS driver's name under EKS Auto Mode.
 * Pure.
 */
import type { NodeProvisioner, StackConfig } from "../../config/types";
import { AUTO_MODE_EBS_PROVISIONER } from "../../components/autoModeObjects";
import type { EcsSnapshot } from "../../core/snapshot";
import { withClusterVolumeTag, withEbsDriver } from "../../core/ebsVolumeSpec";
import { MigrationPlan } from "../translate/types";
import { CapacityResult, checkCapacity } from "./check";
import { withFargateLabels } from "./fargate";
import { withKarpenterPlacement } from "./spread";
import { capacityOptions } from "./stack";
import { CapacityOptions, CapacityPool, DaemonSetOverhead } from "./types";

/** Bumped when a field changes meaning or a shard must read a new one; a shard refuses a version it does not know. */
export const PLACEMENT_VERSION = 1;

/**
 * The platform stack's output `placement`: plain JSON, everything
 * placeOnPlatform needs of the platform's config. The pools and DaemonSets
 * are capacityOptions(config)'s, as the platform's ecs2eks computed them.
 */
export interface PlatformPlacement {
    readonly version: typeof PLACEMENT_VERSION;
    /** cluster:autoMode. */
    readonly autoMode: boolean;
    /** addons:nodeProvisioner. */
    readonly nodeProvisioner: NodeProvisioner;
    /** cluster:fargateNamespaces, sorted. */
    readonly fargateNamespaces: readonly string[];
    /** The driver the migrated EBS classes must name; absent: the EBS CSI add-on's, which the translator names. */
    readonly ebsDriver?: string;
    /** The node groups and NodePools the cluster makes nodes from. */
    readonly pools: readonly CapacityPool[];
    /** The add-ons' DaemonSets on every node. */
    readonly daemonSets: readonly DaemonSetOverhead[];
}

type Config = Pick<StackConfig, "nodeGroups" | "addons" | "compute">;

/** Drops keys whose value is undefined: the output is JSON, and a stack output keeps no undefined. */
const plainPool = (p: CapacityPool): CapacityPool => JSON.parse(JSON.stringify(p)) as CapacityPool;

/** The platform's placement, from its validated config. */
export function platformPlacement(config: Config): PlatformPlacement {
    const capacity = capacityOptions(config);
    return {
        version: PLACEMENT_VERSION,
        autoMode: config.compute.autoMode,
        nodeProvisioner: config.compute.nodeProvisioner,
        fargateNamespaces: [...config.compute.fargateNamespaces],
        // Auto Mode provisions EBS volumes with its own driver; the add-on's is not installed there.
        ...(config.compute.autoMode ? { ebsDriver: AUTO_MODE_EBS_PROVISIONER } : {}),
        pools: capacity.pools.map(plainPool),
        daemonSets: capacity.daemonSets.map((d) => ({ ...d })),
    };
}

/** capacityOptions(config) of the platform, from its placement. */
export function placementCapacity(placement: PlatformPlacement): CapacityOptions {
    return {
        pools: placement.pools,
        daemonSets: placement.daemonSets,
        ...(placement.fargateNamespaces.length > 0 ? { fargateNamespaces: placement.fargateNamespaces } : {}),
    };
}

export interface PlaceOptions {
    /**
     * The shard's stack, when a migration shard places its part of the
     * estate: its capacity totals count only its own pods (other shards'
     * share the nodes), which the plan then says.
     */
    readonly shard?: string;
    /**
     * The cluster's name, when known: the migrated EBS volumes carry it as a
     * tag, since Velero's role snapshots only volumes so tagged and the pure
     * translator cannot know it. Unknown (plan without --stack): no tag.
     */
    readonly clusterName?: string;
    /** Where a replaced ECS tag of the same key is said. */
    readonly warn?: (message: string) => void;
}

/** The plan as the platform's compute runs it: steps 1 to 4, in this order, then the cluster's volume tag. */
export function placeOnPlatform(plan: MigrationPlan, snapshot: EcsSnapshot, placement: PlatformPlacement, options: PlaceOptions = {}): CapacityResult {
    const placed = placement.nodeProvisioner === "karpenter" ? withKarpenterPlacement(plan, snapshot) : plan;
    const { plan: checked, capacity } = checkCapacity(withFargateLabels(placed, placement.fargateNamespaces), placementCapacity(placement));
    const driver = placement.ebsDriver;
    const cluster = options.clusterName;
    const stored =
        driver || cluster
            ? {
                  ...checked,
                  workloads: checked.workloads.map((w) => ({
                      ...w,
                      objects: w.objects.map((o) => {
                          const driven = driver ? withEbsDriver(o, driver) : o;
                          return cluster ? withClusterVolumeTag(driven, cluster, options.warn) : driven;
                      }),
                  })),
              }
            : checked;
    if (options.shard === undefined || stored.workloads.length === 0) {
        return { plan: stored, capacity };
    }
    const noted: MigrationPlan = {
        ...stored,
        diagnostics: [
            ...stored.diagnostics,
            {
                code: "CAPACITY_SHARD_TOTALS",
                severity: "info",
                service: "",
                field: "desiredCount",
                message:
                    `shard ${options.shard} checks its own pods against the platform's nodes: whether each pod fits a node is exact, ` +
                    `but its estate totals against the node maxima are a lower bound, since the other shards' pods share the same nodes`,
                suggestion: "for the whole estate's totals, run npx ecs2eks plan --snapshot <the whole snapshot> --stack <the platform stack>",
            },
        ],
    };
    return { plan: noted, capacity };
}

export type PlacementReading = { readonly placement: PlatformPlacement } | { readonly problem: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** The output `placement` as a stack reference returns it (untyped JSON): the placement, or what is wrong with it. */
export function readPlacement(value: unknown): PlacementReading {
    if (!isObj(value)) {
        return { problem: `is ${JSON.stringify(value)}, not an object` };
    }
    if (value.version !== PLACEMENT_VERSION) {
        return {
            problem: `has version ${JSON.stringify(value.version)}; this ecs2eks reads version ${PLACEMENT_VERSION}: run the shard with the ecs2eks version the platform stack was last updated with`,
        };
    }
    const provisioners: readonly unknown[] = ["cluster-autoscaler", "karpenter"];
    const poolOk = (p: unknown) => isObj(p) && typeof p.name === "string" && isStringList(p.instanceTypes) && typeof p.desiredNodes === "number" && Array.isArray(p.taints);
    const daemonSetOk = (d: unknown) => isObj(d) && typeof d.name === "string" && typeof d.cpuMilli === "number" && typeof d.memoryMiB === "number" && (d.gpuNodesOnly === undefined || typeof d.gpuNodesOnly === "boolean");
    const wrong = [
        typeof value.autoMode !== "boolean" ? "autoMode" : undefined,
        !provisioners.includes(value.nodeProvisioner) ? "nodeProvisioner" : undefined,
        !isStringList(value.fargateNamespaces) ? "fargateNamespaces" : undefined,
        value.ebsDriver !== undefined && typeof value.ebsDriver !== "string" ? "ebsDriver" : undefined,
        !Array.isArray(value.pools) || !value.pools.every(poolOk) ? "pools" : undefined,
        !Array.isArray(value.daemonSets) || !value.daemonSets.every(daemonSetOk) ? "daemonSets" : undefined,
    ].filter((f): f is string => f !== undefined);
    if (wrong.length > 0) {
        return { problem: `has no valid ${wrong.join(", ")}` };
    }
    return { placement: value as unknown as PlatformPlacement };
}
