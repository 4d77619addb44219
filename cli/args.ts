/**
 * A small, strict command-line parser: unknown flags, short flags it does not
 * know and stray words are usage errors, never ignored (`preview -h` must not
 * run a preview, `plan out/` must not plan into the default).
 */
import { ExpectedError } from "../core/errors";

export class UsageError extends ExpectedError {
    constructor(
        message: string,
        /** The command whose --help to point at; none for the top level. */
        readonly command?: string,
    ) {
        super(message);
    }
}

export interface FlagSpec {
    /** Takes a value; repeatable flags collect every value. */
    readonly value?: boolean;
    readonly repeatable?: boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
    readonly flags: Readonly<Record<string, string[]>>;
}

/** Flags every command takes; main handles them before the command runs. */
export const HELP_FLAGS = new Set(["--help", "-h"]);

export function parseArgs(argv: readonly string[], spec: FlagSpecs, command?: string): ParsedArgs {
    const flags: Record<string, string[]> = {};
    const known = () => Object.keys(spec).map((f) => `--${f}`).join(", ") || "none";
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("-") || arg === "-") {
            throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: ${command ?? "ecs2eks"} takes flags only (${known()})`, command);
        }
        if (!arg.startsWith("--")) {
            throw new UsageError(`unknown flag ${arg}; known flags: ${known()}`, command);
        }
        const eq = arg.indexOf("=");
        const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
        const flag = spec[name];
        if (!flag) {
            throw new UsageError(`unknown flag --${name}; known flags: ${known()}`, command);
        }
        let value = "true";
        if (flag.value) {
            const next = eq > 0 ? arg.slice(eq + 1) : argv[++i];
            if (next === undefined || (eq < 0 && next.startsWith("--"))) {
                throw new UsageError(`--${name} needs a value`, command);
            }
            value = next;
        } else if (eq > 0) {
            throw new UsageError(`--${name} takes no value`, command);
        }
        if (flags[name] && !flag.repeatable) {
            throw new UsageError(`--${name} given twice; it takes one value`, command);
        }
        flags[name] = [...(flags[name] ?? []), value];
    }
    return { flags };
}

/** A flag's one value, or undefined. */
export function single(args: ParsedArgs, name: string): string | undefined {
    return args.flags[name]?.[0];
}

export function present(args: ParsedArgs, name: string): boolean {
    return args.flags[name] !== undefined;
}
