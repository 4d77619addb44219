/**
 * A mapping rule: how one ECS setting becomes Kubernetes, in one module.
 * It owns the ledger entries of the members it handles (the field ledger is
 * the core table plus every rule's entries) and, in apply(), reads the task
 * definition and records what it did through a small context. Pure.
 */
import type { ServiceSnapshot, TaskDefinitionSnapshot } from "../../../core/snapshot";
import type { EcsContainer } from "../containers";
import type { Diagnostics } from "../diagnostics";
import type { LedgerEntry } from "../ledgerEntry";
import type { K8sObject } from "../types";

/** Pod spec fields a rule may set. */
export interface PodFields {
    hostPID?: boolean;
    hostIPC?: boolean;
    shareProcessNamespace?: boolean;
}

export interface Sysctl {
    readonly name: string;
    readonly value: string;
}

/** Container spec fields a rule may add to one container (merged over what the container translation made). */
export type ContainerFields = Readonly<Record<string, unknown>>;

export interface RuleContext {
    readonly td: TaskDefinitionSnapshot;
    /** The ECS service; absent for a scheduled task. */
    readonly service?: ServiceSnapshot;
    /** The pod runs to completion (a scheduled task's Job). */
    readonly job: boolean;
    readonly containers: readonly EcsContainer[];
    /** Diagnostics and `d.map(field)` for what the rule carried over. */
    readonly d: Diagnostics;
    readonly pod: PodFields;
    /** `securityContext.sysctls` of the pod. */
    readonly sysctls: Sysctl[];
    /** Objects the workload needs besides its pod (Secrets, ConfigMaps...). */
    readonly objects: K8sObject[];
    /** Adds fields to the spec of the container ECS calls `name`. */
    patchContainer(name: string, fields: ContainerFields): void;
    /** The pod uses the host's namespaces: it needs Pod Security privileged. */
    needsHostAccess(): void;
}

export interface MappingRule {
    /** Stable name, for tests and the registry. */
    readonly id: string;
    /** Ledger entries of the members this rule handles, keyed `Shape.member`. */
    readonly ledger: Readonly<Record<string, LedgerEntry>>;
    /** Absent for a rule that only reports (the ledger's entry does it wherever the field is set). */
    apply?(ctx: RuleContext): void;
}
