import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { StackConfigError, StackConfigValues, applyOverride, configFromStackDocument } from "./stackConfig";

/** A Pulumi project on disk: its name and where its stack files live. */
export interface ProjectFiles {
    readonly dir: string;
    readonly name: string;
}

function readYaml(file: string): unknown {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        const reason = err instanceof yaml.YAMLException ? err.message.split("\n")[0] : String(err);
        throw new StackConfigError(`${file}: ${reason}`);
    }
}

/** Finds Pulumi.yaml in dir or above it, as the Pulumi CLI does. */
export function findProject(start: string): ProjectFiles {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
        const file = path.join(dir, "Pulumi.yaml");
        if (fs.existsSync(file)) {
            const doc = readYaml(file) as { name?: unknown } | undefined;
            if (typeof doc?.name !== "string") {
                throw new StackConfigError(`${file}: "name" is missing; a Pulumi project needs a name`);
            }
            return { dir, name: doc.name };
        }
        if (path.dirname(dir) === dir) {
            throw new StackConfigError(`no Pulumi.yaml in ${path.resolve(start)} or above it; run this from the project directory`);
        }
    }
}

/** The stacks with a Pulumi.<stack>.yaml file in the project. */
export function listStacks(project: ProjectFiles): string[] {
    return fs
        .readdirSync(project.dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** The stack's config from Pulumi.<stack>.yaml with `--config key=value` overrides applied in order. */
export function loadStackConfigValues(project: ProjectFiles, stack: string, overrides: readonly string[]): StackConfigValues {
    const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const stacks = listStacks(project);
        throw new StackConfigError(`no stack file Pulumi.${stack}.yaml in ${project.dir}; stacks here: ${stacks.join(", ") || "none"}`);
    }
    let config = configFromStackDocument(project.name, readYaml(file), file);
    for (const assignment of overrides) {
        config = applyOverride(project.name, config, assignment);
    }
    return config;
}
