/**
 * An --ecs-state file, whichever tool wrote it: told apart by content, not
 * by name (both are .json).
 */
import * as fs from "fs";
import { parsePulumiExport, isPulumiExport } from "./pulumiState";
import { StateFileError, StateFormat, StateResource } from "./stateResources";
import { isTerraformShow, parseTerraformShow } from "./terraformState";

/** Parses a state document already read; `file` names it in errors and labels a Terraform state. */
export function parseStateDocument(text: string, file: string): StateResource[] {
    return parseState(text, file).resources;
}

/** A state file read: its format, its resources, and the document itself (--adopt-out copies inputs from a Pulumi export). */
export interface ParsedState {
    readonly format: StateFormat;
    readonly resources: StateResource[];
    readonly document: unknown;
}

/** The same, with the format it was told to be (an empty state has no resource to say so). */
export function parseState(text: string, file: string): ParsedState {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new StateFileError(`${file} is not JSON (${(err as Error).message}); --ecs-state takes pulumi stack export or terraform show -json output`);
    }
    if (isPulumiExport(doc)) {
        return { format: "pulumi", resources: parsePulumiExport(doc, file), document: doc };
    }
    if (isTerraformShow(doc)) {
        return { format: "terraform", resources: parseTerraformShow(doc, file), document: doc };
    }
    // A raw terraform.tfstate is the likeliest mistake: say which command turns it into what the check reads.
    const raw = typeof doc === "object" && doc !== null && "terraform_version" in doc && "resources" in doc;
    throw new StateFileError(
        `${file} is neither a Pulumi stack export (deployment.resources) nor a Terraform state in terraform show -json form (values.root_module)${raw ? "; it looks like a raw terraform.tfstate: run terraform show -json > state.json and pass that" : ""}`,
    );
}

export function readStateFile(file: string): ParsedState {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new StateFileError(`cannot read --ecs-state ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
    }
    return parseState(text, file);
}
