/**
 * The ECS API structures reachable from TaskDefinition and Service, as the
 * installed @aws-sdk/client-ecs declares them, from the table
 * tools/ecsShapes.ts writes (ecsShapes.json; a test fails when the SDK no
 * longer matches it). The translator reads the table, never the SDK itself:
 * it stays pure and loads no AWS client.
 */
import table from "./ecsShapes.json";

/** What a member holds: a structure (by name), a list or map of one, or nothing with members (null). */
export type ShapeRef = string | { readonly list: ShapeRef } | { readonly map: ShapeRef } | null;

export interface ShapeTable {
    readonly roots: readonly string[];
    readonly shapes: Readonly<Record<string, Readonly<Record<string, ShapeRef>>>>;
}

export const ECS_SHAPES = table as ShapeTable;

export type Root = "TaskDefinition" | "Service";

/** "Shape.member" for every member of every structure in the table. */
export function shapeMembers(shapes: ShapeTable = ECS_SHAPES): string[] {
    return Object.entries(shapes.shapes).flatMap(([shape, members]) => Object.keys(members).map((m) => `${shape}.${m}`));
}

function isEmpty(value: unknown): boolean {
    return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
}

/**
 * "Shape.member" for every member set in a value of the root shape (a task
 * definition, a service), found by walking the value along the table.
 */
export function presentMembers(value: unknown, root: Root): Set<string> {
    const present = new Set<string>();
    const walk = (ref: ShapeRef, v: unknown): void => {
        if (ref === null || isEmpty(v)) {
            return;
        }
        if (typeof ref === "string") {
            if (typeof v !== "object" || v === null) {
                return;
            }
            for (const [member, child] of Object.entries(ECS_SHAPES.shapes[ref] ?? {})) {
                const held = (v as Record<string, unknown>)[member];
                if (!isEmpty(held)) {
                    present.add(`${ref}.${member}`);
                    walk(child, held);
                }
            }
        } else if ("list" in ref) {
            if (Array.isArray(v)) {
                v.forEach((item) => walk(ref.list, item));
            }
        } else if (typeof v === "object" && v !== null) {
            Object.values(v).forEach((item) => walk(ref.map, item));
        }
    };
    walk(root, value);
    return present;
}
