/**
 * The Kubernetes side of `verify`, over API objects as the API server
 * returns them (fetched elsewhere; tests use recorded ones): the workload's
 * rollout is complete, none of its pods crash-loops or stays unready, every
 * ExternalSecret it uses is synced, its TargetGroupBinding is reconciled.
 * Pure.
 */
import type { Finding } from "./verdict";

/** The fields these checks read; the API returns more. */
export interface ApiObject {
    readonly kind?: string;
    readonly metadata: { readonly name: string; readonly namespace?: string; readonly generation?: number; readonly labels?: Readonly<Record<string, string>>; readonly ownerReferences?: readonly { kind: string; name: string }[] };
    readonly spec?: Record<string, unknown>;
    readonly status?: Record<string, unknown>;
}

/** What the API server holds in a namespace, by kind. */
export interface ClusterObjects {
    readonly deployments: readonly ApiObject[];
    readonly pods: readonly ApiObject[];
    readonly externalSecrets: readonly ApiObject[];
    readonly targetGroupBindings: readonly ApiObject[];
}

/** Restarts that count as crash-looping even when the container is up right now. */
export const RESTART_LIMIT = 3;

/** The label the translator puts on every object of a workload. */
const NAME_LABEL = "app.kubernetes.io/name";

interface Condition {
    type?: string;
    status?: string;
    reason?: string;
    message?: string;
}
interface ContainerStatus {
    name?: string;
    ready?: boolean;
    restartCount?: number;
    state?: { waiting?: { reason?: string } };
}

const conditions = (o: ApiObject) => (o.status?.conditions as Condition[] | undefined) ?? [];
const num = (v: unknown) => (typeof v === "number" ? v : 0);

function rollout(d: ApiObject | undefined, workload: string): Finding {
    if (!d) {
        return { verdict: "hold", check: "rollout", detail: `no Deployment ${workload}: not applied yet` };
    }
    const s = d.status ?? {};
    const wanted = typeof d.spec?.replicas === "number" ? d.spec.replicas : 1;
    const progress = conditions(d).find((c) => c.type === "Progressing");
    if (progress?.status === "False" && progress.reason === "ProgressDeadlineExceeded") {
        return { verdict: "rollback", check: "rollout", detail: `Deployment ${workload} exceeded its progress deadline: ${progress.message ?? ""}`.trim() };
    }
    const current = num(s.observedGeneration) >= (d.metadata.generation ?? 0);
    const done = current && num(s.updatedReplicas) >= wanted && num(s.availableReplicas) >= wanted && num(s.replicas) <= wanted;
    const detail = `Deployment ${workload}: ${num(s.updatedReplicas)} updated, ${num(s.availableReplicas)} available of ${wanted}${current ? "" : " (controller has not seen the latest spec)"}`;
    return { verdict: done ? "ready" : "hold", check: "rollout", detail };
}

function pods(all: readonly ApiObject[]): Finding {
    const crashing: string[] = [];
    const unready: string[] = [];
    for (const p of all) {
        const statuses = (p.status?.containerStatuses as ContainerStatus[] | undefined) ?? [];
        const crash = statuses.find((c) => c.state?.waiting?.reason === "CrashLoopBackOff" || num(c.restartCount) >= RESTART_LIMIT);
        if (crash) {
            crashing.push(`${p.metadata.name} (${crash.name ?? "?"}: ${crash.state?.waiting?.reason ?? `${num(crash.restartCount)} restarts`})`);
        } else if (p.status?.phase !== "Succeeded" && conditions(p).find((c) => c.type === "Ready")?.status !== "True") {
            unready.push(p.metadata.name);
        }
    }
    if (crashing.length > 0) {
        return { verdict: "rollback", check: "pods", detail: `crash-looping: ${crashing.join(", ")}` };
    }
    if (unready.length > 0) {
        return { verdict: "hold", check: "pods", detail: `not ready: ${unready.join(", ")}` };
    }
    return { verdict: "ready", check: "pods", detail: `${all.length} pod(s), all ready` };
}

function externalSecrets(all: readonly ApiObject[]): Finding | undefined {
    if (all.length === 0) {
        return undefined;
    }
    const unsynced = all.filter((e) => conditions(e).find((c) => c.type === "Ready")?.status !== "True");
    if (unsynced.length > 0) {
        const why = unsynced.map((e) => `${e.metadata.name} (${conditions(e).find((c) => c.type === "Ready")?.message ?? "no Ready condition yet"})`);
        return { verdict: "hold", check: "external secrets", detail: `not synced: ${why.join(", ")}` };
    }
    return { verdict: "ready", check: "external secrets", detail: `${all.length} synced` };
}

/**
 * A TargetGroupBinding is bound once the controller reconciled its latest
 * spec: its status has only observedGeneration (aws-load-balancer-controller
 * v2.13.4, apis/elbv2/v1beta1/targetgroupbinding_types.go).
 */
function binding(b: ApiObject | undefined, name: string): Finding {
    if (!b) {
        return { verdict: "hold", check: "target group binding", detail: `no TargetGroupBinding ${name}` };
    }
    const bound = b.status?.observedGeneration !== undefined && num(b.status.observedGeneration) >= (b.metadata.generation ?? 1);
    return { verdict: bound ? "ready" : "hold", check: "target group binding", detail: `TargetGroupBinding ${name} ${bound ? "bound" : "not reconciled by the load balancer controller yet"}` };
}

/** The findings for one workload, from the objects of its namespace. */
export function kubernetesFindings(objects: ClusterObjects, workload: string, bindingName: string): Finding[] {
    const mine = (o: ApiObject) => o.metadata.labels?.[NAME_LABEL] === workload;
    const secrets = externalSecrets(objects.externalSecrets.filter(mine));
    return [
        rollout(objects.deployments.find((d) => d.metadata.name === workload), workload),
        pods(objects.pods.filter(mine)),
        ...(secrets ? [secrets] : []),
        binding(objects.targetGroupBindings.find((b) => b.metadata.name === bindingName), bindingName),
    ];
}
