/**
 * One name, one object, per namespace. Workloads are translated one at a
 * time, so two of them can each make a Service of the same name (a workload's
 * own Service and another's Service Connect alias, or two Cloud Map names
 * from different Cloud Map namespaces). A real Pulumi engine rejects the
 * duplicate URN and `kubectl apply` silently keeps the last; here the name
 * goes, deterministically, to the Service ECS callers dialled, and the other
 * is renamed with a diagnostic that says what its callers must change. Pure.
 */
import { ANNOTATION_CALLED_AS } from "./networking";
import { dns1035Label, shortHash } from "./names";
import { Diagnostic, K8sObject, WorkloadPlan } from "./types";

interface Claim {
    readonly workload: number;
    readonly calledAs: readonly string[];
}

function calledAs(service: K8sObject): string[] {
    const value = service.metadata.annotations?.[ANNOTATION_CALLED_AS];
    return value ? value.split(",") : [];
}

/** Who keeps a contested name: the Service callers dialled on ECS, then the ECS source in sorted order (never input order). */
function sourceKey(w: WorkloadPlan): string {
    return `${w.source.cluster}/${w.source.kind}/${w.source.name}/${w.source.arn}`;
}

function byPriority(workloads: readonly WorkloadPlan[]) {
    return (a: Claim, b: Claim): number => {
        const called = Number(b.calledAs.length > 0) - Number(a.calledAs.length > 0);
        const ka = sourceKey(workloads[a.workload]);
        const kb = sourceKey(workloads[b.workload]);
        return called || (ka < kb ? -1 : ka > kb ? 1 : 0);
    };
}

function renamed(name: string, owner: string, taken: ReadonlySet<string>): string {
    for (let i = 0; ; i++) {
        const candidate = dns1035Label(`${name.slice(0, 57).replace(/-+$/, "")}-${shortHash(i === 0 ? owner : `${owner}#${i}`)}`);
        if (!taken.has(candidate)) {
            return candidate;
        }
    }
}

function ports(service: K8sObject): number[] {
    return ((service.spec as { ports?: { port: number }[] } | undefined)?.ports ?? []).map((p) => p.port);
}

/** Workloads with every Service name unique in its namespace; renamed Services keep their selector, ports and callers. */
export function uniqueServiceNames(workloads: readonly WorkloadPlan[]): WorkloadPlan[] {
    const claims = new Map<string, Claim[]>();
    const taken = new Set<string>();
    workloads.forEach((w, index) => {
        for (const o of w.objects) {
            if (o.kind === "Service") {
                const key = `${w.namespace}/${o.metadata.name}`;
                claims.set(key, [...(claims.get(key) ?? []), { workload: index, calledAs: calledAs(o) }]);
                taken.add(key);
            }
        }
    });
    const renames = new Map<number, Map<string, string>>();
    const notes = new Map<number, Diagnostic[]>();
    for (const key of [...claims.keys()].sort()) {
        const contenders = claims.get(key) ?? [];
        if (contenders.length < 2) {
            continue;
        }
        const [winner, ...losers] = [...contenders].sort(byPriority(workloads));
        const namespace = workloads[winner.workload].namespace;
        const name = key.slice(namespace.length + 1);
        const keeper = workloads[winner.workload];
        for (const loser of losers) {
            const w = workloads[loser.workload];
            const inNamespace = new Set([...taken].filter((k) => k.startsWith(`${namespace}/`)).map((k) => k.slice(namespace.length + 1)));
            const next = renamed(name, `${sourceKey(w)}/${name}`, inNamespace);
            taken.add(`${namespace}/${next}`);
            renames.set(loser.workload, (renames.get(loser.workload) ?? new Map()).set(name, next));
            const held = keeper.source.kind === "service" ? `ECS service ${keeper.source.name}` : `scheduled task ${keeper.source.name}`;
            const why = winner.calledAs.length > 0 ? `${held} is called ${winner.calledAs.join(", ")} and keeps Service ${name}` : `${held} has a Service ${name} too and keeps the name`;
            const service = w.objects.find((o) => o.kind === "Service" && o.metadata.name === name) as K8sObject;
            const portList = ports(service);
            const diagnostic: Diagnostic =
                loser.calledAs.length > 0
                    ? {
                          code: "SERVICE_NAME_CLASH",
                          severity: "warning",
                          service: w.source.name,
                          field: "serviceConnectConfiguration",
                          message: `${w.source.name} is called ${loser.calledAs.join(", ")}, but in namespace ${namespace} ${why}; ${w.source.name}'s Service is ${next}`,
                          suggestion: `change callers of ${loser.calledAs.join(", ")} to ${next}:${portList.join("/")} (or ${next}.${namespace}.svc.cluster.local), or rename one of the two aliases in ECS before migrating`,
                      }
                    : {
                          code: "SERVICE_NAME_CLASH",
                          severity: "info",
                          service: w.source.name,
                          field: "serviceName",
                          message: `in namespace ${namespace} ${why}; ${w.source.name}'s own Service is ${next}`,
                          suggestion: `no ECS caller used ${name} for ${w.source.name}; address it as ${next}:${portList.join("/")} on EKS`,
                      };
            notes.set(loser.workload, [...(notes.get(loser.workload) ?? []), diagnostic]);
        }
    }
    return workloads.map((w, index) => {
        const map = renames.get(index);
        if (!map) {
            return w;
        }
        const objects = w.objects.map((o) => (o.kind === "Service" && map.has(o.metadata.name) ? { ...o, metadata: { ...o.metadata, name: map.get(o.metadata.name) as string } } : o));
        // Services stay in name order in their place among the workload's objects.
        const slots = objects.flatMap((o, i) => (o.kind === "Service" ? [i] : []));
        const sorted = slots.map((i) => objects[i]).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
        slots.forEach((slot, i) => (objects[slot] = sorted[i]));
        return {
            ...w,
            objects,
            loadBalancers: w.loadBalancers.map((lb) => (map.has(lb.serviceName) ? { ...lb, serviceName: map.get(lb.serviceName) as string } : lb)),
            diagnostics: [...w.diagnostics, ...(notes.get(index) ?? [])],
        };
    });
}

/**
 * The last line of defence: any two objects of one kind with one name in one
 * namespace (or cluster-wide) are an error naming both, since a real engine
 * would reject the plan. Services never get here (uniqueServiceNames).
 */
export function nameClashes(namespaceObjects: readonly K8sObject[], workloads: readonly WorkloadPlan[]): Diagnostic[] {
    const seen = new Map<string, string>();
    const found: Diagnostic[] = [];
    const visit = (o: K8sObject, owner: string, service: string) => {
        const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, owner);
            return;
        }
        found.push({
            code: "OBJECT_NAME_CLASH",
            severity: "error",
            service,
            field: o.kind,
            message: `${owner} and ${first} both make ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}; only one object can have that name`,
            suggestion: "rename one of the two in ECS (service, schedule or volume) so the names derived from them differ; the plan cannot be deployed as it is",
        });
    };
    namespaceObjects.forEach((o) => visit(o, `namespace ${o.metadata.namespace ?? o.metadata.name}`, ""));
    for (const w of workloads) {
        const owner = `${w.source.kind === "service" ? "ECS service" : "scheduled task"} ${w.source.name}`;
        w.objects.forEach((o) => visit(o, owner, w.source.name));
    }
    return found;
}
