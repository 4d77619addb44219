/**
 * decommission-check --adopt-out FILE: writes, for the blockers it tells the
 * user to `pulumi state move` out of Pulumi ECS stacks, the file the program
 * declares them from (migration:adoptedResources), so that the next
 * `pulumi up` here keeps what the move brought instead of deleting it.
 */
import * as fs from "fs";
import * as path from "path";
import { AdoptDocument, AdoptFileError, validateAdoptDocument } from "../migration/adopt/adoptFile";
import { AdoptFromExport, adoptDocument } from "../migration/adopt/fromExport";
import { EcsState } from "../migration/decommission";
import { StackVerdict } from "../migration/decommission/evidence";
import { UsageError } from "./args";

export interface AdoptOutResult {
    /** What to tell the user, one paragraph. */
    readonly message: string;
    readonly file: string;
    /** Resources in the file after this run; 0 when nothing was written. */
    readonly resources: number;
}

function readJson(file: string, what: string): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new AdoptFileError(`${what} ${file}: ${(err as Error).message}`);
    }
}

/** The adopted-resources file already there: kept and added to, never overwritten by a file of another stack. */
function earlierFile(file: string, project: string, stack: string): AdoptDocument | undefined {
    if (!fs.existsSync(file)) {
        return undefined;
    }
    return validateAdoptDocument(readJson(file, "--adopt-out"), { file: `--adopt-out ${file} (already there; this run adds to it)`, project, stack });
}

export interface AdoptOutOptions {
    readonly projectDir: string;
    /** The stack that declares the moved resources and its project: this one, or a shard's platform stack. */
    readonly project: string;
    readonly stack: string;
    /** How the pulumi CLI names that stack (a shard's platform stack fully qualified). */
    readonly stackArg: string;
    readonly verdicts: readonly StackVerdict[];
    readonly states: readonly EcsState[];
    /** False when the check stopped before reading the ECS state (no frozen snapshot yet). */
    readonly stateRead: boolean;
}

export function writeAdoptOut(file: string, opts: AdoptOutOptions): AdoptOutResult {
    if (!opts.stateRead) {
        return { file, resources: 0, message: `--adopt-out: ${file} was not written: the check stops before the ECS stacks' state until the ECS state is frozen (above).` };
    }
    const pulumiVerdicts = opts.verdicts.filter((v) => v.format === "pulumi");
    if (pulumiVerdicts.length === 0) {
        throw new UsageError("--adopt-out writes the resources to move from a Pulumi ECS stack: give that stack's pulumi stack export with --ecs-state (Terraform and CloudFormation resources are imported with the pulumi import lines instead)", "decommission-check");
    }
    const exports: AdoptFromExport[] = pulumiVerdicts
        .filter((v) => v.blockers.length > 0)
        .map((v) => {
            const state = opts.states.find((s) => s.source === v.source);
            return { doc: state?.document, source: state?.stackName ?? v.stack, urns: v.blockers.map((b) => b.address) };
        });
    const relative = path.relative(opts.projectDir, path.resolve(file)) || file;
    if (exports.length === 0) {
        // After the moves the check finds nothing: rewriting the file now would drop what it declares.
        return { file, resources: 0, message: `--adopt-out: nothing to move from the Pulumi ECS stacks given, so ${file} was left as it is.` };
    }
    const doc = adoptDocument(opts.project, opts.stack, exports, earlierFile(file, opts.project, opts.stack));
    fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    const secrets = doc.resources.filter((r) => r.ignoreChanges.length > 0).map((r) => `${r.name} (${r.ignoreChanges.join(", ")})`);
    return {
        file,
        resources: doc.resources.length,
        message: [
            `Wrote ${doc.resources.length} resources to ${file}: each as ${opts.stackArg === opts.stack ? "this stack" : `stack ${opts.stackArg}`} will hold it after the pulumi state move lines above (children of a moved resource included, they move with it).`,
            `Then, before any pulumi up here: pulumi config set migration:adoptedResources ${relative} --stack ${opts.stackArg}; pulumi preview --stack ${opts.stackArg} must show them unchanged (no delete, no replace). They are declared protected and retained.`,
            ...(secrets.length > 0 ? [`Secret inputs are not in the file: the moved state keeps their values (ignoreChanges): ${secrets.join(", ")}.`] : []),
        ].join("\n"),
    };
}
