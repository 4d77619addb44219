/**
 * What `plan` knows of the cluster's compute, for capacity planning: the
 * node groups (and the rest of the stack's config) from --stack, or node
 * groups alone from --node-groups, or the node group a stack gets when it
 * configures none.
 */
import { StackConfig } from "../config";
import { ConfigError } from "../config/errors";
import { validateConfig } from "../config/validate";
import { findProject, loadStackConfigValues } from "../preview/project";
import { UsageError } from "./args";

/** The parts of a stack's config capacity planning reads. */
export type ComputeConfig = Pick<StackConfig, "nodeGroups" | "addons" | "cluster" | "compute">;

function validated(raw: Record<string, string>, what: string, stack: string): StackConfig {
    try {
        return validateConfig({ "aws:region": "us-east-1", ...raw }, stack);
    } catch (err) {
        if (err instanceof ConfigError) {
            throw new UsageError(`${what}: ${err.message}`, "plan");
        }
        throw err;
    }
}

export function computeConfig(stack: string | undefined, nodeGroupsJson: string | undefined): ComputeConfig {
    if (stack !== undefined && nodeGroupsJson !== undefined) {
        throw new UsageError("--stack and --node-groups both say what the node groups are; give one", "plan");
    }
    if (stack !== undefined) {
        const { values } = loadStackConfigValues(findProject(process.cwd()), stack, []);
        return validated(values, `--stack ${stack}`, stack);
    }
    if (nodeGroupsJson === undefined) {
        return validated({}, "default node group", "plan");
    }
    let groups: unknown;
    try {
        groups = JSON.parse(nodeGroupsJson);
    } catch {
        groups = undefined;
    }
    if (typeof groups !== "object" || groups === null || Array.isArray(groups)) {
        throw new UsageError(`--node-groups ${JSON.stringify(nodeGroupsJson)} is not a JSON map of node groups, e.g. '{"general":{"instanceTypes":["m6i.xlarge"],"maxSize":6}}'`, "plan");
    }
    const raw = Object.fromEntries(Object.entries(groups).map(([name, spec]) => [`nodeGroups:${name}`, JSON.stringify(spec)]));
    return validated(raw, "--node-groups", "plan");
}
