/**
 * The adopted-resources file from a Pulumi export of an ECS stack and the
 * URNs decommission-check tells the user to move: each resource as this
 * stack will hold it after `pulumi state move` (see adoptFile.ts for what a
 * move does). Pure.
 */
import { ADOPT_FILE_VERSION, AdoptDocument, AdoptedResource, holdsSpecial, parseUrn } from "./adoptFile";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface Exported {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    readonly id: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
}

function exportedResources(doc: unknown): Exported[] {
    const deployment = isRecord(doc) && isRecord(doc.deployment) ? doc.deployment : {};
    const raw = Array.isArray(deployment.resources) ? deployment.resources : [];
    return raw.filter(isRecord).map((r) => ({
        urn: typeof r.urn === "string" ? r.urn : "",
        type: typeof r.type === "string" ? r.type : "",
        custom: r.custom === true,
        id: typeof r.id === "string" ? r.id : "",
        ...(typeof r.parent === "string" ? { parent: r.parent } : {}),
        inputs: isRecord(r.inputs) ? r.inputs : {},
    }));
}

/** The bridge's bookkeeping of which inputs it defaulted: not an input anyone declares. */
function withoutBookkeeping(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(withoutBookkeeping);
    }
    if (!isRecord(v)) {
        return v;
    }
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "__defaults").map(([k, x]) => [k, withoutBookkeeping(x)]));
}

/** Inputs as declared here: secrets and other special values left out and ignored, keys sorted for a stable file. */
function declarableInputs(inputs: Record<string, unknown>): { inputs: Record<string, unknown>; ignoreChanges: string[] } {
    const out: Record<string, unknown> = {};
    const ignoreChanges: string[] = [];
    for (const key of Object.keys(inputs).sort()) {
        if (key.startsWith("__")) {
            continue;
        }
        if (holdsSpecial(inputs[key])) {
            ignoreChanges.push(key);
        } else {
            out[key] = withoutBookkeeping(inputs[key]);
        }
    }
    return { inputs: out, ignoreChanges };
}

export interface AdoptFromExport {
    /** The export as JSON.parse read it. */
    readonly doc: unknown;
    /** How the move lines name the ECS stack. */
    readonly source: string;
    /** The URNs the move lines name. */
    readonly urns: readonly string[];
}

/**
 * The resources a move of `urns` brings into stack `stack` of `project`:
 * those URNs and every resource below them (a move takes the children
 * along), in the export's order, which puts a parent before its children.
 * Component children cannot be declared as AWS resources and are left out.
 */
export function adoptedFromExport(from: AdoptFromExport, project: string, stack: string): AdoptedResource[] {
    const resources = exportedResources(from.doc);
    const moved = new Set(from.urns);
    // The export lists parents first, so one pass collects every descendant.
    for (const r of resources) {
        if (r.parent && moved.has(r.parent)) {
            moved.add(r.urn);
        }
    }
    const rename = (urn: string) => {
        const u = parseUrn(urn);
        return u ? `urn:pulumi:${stack}::${project}::${u.qualifiedType}::${u.name}` : urn;
    };
    return resources
        .filter((r) => moved.has(r.urn) && r.custom && !r.type.startsWith("pulumi:providers:"))
        .map((r) => ({
            urn: rename(r.urn),
            type: r.type,
            name: parseUrn(r.urn)?.name ?? "",
            id: r.id,
            // A parent that stays behind: the move puts the resource under the root stack.
            ...(r.parent && moved.has(r.parent) ? { parent: rename(r.parent) } : {}),
            ...declarableInputs(r.inputs),
        }));
}

/**
 * The file for several ECS stacks' moves, merged into what an earlier run
 * wrote (stacks are often moved on different days): an entry of the same
 * URN is replaced, the others kept, in the order first written.
 */
export function adoptDocument(project: string, stack: string, fromExports: readonly AdoptFromExport[], earlier?: AdoptDocument): AdoptDocument {
    const byUrn = new Map<string, AdoptedResource>((earlier?.resources ?? []).map((r) => [r.urn, r]));
    for (const from of fromExports) {
        for (const r of adoptedFromExport(from, project, stack)) {
            byUrn.set(r.urn, r);
        }
    }
    const sources = [...new Set([...(earlier?.sources ?? []), ...fromExports.map((f) => f.source)])];
    return { version: ADOPT_FILE_VERSION, project, stack, sources, resources: [...byUrn.values()] };
}
