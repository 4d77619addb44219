import * as path from "path";
import { ConfigError } from "../config";
import { validateConfig } from "../config/validate";
import { decommissionChecks, renderChecks } from "../migration/decommission";
import { SnapshotError, readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { findProject, loadStackConfigValues } from "../preview/project";
import { StackConfigError } from "../preview/stackConfig";
import { parseArgs } from "./args";

export const DECOMMISSION_USAGE = `Usage: ecs2eks decommission-check [--stack dev] [--config key=value ...]

Reads the stack's config and ECS snapshot and prints a checklist; exits 0
only when destroying the ECS stacks is safe: the ECS state is frozen, every
service is at eksWeight 100, and nothing this stack uses is still owned by the
ECS stacks (load balancers, target groups, security groups, secrets, file
systems). Each blocker says how to clear it. Same flags as preview.`;

export async function decommissionCommand(argv: readonly string[]): Promise<number> {
    const args = parseArgs(argv, { stack: { value: true }, config: { value: true, repeatable: true }, help: {} });
    const project = findProject(process.cwd());
    const stack = args.flags.stack?.[0] ?? "dev";
    const values = loadStackConfigValues(project, stack, args.flags.config ?? []);
    let config;
    try {
        config = validateConfig(values.values, stack);
    } catch (err) {
        if (err instanceof ConfigError) {
            throw new StackConfigError(err.message);
        }
        throw err;
    }
    let snapshot;
    let problem: string | undefined;
    if (config.migration.source === "snapshot" && config.migration.snapshotFile) {
        try {
            snapshot = readSnapshotFile(path.resolve(project.dir, config.migration.snapshotFile));
        } catch (err) {
            if (!(err instanceof SnapshotError)) {
                throw err;
            }
            problem = err.message;
        }
    }
    const plan = snapshot ? translate(snapshot, { identityMode: config.identity.mode }) : undefined;
    const checks = decommissionChecks(config, ` --stack ${stack}`, snapshot, plan, problem);
    process.stdout.write(renderChecks(checks, `Decommission check for stack ${stack}${snapshot ? ` (ECS snapshot ${config.migration.snapshotFile}, taken ${snapshot.capturedAt})` : ""}`));
    return checks.every((c) => c.ok) ? 0 : 1;
}
