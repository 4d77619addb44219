/**
 * What each migrated workload asks of the nodes, read from the objects the
 * translator planned: a pod's effective requests (as the scheduler counts
 * them, native sidecars included), its limits, how many pods run at the
 * desired count and at the autoscaling maximum, and where it may go. Pure.
 */
import { K8sObject, WorkloadPlan } from "../translate/types";
import { cpuMilli, memoryMiB } from "./quantity";

export interface PodSize {
    readonly cpuMilli: number;
    readonly memoryMiB: number;
    readonly gpus: number;
}

export interface Toleration {
    readonly key?: string;
    readonly operator?: string;
    readonly value?: string;
    readonly effect?: string;
}

export interface WorkloadDemand {
    readonly workload: string;
    readonly service: string;
    readonly namespace: string;
    readonly kind: "Deployment" | "CronJob" | "DaemonSet";
    readonly requests: PodSize;
    /** Limits summed over the containers; CPU undefined when a container has none (unbounded). */
    readonly limits: { readonly cpuMilli?: number; readonly memoryMiB?: number };
    /** Pods at the desired count (a CronJob: none until it runs; a DaemonSet: one per node, counted as node overhead). */
    readonly desired: number;
    /** Pods at the autoscaling maximum (a CronJob: its parallelism, as if every schedule ran at once). */
    readonly max: number;
    /** kubernetes.io/arch from the nodeSelector. */
    readonly arch?: string;
    /** Required node affinity on the capacity type, when the pods must run on Spot (or on-demand). */
    readonly capacityTypes?: readonly string[];
    readonly tolerations: readonly Toleration[];
    /** Why Fargate cannot run the pod (DaemonSet, privileged, host access, GPUs, host ports); empty when it can. */
    readonly fargateBlockers: readonly string[];
}

type Obj = Readonly<Record<string, unknown>>;

function at(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Obj)[key] : undefined), value);
}

function list(value: unknown): Obj[] {
    return Array.isArray(value) ? (value.filter((v) => typeof v === "object" && v !== null) as Obj[]) : [];
}

/** A container's requests; GPUs are set as limits (extended resources' requests equal their limits). */
function requested(c: Obj): PodSize {
    return { cpuMilli: cpuMilli(at(c, "resources.requests.cpu")) ?? 0, memoryMiB: memoryMiB(at(c, "resources.requests.memory")) ?? 0, gpus: gpusOf(c) };
}

function gpusOf(c: Obj): number {
    const limits = at(c, "resources.limits");
    const n = typeof limits === "object" && limits !== null ? Number((limits as Obj)["nvidia.com/gpu"] ?? 0) : 0;
    return Number.isFinite(n) ? n : 0;
}

const add = (a: PodSize, b: PodSize): PodSize => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryMiB: a.memoryMiB + b.memoryMiB, gpus: a.gpus + b.gpus });
const max = (a: PodSize, b: PodSize): PodSize => ({ cpuMilli: Math.max(a.cpuMilli, b.cpuMilli), memoryMiB: Math.max(a.memoryMiB, b.memoryMiB), gpus: Math.max(a.gpus, b.gpus) });
const ZERO: PodSize = { cpuMilli: 0, memoryMiB: 0, gpus: 0 };

/**
 * The pod's effective request, as the scheduler computes it: the larger of
 * (regular containers + native sidecars) and, for each ordinary init
 * container, itself plus the sidecars started before it.
 */
export function effectiveRequests(podSpec: unknown): PodSize {
    let sidecars = ZERO;
    let initPeak = ZERO;
    for (const c of list(at(podSpec, "initContainers"))) {
        if (c.restartPolicy === "Always") {
            sidecars = add(sidecars, requested(c));
        } else {
            initPeak = max(initPeak, add(requested(c), sidecars));
        }
    }
    const regular = list(at(podSpec, "containers")).reduce((s, c) => add(s, requested(c)), ZERO);
    return max(add(regular, sidecars), initPeak);
}

function limitsOf(podSpec: unknown): WorkloadDemand["limits"] {
    const running = [...list(at(podSpec, "initContainers")).filter((c) => c.restartPolicy === "Always"), ...list(at(podSpec, "containers"))];
    const cpu = running.map((c) => cpuMilli(at(c, "resources.limits.cpu")));
    const mem = running.map((c) => memoryMiB(at(c, "resources.limits.memory")));
    return {
        ...(cpu.every((v) => v !== undefined) ? { cpuMilli: cpu.reduce<number>((s, v) => s + (v ?? 0), 0) } : {}),
        ...(mem.every((v) => v !== undefined) ? { memoryMiB: mem.reduce<number>((s, v) => s + (v ?? 0), 0) } : {}),
    };
}

/** What the Fargate docs list as not supported, read from the pod spec ("AWS Fargate considerations", Amazon EKS User Guide). */
function fargateBlockers(kind: WorkloadDemand["kind"], podSpec: unknown, requests: PodSize): string[] {
    const blockers: string[] = [];
    if (kind === "DaemonSet") {
        blockers.push("DaemonSet");
    }
    const containers = [...list(at(podSpec, "initContainers")), ...list(at(podSpec, "containers"))];
    if (containers.some((c) => at(c, "securityContext.privileged") === true)) {
        blockers.push("privileged container");
    }
    if (at(podSpec, "hostNetwork") === true || at(podSpec, "hostPID") === true || at(podSpec, "hostIPC") === true) {
        blockers.push("host network/PID/IPC");
    }
    if (containers.some((c) => list(c.ports).some((p) => p.hostPort !== undefined))) {
        blockers.push("hostPort");
    }
    if (list(at(podSpec, "volumes")).some((v) => v.hostPath !== undefined)) {
        blockers.push("hostPath volume");
    }
    if (requests.gpus > 0) {
        blockers.push("GPU");
    }
    return blockers;
}

function scalerFor(objects: readonly K8sObject[], target: string): { min?: number; max?: number } {
    for (const o of objects) {
        if (at(o, "spec.scaleTargetRef.name") !== target) {
            continue;
        }
        if (o.kind === "HorizontalPodAutoscaler") {
            return { min: Number(at(o, "spec.minReplicas") ?? 1), max: Number(at(o, "spec.maxReplicas")) };
        }
        if (o.kind === "ScaledObject") {
            return { min: Number(at(o, "spec.minReplicaCount") ?? 0), max: Number(at(o, "spec.maxReplicaCount") ?? 100) };
        }
    }
    return {};
}

function placement(podSpec: unknown): Pick<WorkloadDemand, "arch" | "capacityTypes" | "tolerations"> {
    const selector = at(podSpec, "nodeSelector");
    const selectorArch = typeof selector === "object" && selector !== null ? (selector as Obj)["kubernetes.io/arch"] : undefined;
    const terms = list(at(podSpec, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"));
    const capacity = terms
        .flatMap((t) => list(t.matchExpressions))
        .find((e) => (e.key === "eks.amazonaws.com/capacityType" || e.key === "karpenter.sh/capacity-type") && e.operator === "In");
    return {
        ...(typeof selectorArch === "string" ? { arch: selectorArch } : {}),
        ...(capacity && Array.isArray(capacity.values) ? { capacityTypes: (capacity.values as unknown[]).map((v) => String(v).toUpperCase().replace("-", "_")) } : {}),
        tolerations: list(at(podSpec, "tolerations")) as Toleration[],
    };
}

/** The demand of each workload that runs pods, in plan order. */
export function demandsOf(workloads: readonly WorkloadPlan[]): WorkloadDemand[] {
    const out: WorkloadDemand[] = [];
    for (const w of workloads) {
        for (const o of w.objects) {
            const kind = o.kind;
            if (kind !== "Deployment" && kind !== "CronJob" && kind !== "DaemonSet") {
                continue;
            }
            const podSpec = kind === "CronJob" ? at(o, "spec.jobTemplate.spec.template.spec") : at(o, "spec.template.spec");
            const requests = effectiveRequests(podSpec);
            let desired = 0;
            let most = 0;
            if (kind === "Deployment") {
                const scaler = scalerFor(w.objects, o.metadata.name);
                const replicas = at(o, "spec.replicas");
                desired = typeof replicas === "number" ? replicas : scaler.min ?? 1;
                most = Math.max(desired, scaler.max ?? desired);
            } else if (kind === "CronJob") {
                most = Number(at(o, "spec.jobTemplate.spec.parallelism") ?? 1);
            }
            out.push({
                workload: w.name,
                service: w.source.name,
                namespace: w.namespace,
                kind,
                requests,
                limits: limitsOf(podSpec),
                desired,
                max: most,
                ...placement(podSpec),
                fargateBlockers: fargateBlockers(kind, podSpec, requests),
            });
        }
    }
    return out;
}
