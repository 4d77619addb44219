/** A small, strict command-line parser: unknown flags are errors, not ignored. */

export class UsageError extends Error {}

export interface FlagSpec {
    /** Takes a value; repeatable flags collect every value. */
    readonly value?: boolean;
    readonly repeatable?: boolean;
}

export interface ParsedArgs {
    readonly flags: Readonly<Record<string, string[]>>;
    readonly positional: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
    const flags: Record<string, string[]> = {};
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("--")) {
            positional.push(arg);
            continue;
        }
        const eq = arg.indexOf("=");
        const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
        const flag = spec[name];
        if (!flag) {
            throw new UsageError(`unknown flag --${name}; known flags: ${Object.keys(spec).map((f) => `--${f}`).join(", ")}`);
        }
        let value = "true";
        if (flag.value) {
            const next = eq > 0 ? arg.slice(eq + 1) : argv[++i];
            if (next === undefined) {
                throw new UsageError(`--${name} needs a value`);
            }
            value = next;
        }
        if (flags[name] && !flag.repeatable) {
            throw new UsageError(`--${name} given twice; it takes one value`);
        }
        flags[name] = [...(flags[name] ?? []), value];
    }
    return { flags, positional };
}
