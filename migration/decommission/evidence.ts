/**
 * The verdict on the ECS stacks' state: per stack, which of the resources
 * its destroy deletes this stack still uses, and per resource the exact way
 * out in that stack's own tool. Pure.
 */
import { terraformType, cloudFormationType } from "./resourceTypes";
import { InUse } from "./inUse";
import { stackOfUrn } from "./pulumiState";
import { StateFormat, StateResource } from "./stateResources";

export interface StateBlocker {
    readonly stack: string;
    readonly format: StateFormat;
    readonly kind: StateResource["kind"];
    readonly type: string;
    /** URN, Terraform address or CloudFormation logical ID. */
    readonly address: string;
    readonly physicalId: string;
    /** Why this stack needs it. */
    readonly why: string;
    /** The commands (or template change) that take it out of the ECS stack's destroy, in order. */
    readonly wayOut: readonly string[];
}

/** Used here, but the destroy leaves it: reported, not blocking. */
export interface RetainedInUse {
    readonly address: string;
    readonly physicalId: string;
    readonly retained: string;
    readonly why: string;
}

export interface StackVerdict {
    readonly stack: string;
    readonly format: StateFormat;
    /** Where it was read from: the file, or the CloudFormation stack name. */
    readonly source: string;
    /** Resources its destroy deletes (custom resources, less the retained ones). */
    readonly deletes: number;
    readonly blockers: readonly StateBlocker[];
    readonly retained: readonly RetainedInUse[];
}

/** Options for the way-out lines. */
export interface WayOutContext {
    /** This stack (the destination of a move), and its project. */
    readonly stack: string;
    readonly project: string;
    /** The name the user gave a Pulumi ECS stack (STACK=FILE); otherwise derived from the URNs. */
    readonly pulumiSource?: string;
}

/** Kinds that are part of another resource: deleting them changes the one they belong to. */
const PART_OF = new Set<StateResource["kind"]>(["securityGroupRule", "secretVersion", "mountTarget", "listener", "kmsAlias"]);

function whyUsed(r: StateResource, used: InUse): string | undefined {
    for (const k of r.keys) {
        const why = used.get(k);
        if (why) {
            return why;
        }
    }
    if (PART_OF.has(r.kind)) {
        for (const ref of r.refs) {
            const why = used.get(ref);
            if (why) {
                return `part of ${ref.slice(ref.indexOf(":") + 1)} (${why})`;
            }
        }
    }
    return undefined;
}

/** A Pulumi resource name from an address: the URN's name, the Terraform address' last part, the logical ID. */
function importName(r: StateResource): string {
    const last = r.format === "pulumi" ? (r.address.split("::").pop() ?? "") : r.format === "terraform" ? (r.address.split(".").pop() ?? "") : r.address;
    return last.replace(/\[(?:"([^"]*)"|(\d+))\]/g, "-$1$2").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || r.kind;
}

const quote = (s: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function wayOut(r: StateResource, ctx: WayOutContext): string[] {
    const dest = ` --stack ${ctx.stack}`;
    switch (r.format) {
        case "pulumi": {
            const owner = stackOfUrn(r.address);
            // A stack of the same project is named by its name alone; another project's needs its organization, which the export does not hold.
            const source = ctx.pulumiSource ?? (owner && owner.project === ctx.project ? owner.stack : `<org>/${owner?.project}/${owner?.stack}`);
            return [
                `pulumi state move --source ${source} --dest ${ctx.stack} ${quote(r.address)}${r.protected ? "  (it stays protected: the move keeps protect)" : ""}`,
            ];
        }
        case "cloudformation": {
            const type = cloudFormationType(r.type)?.pulumi;
            return [
                `in stack ${r.stack}'s template set DeletionPolicy: Retain on ${r.address} (${r.type}) and update the stack, or move ${r.address} out with a stack refactor (aws cloudformation create-stack-refactor)`,
                ...(type ? [`pulumi import${dest} ${type} ${quote(importName(r))} ${quote(r.physicalId)}  (to manage it here)`] : []),
            ];
        }
        case "terraform": {
            const type = terraformType(r.type)?.pulumi;
            return [`terraform state rm ${quote(r.address)}`, ...(type ? [`pulumi import${dest} ${type} ${quote(importName(r))} ${quote(r.physicalId)}`] : [])];
        }
    }
}

/**
 * What the in-use resources found in the states lean on in turn: the KMS
 * keys they are encrypted with. Deleting the key (or its alias) leaves the
 * secret or file system unreadable.
 */
export function withReferences(used: InUse, resources: readonly StateResource[]): InUse {
    const out = new Map(used);
    for (const r of resources) {
        const why = r.keys.some((k) => used.has(k));
        for (const ref of why ? r.refs.filter((x) => x.startsWith("kmsKey:")) : []) {
            if (!out.has(ref)) {
                out.set(ref, `encrypts ${r.physicalId || r.address}, which this stack uses`);
            }
        }
    }
    return out;
}

/** The verdict on one --ecs-state file or CloudFormation stack (a Pulumi export holds one stack; the stack name comes from its URNs). */
export function judgeStack(source: string, format: StateFormat, resources: readonly StateResource[], used: InUse, ctx: WayOutContext): StackVerdict[] {
    const byStack = new Map<string, StateResource[]>();
    for (const r of resources) {
        byStack.set(r.stack, [...(byStack.get(r.stack) ?? []), r]);
    }
    if (byStack.size === 0) {
        return [{ stack: source, format, source, deletes: 0, blockers: [], retained: [] }];
    }
    return [...byStack.entries()].map(([stack, rs]) => {
        const blockers: StateBlocker[] = [];
        const retained: RetainedInUse[] = [];
        for (const r of rs) {
            const why = whyUsed(r, used);
            if (!why) {
                continue;
            }
            if (r.retained) {
                retained.push({ address: r.address, physicalId: r.physicalId, retained: r.retained, why });
            } else {
                blockers.push({ stack, format: r.format, kind: r.kind, type: r.type, address: r.address, physicalId: r.physicalId, why, wayOut: wayOut(r, ctx) });
            }
        }
        return { stack, format, source, deletes: rs.filter((r) => !r.retained).length, blockers, retained };
    });
}
