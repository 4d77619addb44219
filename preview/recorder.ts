import * as pulumi from "@pulumi/pulumi";

/**
 * One resource registration as the engine received it and the mocks
 * answered it. Inputs and outputs are deserialized only when asked for:
 * the preview reads inputs, the state fixtures both.
 */
export interface Registration {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The parent's URN, undefined for a child of the stack. */
    readonly parent: string | undefined;
    readonly custom: boolean;
    readonly id: string;
    /** URNs it waits for, as sent: explicit dependsOn and inputs from other resources. */
    readonly dependencies: string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: string[];
    inputs(): Record<string, unknown>;
    outputs(): Record<string, unknown>;
}

type Serialized = Parameters<typeof pulumi.runtime.deserializeProperties>[0];

/** The parts of the monitor's messages we read; its generated types are not exported. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): Serialized;
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getIgnorechangesList(): string[];
}
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): Serialized;
}
interface Monitor {
    registerResource(req: RegisterRequest, callback: (err: Error | null, resp?: RegisterResponse) => void): void;
}

export interface RecordedRun {
    readonly project: string;
    readonly stack: string;
    readonly mocks: pulumi.runtime.Mocks;
    /**
     * Loads the Pulumi program; its exports are the stack outputs. A program
     * that exports a function is called and awaited, as Pulumi does.
     */
    readonly program: () => unknown;
}

/**
 * Runs a Pulumi program in this process under the given mocks, the way the
 * engine would run it, and hands every registration it answers to
 * `onRegistered`. Resolves with the program's exports once every
 * registration is done; rejects with the program's first failure.
 */
export async function runRecorded(run: RecordedRun, onRegistered: (r: Registration) => void): Promise<Record<string, unknown>> {
    await pulumi.runtime.setMocks(run.mocks, run.project, run.stack, true);
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, resp) => {
            if (!err && resp) {
                onRegistered({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    id: resp.getId(),
                    dependencies: req.getDependenciesList(),
                    protect: req.getProtect() === true,
                    retainOnDelete: req.getRetainondelete() === true,
                    ignoreChanges: req.getIgnorechangesList(),
                    inputs: () => pulumi.runtime.deserializeProperties(req.getObject()) as Record<string, unknown>,
                    outputs: () => pulumi.runtime.deserializeProperties(resp.getObject()) as Record<string, unknown>,
                });
            }
            callback(err, resp);
        });

    // A failure in an asynchronous part of the program surfaces as an unhandled rejection, as under the engine.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        const loaded = run.program();
        const exports = (typeof loaded === "function" ? await (loaded as () => Promise<unknown>)() : loaded) as Record<string, unknown> | undefined;
        await pulumi.runtime.disconnect();
        if (failures.length > 0) {
            throw failures[0];
        }
        return exports ?? {};
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}
