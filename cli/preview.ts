import * as path from "path";
import { observePlans, PlanSummary } from "../migration/planSummary";
import { offlinePlatformOutputs, platformStackOf } from "../preview/platformOutputs";
import { findProject, loadStackConfigValues } from "../preview/project";
import { renderJson, renderTree } from "../preview/render";
import { PreviewResult, runOffline } from "../preview/run";
import { ParsedArgs, present, single } from "./args";
import { Command, EXIT, STACK_FLAGS, STACK_HELP } from "./command";
import { GATE_FLAGS, GATE_HELP, failOn, gateFailure } from "./gate";

export interface StackPreview {
    readonly stack: string;
    readonly result: PreviewResult;
    /** The migration plan's counts, when the stack migrates ECS services. */
    readonly plan?: PlanSummary;
}

/** Runs the program offline for a stack; shared by every command that needs the preview. */
export async function previewStack(stack: string, overrides: readonly string[]): Promise<StackPreview> {
    const project = findProject(process.cwd());
    const config = loadStackConfigValues(project, stack, overrides);
    // A migration shard reads its platform stack through a stack reference: stand in for its outputs.
    const platformStack = platformStackOf(config);
    const stackOutputs = platformStack ? { [platformStack]: offlinePlatformOutputs(project, platformStack) } : undefined;
    let plan: PlanSummary | undefined;
    const stop = observePlans((s) => (plan = s));
    try {
        const result = await runOffline({
            project: project.name,
            stack,
            config,
            // The compiled program sits next to this file's directory (dist/).
            program: () => require(path.join(__dirname, "..", "index")) as unknown,
            ...(stackOutputs ? { stackOutputs } : {}),
        });
        return { stack, result, ...(plan ? { plan } : {}) };
    } finally {
        stop();
    }
}

/** The demo's last words: what just happened and what to run next. */
const NEXT_STEPS = `
This was an offline preview under Pulumi mocks: nothing was created anywhere.
Next: npx ecs2eks plan --snapshot examples/shop/snapshot.json --out plan
      (the manifests and the migration report), then docs/runbook.md for a
      real stack (pulumi preview, pulumi up).
`;

export const previewCommand: Command = {
    name: "preview",
    summary: "run the program offline and print what pulumi preview would create",
    help: `Usage: ecs2eks preview [--stack dev] [--config key=value ...] [--json] [--diff]
                       [--fail-on error|warning] [--allow-errors]

Runs the whole program offline under Pulumi's runtime mocks with the stack's
config (Pulumi.<stack>.yaml) and prints what \`pulumi preview\` would create.
Nothing is created and no cloud is called (except AWS for migration:source live).
${STACK_HELP}
  --json              print [{type, name, urn, parent, inputs}] for tools
  --diff              show each resource's inputs under it in the tree
${GATE_HELP}`,
    flags: { ...STACK_FLAGS, json: {}, diff: {}, ...GATE_FLAGS },
    async run(args: ParsedArgs): Promise<number> {
        const level = failOn(args, "preview");
        const { result, plan } = await previewStack(single(args, "stack") ?? "dev", args.flags.config ?? []);
        process.stdout.write(`${present(args, "json") ? renderJson(result.resources) : renderTree(result.resources, result.outputs, { inputs: present(args, "diff") })}\n`);
        if (!present(args, "json")) {
            process.stderr.write(NEXT_STEPS);
        }
        const failure = plan ? gateFailure(plan, level, "the migration plan") : undefined;
        if (failure) {
            process.stderr.write(`error: ${failure}\n`);
            return EXIT.problems;
        }
        return EXIT.ok;
    },
};
