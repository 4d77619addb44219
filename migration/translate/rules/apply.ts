/** Runs the mapping rules for one pod and assembles the field ledger from the core table and the rules. Pure. */
import type { LedgerEntry } from "../ledgerEntry";
import type { ContainerFields, MappingRule, PodFields, RuleContext, Sysctl } from "./types";
import type { K8sObject } from "../types";

export interface RuleOutput {
    readonly pod: PodFields;
    readonly sysctls: readonly Sysctl[];
    readonly objects: readonly K8sObject[];
    /** Fields to merge into a container's spec, by ECS container name. */
    readonly containers: ReadonlyMap<string, ContainerFields>;
    readonly hostAccess: boolean;
}

export type RuleInput = Pick<RuleContext, "td" | "service" | "job" | "d">;

/** Applies the rules in order; each sees what the ones before it contributed. */
export function applyRules(input: RuleInput, rules: readonly MappingRule[]): RuleOutput {
    const pod: PodFields = {};
    const sysctls: Sysctl[] = [];
    const objects: K8sObject[] = [];
    const containers = new Map<string, ContainerFields>();
    let hostAccess = false;
    const ctx: RuleContext = {
        ...input,
        containers: input.td.containerDefinitions ?? [],
        pod,
        sysctls,
        objects,
        patchContainer: (name, fields) => containers.set(name, { ...(containers.get(name) ?? {}), ...fields }),
        needsHostAccess: () => {
            hostAccess = true;
        },
    };
    for (const rule of rules) {
        rule.apply?.(ctx);
    }
    return { pod, sysctls, objects, containers, hostAccess };
}

/** Members claimed by more than one of the core table and the rules, with who claims them. */
export function duplicateClaims(core: Readonly<Record<string, LedgerEntry>>, rules: readonly MappingRule[]): Map<string, string[]> {
    const owners = new Map<string, string[]>(Object.keys(core).map((member) => [member, ["ledger.ts"]]));
    for (const rule of rules) {
        for (const member of Object.keys(rule.ledger)) {
            owners.set(member, [...(owners.get(member) ?? []), `rule ${rule.id}`]);
        }
    }
    return new Map([...owners].filter(([, by]) => by.length > 1));
}

/**
 * The core table with the rules' entries in their places: shapes keep the
 * core table's order and members sort by name within a shape (as the core
 * table is written), so docs/mapping.md does not depend on where an entry
 * lives. A member claimed twice keeps its first claim; the test of the
 * registry fails on it (duplicateClaims).
 */
export function assembleLedger(core: Readonly<Record<string, LedgerEntry>>, rules: readonly MappingRule[]): Readonly<Record<string, LedgerEntry>> {
    const all = new Map(Object.entries(core));
    for (const rule of rules) {
        for (const [member, entry] of Object.entries(rule.ledger)) {
            if (!all.has(member)) {
                all.set(member, entry);
            }
        }
    }
    const shapes: string[] = [];
    for (const member of all.keys()) {
        const shape = member.split(".")[0];
        if (!shapes.includes(shape)) {
            shapes.push(shape);
        }
    }
    const rank = new Map(shapes.map((shape, i) => [shape, i]));
    const ordered = [...all.keys()].sort((a, b) => {
        const [sa, ma] = a.split(".");
        const [sb, mb] = b.split(".");
        return (rank.get(sa) ?? 0) - (rank.get(sb) ?? 0) || (ma < mb ? -1 : ma > mb ? 1 : 0);
    });
    return Object.fromEntries(ordered.map((member) => [member, all.get(member) as LedgerEntry]));
}
