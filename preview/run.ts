import * as pulumi from "@pulumi/pulumi";
import { format } from "util";
import { OfflineMocks } from "./mocks";
import { RecordedRun, Registration, runRecorded } from "./recorder";
import { StackConfigValues } from "./stackConfig";

/** One resource as the offline preview saw it registered. */
export interface PreviewResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The parent's URN; the stack itself has none. */
    readonly parent: string | undefined;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
    /** URNs this resource waits for (explicit dependsOn and inputs from other resources). */
    readonly dependencies: string[];
    /** Left in the cloud when the stack is destroyed. */
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: string[];
}

export interface PreviewResult {
    readonly resources: PreviewResource[];
    readonly outputs: Record<string, unknown>;
}

export interface OfflineRun extends Omit<RecordedRun, "mocks"> {
    readonly config: StackConfigValues;
    /** Outputs that pulumi.StackReference reads, by fully qualified stack name (a migration shard's platform stack). */
    readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

/** What a secret looks like in preview output, as `pulumi preview` shows it. */
export const SECRET_MARK = "[secret]";
export const UNKNOWN_MARK = "[unknown]";

/** Replaces Pulumi's secret and unknown markers with what a person should see. */
export function redact(value: unknown): unknown {
    if (pulumi.runtime.isRpcSecret(value)) {
        return SECRET_MARK;
    }
    if (value === pulumi.runtime.unknownValue) {
        return UNKNOWN_MARK;
    }
    if (Array.isArray(value)) {
        return value.map(redact);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    }
    return value;
}

async function settleOutput(value: unknown): Promise<unknown> {
    if (!pulumi.Output.isInstance(value)) {
        return value;
    }
    if (await pulumi.isSecret(value)) {
        return SECRET_MARK;
    }
    // An unknown output never calls apply: fall back once the event loop is idle.
    return Promise.race([
        new Promise((resolve) => value.apply((v) => resolve(redact(v)))),
        new Promise((resolve) => setTimeout(() => resolve(UNKNOWN_MARK), 50)),
    ]);
}

/**
 * Runs a Pulumi program in this process under runtime mocks, the way
 * `pulumi preview` would run it against a cloud, and records every resource
 * it registers with its parent and inputs.
 */
export async function runOffline(run: OfflineRun): Promise<PreviewResult> {
    pulumi.runtime.setAllConfig(run.config.values, run.config.secretKeys);
    const stackUrn = `urn:pulumi:${run.stack}::${run.project}::pulumi:pulumi:Stack::${run.project}-${run.stack}`;
    const resources: PreviewResource[] = [
        {
            urn: stackUrn,
            type: "pulumi:pulumi:Stack",
            name: `${run.project}-${run.stack}`,
            parent: undefined,
            custom: false,
            inputs: {},
            dependencies: [],
            retainOnDelete: false,
            ignoreChanges: [],
        },
    ];
    const record = (r: Registration) =>
        resources.push({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent ?? stackUrn,
            custom: r.custom,
            inputs: redact(r.inputs()) as Record<string, unknown>,
            dependencies: [...r.dependencies].sort(),
            retainOnDelete: r.retainOnDelete,
            ignoreChanges: r.ignoreChanges,
        });
    // With no engine, pulumi.log.info writes to stdout; keep stdout for the preview itself.
    const consoleLog = console.log;
    console.log = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
    try {
        const exports = await runRecorded({ project: run.project, stack: run.stack, mocks: new OfflineMocks(run.stackOutputs), program: run.program }, record);
        const outputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(exports).sort(([a], [b]) => a.localeCompare(b))) {
            outputs[key] = await settleOutput(value);
        }
        return { resources, outputs };
    } finally {
        console.log = consoleLog;
    }
}
