import * as pulumi from "@pulumi/pulumi";
import { ExpectedError } from "../core/errors";
import { SNAPSHOT_SCHEMA_VERSION } from "../core/snapshot";
import { READER_VERSION } from "../migration/ecs/version";
import { HELP_FLAGS, UsageError, parseArgs } from "./args";
import { Command, EXIT } from "./command";
import { decommissionCommand } from "./decommission";
import { planCommand } from "./plan";
import { policyCheckCommand } from "./policyCheck";
import { previewCommand } from "./preview";
import { shardsCommand } from "./shards";
import { snapshotCommand } from "./snapshot";
import { verifyCommand } from "./verify";
import { canaryGateCommand } from "./canaryGate";
import { loadtestCommand } from "./loadtest";

export const COMMANDS: readonly Command[] = [previewCommand, snapshotCommand, planCommand, decommissionCommand, policyCheckCommand, shardsCommand, loadtestCommand, verifyCommand, canaryGateCommand];

export const VERSION_LINE = `ecs2eks ${READER_VERSION} (reads and writes ECS snapshot format ${SNAPSHOT_SCHEMA_VERSION})`;

export const USAGE = `Usage: ecs2eks <command> [flags]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(20)}${c.summary}`).join("\n")}

Flags of every command:
  --help, -h          print the command's help and exit 0
  --debug             show stack traces for unexpected errors
ecs2eks --version prints the version and the snapshot format it reads.

Exit codes (every command):
  0  success
  1  the check, plan or preview found problems (error diagnostics, blockers,
     policy violations, a verify rollback, a canary raise blocked), or the
     input could not be used (config, snapshot, AWS, file system); the
     message says which, on one line
  2  usage error: unknown command or flag, missing or stray argument

Run ecs2eks <command> --help for its flags.`;

/** Failures the user caused and can fix (core/errors.ts; the program's come as RunError): one line each, no stack trace. */
function isExpected(err: unknown): err is Error {
    return err instanceof ExpectedError || err instanceof pulumi.RunError;
}

function report(err: Error): number {
    // One "error:" for one failure; the lines after it (the problems of a snapshot) belong to it.
    const [first, ...rest] = err.message.split("\n");
    process.stderr.write(`error: ${first}\n${rest.map((line) => `${line}\n`).join("")}`);
    if (err instanceof UsageError) {
        process.stderr.write(`Run ecs2eks ${err.command ? `${err.command} ` : ""}--help for usage.\n`);
        return EXIT.usage;
    }
    return EXIT.problems;
}

export async function main(argv: readonly string[]): Promise<number> {
    const debug = argv.includes("--debug");
    const rest = argv.filter((a) => a !== "--debug");
    const [name, ...commandArgs] = rest;
    if (name === undefined || HELP_FLAGS.has(name) || (name === "help" && commandArgs.length === 0)) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
    }
    if (name === "--version" || name === "-V" || name === "version") {
        process.stdout.write(`${VERSION_LINE}\n`);
        return EXIT.ok;
    }
    const helpFor = name === "help" ? commandArgs[0] : undefined;
    const command = COMMANDS.find((c) => c.name === (helpFor ?? name));
    if (!command) {
        return report(new UsageError(`unknown command ${JSON.stringify(helpFor ?? name)}; commands: ${COMMANDS.map((c) => c.name).join(", ")}`));
    }
    if (helpFor !== undefined || commandArgs.some((a) => HELP_FLAGS.has(a))) {
        process.stdout.write(`${command.help}\n`);
        return EXIT.ok;
    }
    try {
        return await command.run(parseArgs(commandArgs, command.flags, command.name));
    } catch (err) {
        if (isExpected(err) && !debug) {
            return report(err);
        }
        process.stderr.write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
        return EXIT.problems;
    }
}
