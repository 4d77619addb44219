/** What capacity planning is told about the cluster's compute, as plain data. */

export type PoolKind = "node group" | "Karpenter NodePool" | "Auto Mode NodePool";

export interface PoolTaint {
    readonly key: string;
    readonly value: string;
    /** Kubernetes spelling: NoSchedule, NoExecute, PreferNoSchedule. */
    readonly effect: string;
}

/** A managed node group or a NodePool: the instance types its nodes may be and how many of them there can be. */
export interface CapacityPool {
    readonly name: string;
    readonly kind: PoolKind;
    readonly instanceTypes: readonly string[];
    readonly capacityType: "ON_DEMAND" | "SPOT";
    readonly taints: readonly PoolTaint[];
    /** Nodes at the desired size (a NodePool: none until pods need them). */
    readonly desiredNodes: number;
    /** A node group's maxSize; a NodePool is bounded by its limits instead. */
    readonly maxNodes?: number;
    /** A NodePool's spec.limits: the most CPU and memory its nodes may add up to. */
    readonly limits?: { readonly cpuMilli: number; readonly memoryMiB: number };
}

/** A DaemonSet an add-on runs on every node (or every GPU node), with its pod's requests. */
export interface DaemonSetOverhead {
    readonly name: string;
    readonly cpuMilli: number;
    readonly memoryMiB: number;
    /** Scheduled only on NVIDIA GPU instance types (its node affinity), so only they lose its requests. */
    readonly gpuNodesOnly?: boolean;
}

export interface CapacityOptions {
    readonly pools: readonly CapacityPool[];
    /** The add-ons' DaemonSets (addonDaemonSets); migrated DaemonSets are read from the plan. */
    readonly daemonSets: readonly DaemonSetOverhead[];
    /** The VPC CNI's prefix delegation, which raises maxPods. Default off (the platform's setting). */
    readonly prefixDelegation?: boolean;
    /** Namespaces with a Fargate profile: their pods that Fargate can run do not land on nodes. */
    readonly fargateNamespaces?: readonly string[];
}
