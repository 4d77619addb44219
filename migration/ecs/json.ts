import type { Json } from "../../core/snapshot";

/**
 * SDK output as plain JSON: dates to ISO strings, the SDK's `$metadata` and
 * undefined members dropped. Keys are sorted when the snapshot is written.
 */
export function toJson<T>(value: T): Json<T> {
    return JSON.parse(JSON.stringify(value, (key, v) => (key === "$metadata" ? undefined : v)));
}

/** JSON text with every object's keys sorted: the same data always gives the same bytes. */
export function stableStringify(value: unknown): string {
    const sort = (v: unknown): unknown => {
        if (Array.isArray(v)) {
            return v.map(sort);
        }
        if (typeof v === "object" && v !== null) {
            return Object.fromEntries(
                Object.keys(v)
                    .sort()
                    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
                    .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
            );
        }
        return v;
    };
    return `${JSON.stringify(sort(value), null, 2)}\n`;
}
