/**
 * A Terraform state in `terraform show -json` form: values.root_module with
 * its resources and child_modules, recursively. Every managed resource is
 * something `terraform destroy` deletes; the state does not record
 * lifecycle.prevent_destroy (it lives in the configuration, and makes the
 * destroy fail rather than leave the resource), so nothing here is taken
 * for retained. Pure.
 */
import { terraformType } from "./resourceTypes";
import { StateFileError, StateResource, identify, strings } from "./stateResources";

interface TfModule {
    readonly resources?: unknown;
    readonly child_modules?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function isTerraformShow(doc: unknown): boolean {
    return isRecord(doc) && typeof doc.format_version === "string" && (isRecord(doc.values) || doc.values === undefined) && !("deployment" in doc);
}

function* modules(m: TfModule): Generator<TfModule> {
    yield m;
    for (const child of Array.isArray(m.child_modules) ? m.child_modules : []) {
        if (isRecord(child)) {
            yield* modules(child as TfModule);
        }
    }
}

export function parseTerraformShow(doc: unknown, file: string): StateResource[] {
    if (!isTerraformShow(doc)) {
        throw new StateFileError(`${file} is not a Terraform state in terraform show -json form (make it with terraform show -json > ${file})`);
    }
    const root = (doc as { values?: { root_module?: unknown } }).values?.root_module;
    if (!isRecord(root)) {
        return [];
    }
    const out: StateResource[] = [];
    for (const m of modules(root as TfModule)) {
        for (const raw of Array.isArray(m.resources) ? m.resources : []) {
            if (!isRecord(raw) || raw.mode !== "managed") {
                continue;
            }
            const type = strings(raw.type)[0] ?? "";
            const address = strings(raw.address)[0] ?? "";
            const values = isRecord(raw.values) ? raw.values : {};
            const id = strings(values.id)[0] ?? "";
            const kind = terraformType(type)?.kind ?? "other";
            out.push({ stack: file, format: "terraform", kind, type, address, physicalId: id, ...identify(kind, id, values) });
        }
    }
    return out;
}
