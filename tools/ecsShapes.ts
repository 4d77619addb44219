/**
 * Writes migration/translate/ecsShapes.json: the ECS API structures reachable
 * from TaskDefinition and Service, read from the installed
 * @aws-sdk/client-ecs's runtime schemas. The translator walks snapshots
 * along that table instead of loading the SDK (it stays pure), the field
 * ledger is checked against it, and a test fails when the installed SDK no
 * longer matches it. Run after an SDK upgrade: npm run shapes:ecs.
 *
 * A schema is an array: [kind, namespace, name, traits, members, memberSchemas]
 * for structures (kind 3), [kind, namespace, name, traits, valueSchema] for
 * lists (1) and maps (2); a member schema is a number (a scalar), a schema,
 * a function returning one, or [schema, traits].
 */
import * as ecs from "@aws-sdk/client-ecs";
import * as fs from "fs";
import * as path from "path";
import { ShapeRef, ShapeTable } from "../migration/translate/shapes";

const STRUCTURE = 3;
const LIST = 1;
const MAP = 2;

/** Where the table is checked in, from dist/tools/ or tools/. */
export const SHAPES_FILE = path.join(__dirname, "..", ...(path.basename(path.dirname(__dirname)) === "dist" ? [".."] : []), "migration", "translate", "ecsShapes.json");

function resolve(schema: unknown): unknown {
    return typeof schema === "function" ? resolve((schema as () => unknown)()) : schema;
}

/** The table of every structure reachable from the roots, each member pointing at the structure under it (through lists and maps), if any. */
export function shapeTableFromSdk(roots: readonly string[] = ["TaskDefinition", "Service"]): ShapeTable {
    const exports = ecs as unknown as Record<string, unknown>;
    const shapes: Record<string, Record<string, ShapeRef>> = {};
    const ref = (raw: unknown): ShapeRef => {
        const schema = resolve(raw);
        if (!Array.isArray(schema)) {
            return null;
        }
        if (typeof schema[0] !== "number") {
            // [schema, traits]: a member with traits of its own (e.g. sensitive).
            return ref(schema[0]);
        }
        const [kind, , name] = schema as [number, string, string];
        if (kind === STRUCTURE) {
            if (!(name in shapes)) {
                const members: Record<string, ShapeRef> = {};
                shapes[name] = members;
                const names = schema[4] as string[];
                const types = schema[5] as unknown[];
                names.forEach((member, i) => (members[member] = ref(types[i])));
            }
            return name;
        }
        if (kind === LIST || kind === MAP) {
            const item = ref(schema[4]);
            // A list or map of scalars has no members to find beneath it.
            return item === null ? null : kind === LIST ? { list: item } : { map: item };
        }
        return null;
    };
    for (const root of roots) {
        const schema = exports[`${root}$`];
        if (!schema) {
            throw new Error(`@aws-sdk/client-ecs exports no schema ${root}$; the SDK's internals changed, update tools/ecsShapes.ts`);
        }
        ref(schema);
    }
    const sorted = (o: Record<string, ShapeRef>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    return { roots: [...roots], shapes: Object.fromEntries(Object.keys(shapes).sort().map((s) => [s, sorted(shapes[s])])) };
}

export function renderShapeTable(table: ShapeTable): string {
    return `${JSON.stringify(table, null, 2)}\n`;
}

if (require.main === module) {
    fs.writeFileSync(SHAPES_FILE, renderShapeTable(shapeTableFromSdk()));
    process.stdout.write(`wrote ${path.relative(process.cwd(), SHAPES_FILE)}\n`);
}
