/**
 * Typed access to raw stack config (key → string, as Pulumi stores it) that
 * collects every problem instead of stopping at the first, and remembers which
 * keys were read so that typos in our namespaces can be reported.
 */
export type RawConfig = Readonly<Record<string, string>>;

export class ConfigReader {
    readonly problems: string[] = [];
    readonly warnings: string[] = [];
    private readonly consumed = new Set<string>();

    constructor(private readonly raw: RawConfig) {}

    has(key: string): boolean {
        return this.raw[key] !== undefined;
    }

    /** Every key set in a namespace, without the namespace prefix, sorted. */
    keysIn(namespace: string): string[] {
        const prefix = `${namespace}:`;
        return Object.keys(this.raw)
            .filter((k) => k.startsWith(prefix))
            .map((k) => k.slice(prefix.length))
            .sort();
    }

    fail(problem: string): void {
        this.problems.push(problem);
    }

    warn(warning: string): void {
        this.warnings.push(warning);
    }

    /** The raw text of a key, marking it as known. */
    text(key: string): string | undefined {
        this.consumed.add(key);
        return this.raw[key];
    }

    string(key: string, fallback: string, pattern?: RegExp, allowed?: string): string {
        const value = this.text(key);
        if (value === undefined) {
            return fallback;
        }
        if (pattern && !pattern.test(value)) {
            this.fail(`${key} ${JSON.stringify(value)} is not allowed; expected ${allowed ?? pattern.source}`);
            return fallback;
        }
        return value;
    }

    oneOf<T extends string>(key: string, fallback: T, allowed: readonly T[]): T {
        const value = this.text(key);
        if (value === undefined) {
            return fallback;
        }
        if (!(allowed as readonly string[]).includes(value)) {
            this.fail(`${key} ${JSON.stringify(value)} is not allowed; use one of: ${allowed.join(", ")}`);
            return fallback;
        }
        return value as T;
    }

    integer(key: string, fallback: number, min: number, max: number): number {
        const value = this.text(key);
        if (value === undefined) {
            return fallback;
        }
        return checkInteger(value, min, max, (msg) => this.fail(`${key} ${JSON.stringify(value)} ${msg}`)) ?? fallback;
    }

    boolean(key: string, fallback: boolean): boolean {
        const value = this.text(key);
        if (value === undefined) {
            return fallback;
        }
        if (value !== "true" && value !== "false") {
            this.fail(`${key} ${JSON.stringify(value)} is not allowed; use true or false`);
            return fallback;
        }
        return value === "true";
    }

    /** A structured (JSON) value; undefined when unset or unparsable (reported). */
    json(key: string): unknown {
        const value = this.text(key);
        if (value === undefined) {
            return undefined;
        }
        try {
            return JSON.parse(value);
        } catch {
            this.fail(`${key} ${JSON.stringify(value)} is not valid structured config; set it as YAML in Pulumi.<stack>.yaml or with \`pulumi config set --path\``);
            return undefined;
        }
    }

    stringList(key: string, check: (item: string) => string | undefined): string[] {
        const value = this.json(key);
        if (value === undefined) {
            return [];
        }
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
            this.fail(`${key} ${JSON.stringify(value)} is not a list of strings`);
            return [];
        }
        const items = value as string[];
        for (const item of items) {
            const problem = check(item);
            if (problem) {
                this.fail(`${key} ${JSON.stringify(item)} ${problem}`);
            }
        }
        return items;
    }

    /** Every key some reader asked for, set or not. */
    knownKeys(): string[] {
        return [...this.consumed].sort();
    }

    /** Reports keys of a namespace that no reader asked for: usually typos. */
    rejectUnknown(namespace: string): void {
        const known = [...this.consumed]
            .filter((k) => k.startsWith(`${namespace}:`))
            .map((k) => k.slice(namespace.length + 1))
            .sort();
        for (const key of this.keysIn(namespace)) {
            if (!this.consumed.has(`${namespace}:${key}`)) {
                this.fail(`${namespace}:${key} is not a known key; known ${namespace} keys: ${known.join(", ")}`);
            }
        }
    }

    /**
     * Reports keys whose namespace is one of ours mistyped (`Cluster:`,
     * `clustr:`, `nodegroups:`), and keys of ours given without a namespace
     * (Pulumi files them under the project's, e.g. `ecs2eks:version`): both
     * would otherwise be ignored silently.
     */
    rejectMistypedNamespaces(ours: readonly string[], foreign: readonly string[]): void {
        const consumedNamespaces = new Set([...this.consumed].map((k) => k.split(":")[0]));
        for (const full of Object.keys(this.raw).sort()) {
            const colon = full.indexOf(":");
            const namespace = full.slice(0, colon);
            const key = full.slice(colon + 1);
            if (colon < 0 || ours.includes(namespace) || consumedNamespaces.has(namespace) || foreign.includes(namespace)) {
                continue;
            }
            const near = ours.find((n) => n.toLowerCase() === namespace.toLowerCase()) ?? ours.find((n) => namespace.length >= 4 && editDistance(n.toLowerCase(), namespace.toLowerCase()) <= 2);
            if (near) {
                this.fail(`${full} is not a known key: there is no namespace "${namespace}"; did you mean ${near}:${key}?`);
                continue;
            }
            const base = key.split(".")[0];
            const owners = [...this.consumed].filter((k) => k.slice(k.indexOf(":") + 1) === base && ours.includes(k.split(":")[0]));
            if (owners.length > 0) {
                this.fail(`${full} is not a known key: "${base}" needs its namespace; did you mean ${owners.map((o) => `${o}${key.slice(base.length)}`).join(" or ")}?`);
            }
        }
    }
}

/** Levenshtein distance, for typos in namespaces. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

/** Validates a whole number in [min, max]; calls report with the reason when it is not. */
export function checkInteger(value: unknown, min: number, max: number, report: (msg: string) => void): number | undefined {
    const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
        report(`is not allowed; expected a whole number from ${min} to ${max}`);
        return undefined;
    }
    return n;
}
