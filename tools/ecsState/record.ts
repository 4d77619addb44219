/**
 * Runs a Pulumi program in this process under given mocks and records every
 * resource as `pulumi up` would have left it in the stack's state: URN,
 * type, ID, inputs, outputs, parent, dependencies, protect, retainOnDelete.
 * (preview/recorder.ts runs it; the preview records from the same run.)
 */
import * as pulumi from "@pulumi/pulumi";
import { runRecorded } from "../../preview/recorder";

export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly id: string;
    readonly parent: string | undefined;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly dependencies: string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
}

/** Secrets as plain values: the writer decides how each format shows them. */
function unwrap(value: unknown): unknown {
    if (pulumi.runtime.isRpcSecret(value)) {
        return unwrap((value as { value: unknown }).value);
    }
    if (Array.isArray(value)) {
        return value.map(unwrap);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
    }
    return value;
}

export async function recordProgram(project: string, stack: string, mocks: pulumi.runtime.Mocks, program: () => unknown): Promise<RecordedResource[]> {
    const recorded: RecordedResource[] = [];
    await runRecorded({ project, stack, mocks, program }, (r) =>
        recorded.push({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: r.custom,
            id: r.id,
            parent: r.parent,
            inputs: unwrap(r.inputs()) as Record<string, unknown>,
            outputs: unwrap(r.outputs()) as Record<string, unknown>,
            dependencies: [...new Set(r.dependencies)].sort(),
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
        }),
    );
    return recorded;
}
