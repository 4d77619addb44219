import { FlagSpecs, ParsedArgs } from "./args";

/** One ecs2eks command: its help (printed by --help, copied into README), its flags, what it does. */
export interface Command {
    readonly name: string;
    /** One line for the top-level help. */
    readonly summary: string;
    readonly help: string;
    readonly flags: FlagSpecs;
    run(args: ParsedArgs): Promise<number>;
}

/** The flags of the commands that run the program for a stack. */
export const STACK_FLAGS = {
    stack: { value: true },
    config: { value: true, repeatable: true },
} as const;

export const STACK_HELP = `  --stack NAME        stack whose Pulumi.<stack>.yaml to read (default dev)
  --config key=value  override one config value; JSON values are structured,
                      and key.path sets one field (as pulumi config set --path)`;

/** Exit codes, the same for every command (README lists them). */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
