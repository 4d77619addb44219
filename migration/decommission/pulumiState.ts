/**
 * A Pulumi stack export (`pulumi stack export --stack org/ecs/prod`): every
 * custom resource of deployment.resources is something `pulumi destroy`
 * deletes, unless it is retainOnDelete. Pure.
 */
import { pulumiType } from "./resourceTypes";
import { StateFileError, StateResource, identify } from "./stateResources";

interface ExportedResource {
    readonly urn?: unknown;
    readonly custom?: unknown;
    readonly delete?: unknown;
    readonly id?: unknown;
    readonly type?: unknown;
    readonly outputs?: unknown;
    readonly inputs?: unknown;
    readonly protect?: unknown;
    readonly retainOnDelete?: unknown;
    readonly external?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** True when the document is a Pulumi stack export (a checkpoint's deployment with resources). */
export function isPulumiExport(doc: unknown): boolean {
    return isRecord(doc) && isRecord(doc.deployment) && (Array.isArray(doc.deployment.resources) || doc.deployment.resources === undefined) && "version" in doc;
}

/** The stack a URN names, as project/stack: urn:pulumi:<stack>::<project>::<type>::<name>. */
export function stackOfUrn(urn: string): { project: string; stack: string } | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    return m ? { stack: m[1], project: m[2] } : undefined;
}

export function parsePulumiExport(doc: unknown, file: string): StateResource[] {
    if (!isPulumiExport(doc)) {
        throw new StateFileError(`${file} is not a Pulumi stack export: it has no deployment.resources (make it with pulumi stack export --stack <org>/<project>/<stack> > ${file})`);
    }
    const deployment = (doc as { deployment: { resources?: unknown[] } }).deployment;
    const out: StateResource[] = [];
    for (const raw of deployment.resources ?? []) {
        const r = (isRecord(raw) ? raw : {}) as ExportedResource;
        const urn = typeof r.urn === "string" ? r.urn : "";
        const type = typeof r.type === "string" ? r.type : "";
        // Component resources and providers own nothing in the cloud; a resource pending deletion or read (external) is not the stack's to delete.
        if (r.custom !== true || type.startsWith("pulumi:providers:") || r.delete === true || r.external === true) {
            continue;
        }
        const owner = stackOfUrn(urn);
        if (!owner) {
            throw new StateFileError(`${file}: ${JSON.stringify(urn)} is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
        }
        const id = typeof r.id === "string" ? r.id : "";
        const attrs = { ...(isRecord(r.inputs) ? r.inputs : {}), ...(isRecord(r.outputs) ? r.outputs : {}) };
        const kind = pulumiType(type)?.kind ?? "other";
        out.push({
            stack: `${owner.project}/${owner.stack}`,
            format: "pulumi",
            kind,
            type,
            address: urn,
            physicalId: id,
            ...identify(kind, id, attrs),
            ...(r.retainOnDelete === true ? { retained: "retainOnDelete" } : {}),
            ...(r.protect === true ? { protected: true } : {}),
        });
    }
    return out;
}
