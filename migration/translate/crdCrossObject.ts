/** Custom resources checked together, as the controllers' webhooks check them against what is in the namespace. Pure. */
import { asList, asObj } from "./plainData";
import { K8sObject } from "./types";

const ref = (o: K8sObject): string => {
    const t = asObj(asObj(o.spec).scaleTargetRef);
    return `${o.metadata.namespace ?? ""}/${String(t.apiVersion ?? "apps/v1")}/${String(t.kind ?? "Deployment")}/${String(t.name)}`;
};

/**
 * Rules that involve several objects applied together: what KEDA's webhook
 * checks against the HPAs, ScaledObjects and workloads it finds in the
 * namespace, and the load balancer controller against other bindings.
 */
export function crossObjectProblems(objects: readonly K8sObject[]): string[] {
    const problems: string[] = [];
    const scaled = objects.filter((o) => o.apiVersion.startsWith("keda.sh/") && o.kind === "ScaledObject");
    const bindings = objects.filter((o) => o.apiVersion.startsWith("elbv2.k8s.aws/") && o.kind === "TargetGroupBinding");
    if (scaled.length === 0 && bindings.length < 2) {
        return problems;
    }
    const name = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
    for (const so of scaled) {
        for (const hpa of objects.filter((o) => o.kind === "HorizontalPodAutoscaler" && ref(o) === ref(so))) {
            if (hpa.metadata.annotations?.["validations.keda.sh/hpa-ownership"] === "false") {
                continue;
            }
            if (so.metadata.annotations?.["scaledobject.keda.sh/transfer-hpa-ownership"] === "true") {
                // A takeover names the HPA it takes; 2.18 says so in its own message, 2.17 reported a plain conflict.
                if (asObj(asObj(asObj(so.spec).advanced).horizontalPodAutoscalerConfig).name !== hpa.metadata.name) {
                    problems.push(`${name(so)}: transfer-hpa-ownership is set, but advanced.horizontalPodAutoscalerConfig.name does not name the HorizontalPodAutoscaler ${hpa.metadata.name} it would take over: KEDA's webhook rejects it`);
                }
            } else {
                problems.push(`${name(so)}: its target ${String(asObj(asObj(so.spec).scaleTargetRef).name)} is already scaled by the HorizontalPodAutoscaler ${hpa.metadata.name}: KEDA's webhook rejects it; scale it with one or the other`);
            }
        }
        for (const other of scaled.filter((o) => o !== so && ref(o) === ref(so) && o.metadata.name < so.metadata.name)) {
            problems.push(`${name(so)}: its target is already scaled by the ScaledObject ${other.metadata.name}: KEDA's webhook rejects it`);
        }
        // A cpu or memory trigger needs that request on the target's containers (no LimitRange is emitted to default it).
        const target = asObj(asObj(so.spec).scaleTargetRef);
        const workload = objects.find((o) => o.kind === String(target.kind ?? "Deployment") && o.apiVersion === String(target.apiVersion ?? "apps/v1") && o.metadata.name === target.name && o.metadata.namespace === so.metadata.namespace);
        const containers = asList(asObj(asObj(asObj(workload?.spec).template).spec).containers);
        for (const t of asList(asObj(so.spec).triggers).filter((x) => x.type === "cpu" || x.type === "memory")) {
            const only = asObj(t.metadata).containerName;
            for (const c of containers.filter((x) => only === undefined || x.name === only)) {
                const res = asObj(c.resources);
                if (asObj(res.requests)[String(t.type)] === undefined && asObj(res.limits)[String(t.type)] === undefined) {
                    problems.push(`${name(so)}: a ${String(t.type)} trigger, but container ${String(c.name)} has no ${String(t.type)} request: KEDA's webhook rejects it`);
                }
            }
        }
    }
    const byArn = new Map<string, K8sObject[]>();
    for (const b of bindings) {
        const arn = asObj(b.spec).targetGroupARN;
        if (typeof arn === "string" && arn !== "") {
            byArn.set(arn, [...(byArn.get(arn) ?? []), b]);
        }
    }
    for (const [arn, same] of byArn) {
        if (same.length > 1 && !same.every((b) => asObj(b.spec).multiClusterTargetGroup === true)) {
            problems.push(`${same.map(name).join(", ")}: all bind target group ${arn}: the load balancer controller's webhook rejects all but the first unless every one sets multiClusterTargetGroup`);
        }
    }
    return problems;
}
