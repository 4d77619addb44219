import { findProject } from "../preview/project";
import { ParsedArgs, UsageError, single } from "./args";
import { EXIT } from "./command";
import { repositoryStacks, shardsByEnvironment } from "./shardClaims";

/**
 * decommission-check over several stacks: the shards of one environment (and
 * its platform stack, when that migrates too). The ECS estate of an
 * environment is safe to destroy only when every stack that migrates part of
 * it says so; one blocked shard blocks them all.
 */

/** The stacks --stack (repeated) or --all-shards ENV name; undefined for the single-stack check. */
export function decommissionStacks(args: ParsedArgs): string[] | undefined {
    const environment = single(args, "all-shards");
    const given = args.flags.stack ?? [];
    if (environment === undefined) {
        return given.length > 1 ? given : undefined;
    }
    if (given.length > 0) {
        throw new UsageError("--all-shards ENV checks the stacks of ENV; give it without --stack", "decommission-check");
    }
    const stacks = repositoryStacks(findProject(process.cwd()));
    const shards = shardsByEnvironment(stacks)[environment];
    if (shards === undefined) {
        throw new UsageError(`--all-shards ${environment}: no platform stack Pulumi.${environment}.yaml here; platform stacks: ${Object.keys(shardsByEnvironment(stacks)).join(", ")}`, "decommission-check");
    }
    const platformMigrates = stacks.some((s) => s.stack === environment && s.claim.migrates);
    return [...(platformMigrates ? [environment] : []), ...shards];
}

interface StackVerdict {
    readonly stack: string;
    readonly safe: boolean;
    readonly result?: unknown;
}

/** Runs the one-stack check for each stack (its output captured when JSON) and prints the verdict of all. */
export async function decommissionAll(stacks: readonly string[], json: boolean, checkOne: (stack: string) => Promise<number>): Promise<number> {
    if (stacks.length === 0) {
        throw new UsageError("no stack migrates anything in this environment: there is no ECS estate to check", "decommission-check");
    }
    const verdicts: StackVerdict[] = [];
    for (const stack of stacks) {
        if (!json) {
            verdicts.push({ stack, safe: (await checkOne(stack)) === EXIT.ok });
            process.stdout.write("\n");
            continue;
        }
        let captured = "";
        const write = process.stdout.write.bind(process.stdout);
        process.stdout.write = ((chunk: string | Uint8Array) => ((captured += String(chunk)), true)) as typeof process.stdout.write;
        let code: number;
        try {
            code = await checkOne(stack);
        } finally {
            process.stdout.write = write;
        }
        verdicts.push({ stack, safe: code === EXIT.ok, result: JSON.parse(captured) as unknown });
    }
    const safe = verdicts.every((v) => v.safe);
    if (json) {
        process.stdout.write(`${JSON.stringify({ stacks: stacks.length, safe, results: verdicts.map((v) => v.result) }, null, 2)}\n`);
    } else {
        const blocked = verdicts.filter((v) => !v.safe).map((v) => v.stack);
        process.stdout.write(
            safe
                ? `All ${stacks.length} stacks (${stacks.join(", ")}) say the ECS estate is safe to destroy.\n`
                : `Not safe to destroy the ECS estate: ${blocked.join(", ")} of ${stacks.length} stacks still block it (each checklist above says how to clear it).\n`,
        );
    }
    return safe ? EXIT.ok : EXIT.problems;
}
