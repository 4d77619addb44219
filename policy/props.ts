/** Reading resource inputs as plain, untrusted data: a rule never throws on a surprising shape. */

export type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
/** A list's items; items are read with obj() or strings() where their shape matters. */
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** A JSON string (a policy document, say) parsed; anything else as it is. Undefined when the string is not JSON. */
export const parse = (v: unknown): unknown => {
    if (typeof v !== "string") {
        return v;
    }
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
};

/** IAM's "a string or a list of strings" (Action, Resource, Principal values, condition values). */
export function strings(v: unknown): string[] {
    if (typeof v === "string") {
        return [v];
    }
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** The statements of a policy document, given as JSON text or data; Statement may be one object or a list. */
export function statements(document: unknown): Obj[] {
    const st = obj(parse(document)).Statement;
    return Array.isArray(st) ? (st as unknown[]).map(obj) : st === undefined ? [] : [obj(st)];
}

export const WORKLOAD_TYPES = new Set([
    "kubernetes:core/v1:Pod",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:batch/v1:Job",
]);

/** The pod spec of a workload (a Pod's own spec, a CronJob's job template's), with the workload's annotations. */
export function podOf(type: string, props: Obj): { pod: Obj; annotations: Obj } {
    const spec = obj(props.spec);
    const template =
        type === "kubernetes:core/v1:Pod" ? { spec } : type === "kubernetes:batch/v1:CronJob" ? obj(obj(obj(spec.jobTemplate).spec).template) : obj(spec.template);
    return { pod: obj(template.spec), annotations: obj(obj(props.metadata).annotations) };
}

/** Every container (init and regular) of a workload's pod template, with the workload's annotations. */
export function containersOf(type: string, props: Obj): { containers: Obj[]; annotations: Obj } {
    const { pod, annotations } = podOf(type, props);
    return { containers: [...list(pod.initContainers), ...list(pod.containers)], annotations };
}
