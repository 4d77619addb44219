/**
 * Runs a Pulumi program in this process under given mocks and records every
 * resource as `pulumi up` would have left it in the stack's state: URN,
 * type, ID, inputs, outputs, parent, dependencies, protect, retainOnDelete.
 * (preview/run.ts does the same for the preview, which needs no outputs.)
 */
import * as pulumi from "@pulumi/pulumi";

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

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
}
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
}
interface Monitor {
    registerResource(req: RegisterRequest, callback: (err: Error | null, resp?: RegisterResponse) => void): void;
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
    await pulumi.runtime.setMocks(mocks, project, stack, true);
    const recorded: RecordedResource[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, resp) => {
            if (!err && resp) {
                recorded.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    id: resp.getId(),
                    parent: req.getParent() || undefined,
                    inputs: unwrap(pulumi.runtime.deserializeProperties(req.getObject())) as Record<string, unknown>,
                    outputs: unwrap(pulumi.runtime.deserializeProperties(resp.getObject())) as Record<string, unknown>,
                    dependencies: [...new Set(req.getDependenciesList())].sort(),
                    protect: req.getProtect() === true,
                    retainOnDelete: req.getRetainondelete() === true,
                });
            }
            callback(err, resp);
        });
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        program();
        await pulumi.runtime.disconnect();
        if (failures.length > 0) {
            throw failures[0];
        }
        return recorded;
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}
