/**
 * npm run policy:check [-- --stack dev] [--config key=value ...]
 *
 * Runs the policy pack over the offline preview of each stack (every
 * Pulumi.<stack>.yaml, or the one given) and prints the violations; exits 1
 * on a mandatory one. The same rules run in CI with --policy-pack policy.
 */
import { UsageError, parseArgs } from "../cli/args";
import { previewStack } from "../cli/preview";
import { findProject, listStacks } from "../preview/project";
import { checkResources } from "./rules";

export async function policyCheck(argv: readonly string[]): Promise<number> {
    const args = parseArgs(argv, { stack: { value: true }, config: { value: true, repeatable: true } });
    const stacks = args.flags.stack ?? listStacks(findProject(process.cwd()));
    if (stacks.length === 0) {
        throw new UsageError("no Pulumi.<stack>.yaml files here, and no --stack");
    }
    let mandatory = 0;
    for (const stack of stacks) {
        const { result } = await previewStack(["--stack", stack, ...(args.flags.config ?? []).flatMap((c) => ["--config", c])]);
        const violations = checkResources(result.resources);
        const m = violations.filter((v) => v.enforcementLevel === "mandatory").length;
        mandatory += m;
        process.stdout.write(`stack ${stack}: ${result.resources.length} resources, ${m} mandatory and ${violations.length - m} advisory violations\n`);
        for (const v of violations) {
            process.stdout.write(`  ${v.enforcementLevel === "mandatory" ? "✗ mandatory" : "⚠ advisory "} ${v.policy}: ${v.type} ${v.name}: ${v.message}\n`);
        }
    }
    return mandatory > 0 ? 1 : 0;
}
