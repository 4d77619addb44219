import * as path from "path";
import { validateConfig } from "../config/validate";
import { unknownCutoverServices } from "../migration/cutover/weights";
import { decommissionChecks, renderChecks } from "../migration/decommission";
import { SnapshotError, readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { findProject, loadStackConfigValues } from "../preview/project";
import { StackConfigError } from "../preview/stackConfig";
import { ParsedArgs, present, single } from "./args";
import { Command, EXIT, STACK_FLAGS, STACK_HELP } from "./command";
import { decommissionAll, decommissionStacks } from "./decommissionShards";
import { shardSnapshot } from "./shardClaims";

export const decommissionCommand: Command = {
    name: "decommission-check",
    summary: "say whether destroying the ECS stacks is safe, and what blocks it",
    help: `Usage: ecs2eks decommission-check [--stack dev] [--config key=value ...] [--json]

Reads the stack's config and ECS snapshot and prints a checklist; exits 0
only when destroying the ECS stacks is safe: the ECS state is frozen, every
service is at eksWeight 100, and nothing this stack uses is still owned by the
ECS stacks (load balancers, target groups, security groups, secrets, file
systems). Each blocker says how to clear it; exits 1 while any remains.
${STACK_HELP}
  --json              print {stack, safe, checks: [{ok, title, detail, fix}]}
Migration shards (README: "Sharding the migration"): --stack repeated, or
  --all-shards ENV    every stack of platform stack ENV that migrates (its
                      shards); exits 0 only when every one of them is safe, and
                      --json prints {stacks, safe, results: [...]}`,
    flags: { ...STACK_FLAGS, stack: { value: true, repeatable: true }, "all-shards": { value: true }, json: {} },
    async run(args: ParsedArgs): Promise<number> {
        const several = decommissionStacks(args);
        if (several) {
            return decommissionAll(several, present(args, "json"), (stack) =>
                this.run({ flags: { ...Object.fromEntries(Object.entries(args.flags).filter(([k]) => k !== "all-shards")), stack: [stack] } }),
            );
        }
        const project = findProject(process.cwd());
        const stack = single(args, "stack") ?? "dev";
        const values = loadStackConfigValues(project, stack, args.flags.config ?? []);
        // A ConfigError is an expected error: main prints its problems, one a line.
        const config = validateConfig(values.values, stack);
        let snapshot;
        let problem: string | undefined;
        if (config.migration.source === "none") {
            problem = "migration:source is none: this stack migrates nothing from ECS, so there is no ECS state to check";
        } else if (config.migration.source === "snapshot" && config.migration.snapshotFile) {
            try {
                // A shard answers for its part of the estate only.
                snapshot = shardSnapshot(config, readSnapshotFile(path.resolve(project.dir, config.migration.snapshotFile)));
            } catch (err) {
                if (!(err instanceof SnapshotError)) {
                    throw err;
                }
                problem = err.message;
            }
        }
        const plan = snapshot ? translate(snapshot) : undefined;
        if (plan) {
            // The same check as preview and pulumi up, so a cutover that names no service cannot pass here.
            const services = plan.workloads.map((w) => w.source.name);
            const unknown = unknownCutoverServices(config.migration.cutover, services);
            if (unknown.length > 0) {
                throw new StackConfigError(`migration:cutover.services.${unknown[0]} names no ECS service of the snapshot; services: ${services.join(", ")}`);
            }
        }
        const checks = decommissionChecks(config, ` --stack ${stack}`, snapshot, plan, problem);
        const safe = checks.every((c) => c.ok);
        if (present(args, "json")) {
            process.stdout.write(`${JSON.stringify({ stack, safe, snapshot: snapshot ? { file: config.migration.snapshotFile, capturedAt: snapshot.capturedAt } : null, checks }, null, 2)}\n`);
        } else {
            process.stdout.write(renderChecks(checks, `Decommission check for stack ${stack}${snapshot ? ` (ECS snapshot ${config.migration.snapshotFile}, taken ${snapshot.capturedAt})` : ""}`));
        }
        return safe ? EXIT.ok : EXIT.problems;
    },
};
