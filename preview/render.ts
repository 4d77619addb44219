import { PreviewResource } from "./run";

/** Siblings in a stable order, so two previews of the same program diff cleanly. */
function byTypeThenName(a: PreviewResource, b: PreviewResource): number {
    return a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
}

/** Resources in tree order (depth first), each with its depth. */
export function treeOrder(resources: readonly PreviewResource[]): { resource: PreviewResource; depth: number; prefix: string }[] {
    const children = new Map<string | undefined, PreviewResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const rows: { resource: PreviewResource; depth: number; prefix: string }[] = [];
    const walk = (parent: string | undefined, depth: number, indent: string) => {
        const kids = [...(children.get(parent) ?? [])].sort(byTypeThenName);
        kids.forEach((r, i) => {
            const last = i === kids.length - 1;
            rows.push({ resource: r, depth, prefix: depth === 0 ? "" : `${indent}${last ? "└─ " : "├─ "}` });
            walk(r.urn, depth + 1, depth === 0 ? "" : `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, 0, "");
    return rows;
}

function formatValue(value: unknown): string {
    return typeof value === "string" && value.startsWith("[") && value.endsWith("]") ? value : JSON.stringify(value);
}

/**
 * A resource's inputs as `pulumi preview --diff` shows a create: one line per
 * top-level input, sorted, structured values as compact JSON.
 */
function inputLines(inputs: Readonly<Record<string, unknown>>, indent: string): string[] {
    return Object.keys(inputs)
        .sort()
        .filter((k) => inputs[k] !== undefined)
        .map((k) => `${indent}    + ${k}: ${formatValue(inputs[k])}`);
}

export interface TreeOptions {
    /** Show every resource's inputs under it (--diff). */
    readonly inputs?: boolean;
}

/** The preview as `pulumi preview` prints it: a tree of creates, a count, the outputs. */
export function renderTree(resources: readonly PreviewResource[], outputs: Readonly<Record<string, unknown>>, options: TreeOptions = {}): string {
    const rows = treeOrder(resources);
    const typeWidth = Math.max(4, ...rows.map((r) => r.prefix.length + r.resource.type.length));
    const nameWidth = Math.max(4, ...rows.map((r) => r.resource.name.length));
    const lines = [`     ${"Type".padEnd(typeWidth)}  ${"Name".padEnd(nameWidth)}  Plan`];
    for (const { resource, prefix } of rows) {
        lines.push(` +   ${(prefix + resource.type).padEnd(typeWidth)}  ${resource.name.padEnd(nameWidth)}  create`);
        if (options.inputs) {
            lines.push(...inputLines(resource.inputs, `     ${prefix.replace(/├─ $/, "│  ").replace(/└─ $/, "   ")}`));
        }
    }
    const keys = Object.keys(outputs);
    if (keys.length > 0) {
        const width = Math.max(...keys.map((k) => k.length));
        lines.push("", "Outputs:");
        for (const key of keys) {
            lines.push(`    ${key.padEnd(width)}: ${formatValue(outputs[key])}`);
        }
    }
    lines.push("", "Resources:", `    + ${resources.length} to create`);
    return lines.join("\n");
}

/** The preview for tools: one entry per resource, in tree order. */
export function renderJson(resources: readonly PreviewResource[]): string {
    const entries = treeOrder(resources).map(({ resource }) => ({
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        parent: resource.parent ?? null,
        inputs: resource.inputs,
    }));
    return JSON.stringify(entries, null, 2);
}
