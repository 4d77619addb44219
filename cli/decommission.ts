import * as path from "path";
import { validateConfig } from "../config/validate";
import { unknownCutoverServices } from "../migration/cutover/weights";
import { EcsState, EcsStateEvidence, decommission, renderChecks } from "../migration/decommission";
import { cloudFormationResources, readCloudFormationStack } from "../migration/decommission/cloudFormation";
import { sdkCloudFormationApi } from "../migration/decommission/cloudFormationSdk";
import { readStateFile } from "../migration/decommission/stateFile";
import { readVeleroBackups } from "../migration/decommission/veleroBackups";
import { SnapshotError, readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { stackNameOf } from "../preview/platformOutputs";
import { findProject, loadStackConfigValues } from "../preview/project";
import { StackConfigError } from "../preview/stackConfig";
import { ParsedArgs, UsageError, present, single } from "./args";
import { Command, EXIT, STACK_FLAGS, STACK_HELP } from "./command";
import { AdoptOutResult, writeAdoptOut } from "./adoptOut";
import { decommissionAll, decommissionStacks } from "./decommissionShards";
import { shardSnapshot } from "./shardClaims";

/** --ecs-state [STACK=]FILE: the Pulumi stack name is optional, for the way-out lines of another project's stack. */
function splitStateArg(arg: string): { file: string; stackName?: string } {
    const eq = arg.indexOf("=");
    return eq > 0 ? { stackName: arg.slice(0, eq), file: arg.slice(eq + 1) } : { file: arg };
}

/** Reads every ECS stack's state given; only once the check needs it (the snapshot is there), so the frozen check comes first. */
async function readEvidence(args: ParsedArgs, region: string, stack: string, project: string): Promise<EcsStateEvidence | undefined> {
    const files = args.flags["ecs-state"] ?? [];
    const cfn = args.flags["ecs-cfn-stack"] ?? [];
    if (files.length === 0 && cfn.length === 0) {
        return undefined;
    }
    const states: EcsState[] = [];
    for (const arg of files) {
        const { file, stackName } = splitStateArg(arg);
        const { format, resources, document } = readStateFile(file);
        states.push({ source: file, format, resources, document, ...(stackName ? { stackName } : {}) });
    }
    if (cfn.length > 0) {
        const api = sdkCloudFormationApi(region);
        for (const name of cfn) {
            states.push({ source: name, format: "cloudformation", resources: cloudFormationResources(await readCloudFormationStack(api, name)) });
        }
    }
    return { states, context: { stack, project } };
}

/**
 * Where the resources the ECS stacks must not delete go: this stack, or a
 * migration shard's platform stack, since a shard declares none of them
 * (migration:adoptedResources is the platform's). `arg` is how the pulumi
 * CLI names it: a shard's platform stack fully qualified, as configured.
 */
export function moveDestination(stack: string, project: string, platformStack: string | undefined): { stack: string; project: string; arg: string } {
    if (!platformStack) {
        return { stack, project, arg: stack };
    }
    // org/project/stack names its project; a bare or org/stack name is of this project.
    const parts = platformStack.split("/");
    return { stack: stackNameOf(platformStack), project: parts.length === 3 ? parts[1] : project, arg: platformStack };
}

/** --since: an ISO 8601 time with its zone (or a UTC date), as `pulumi stack history` prints update times. */
function sinceOf(args: ParsedArgs): Date | undefined {
    const value = single(args, "since");
    if (value === undefined) {
        return undefined;
    }
    const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value) ? new Date(value) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
        throw new UsageError(`--since ${value} is not a time; give the time of the last \`pulumi up\` that changed migration:cutover with its zone, e.g. 2026-11-28T09:30:00Z`, "decommission-check");
    }
    return at;
}

export const decommissionCommand: Command = {
    name: "decommission-check",
    summary: "say whether destroying the ECS stacks is safe, and what blocks it",
    help: `Usage: ecs2eks decommission-check [--stack dev] [--config key=value ...] [--json]
                                  [--ecs-state [STACK=]FILE ...] [--ecs-cfn-stack NAME ...]
                                  [--kubeconfig FILE] [--since TIME]
                                  [--adopt-out FILE]

Reads the stack's config and ECS snapshot and prints a checklist; exits 0
only when destroying the ECS stacks is safe: the ECS state is frozen, every
service is at eksWeight 100, and nothing this stack uses is still owned by the
ECS stacks (load balancers, listeners, target groups, security groups and
their rules, secrets, parameters, KMS keys, file systems, access points, log
groups, DNS records). Given the ECS stacks' state, it checks exactly what
each stack's destroy would delete; without, it trusts migration:adopted.
With addons:velero on, it also requires a Completed Velero backup of the
migrated namespaces that finished after the last cutover change (--since),
read through a kubeconfig; without one, that is a manual check.
Each blocker says how to clear it; exits 1 while any remains.
${STACK_HELP}
  --ecs-state FILE    an ECS stack's state: pulumi stack export or terraform
                      show -json output (told apart by content); repeatable.
                      STACK=FILE names the Pulumi stack for the way-out lines
                      (org/project/stack, as pulumi stack export took it)
  --ecs-cfn-stack NAME  an ECS CloudFormation stack (CDK, Copilot), read with
                      the AWS credentials and the snapshot's region; repeatable
  --kubeconfig FILE   read Velero's Backups (namespace velero) through it
                      (default KUBECONFIG)
  --since TIME        when the last cutover change was applied: the time of
                      the last pulumi up that changed migration:cutover, e.g.
                      2026-11-28T09:30:00Z (pulumi stack history shows it);
                      the backup must have completed after it
  --adopt-out FILE    with a Pulumi ECS stack's export (--ecs-state), write
                      the resources its pulumi state move lines move here, as
                      this stack will hold them, to FILE (added to it if it
                      is there); migration:adoptedResources FILE declares them,
                      so the next pulumi up keeps them. Secret inputs are left
                      to the moved state, never written
  --json              print {stack, safe, checks: [{ok, title, detail, fix}],
                      ecsStacks: [{stack, format, blockers, retained}]}
                      (with --adopt-out, adoptOut: {file, resources})
Migration shards (README: "Sharding the migration"): --stack repeated, or
  --all-shards ENV    every stack of platform stack ENV that migrates (its
                      shards); exits 0 only when every one of them is safe, and
                      --json prints {stacks, safe, results: [...]}`,
    flags: { ...STACK_FLAGS, stack: { value: true, repeatable: true }, "all-shards": { value: true }, json: {}, "ecs-state": { value: true, repeatable: true }, "ecs-cfn-stack": { value: true, repeatable: true }, kubeconfig: { value: true }, since: { value: true }, "adopt-out": { value: true } },
    async run(args: ParsedArgs): Promise<number> {
        const several = decommissionStacks(args);
        if (several) {
            return decommissionAll(several, present(args, "json"), (stack) =>
                this.run({ flags: { ...Object.fromEntries(Object.entries(args.flags).filter(([k]) => k !== "all-shards")), stack: [stack] } }),
            );
        }
        const since = sinceOf(args);
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
        const plan = snapshot ? translate(snapshot, { workloads: config.migration.workloads }) : undefined;
        if (plan) {
            // The same check as preview and pulumi up, so a cutover that names no service cannot pass here.
            const services = plan.workloads.map((w) => w.source.name);
            const unknown = unknownCutoverServices(config.migration.cutover, services);
            if (unknown.length > 0) {
                throw new StackConfigError(`migration:cutover.services.${unknown[0]} names no ECS service of the snapshot; services: ${services.join(", ")}`);
            }
        }
        const destination = moveDestination(stack, project.name, config.migration.shard?.platformStack);
        const evidence = snapshot ? await readEvidence(args, snapshot.region, destination.arg, destination.project) : undefined;
        // As verify: --kubeconfig, else the first file of KUBECONFIG; only Velero's Backups are read, and only when Velero is on.
        const kubeconfig = single(args, "kubeconfig") ?? process.env.KUBECONFIG?.split(path.delimiter)[0];
        const backups = config.addons.enabled.velero && kubeconfig ? await readVeleroBackups(kubeconfig, since) : undefined;
        const { checks, ecsStacks } = decommission(config, ` --stack ${stack}`, snapshot, plan, problem, evidence, backups);
        const safe = checks.every((c) => c.ok);
        const adoptOutFile = single(args, "adopt-out");
        const adoptOut: AdoptOutResult | undefined =
            adoptOutFile === undefined
                ? undefined
                : writeAdoptOut(adoptOutFile, { projectDir: project.dir, project: destination.project, stack: destination.stack, stackArg: destination.arg, verdicts: ecsStacks, states: evidence?.states ?? [], stateRead: snapshot !== undefined && plan !== undefined });
        if (present(args, "json")) {
            process.stdout.write(`${JSON.stringify({ stack, safe, snapshot: snapshot ? { file: config.migration.snapshotFile, capturedAt: snapshot.capturedAt } : null, checks, ecsStacks, ...(adoptOut ? { adoptOut: { file: adoptOut.file, resources: adoptOut.resources } } : {}) }, null, 2)}\n`);
        } else {
            process.stdout.write(renderChecks(checks, `Decommission check for stack ${stack}${snapshot ? ` (ECS snapshot ${config.migration.snapshotFile}, taken ${snapshot.capturedAt})` : ""}`));
            if (adoptOut) {
                process.stdout.write(`\n${adoptOut.message}\n`);
            }
        }
        return safe ? EXIT.ok : EXIT.problems;
    },
};
