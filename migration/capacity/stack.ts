/** The capacity planning inputs of a stack's validated config. Pure. */
import type { NodeGroupConfig, StackConfig } from "../../config/types";
import { ADDONS } from "../../components/addons/registry";
import { addonDaemonSets } from "./daemonSets";
import { CapacityOptions, CapacityPool } from "./types";

const EFFECT: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

export function nodeGroupPools(groups: readonly NodeGroupConfig[]): CapacityPool[] {
    return groups.map((g) => ({
        name: g.name,
        kind: "node group",
        instanceTypes: g.instanceTypes,
        capacityType: g.capacityType,
        taints: g.taints.map((t) => ({ key: t.key, value: t.value, effect: EFFECT[t.effect] })),
        desiredNodes: g.desiredSize,
        maxNodes: g.maxSize,
    }));
}

/** The add-ons this config installs, by registry key. */
export function installedAddons(config: Pick<StackConfig, "addons">): string[] {
    const enabled = config.addons.enabled as Readonly<Record<string, boolean>>;
    return ADDONS.filter((a) => !("toggle" in a) || enabled[a.key]).map((a) => a.key);
}

export function capacityOptions(config: Pick<StackConfig, "nodeGroups" | "addons">): CapacityOptions {
    return { pools: nodeGroupPools(config.nodeGroups), daemonSets: addonDaemonSets(installedAddons(config)) };
}
