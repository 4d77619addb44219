/**
 * The members of the ECS API shapes reachable from TaskDefinition and
 * Service, read from the installed @aws-sdk/client-ecs's runtime schemas, so
 * the field ledger can be checked against the SDK actually installed.
 *
 * A schema is an array: [kind, namespace, name, traits, members, memberSchemas]
 * for structures (kind 3), [kind, namespace, name, traits, valueSchema] for
 * lists (1) and maps (2); a member schema is a number (a scalar), a schema,
 * a function returning one, or [schema, traits].
 */
import * as ecs from "@aws-sdk/client-ecs";

type Schema = number | readonly unknown[] | (() => Schema);

const STRUCTURE = 3;
const LIST = 1;
const MAP = 2;

function resolve(schema: unknown): unknown {
    return typeof schema === "function" ? resolve((schema as () => unknown)()) : schema;
}

/** "Shape.member" for every member of every structure reachable from the roots. */
export function reachableMembers(roots: readonly string[] = ["TaskDefinition", "Service"]): string[] {
    const exports = ecs as unknown as Record<string, unknown>;
    const members = new Set<string>();
    const seen = new Set<unknown>();
    const walk = (raw: unknown) => {
        const schema = resolve(raw);
        if (!Array.isArray(schema) || seen.has(schema)) {
            return;
        }
        if (typeof schema[0] !== "number") {
            // [schema, traits]: a member with traits of its own (e.g. sensitive).
            walk(schema[0]);
            return;
        }
        seen.add(schema);
        const [kind, , name] = schema as [number, string, string];
        if (kind === STRUCTURE) {
            const names = schema[4] as string[];
            const types = schema[5] as Schema[];
            names.forEach((member, i) => {
                members.add(`${name}.${member}`);
                walk(types[i]);
            });
        } else if (kind === LIST || kind === MAP) {
            walk(schema[4]);
        }
    };
    for (const root of roots) {
        const schema = exports[`${root}$`];
        if (!schema) {
            throw new Error(`@aws-sdk/client-ecs exports no schema ${root}$; the SDK's internals changed, update sdkShapes.ts`);
        }
        walk(schema);
    }
    return [...members].sort();
}

function isEmpty(value: unknown): boolean {
    return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
}

/**
 * "Shape.member" for every member set in a value of the root shape (a task
 * definition, a service), found by walking the value along the SDK schema.
 */
export function presentMembers(value: unknown, root: "TaskDefinition" | "Service"): Set<string> {
    const exports = ecs as unknown as Record<string, unknown>;
    const present = new Set<string>();
    const walk = (raw: unknown, v: unknown) => {
        const schema = resolve(raw);
        if (!Array.isArray(schema) || isEmpty(v)) {
            return;
        }
        if (typeof schema[0] !== "number") {
            walk(schema[0], v);
            return;
        }
        const [kind, , name] = schema as [number, string, string];
        if (kind === STRUCTURE && typeof v === "object" && v !== null) {
            const names = schema[4] as string[];
            const types = schema[5] as Schema[];
            names.forEach((member, i) => {
                const child = (v as Record<string, unknown>)[member];
                if (!isEmpty(child)) {
                    present.add(`${name}.${member}`);
                    walk(types[i], child);
                }
            });
        } else if (kind === LIST && Array.isArray(v)) {
            v.forEach((item) => walk(schema[4], item));
        } else if (kind === MAP && typeof v === "object" && v !== null) {
            Object.values(v).forEach((item) => walk(schema[4], item));
        }
    };
    walk(exports[`${root}$`], value);
    return present;
}
