/**
 * Coverage: what the translator did with each ECS field set in the estate,
 * from what it recorded, not from what the ledger claims. A field is
 * "mapped" when the translator recorded reading it (Diagnostics.map, the
 * workload's `mapped` field paths), "reported" when a diagnostic is about it,
 * "not applicable" when the ledger says so and nothing read it, and
 * "unaccounted" when the ledger says it is carried over yet the translator
 * recorded neither. Pure.
 *
 * Field paths name instances (`containerDefinitions[web].portMappings[0].hostPort`);
 * the ledger names shape members (`PortMapping.hostPort`). A path is resolved
 * along the ECS shape table from TaskDefinition or Service; a member counts
 * for the deepest path that reaches it (itself, or a structure above it).
 */
import { LEDGER } from "./ledger";
import { ECS_SHAPES, Root, ShapeRef } from "./shapes";
import { Coverage, WorkloadPlan } from "./types";

/** Paths the translator writes from below a root: where they start. */
const STARTS: Readonly<Record<string, string>> = {
    // The Service Connect configuration ECS applies is the primary deployment's.
    serviceConnectConfiguration: "deployments",
};

function structureOf(ref: ShapeRef): string | undefined {
    if (ref === null) {
        return undefined;
    }
    return typeof ref === "string" ? ref : "list" in ref ? structureOf(ref.list) : structureOf(ref.map);
}

/**
 * The shape members a field path passes through, from each root it
 * resolves under: `containerDefinitions[web].healthCheck` →
 * [TaskDefinition.containerDefinitions, ContainerDefinition.healthCheck].
 * Empty when it names something else (a target group, a schedule).
 */
export function resolveFieldPath(path: string, roots: readonly Root[] = ["TaskDefinition", "Service"]): string[][] {
    const segments = path.replace(/\[[^\]]*\]/g, "").split(".");
    if (STARTS[segments[0]]) {
        segments.unshift(STARTS[segments[0]]);
    }
    const chains: string[][] = [];
    for (const root of roots) {
        const chain: string[] = [];
        let shape: string | undefined = root;
        for (const segment of segments) {
            const members: Readonly<Record<string, ShapeRef>> | undefined = shape === undefined ? undefined : ECS_SHAPES.shapes[shape];
            if (!members || !(segment in members)) {
                break;
            }
            chain.push(`${shape}.${segment}`);
            shape = structureOf(members[segment]);
        }
        if (chain.length === segments.length) {
            chains.push(chain);
        }
    }
    return chains;
}

const below = new Map<string, ReadonlySet<string>>();

/** Every member under a member's structure, however deep. */
function membersBelow(member: string): ReadonlySet<string> {
    const known = below.get(member);
    if (known) {
        return known;
    }
    const found = new Set<string>();
    const [shape, name] = member.split(".");
    const pending = [structureOf(ECS_SHAPES.shapes[shape]?.[name] ?? null)];
    const seen = new Set<string>();
    while (pending.length > 0) {
        const next = pending.pop();
        if (next === undefined || seen.has(next)) {
            continue;
        }
        seen.add(next);
        for (const [child, ref] of Object.entries(ECS_SHAPES.shapes[next] ?? {})) {
            found.add(`${next}.${child}`);
            pending.push(structureOf(ref));
        }
    }
    below.set(member, found);
    return found;
}

type Count = Omit<Coverage, "ledgerMembers">;

export const NO_COVERAGE: Count = { mapped: 0, reported: 0, notApplicable: 0, unaccounted: 0 };

/** How the translator handled each member set in one workload's task definition (and service). */
export function workloadCoverage(present: ReadonlySet<string>, plan: Pick<WorkloadPlan, "mapped" | "diagnostics">): Count {
    // Per member, the depth of the deepest path that reached it and whether that path was read or reported.
    const evidence = new Map<string, { depth: number; mapped: boolean }>();
    const note = (member: string, depth: number, mapped: boolean) => {
        const had = evidence.get(member);
        if (!had || depth > had.depth || (depth === had.depth && mapped)) {
            evidence.set(member, { depth, mapped });
        }
    };
    const record = (path: string, mapped: boolean) => {
        for (const chain of resolveFieldPath(path)) {
            const depth = chain.length;
            const last = chain[depth - 1];
            note(last, depth, mapped);
            membersBelow(last).forEach((member) => note(member, depth, mapped));
            if (mapped) {
                // Reading a field reads the structures on the way to it; a report is about the field alone.
                chain.slice(0, -1).forEach((member, i) => note(member, i + 1, true));
            }
        }
    };
    plan.mapped.forEach((path) => record(path, true));
    plan.diagnostics.forEach((d) => record(d.field, false));
    const codes = new Set(plan.diagnostics.map((d) => d.code));

    const count = { ...NO_COVERAGE };
    for (const member of present) {
        const entry = LEDGER[member];
        const found = evidence.get(member);
        if (entry?.status === "reported" && codes.has(entry.code)) {
            count.reported++;
        } else if (found) {
            found.mapped ? count.mapped++ : count.reported++;
        } else if (entry?.status === "carried") {
            count.unaccounted++;
        } else {
            count.notApplicable++;
        }
    }
    return count;
}

export function addCoverage(a: Count, b: Count): Count {
    return { mapped: a.mapped + b.mapped, reported: a.reported + b.reported, notApplicable: a.notApplicable + b.notApplicable, unaccounted: a.unaccounted + b.unaccounted };
}
