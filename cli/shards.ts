import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { ShardProposal, parseStrategy, proposeShards } from "../migration/shards/plan";
import { estateUnits } from "../migration/shards/select";
import { stackNameOf } from "../preview/platformOutputs";
import { findProject } from "../preview/project";
import { ParsedArgs, UsageError, present, single } from "./args";
import { Command, EXIT } from "./command";
import { checkRepository, renderCheck, repositoryStacks, shardsByEnvironment, touchedShards } from "./shardClaims";

const DEFAULT_PLATFORM = "organization/ecs2eks/prod";

/** One shard's Pulumi.<shard>.yaml: the keys that select its part of the estate, and comments saying what it holds. */
export function shardConfigFile(p: ShardProposal, opts: { platformStack: string; snapshotFile: string; region: string; command: string }): string {
    const config: Record<string, unknown> = {
        "aws:region": opts.region,
        "migration:platformStack": opts.platformStack,
        "migration:source": "snapshot",
        "migration:snapshotFile": opts.snapshotFile,
        "migration:clusters": [...p.selection.clusters],
        ...(p.selection.include.length > 0 ? { "migration:services": { include: [...p.selection.include] } } : {}),
        ...(Object.keys(p.selection.tags).length > 0 ? { "migration:serviceTags": { ...p.selection.tags } } : {}),
        ...(p.sharedClusters.length > 0 ? { "migration:sharedClusters": [...p.sharedClusters] } : {}),
    };
    const comments = [
        `# Migration shard ${p.name} of platform stack ${opts.platformStack}, proposed by:`,
        `#   ${opts.command}`,
        `# ${p.units.length} ECS services and scheduled tasks: ${p.units.map((u) => `${u.cluster}/${u.name}`).join(", ")}`,
        ...(p.sharedClusters.length > 0 ? [`# Shares ECS clusters ${p.sharedClusters.join(", ")} with other shards; another shard declares their namespaces.`] : []),
        ...p.serviceConnect.map((sc) => `# Service Connect namespace ${sc.namespace}${sc.alsoIn.length > 0 ? `: also used by ${sc.alsoIn.join(", ")}; names keep resolving (one Kubernetes namespace per ECS cluster, whichever stack)` : ""}`),
    ];
    return `${comments.join("\n")}\n${yaml.dump({ config }, { lineWidth: 200, flowLevel: 2 })}`;
}

export const shardsCommand: Command = {
    name: "shards",
    summary: "propose migration shards, or check that the stacks split the estate",
    help: `Usage: ecs2eks shards --snapshot FILE --by cluster|tag:<key>|count:<n>
                      [--out DIR] [--platform-stack org/project/stack] [--region R]
       ecs2eks shards --check [--snapshot FILE] [--json]
       ecs2eks shards --matrix [--changed FILE]

Splits an estate into migration shards: stacks that deploy part of it onto a
platform stack's cluster (migration:platformStack) so that teams deploy in
parallel. Proposes one Pulumi.<shard>.yaml per shard, every ECS service and
scheduled task in exactly one:
  --by cluster        one shard per ECS cluster
  --by tag:<key>      one shard per value of a service tag (e.g. tag:team), and
                      one for the services without it
  --by count:<n>      n shards balanced by service count, keeping clusters whole
                      where they fit
  --out DIR           write the files there (default: print them)
  --platform-stack S  the platform stack (default ${DEFAULT_PLATFORM})
  --region R          aws:region of the shards (default: the snapshot's)
  --check             check the project's Pulumi.<stack>.yaml files: exit 1 when
                      two stacks of an environment claim one service, when one
                      is in none, or when a namespace would be declared twice;
                      --snapshot FILE checks against that estate, otherwise
                      each environment against its stacks' snapshot
  --json              with --check, print [{environment, stacks, problems, warnings}]
  --matrix            print {"<platform stack>": ["<shard>", ...]} for CI
  --changed FILE      with --matrix, print ["<shard>", ...]: the shards whose
                      preview the files listed in FILE (one a line) can change`,
    flags: { snapshot: { value: true }, by: { value: true }, out: { value: true }, "platform-stack": { value: true }, region: { value: true }, check: {}, json: {}, matrix: {}, changed: { value: true } },
    async run(args: ParsedArgs): Promise<number> {
        if (present(args, "matrix")) {
            const stacks = repositoryStacks(findProject(process.cwd()));
            const changed = single(args, "changed");
            const lines = changed === undefined ? [] : fs.readFileSync(changed, "utf8").split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
            process.stdout.write(`${JSON.stringify(changed === undefined ? shardsByEnvironment(stacks) : touchedShards(stacks, lines))}\n`);
            return EXIT.ok;
        }
        const snapshotFile = single(args, "snapshot");
        if (present(args, "check")) {
            const project = findProject(process.cwd());
            const results = checkRepository(project, repositoryStacks(project), snapshotFile ? readSnapshotFile(path.resolve(snapshotFile)) : undefined);
            process.stdout.write(present(args, "json") ? `${JSON.stringify(results, null, 2)}\n` : renderCheck(results));
            return results.some((r) => r.problems.length > 0) ? EXIT.problems : EXIT.ok;
        }
        const by = single(args, "by");
        if (!snapshotFile || !by) {
            throw new UsageError("shards needs --snapshot FILE and --by cluster|tag:<key>|count:<n> (or --check, or --matrix)", "shards");
        }
        const strategy = parseStrategy(by);
        if (!strategy) {
            throw new UsageError(`--by ${JSON.stringify(by)} is not a strategy; use cluster, tag:<key> (e.g. tag:team) or count:<n> (n ≥ 1)`, "shards");
        }
        const platformStack = single(args, "platform-stack") ?? DEFAULT_PLATFORM;
        if (!/^[\w.-]+\/[\w.-]+\/[\w.-]+$/.test(platformStack)) {
            throw new UsageError(`--platform-stack ${JSON.stringify(platformStack)} is not <organization>/<project>/<stack>`, "shards");
        }
        const snapshot = readSnapshotFile(path.resolve(snapshotFile));
        const proposals = proposeShards(estateUnits(snapshot), strategy, stackNameOf(platformStack));
        const command = `npx ecs2eks shards --snapshot ${snapshotFile} --by ${by}${single(args, "platform-stack") ? ` --platform-stack ${platformStack}` : ""}`;
        const out = single(args, "out");
        for (const p of proposals) {
            const text = shardConfigFile(p, { platformStack, snapshotFile, region: single(args, "region") ?? snapshot.region, command });
            if (out) {
                fs.mkdirSync(out, { recursive: true });
                fs.writeFileSync(path.join(out, `Pulumi.${p.name}.yaml`), text);
                process.stdout.write(`wrote ${path.join(out, `Pulumi.${p.name}.yaml`)}: ${p.units.length} services and scheduled tasks\n`);
            } else {
                process.stdout.write(`--- Pulumi.${p.name}.yaml\n${text}`);
            }
        }
        return EXIT.ok;
    },
};
