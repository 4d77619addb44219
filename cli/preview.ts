import * as path from "path";
import { findProject, loadStackConfigValues } from "../preview/project";
import { renderJson, renderTree } from "../preview/render";
import { PreviewResult, runOffline } from "../preview/run";
import { parseArgs } from "./args";

export const PREVIEW_USAGE = `Usage: ecs2eks preview [--stack dev] [--config key=value ...] [--json]

Runs the whole program offline under Pulumi's runtime mocks with the stack's
config (Pulumi.<stack>.yaml) and prints what \`pulumi preview\` would create.
  --stack NAME        stack whose Pulumi.<stack>.yaml to read (default dev)
  --config key=value  override one config value; JSON values are structured,
                      and key.path sets one field (as pulumi config set --path)
  --json              print [{type, name, urn, parent, inputs}] for tools`;

export const PREVIEW_FLAGS = {
    stack: { value: true },
    config: { value: true, repeatable: true },
    json: {},
    help: {},
} as const;

/** Runs the program offline for the stack and flags given; shared by every command that needs the preview. */
export async function previewStack(argv: readonly string[]): Promise<{ result: PreviewResult; json: boolean }> {
    const args = parseArgs(argv, PREVIEW_FLAGS);
    const project = findProject(process.cwd());
    const stack = args.flags.stack?.[0] ?? "dev";
    const config = loadStackConfigValues(project, stack, args.flags.config ?? []);
    const result = await runOffline({
        project: project.name,
        stack,
        config,
        // The compiled program sits next to this file's directory (dist/).
        program: () => require(path.join(__dirname, "..", "index")) as unknown,
    });
    return { result, json: args.flags.json !== undefined };
}

export async function previewCommand(argv: readonly string[]): Promise<number> {
    const { result, json } = await previewStack(argv);
    process.stdout.write(`${json ? renderJson(result.resources) : renderTree(result.resources, result.outputs)}\n`);
    return 0;
}
