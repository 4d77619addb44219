/**
 * The shard planner: splits an estate into migration shards so that every
 * ECS service and scheduled task is in exactly one. Pure and deterministic:
 * the same snapshot and strategy give the same shards, in the same order.
 */
import { EstateUnit, ShardSelection, selects, unitId } from "./select";

export type ShardStrategy = { readonly kind: "cluster" } | { readonly kind: "tag"; readonly key: string } | { readonly kind: "count"; readonly count: number };

export interface ShardProposal {
    /** Stack name: Pulumi.<name>.yaml. */
    readonly name: string;
    readonly selection: ShardSelection;
    /** ECS clusters this shard shares with others whose namespaces another shard declares. */
    readonly sharedClusters: readonly string[];
    readonly units: readonly EstateUnit[];
    /** Service Connect namespaces its services use, and the other shards that use them too. */
    readonly serviceConnect: readonly { readonly namespace: string; readonly alsoIn: readonly string[] }[];
}

/** Parses --by: cluster, tag:<key> or count:<n>; undefined when it is none of them. */
export function parseStrategy(text: string): ShardStrategy | undefined {
    if (text === "cluster") {
        return { kind: "cluster" };
    }
    const tag = /^tag:(.+)$/.exec(text);
    if (tag) {
        return { kind: "tag", key: tag[1] };
    }
    const count = /^count:(\d+)$/.exec(text);
    return count && Number(count[1]) >= 1 ? { kind: "count", count: Number(count[1]) } : undefined;
}

/** A stack name part from an ECS name or tag value: lower case, letters, digits and dashes. */
export const stackSafe = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "x";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const clustersOf = (units: readonly EstateUnit[]) => [...new Set(units.map((u) => u.cluster))].sort(byName);

interface Group {
    readonly name: string;
    readonly units: EstateUnit[];
    /** How the group's config selects it; explicit names when nothing shorter says exactly this group. */
    readonly selection: ShardSelection;
}

function byCluster(units: readonly EstateUnit[], prefix: string): Group[] {
    return clustersOf(units).map((c) => ({ name: `${prefix}-${stackSafe(c)}`, units: units.filter((u) => u.cluster === c), selection: { clusters: [c], include: [], exclude: [], tags: {} } }));
}

/** Exact names: `cluster/name`, which no other unit matches. */
const explicit = (units: readonly EstateUnit[]): ShardSelection => ({ clusters: clustersOf(units), include: units.map(unitId), exclude: [], tags: {} });

function byTag(units: readonly EstateUnit[], key: string, prefix: string): Group[] {
    const values = [...new Set(units.map((u) => u.tags[key]).filter((v): v is string => v !== undefined))].sort(byName);
    const groups: Group[] = values.map((v) => {
        const members = units.filter((u) => u.tags[key] === v);
        return { name: `${prefix}-${stackSafe(v)}`, units: members, selection: { clusters: clustersOf(members), include: [], exclude: [], tags: { [key]: v } } };
    });
    const untagged = units.filter((u) => u.tags[key] === undefined);
    if (untagged.length > 0) {
        groups.push({ name: `${prefix}-untagged`, units: untagged, selection: explicit(untagged) });
    }
    return groups;
}

/**
 * n shards balanced by the number of services and scheduled tasks. Whole
 * clusters, largest first, go to the emptiest shard while they fit its share
 * (a cluster kept together keeps its namespace in one stack); a cluster too
 * big for any shard's room is split, by name, over the emptiest shards.
 */
function byCount(units: readonly EstateUnit[], count: number, prefix: string): Group[] {
    const n = Math.max(1, Math.min(count, units.length));
    const target = Math.ceil(units.length / n);
    const bins: EstateUnit[][] = Array.from({ length: n }, () => []);
    const emptiest = () => bins.reduce((best, b, i) => (b.length < bins[best].length ? i : best), 0);
    const clusters = clustersOf(units)
        .map((c) => units.filter((u) => u.cluster === c).sort((a, b) => byName(a.name, b.name)))
        .sort((a, b) => b.length - a.length || byName(a[0].cluster, b[0].cluster));
    for (const members of clusters) {
        const i = emptiest();
        if (bins[i].length + members.length <= target) {
            bins[i].push(...members);
            continue;
        }
        for (const u of members) {
            const j = bins.findIndex((b) => b.length < target);
            bins[j >= 0 ? j : emptiest()].push(u);
        }
    }
    const width = String(n).length;
    return bins
        .filter((b) => b.length > 0)
        .map((b, i) => {
            const whole = clustersOf(b).every((c) => units.filter((u) => u.cluster === c).every((u) => b.includes(u)));
            return { name: `${prefix}-${String(i + 1).padStart(width, "0")}`, units: b, selection: whole ? { clusters: clustersOf(b), include: [], exclude: [], tags: {} } : explicit(b) };
        });
}

/**
 * Proposes shards. Of a cluster split over several shards, the first by name
 * declares its namespaces; the others list it in sharedClusters.
 */
export function proposeShards(units: readonly EstateUnit[], strategy: ShardStrategy, prefix: string): ShardProposal[] {
    const groups = strategy.kind === "cluster" ? byCluster(units, prefix) : strategy.kind === "tag" ? byTag(units, strategy.key, prefix) : byCount(units, strategy.count, prefix);
    const sorted = [...groups].sort((a, b) => byName(a.name, b.name));
    const owner = new Map<string, string>();
    for (const g of sorted) {
        for (const c of clustersOf(g.units)) {
            if (!owner.has(c)) {
                owner.set(c, g.name);
            }
        }
    }
    const namespacesOf = (g: Group) => [...new Set(g.units.map((u) => u.serviceConnectNamespace).filter((n): n is string => n !== undefined))].sort(byName);
    return sorted.map((g) => {
        // The selection must say exactly this group: the planner's own check of what it writes.
        const selected = units.filter((u) => selects(g.selection, u));
        if (selected.length !== g.units.length || selected.some((u) => !g.units.includes(u))) {
            throw new Error(`shard ${g.name}: its selection does not name exactly its services`);
        }
        return {
            name: g.name,
            selection: g.selection,
            sharedClusters: clustersOf(g.units).filter((c) => owner.get(c) !== g.name),
            units: g.units,
            serviceConnect: namespacesOf(g).map((ns) => ({ namespace: ns, alsoIn: sorted.filter((o) => o !== g && namespacesOf(o).includes(ns)).map((o) => o.name) })),
        };
    });
}
