import * as path from "path";
import { StackConfig } from "../config";
import { validateConfig } from "../config/validate";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { EnvironmentCheck, StackClaim, checkShards } from "../migration/shards/check";
import { estateUnits, selectEstate } from "../migration/shards/select";
import { stackNameOf } from "../preview/platformOutputs";
import { ProjectFiles, findProject, listStacks, loadStackConfigValues } from "../preview/project";

export interface RepositoryStack {
    readonly stack: string;
    readonly config: StackConfig;
    readonly claim: StackClaim;
}

/** What a stack's validated config claims of the estate. */
export function claimOf(config: StackConfig): StackClaim {
    const m = config.migration;
    return {
        stack: config.stack,
        environment: m.shard ? stackNameOf(m.shard.platformStack) : config.stack,
        migrates: m.source !== "none",
        // A plain stack migrates its whole snapshot; a live one, the clusters and services it reads.
        selection: m.shard
            ? { clusters: m.clusters, include: m.shard.include, exclude: m.shard.exclude, tags: m.shard.tags }
            : { clusters: m.source === "live" ? m.clusters : [], include: m.source === "live" ? m.services : [], exclude: [], tags: {} },
        sharedClusters: m.shard?.sharedClusters ?? [],
    };
}

/** Every Pulumi.<stack>.yaml of the project, validated. */
export function repositoryStacks(project: ProjectFiles): RepositoryStack[] {
    return listStacks(project).map((stack) => {
        const config = validateConfig(loadStackConfigValues(project, stack, []).values, stack);
        return { stack, config, claim: claimOf(config) };
    });
}

/** The shards of each platform stack: environment → shard stacks, for the deploy matrix. */
export function shardsByEnvironment(stacks: readonly RepositoryStack[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const s of stacks) {
        if (!s.config.migration.shard) {
            out[s.stack] ??= [];
        }
    }
    for (const s of stacks.filter((x) => x.config.migration.shard)) {
        (out[s.claim.environment] ??= []).push(s.stack);
    }
    return out;
}

/**
 * The overlap check over the repository's stacks. With a snapshot given, every
 * environment is checked against it; without, each environment against the
 * snapshot its stacks read (migration:snapshotFile), and live-only environments are skipped.
 */
export function checkRepository(project: ProjectFiles, stacks: readonly RepositoryStack[], snapshot?: EcsSnapshot): EnvironmentCheck[] {
    if (snapshot) {
        return checkShards(estateUnits(snapshot), stacks.map((s) => s.claim));
    }
    const results: EnvironmentCheck[] = [];
    for (const environment of [...new Set(stacks.filter((s) => s.claim.migrates).map((s) => s.claim.environment))].sort()) {
        const members = stacks.filter((s) => s.claim.environment === environment && s.claim.migrates);
        const files = [...new Set(members.map((s) => s.config.migration.snapshotFile).filter((f): f is string => f !== undefined))];
        if (files.length === 0) {
            continue;
        }
        if (files.length > 1) {
            results.push({ environment, stacks: [], problems: [`the stacks of environment ${environment} read different snapshots (${files.join(", ")}); shards of one environment split one estate: give them one migration:snapshotFile`], warnings: [] });
            continue;
        }
        const units = estateUnits(readSnapshotFile(path.resolve(project.dir, files[0])));
        results.push(...checkShards(units, members.map((s) => s.claim)));
    }
    return results;
}

/** The check as text, one line per stack, problem and warning. */
export function renderCheck(results: readonly EnvironmentCheck[]): string {
    const lines: string[] = [];
    for (const r of results) {
        lines.push(`environment ${r.environment}: ${r.problems.length === 0 ? "✓ every service in exactly one stack" : `✗ ${r.problems.length} problem(s)`}`);
        for (const s of r.stacks) {
            lines.push(`  stack ${s.stack}: ${s.units.length} services and scheduled tasks`);
        }
        lines.push(...r.problems.map((p) => `  ✗ ${p}`), ...r.warnings.map((w) => `  ⚠ ${w}`));
    }
    return `${lines.join("\n")}\n`;
}

/** The overlap check of policy-check: prints to stderr (stdout may be JSON), returns the number of problems. */
export function checkProjectShards(quietWhenClean: boolean): number {
    const project = findProject(process.cwd());
    const results = checkRepository(project, repositoryStacks(project));
    const problems = results.reduce((n, r) => n + r.problems.length, 0);
    if (!quietWhenClean || problems > 0) {
        process.stderr.write(`shards: ${renderCheck(results)}`);
    }
    return problems;
}

/** The part of the snapshot a stack migrates: all of it, or a shard's selection. */
export function shardSnapshot(config: StackConfig, snapshot: EcsSnapshot): EcsSnapshot {
    return config.migration.shard ? selectEstate(snapshot, claimOf(config).selection).snapshot : snapshot;
}

/**
 * The shards whose preview a change can alter: their own stack file, their
 * platform's, or their snapshot changed, or any file that is neither a stack
 * file nor documentation (program code, packages: every shard).
 */
export function touchedShards(stacks: readonly RepositoryStack[], changed: readonly string[]): string[] {
    const stackFile = (f: string) => /(^|\/)Pulumi\.[^/]+\.ya?ml$/.test(f);
    const code = changed.some((f) => !stackFile(f) && !/\.md$/.test(f));
    return stacks
        .filter((s) => s.config.migration.shard)
        .filter((s) => code || changed.some((f) => [`Pulumi.${s.stack}.yaml`, `Pulumi.${s.claim.environment}.yaml`, s.config.migration.snapshotFile].includes(f)))
        .map((s) => s.stack);
}
