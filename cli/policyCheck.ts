import { findProject, listStacks } from "../preview/project";
import { checkResources } from "../policy/rules";
import { ParsedArgs, UsageError, present } from "./args";
import { Command, EXIT, STACK_HELP } from "./command";
import { previewStack } from "./preview";
import { checkProjectShards } from "./shardClaims";

export const policyCheckCommand: Command = {
    name: "policy-check",
    summary: "run the policy pack over the offline preview of each stack",
    help: `Usage: ecs2eks policy-check [--stack dev ...] [--config key=value ...] [--json]

Runs the policy pack (policy/) over the offline preview of each stack (every
Pulumi.<stack>.yaml, or the ones given) and prints the violations; exits 1
on a mandatory one. CI runs the same rules in pulumi preview (policy pack policy/).
Without --stack, it also checks that the stacks split the ECS estate with no
overlap and no gap (the check of ecs2eks shards) and exits 1 when they do not.
${STACK_HELP.replace("(default dev)", "(repeatable; default: every stack)")}
  --json              print [{stack, resources, violations: [...]}]`,
    flags: { stack: { value: true, repeatable: true }, config: { value: true, repeatable: true }, json: {} },
    async run(args: ParsedArgs): Promise<number> {
        const stacks = args.flags.stack ?? listStacks(findProject(process.cwd()));
        if (stacks.length === 0) {
            throw new UsageError("no Pulumi.<stack>.yaml files here, and no --stack", "policy-check");
        }
        const json = present(args, "json");
        const results = [];
        let mandatory = 0;
        for (const stack of stacks) {
            const { result } = await previewStack(stack, args.flags.config ?? []);
            const violations = checkResources(result.resources);
            const m = violations.filter((v) => v.enforcementLevel === "mandatory").length;
            mandatory += m;
            results.push({ stack, resources: result.resources.length, violations });
            if (!json) {
                process.stdout.write(`stack ${stack}: ${result.resources.length} resources, ${m} mandatory and ${violations.length - m} advisory violations\n`);
                for (const v of violations) {
                    process.stdout.write(`  ${v.enforcementLevel === "mandatory" ? "✗ mandatory" : "⚠ advisory "} ${v.policy}: ${v.type} ${v.name}: ${v.message}\n`);
                }
            }
        }
        if (json) {
            process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        }
        // Over the whole repository: no two stacks migrate one service, none is left out (ecs2eks shards --check).
        const shardProblems = args.flags.stack ? 0 : checkProjectShards(json);
        return mandatory > 0 || shardProblems > 0 ? EXIT.problems : EXIT.ok;
    },
};
