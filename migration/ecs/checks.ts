/**
 * The checks of a snapshot file: every field the translator reads, by type
 * and by the range ECS itself allows, so that a hand-edited or damaged
 * snapshot fails here with the field's path, not later as a manifest the API
 * server rejects (`replicas: -4`). Fields the translator does not read are
 * left alone: a newer SDK may add them.
 */

/** One bad field: its JSON path, what is wrong, and the named things it sits in (innermost first). */
export interface Problem {
    readonly path: string;
    readonly text: string;
    readonly within: readonly string[];
}

/** A check of one value: every problem found. */
export type Check = (value: unknown, path: string) => Problem[];

export function formatProblem(p: Problem): string {
    return `${p.path}${p.within.length > 0 ? ` (${p.within.join(", ")})` : ""}: ${p.text}`;
}

const problem = (path: string, text: string): Problem[] => [{ path, text, within: [] }];

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function describe(v: unknown): string {
    if (v === undefined) {
        return "nothing (the field is missing)";
    }
    if (Array.isArray(v)) {
        return "a list";
    }
    if (v === null) {
        return "null";
    }
    return `${typeof v === "object" ? "an object" : `${typeof v === "number" ? "the number" : typeof v === "string" ? "the string" : typeof v}`} ${typeof v === "object" ? "" : JSON.stringify(v).slice(0, 40)}`.trim();
}

const ok: Problem[] = [];

/** Makes any check accept a missing field. */
export const optional =
    (check: Check): Check =>
    (v, p) =>
        v === undefined ? ok : check(v, p);

export const string: Check = (v, p) => (typeof v === "string" ? ok : problem(p, `expected a string, found ${describe(v)}`));

/** A name or reference the translator builds names and lookups from: never empty. */
export const name: Check = (v, p) => (typeof v === "string" && v.trim() !== "" ? ok : problem(p, `expected a non-empty string, found ${typeof v === "string" ? "an empty string" : describe(v)}`));

export const boolean: Check = (v, p) => (typeof v === "boolean" ? ok : problem(p, `expected true or false, found ${describe(v)}`));

const number: Check = (v, p) => (typeof v === "number" && Number.isFinite(v) ? ok : problem(p, `expected a number, found ${describe(v)}`));

/** A whole number in [min, max]; a number written as a string is named as such, since that is the usual hand edit. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    return (v, p) => {
        if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
            return problem(p, `expected a whole number ${range}, found the string ${JSON.stringify(v)}; write it without quotes`);
        }
        return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? ok : problem(p, `expected a whole number ${range}, found ${describe(v)}`);
    };
}

export const port = integer(1, 65535);

export function positive(v: unknown, p: string): Problem[] {
    const problems = number(v, p);
    return problems.length > 0 || (v as number) > 0 ? problems : problem(p, `expected a number above 0, found ${describe(v)}`);
}

export function oneOf(...values: readonly string[]): Check {
    return (v, p) => (typeof v === "string" && values.includes(v) ? ok : problem(p, `expected one of ${values.join(", ")}, found ${describe(v)}`));
}

export const anyObject: Check = (v, p) => (isObject(v) ? ok : problem(p, `expected an object, found ${describe(v)}`));

/** The named fields of an object; `rules` check relations between fields (e.g. min <= max). */
export function object(fields: Readonly<Record<string, Check>>, ...rules: ((o: Record<string, unknown>, path: string) => Problem[])[]): Check {
    return (v, p) => {
        if (!isObject(v)) {
            return problem(p, `expected an object, found ${describe(v)}`);
        }
        const problems = Object.entries(fields).flatMap(([key, check]) => check(v[key], `${p}.${key}`));
        return problems.length > 0 ? problems : rules.flatMap((rule) => rule(v, p));
    };
}

/**
 * A list of items; `kind` and `label` name an item in its problems (service
 * "web" says more than an index), when the item has a name.
 */
export function list(item: Check, kind?: string, label?: (item: Record<string, unknown>) => unknown): Check {
    return (v, p) => {
        if (!Array.isArray(v)) {
            return problem(p, `expected a list, found ${describe(v)}`);
        }
        return v.flatMap((x, i) => {
            const problems = item(x, `${p}[${i}]`);
            const tag = isObject(x) && label ? label(x) : undefined;
            return typeof tag === "string" && tag !== "" ? problems.map((m) => ({ ...m, within: [...m.within, `${kind} ${tag}`] })) : problems;
        });
    };
}

/** min <= max, for capacities. */
export function ordered(min: string, max: string): (o: Record<string, unknown>, path: string) => Problem[] {
    return (o, p) =>
        typeof o[min] === "number" && typeof o[max] === "number" && (o[min] as number) > (o[max] as number) ? problem(p, `${min} ${o[min]} is above ${max} ${o[max]}`) : ok;
}
