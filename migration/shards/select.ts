/**
 * Which part of an ECS estate a migration shard takes: pure, so the program,
 * the shard planner and the overlap check all decide it the same way.
 */
import { EcsSnapshot } from "../../core/snapshot";

/** What a stack's config says it migrates (migration:clusters, migration:services, migration:serviceTags). */
export interface ShardSelection {
    /** ECS cluster names; empty: every cluster of the snapshot. */
    readonly clusters: readonly string[];
    /** Name patterns (`*` matches any run of characters); empty: every name. */
    readonly include: readonly string[];
    readonly exclude: readonly string[];
    /** Tags every selected service carries, key to value. */
    readonly tags: Readonly<Record<string, string>>;
}

export const SELECT_ALL: ShardSelection = Object.freeze({ clusters: [], include: [], exclude: [], tags: {} });

/** One thing a stack migrates: an ECS service or a scheduled task, in its cluster. */
export interface EstateUnit {
    readonly cluster: string;
    readonly name: string;
    readonly kind: "service" | "scheduled task";
    readonly tags: Readonly<Record<string, string>>;
    /** The Service Connect namespace the service publishes or resolves names in, if any. */
    readonly serviceConnectNamespace?: string;
}

/** `cluster/name`: what the overlap check and its messages call a unit. */
export const unitId = (u: Pick<EstateUnit, "cluster" | "name">): string => `${u.cluster}/${u.name}`;

const clusterNameOf = (c: EcsSnapshot["clusters"][number]): string => c.cluster.clusterName ?? c.cluster.clusterArn?.split("/").pop() ?? "?";

function tagMap(tags: readonly { key?: string; value?: string }[] | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const t of tags ?? []) {
        if (t.key !== undefined) {
            out[t.key] = t.value ?? "";
        }
    }
    return out;
}

/** Every service and scheduled task of the snapshot, in snapshot order. */
export function estateUnits(snapshot: EcsSnapshot): EstateUnit[] {
    // A scheduled task carries no tags of its own: its task definition's stand for it.
    const taskDefinitionTags = new Map(snapshot.taskDefinitions.map((td) => [td.taskDefinitionArn ?? "", tagMap(td.tags)]));
    return snapshot.clusters.flatMap((c) => {
        const cluster = clusterNameOf(c);
        return [
            ...c.services.map((s): EstateUnit => {
                // Service Connect is set per deployment; the primary one is what runs.
                const deployment = (s.deployments ?? []).find((d) => d.status === "PRIMARY") ?? s.deployments?.[0];
                const sc = deployment?.serviceConnectConfiguration;
                const ns = sc?.enabled ? sc.namespace : undefined;
                return { cluster, name: s.serviceName ?? "?", kind: "service", tags: tagMap(s.tags), ...(ns ? { serviceConnectNamespace: ns } : {}) };
            }),
            ...c.scheduledTasks.map((t): EstateUnit => ({ cluster, name: t.name, kind: "scheduled task", tags: taskDefinitionTags.get(t.taskDefinitionArn) ?? {} })),
        ];
    });
}

const wildcards = new Map<string, RegExp>();

/**
 * `*` is the only wildcard; everything else matches itself. A proposed
 * shard lists hundreds of exact names, each tried against every unit of the
 * estate: those compare as strings, and a wildcard compiles once.
 */
export function patternMatches(pattern: string, name: string): boolean {
    if (!pattern.includes("*")) {
        return pattern === name;
    }
    let re = wildcards.get(pattern);
    if (!re) {
        re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
        wildcards.set(pattern, re);
    }
    return re.test(name);
}

/** A pattern names a unit by its name, or by `cluster/name` where two clusters have a service of that name. */
export const namedBy = (pattern: string, unit: EstateUnit): boolean => patternMatches(pattern, unit.name) || (pattern.includes("/") && patternMatches(pattern, unitId(unit)));

export function selects(selection: ShardSelection, unit: EstateUnit): boolean {
    if (selection.clusters.length > 0 && !selection.clusters.includes(unit.cluster)) {
        return false;
    }
    if (selection.include.length > 0 && !selection.include.some((p) => namedBy(p, unit))) {
        return false;
    }
    if (selection.exclude.some((p) => namedBy(p, unit))) {
        return false;
    }
    return Object.entries(selection.tags).every(([k, v]) => unit.tags[k] === v);
}

/** Patterns, clusters and tags of a selection that match nothing in the estate: likely typos, named in warnings. */
export function unmatchedTerms(selection: ShardSelection, units: readonly EstateUnit[]): string[] {
    const out: string[] = [];
    for (const c of selection.clusters.filter((c) => !units.some((u) => u.cluster === c))) {
        out.push(`migration:clusters ${JSON.stringify(c)} names no ECS cluster of the snapshot`);
    }
    for (const [key, patterns] of [["include", selection.include], ["exclude", selection.exclude]] as const) {
        for (const p of patterns.filter((p) => !units.some((u) => namedBy(p, u)))) {
            out.push(`migration:services.${key} ${JSON.stringify(p)} matches no ECS service or scheduled task of the snapshot`);
        }
    }
    for (const [k, v] of Object.entries(selection.tags).filter(([k, v]) => !units.some((u) => u.tags[k] === v))) {
        out.push(`migration:serviceTags ${k}=${JSON.stringify(v)} is on no ECS service of the snapshot`);
    }
    return out;
}

export interface SelectedEstate {
    readonly snapshot: EcsSnapshot;
    readonly units: readonly EstateUnit[];
    /** Warnings: terms of the selection that match nothing. */
    readonly warnings: readonly string[];
}

/**
 * The snapshot with only the selected services and scheduled tasks; clusters
 * with none left are dropped. Everything else (task definitions, load
 * balancers, roles) stays: the translator reads only what the kept ones use.
 */
export function selectEstate(snapshot: EcsSnapshot, selection: ShardSelection): SelectedEstate {
    const all = estateUnits(snapshot);
    const chosen = all.filter((u) => selects(selection, u));
    const keep = new Set(chosen.map((u) => `${u.kind}:${unitId(u)}`));
    const clusters = snapshot.clusters
        .map((c) => {
            const cluster = clusterNameOf(c);
            return {
                ...c,
                services: c.services.filter((s) => keep.has(`service:${cluster}/${s.serviceName ?? "?"}`)),
                scheduledTasks: c.scheduledTasks.filter((t) => keep.has(`scheduled task:${cluster}/${t.name}`)),
            };
        })
        .filter((c) => c.services.length > 0 || c.scheduledTasks.length > 0);
    return { snapshot: { ...snapshot, clusters }, units: chosen, warnings: unmatchedTerms(selection, all) };
}
