import * as fs from "fs";
import { stableStringify } from "./json";
import { EcsSnapshot, SNAPSHOT_SCHEMA_VERSION } from "./snapshot";

export class SnapshotError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SnapshotError";
    }
}

/** A check of one value; returns the path and problem of the first bad field, or undefined. */
type Check = (value: unknown, path: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const string: Check = (v, p) => (typeof v === "string" ? undefined : `${p}: expected a string, found ${describe(v)}`);
const optionalString: Check = (v, p) => (v === undefined ? undefined : string(v, p));
const number: Check = (v, p) => (typeof v === "number" ? undefined : `${p}: expected a number, found ${describe(v)}`);

function describe(v: unknown): string {
    if (v === undefined) {
        return "nothing (the field is missing)";
    }
    return Array.isArray(v) ? "a list" : v === null ? "null" : `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

function object(fields: Readonly<Record<string, Check>>): Check {
    return (v, p) => {
        if (!isObject(v)) {
            return `${p}: expected an object, found ${describe(v)}`;
        }
        for (const [key, check] of Object.entries(fields)) {
            const problem = check(v[key], `${p}.${key}`);
            if (problem) {
                return problem;
            }
        }
        return undefined;
    };
}

function list(item: Check): Check {
    return (v, p) => {
        if (!Array.isArray(v)) {
            return `${p}: expected a list, found ${describe(v)}`;
        }
        for (let i = 0; i < v.length; i++) {
            const problem = item(v[i], `${p}[${i}]`);
            if (problem) {
                return problem;
            }
        }
        return undefined;
    };
}

const anyObject: Check = (v, p) => (isObject(v) ? undefined : `${p}: expected an object, found ${describe(v)}`);

/** The fields the translator relies on; the rest is checked by type where it is used. */
const SNAPSHOT: Check = object({
    schemaVersion: (v, p) => (v === SNAPSHOT_SCHEMA_VERSION ? undefined : `${p}: this snapshot is version ${JSON.stringify(v)}, this ecs2eks reads version ${SNAPSHOT_SCHEMA_VERSION}; take a new snapshot with npx ecs2eks snapshot`),
    reader: object({ name: string, version: string }),
    capturedAt: string,
    region: string,
    clusters: list(
        object({
            cluster: object({ clusterArn: string, clusterName: string }),
            services: list(object({ serviceArn: string, serviceName: string, taskDefinition: string, launchType: optionalString })),
            scheduledTasks: list(object({ name: string, scheduleExpression: string, taskDefinitionArn: string, taskCount: number })),
        }),
    ),
    taskDefinitions: list(object({ taskDefinitionArn: string, family: string, containerDefinitions: list(object({ name: string, image: string })) })),
    scaling: object({ targets: list(anyObject), policies: list(anyObject), scheduledActions: list(anyObject) }),
    loadBalancing: object({ targetGroups: list(anyObject), loadBalancers: list(anyObject), listeners: list(anyObject), rules: list(object({ listenerArn: string, rule: anyObject })) }),
    serviceDiscovery: object({ namespaces: list(anyObject), services: list(anyObject) }),
    securityGroups: list(anyObject),
    roles: list(object({ arn: string, name: string, attachedPolicies: list(anyObject), inlinePolicies: list(anyObject) })),
    fileSystems: object({ fileSystems: list(anyObject), accessPoints: list(anyObject) }),
    secrets: list(object({ arn: string, source: string, name: string })),
    diagnostics: list(object({ code: string, severity: string, resource: string, message: string })),
});

/** Checks parsed JSON is a snapshot this version reads; names the path of the first bad field. */
export function validateSnapshot(data: unknown, file: string): EcsSnapshot {
    const problem = SNAPSHOT(data, "$");
    if (problem) {
        throw new SnapshotError(`${file} is not a valid ECS snapshot: ${problem}`);
    }
    return data as EcsSnapshot;
}

export function parseSnapshot(text: string, file: string): EcsSnapshot {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        throw new SnapshotError(`${file} is not valid JSON (${(err as Error).message}); was it cut short or edited by hand? Take a new one with npx ecs2eks snapshot`);
    }
    return validateSnapshot(data, file);
}

export function readSnapshotFile(file: string): EcsSnapshot {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new SnapshotError(code === "ENOENT" ? `snapshot file ${file} does not exist; write it with npx ecs2eks snapshot --out ${file}` : `cannot read snapshot file ${file}: ${(err as Error).message}`);
    }
    return parseSnapshot(text, file);
}

export function serializeSnapshot(snapshot: EcsSnapshot): string {
    return stableStringify(snapshot);
}

export function writeSnapshotFile(file: string, snapshot: EcsSnapshot): void {
    // Write then rename, so a failed run never leaves half a snapshot behind.
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, serializeSnapshot(snapshot));
    fs.renameSync(tmp, file);
}
