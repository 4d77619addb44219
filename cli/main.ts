import * as pulumi from "@pulumi/pulumi";
import { StackConfigError } from "../preview/stackConfig";
import { UsageError } from "./args";
import { ReaderError } from "../migration/ecs/errors";
import { SnapshotError } from "../migration/ecs/snapshotFile";
import { policyCheck } from "../policy/check";
import { DECOMMISSION_USAGE, decommissionCommand } from "./decommission";
import { PLAN_USAGE, planCommand } from "./plan";
import { PREVIEW_USAGE, previewCommand } from "./preview";
import { SNAPSHOT_USAGE, snapshotCommand } from "./snapshot";

const USAGE = `Usage: ecs2eks <command> [flags]

Commands:
  preview   run the program offline and print what pulumi preview would create
  snapshot  read a live ECS cluster into a snapshot file
  plan      translate a snapshot into Kubernetes manifests, plan.json and a report
  decommission-check  say whether destroying the ECS stacks is safe, and what blocks it
  policy-check        run the policy pack over the offline preview of each stack

Run ecs2eks <command> --help for its flags. --debug shows stack traces.`;

const COMMANDS: Readonly<Record<string, { usage: string; run: (argv: readonly string[]) => Promise<number> }>> = {
    preview: { usage: PREVIEW_USAGE, run: previewCommand },
    snapshot: { usage: SNAPSHOT_USAGE, run: snapshotCommand },
    plan: { usage: PLAN_USAGE, run: planCommand },
    "decommission-check": { usage: DECOMMISSION_USAGE, run: decommissionCommand },
    "policy-check": { usage: "Usage: ecs2eks policy-check [--stack dev] [--config key=value ...]", run: policyCheck },
};

/** Failures the user caused and can fix: one line each, no stack trace. */
function isExpected(err: unknown): err is Error {
    return (
        err instanceof UsageError ||
        err instanceof StackConfigError ||
        err instanceof pulumi.RunError ||
        err instanceof ReaderError ||
        err instanceof SnapshotError
    );
}

export async function main(argv: readonly string[]): Promise<number> {
    const debug = argv.includes("--debug");
    const rest = argv.filter((a) => a !== "--debug");
    const [name, ...commandArgs] = rest;
    const command = name === undefined ? undefined : COMMANDS[name];
    if (!command) {
        const known = name === undefined || name === "--help" || name === "help";
        process.stderr.write(`${known ? "" : `error: unknown command ${JSON.stringify(name)}\n\n`}${USAGE}\n`);
        return known ? 0 : 2;
    }
    if (commandArgs.includes("--help")) {
        process.stdout.write(`${command.usage}\n`);
        return 0;
    }
    try {
        return await command.run(commandArgs);
    } catch (err) {
        if (isExpected(err) && !debug) {
            // One "error:" for one failure; the lines after it (the problems of a snapshot, a usage) belong to it.
            const [first, ...rest] = err.message.split("\n");
            process.stderr.write(`error: ${first}\n${rest.map((line) => `${line}\n`).join("")}`);
            return err instanceof UsageError ? 2 : 1;
        }
        process.stderr.write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
        return 1;
    }
}
