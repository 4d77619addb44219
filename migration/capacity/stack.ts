/** The capacity planning inputs of a stack's validated config. Pure. */
import type { NodeGroupConfig, StackConfig } from "../../config/types";
import { ADDONS } from "../../components/addons/registry";
import { ComputeChoice, DEFAULT_COMPUTE } from "../../components/addons/types";
import { autoModeCapacity } from "../../components/autoModeObjects";
import { nodePoolCapacity } from "../../components/karpenterObjects";
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

type Config = Pick<StackConfig, "nodeGroups" | "addons"> & { readonly compute?: StackConfig["compute"] };

const choiceOf = (config: Config): ComputeChoice => (config.compute ? { nodeProvisioner: config.compute.nodeProvisioner, autoMode: config.compute.autoMode } : DEFAULT_COMPUTE);

/** The add-ons this config installs, by registry key, as the add-on components decide. */
export function installedAddons(config: Config): string[] {
    const enabled = config.addons.enabled as Readonly<Record<string, boolean>>;
    const choice = choiceOf(config);
    return ADDONS.filter((a) => (!("toggle" in a) || enabled[a.key]) && (!("installWhen" in a) || a.installWhen(choice))).map((a) => a.key);
}

export function capacityOptions(config: Config): CapacityOptions {
    const choice = choiceOf(config);
    return {
        // Auto Mode replaces the node groups with its own NodePools.
        pools: choice.autoMode ? autoModeCapacity() : [...nodeGroupPools(config.nodeGroups), ...(choice.nodeProvisioner === "karpenter" ? nodePoolCapacity() : [])],
        daemonSets: addonDaemonSets(installedAddons(config)),
        ...(config.compute && config.compute.fargateNamespaces.length > 0 ? { fargateNamespaces: config.compute.fargateNamespaces } : {}),
    };
}
