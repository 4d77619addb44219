/**
 * What config may say about one migrated ECS service's workload
 * (migration:workloads.<service>): plain data read by config/ and the translator.
 */

/** The kinds a service may be turned into; without a setting a service becomes a Deployment (a DaemonSet for DAEMON). */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** StatefulSet pod management: one ordinal at a time (the default, what a database's replicas expect), or all at once. */
export const POD_MANAGEMENT_POLICIES = ["OrderedReady", "Parallel"] as const;
export type PodManagementPolicy = (typeof POD_MANAGEMENT_POLICIES)[number];

export interface WorkloadSetting {
    readonly kind: WorkloadKind;
    /** StatefulSet only; default OrderedReady. */
    readonly podManagementPolicy?: PodManagementPolicy;
    /**
     * ECS volume name → the EBS snapshot to restore it from instead of the
     * service's snapshotId: the snapshot taken at the cutover's quiet hour.
     */
    readonly snapshots?: Readonly<Record<string, string>>;
}

/** ECS service name → its setting; services not listed keep their default kind. */
export type WorkloadSettings = Readonly<Record<string, WorkloadSetting>>;
