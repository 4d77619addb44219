/**
 * Declares what `pulumi state move` brought into this stack from the ECS
 * stacks (migration:adoptedResources, written by decommission-check
 * --adopt-out), each at the URN the move gave it with the inputs the ECS
 * stack's state held, so that `pulumi preview` after the move shows no
 * delete and no replace. Protected and retained: dropping an entry, or a
 * change that would replace one, stops the update instead of deleting a
 * production load balancer, secret or file system.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AdoptFileError, AdoptedResource, declaredUrn, validateAdoptDocument } from "./adopt/adoptFile";

/**
 * The @pulumi/aws version this program's AWS resources ask for: the same
 * default provider serves the adopted ones, so the engine sees one provider
 * (a CustomResource without a version would get a default provider of its own).
 */
const AWS_VERSION = (require("@pulumi/aws/package.json") as { version: string }).version;

/** Any AWS resource by its type token: the SDK's class per type adds nothing a moved resource needs. */
class MovedResource extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(type, name, inputs, opts);
    }
}

/** The declaration of one entry: its type, name, inputs and options. Pure, apart from the parent resource it is given. */
export function declarationOf(r: AdoptedResource, project: string, stack: string, parent?: pulumi.Resource): { options: pulumi.CustomResourceOptions; alias?: string } {
    const urn = declaredUrn(project, stack, r.type, r.name, parent ? r.parent : undefined);
    // A resource whose parent stayed in the ECS stack keeps that parent's type in its URN: the alias finds it there.
    const alias = urn === r.urn ? undefined : r.urn;
    return {
        options: {
            protect: true,
            retainOnDelete: true,
            version: AWS_VERSION,
            ...(r.ignoreChanges.length > 0 ? { ignoreChanges: [...r.ignoreChanges] } : {}),
            ...(parent ? { parent } : {}),
            ...(alias ? { aliases: [alias] } : {}),
        },
        ...(alias ? { alias } : {}),
    };
}

/** Reads and checks the file; path relative to the project directory. */
export function readAdoptFile(file: string, projectDir: string, project: string, stack: string): AdoptedResource[] {
    const full = path.resolve(projectDir, file);
    let text: string;
    try {
        text = fs.readFileSync(full, "utf8");
    } catch (err) {
        throw new AdoptFileError(
            `migration:adoptedResources ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}; write it with ecs2eks decommission-check --stack ${stack} --ecs-state <export> --adopt-out ${file}, or remove the setting`,
        );
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new AdoptFileError(`migration:adoptedResources ${file} is not JSON (${(err as Error).message}); write it with ecs2eks decommission-check --adopt-out ${file}`);
    }
    return [...validateAdoptDocument(doc, { file: `migration:adoptedResources ${file}`, project, stack }).resources];
}

/** Declares every adopted resource, parents first; none when the setting is absent. */
export function declareAdoptedResources(file: string | undefined, projectDir: string): pulumi.CustomResource[] {
    if (!file) {
        return [];
    }
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    let entries: AdoptedResource[];
    try {
        entries = readAdoptFile(file, projectDir, project, stack);
    } catch (err) {
        // As a bad snapshot: one message, no stack trace.
        throw err instanceof AdoptFileError ? new pulumi.RunError(err.message) : err;
    }
    const declared = new Map<string, pulumi.CustomResource>();
    for (const r of entries) {
        const parent = r.parent ? declared.get(r.parent) : undefined;
        const { options } = declarationOf(r, project, stack, parent);
        declared.set(r.urn, new MovedResource(r.type, r.name, { ...r.inputs }, options));
    }
    return [...declared.values()];
}
