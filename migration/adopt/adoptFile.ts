/**
 * The adopted-resources file: what `pulumi state move` brought into this
 * stack from an ECS stack, written by `decommission-check --adopt-out` and
 * declared by the program (migration:adoptedResources) so that the next
 * `pulumi up` here keeps them instead of deleting what it does not declare.
 * Pure: the shape, and the check of a file against this stack.
 *
 * What a move does (pulumi/pulumi pkg/cmd/pulumi/state/state_move.go, read
 * at its stored version; Pulumi docs "Moving resources between stacks"):
 * - it rewrites only the stack and project of each URN; the type part keeps
 *   its parent chain (`shop:index:SharedStorage$aws:efs/...`), while a
 *   resource whose parent stays behind is re-parented to the destination's
 *   root stack. Such a resource is declared here at the root with an alias
 *   to the URN the move gave it.
 * - the children of a moved resource move with it.
 * - its provider is copied along (never moved); a destination provider of
 *   the same URN and inputs is reused, one of the same URN but other inputs
 *   stops the move. Declared here with this program's default AWS provider,
 *   the engine diffs the two providers' configuration and replaces nothing
 *   unless that says so (a different region); `protect` stops a replace anyway.
 * - inputs and outputs are copied as they are; secrets are re-encrypted with
 *   the destination's secrets provider. The export's ciphertext is the ECS
 *   stack's and means nothing here, so a secret input is never written to
 *   the file: it is listed in ignoreChanges, and the engine keeps the value
 *   the moved state holds.
 */
import { ExpectedError } from "../../core/errors";

export const ADOPT_FILE_VERSION = 1;

/** One moved resource, declared as this stack will hold it after the move. */
export interface AdoptedResource {
    /** Its URN in this stack once moved (stack and project rewritten, type chain kept). */
    readonly urn: string;
    /** The provider type token: aws:lb/loadBalancer:LoadBalancer. */
    readonly type: string;
    /** The resource name: the URN's last part. */
    readonly name: string;
    /** Its physical ID (for the reader: the program does not need it). */
    readonly id: string;
    /** The URN of a moved resource it is a child of (moved with it); absent: the root stack. */
    readonly parent?: string;
    /** The inputs as the ECS stack's state holds them, less secrets and engine bookkeeping. */
    readonly inputs: Readonly<Record<string, unknown>>;
    /** Inputs left out (secrets, assets): the engine keeps the moved state's value. */
    readonly ignoreChanges: readonly string[];
}

export interface AdoptDocument {
    readonly version: typeof ADOPT_FILE_VERSION;
    /** This (destination) stack and its project: the URNs are theirs. */
    readonly project: string;
    readonly stack: string;
    /** The ECS stacks the resources come from, as the move lines name them. */
    readonly sources: readonly string[];
    readonly resources: readonly AdoptedResource[];
}

export class AdoptFileError extends ExpectedError {}

/** The key every special value of a Pulumi state carries (secrets, assets, archives, resource references, outputs). */
export const SPECIAL_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** True when a state value holds a special value (a secret above all) anywhere inside. */
export function holdsSpecial(v: unknown): boolean {
    if (Array.isArray(v)) {
        return v.some(holdsSpecial);
    }
    if (!isRecord(v)) {
        return false;
    }
    return SPECIAL_SIG in v || Object.values(v).some(holdsSpecial);
}

/** urn:pulumi:<stack>::<project>::<qualified type>::<name>; the name may itself hold "::". */
export function parseUrn(urn: string): { stack: string; project: string; qualifiedType: string; name: string } | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::([^:]+(?::[^:]+)*?)::(.+)$/.exec(urn);
    if (!m) {
        return undefined;
    }
    // The type part is type tokens joined by $; a token holds single colons only.
    const [, stack, project, qualifiedType, name] = m;
    return { stack, project, qualifiedType, name };
}

/** The URN this program's declaration gets: at the root, or under a declared parent. */
export function declaredUrn(project: string, stack: string, type: string, name: string, parentUrn?: string): string {
    const parentType = parentUrn ? parseUrn(parentUrn)?.qualifiedType : undefined;
    return `urn:pulumi:${stack}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

/** The fix every problem of the file shares. */
const REWRITE = "write it again with ecs2eks decommission-check --stack <this stack> --ecs-state <export> --adopt-out <file>";

/**
 * Checks a parsed file against this stack. Every problem names the entry,
 * the value and the fix; all are reported at once.
 */
export function validateAdoptDocument(doc: unknown, where: { readonly file: string; readonly project: string; readonly stack: string }): AdoptDocument {
    const problems: string[] = [];
    const fail = (p: string) => problems.push(`${where.file}: ${p}`);
    if (!isRecord(doc)) {
        throw new AdoptFileError(`${where.file}: not an adopted-resources file (expected {"version": 1, "project", "stack", "sources", "resources": [...]}); ${REWRITE}`);
    }
    if (doc.version !== ADOPT_FILE_VERSION) {
        fail(`version ${JSON.stringify(doc.version)} is not supported; expected ${ADOPT_FILE_VERSION}; ${REWRITE}`);
    }
    if (doc.project !== where.project || doc.stack !== where.stack) {
        fail(
            `it was written for stack ${JSON.stringify(doc.stack)} of project ${JSON.stringify(doc.project)}, this is stack ${where.stack} of project ${where.project}: the moved resources' URNs name the stack they were moved into; point migration:adoptedResources of stack ${String(doc.stack)} at it, or ${REWRITE.replace("<this stack>", where.stack)}`,
        );
    }
    const sources = Array.isArray(doc.sources) && doc.sources.every((s) => typeof s === "string") ? (doc.sources as string[]) : undefined;
    if (!sources) {
        fail(`sources ${JSON.stringify(doc.sources)} is not a list of the ECS stacks the resources come from; ${REWRITE}`);
    }
    if (!Array.isArray(doc.resources)) {
        fail(`resources ${JSON.stringify(doc.resources)} is not a list; ${REWRITE}`);
        throw new AdoptFileError(problems.join("\n"));
    }
    const out: AdoptedResource[] = [];
    const urns = new Set<string>();
    const names = new Set<string>();
    doc.resources.forEach((raw, i) => {
        const at = `resources[${i}]`;
        if (!isRecord(raw)) {
            fail(`${at} ${JSON.stringify(raw)} is not a resource ({"urn", "type", "name", "id", "inputs"})`);
            return;
        }
        const label = `${at} (${typeof raw.urn === "string" ? raw.urn : JSON.stringify(raw.urn)})`;
        const urn = typeof raw.urn === "string" ? parseUrn(raw.urn) : undefined;
        const { type, name, id, inputs, parent } = raw;
        if (!urn) {
            fail(`${label}: urn is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>); ${REWRITE}`);
            return;
        }
        if (urn.stack !== where.stack || urn.project !== where.project) {
            fail(`${label}: the URN names stack ${urn.stack} of project ${urn.project}, not this stack (${where.stack} of ${where.project}); a moved resource's URN names the stack it was moved into`);
        }
        if (typeof type !== "string" || !/^aws:[^:]+:[^:]+$/.test(type)) {
            fail(`${label}: type ${JSON.stringify(type)} is not an AWS resource type (aws:<module>:<Type>); only resources of the AWS provider are adopted here, declare others in your own code`);
        } else if (!(urn.qualifiedType === type || urn.qualifiedType.endsWith(`$${type}`))) {
            fail(`${label}: type ${type} is not the type its URN names (${urn.qualifiedType}); ${REWRITE}`);
        }
        if (name !== urn.name) {
            fail(`${label}: name ${JSON.stringify(name)} is not the name its URN ends with (${urn.name}); the name is part of the URN the move gave it`);
        }
        if (typeof id !== "string" || id.length === 0) {
            fail(`${label}: id ${JSON.stringify(id)} is not the resource's physical ID; ${REWRITE}`);
        }
        if (!isRecord(inputs)) {
            fail(`${label}: inputs ${JSON.stringify(inputs)} is not an object of the resource's inputs; ${REWRITE}`);
        }
        const ignore = raw.ignoreChanges === undefined ? [] : raw.ignoreChanges;
        if (!Array.isArray(ignore) || !ignore.every((k) => typeof k === "string" && k.length > 0)) {
            fail(`${label}: ignoreChanges ${JSON.stringify(raw.ignoreChanges)} is not a list of input names`);
        }
        for (const [key, value] of Object.entries(isRecord(inputs) ? inputs : {})) {
            if (holdsSpecial(value)) {
                fail(`${label}: inputs.${key} holds a Pulumi secret or other state value from another stack's state, which this stack cannot read; leave ${key} out of inputs and list it in ignoreChanges (the moved state keeps its value)`);
            }
        }
        if (parent !== undefined && (typeof parent !== "string" || !urns.has(parent))) {
            fail(`${label}: parent ${JSON.stringify(parent)} is not the URN of a resource listed before it; a child is listed after the resource it belongs to`);
        }
        if (urns.has(raw.urn as string)) {
            fail(`${label}: listed twice; keep one entry per URN`);
        }
        const key = `${typeof type === "string" ? type : ""}::${String(name)}`;
        if (names.has(key)) {
            fail(`${label}: a second ${String(type)} named ${String(name)}: the program would declare the same URN twice; rename one in the ECS stack (pulumi state rename) before moving it`);
        }
        urns.add(raw.urn as string);
        names.add(key);
        out.push({
            urn: raw.urn as string,
            type: String(type),
            name: String(name),
            id: String(id),
            ...(typeof parent === "string" ? { parent } : {}),
            inputs: isRecord(inputs) ? inputs : {},
            ignoreChanges: Array.isArray(ignore) ? (ignore as string[]) : [],
        });
    });
    if (problems.length > 0) {
        throw new AdoptFileError(problems.join("\n"));
    }
    return { version: ADOPT_FILE_VERSION, project: where.project, stack: where.stack, sources: sources ?? [], resources: out };
}
