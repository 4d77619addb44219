/**
 * Container requests and limits from ECS sizes. Pure.
 *
 * Container `cpu` is a share reservation → requests.cpu; `memory` is a hard
 * limit → limits.memory (and the request, unless `memoryReservation` sets a
 * lower soft limit). Task-level cpu/memory (required on Fargate) is the pod's
 * budget, and on ECS the task's memory was the only ceiling of a container
 * that set none: such a container keeps the task's memory as its limit, and
 * only the requests split what the sized containers leave, so that the pod
 * reserves what the task did and no container can use less than on ECS.
 * CPU gets no limit: ECS shares were relative weights, not a ceiling.
 */
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import type { Json } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { Diagnostic, WorkloadPlan } from "./types";
import { cpuUnitsToMillicores, mebibytes, millicores, parseTaskCpu, parseTaskMemory } from "./units";

export interface Resources {
    readonly requests?: Record<string, string>;
    readonly limits?: Record<string, string>;
}

/** An essential container gets this many shares of the unreserved memory for each share of a non-essential one. */
const ESSENTIAL_WEIGHT = 3;

/** Splits `budget` by weight, rounding down, so the parts never add up to more than the budget. */
function split(budget: number, weights: readonly number[]): number[] {
    const total = weights.reduce((n, w) => n + w, 0);
    return weights.map((w) => Math.floor((budget * w) / total));
}

/**
 * Requests and limits per container name. `storageContainer` names the
 * container that carries the task's ephemeral storage.
 */
export function sizeContainers(td: Json<TaskDefinition>, d: Diagnostics, storageContainer?: string): Map<string, Resources> {
    const containers = td.containerDefinitions ?? [];
    const taskCpu = parseTaskCpu(td.cpu);
    const taskMemory = parseTaskMemory(td.memory);
    if (td.cpu && taskCpu === undefined) {
        d.warn("TASK_CPU_UNREADABLE", "cpu", `task cpu ${JSON.stringify(td.cpu)} is not a number of CPU units`, "set cpu requests on the containers by hand");
    }
    if (td.memory && taskMemory === undefined) {
        d.warn("TASK_MEMORY_UNREADABLE", "memory", `task memory ${JSON.stringify(td.memory)} is not a number of MiB`, "set memory requests and limits on the containers by hand");
    }
    const sizedCpu = containers.reduce((n, c) => n + (c.cpu ?? 0), 0);
    const unsizedCpu = containers.filter((c) => !c.cpu).length;
    const sizedMemory = containers.reduce((n, c) => n + (c.memoryReservation ?? c.memory ?? 0), 0);
    const unsizedMemory = containers.filter((c) => !c.memory && !c.memoryReservation);
    // Unsized containers got equal (minimal) CPU shares on ECS, so they split the rest of the task's CPU equally.
    const cpuShare = taskCpu !== undefined && unsizedCpu > 0 ? Math.floor((taskCpu - sizedCpu) / unsizedCpu) : undefined;
    const memoryShares = new Map<string, number>();
    if (taskMemory !== undefined && unsizedMemory.length > 0) {
        const parts = split(Math.max(0, taskMemory - sizedMemory), unsizedMemory.map((c) => (c.essential !== false ? ESSENTIAL_WEIGHT : 1)));
        unsizedMemory.forEach((c, i) => memoryShares.set(c.name ?? "", parts[i]));
    }
    if (taskCpu !== undefined && sizedCpu > taskCpu) {
        d.warn("CPU_OVER_BUDGET", "containerDefinitions[*].cpu", `containers reserve ${sizedCpu} CPU units, more than the task's ${taskCpu}`, "lower the containers' cpu so the pod fits its budget");
    }
    if (taskMemory !== undefined && (sizedMemory > taskMemory || [...memoryShares.values()].some((m) => m < 1))) {
        d.warn(
            "MEMORY_OVER_BUDGET",
            "containerDefinitions[*].memory",
            `containers reserve ${sizedMemory} MiB of the task's ${taskMemory}${memoryShares.size > 0 ? `, leaving ${Math.max(0, taskMemory - sizedMemory)} MiB to request for ${[...memoryShares.keys()].join(", ")}` : ""}`,
            "lower the containers' memoryReservation (or memory) so the pod fits its budget",
        );
    }
    if (taskCpu !== undefined) {
        d.map("cpu");
    }
    if (taskMemory !== undefined) {
        d.map("memory");
    }

    const out = new Map<string, Resources>();
    for (const c of containers) {
        const at = `containerDefinitions[${c.name}]`;
        const requests: Record<string, string> = {};
        const limits: Record<string, string> = {};
        const cpu = c.cpu ? c.cpu : cpuShare;
        if (cpu !== undefined && cpu > 0) {
            requests.cpu = millicores(cpuUnitsToMillicores(cpu));
            if (c.cpu) {
                d.map(`${at}.cpu`);
            }
        }
        if (c.cpu === 0) {
            // 0 reserves nothing, as on ECS: the container shares what the task has left.
            d.map(`${at}.cpu`);
        }
        const share = memoryShares.get(c.name ?? "");
        if (c.memory) {
            limits.memory = mebibytes(c.memory);
            requests.memory = mebibytes(Math.min(c.memoryReservation ?? c.memory, c.memory));
            d.map(`${at}.memory`);
            if (c.memoryReservation) {
                d.map(`${at}.memoryReservation`);
            }
        } else if (c.memoryReservation) {
            requests.memory = mebibytes(c.memoryReservation);
            d.map(`${at}.memoryReservation`);
            if (taskMemory !== undefined) {
                // The task's memory is the hard ceiling ECS enforced.
                limits.memory = mebibytes(Math.max(taskMemory, c.memoryReservation));
            }
        } else if (taskMemory !== undefined && share !== undefined) {
            // A limit without a request would make Kubernetes request the whole limit: always set both.
            requests.memory = mebibytes(Math.max(1, share));
            limits.memory = mebibytes(taskMemory);
        }
        for (const r of c.resourceRequirements ?? []) {
            if (r.type === "GPU" && r.value) {
                limits["nvidia.com/gpu"] = r.value;
                requests["nvidia.com/gpu"] = r.value;
                d.map(`${at}.resourceRequirements`);
            }
        }
        out.set(c.name ?? "", {
            ...(Object.keys(requests).length > 0 ? { requests } : {}),
            ...(Object.keys(limits).length > 0 ? { limits } : {}),
        });
    }
    if (td.ephemeralStorage?.sizeInGiB) {
        // Fargate's task storage, given to one container that runs as long as the pod.
        const first = storageContainer ?? (containers.find((c) => c.essential !== false) ?? containers[0])?.name;
        const r = out.get(first ?? "");
        if (r) {
            out.set(first ?? "", { ...r, requests: { ...(r.requests ?? {}), "ephemeral-storage": `${td.ephemeralStorage.sizeInGiB}Gi` } });
            d.map("ephemeralStorage");
        }
    }
    return out;
}

/**
 * Ephemeral storage a node offers pods, in GiB, from the size of its disk:
 * the kubelet of EKS AL2023 nodes reserves 1 GiB (kubeReserved
 * ephemeral-storage) and keeps 10% free (evictionHard nodefs.available), as
 * nodeadm configures it (awslabs/amazon-eks-ami, tag v20260724,
 * nodeadm/internal/kubelet/config.go). The file system is a little smaller
 * than the volume, so this is an upper bound.
 */
export function allocatableEphemeralGiB(diskGiB: number): number {
    return Math.floor(diskGiB * 0.9 - 1);
}

/** The smallest disk whose allocatable ephemeral storage holds `gib`. */
function diskFor(gib: number): number {
    let disk = Math.ceil((gib + 1) / 0.9);
    while (allocatableEphemeralGiB(disk) < gib) {
        disk++;
    }
    return disk;
}

function ephemeralRequestGiB(w: WorkloadPlan): number {
    let total = 0;
    for (const o of w.objects) {
        const template = o.kind === "CronJob" ? at(o, "spec.jobTemplate.spec.template.spec") : o.kind === "Deployment" || o.kind === "StatefulSet" || o.kind === "DaemonSet" ? at(o, "spec.template.spec") : undefined;
        const containers = [...asArray(at(template, "initContainers")), ...asArray(at(template, "containers"))];
        for (const c of containers) {
            const m = /^(\d+)Gi$/.exec(String(at(c, "resources.requests.ephemeral-storage") ?? ""));
            total += m ? Number(m[1]) : 0;
        }
    }
    return total;
}

function at(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined), value);
}

function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/**
 * Reports a workload whose pod asks for more ephemeral storage (Fargate
 * tasks had up to 200 GiB) than a node of the cluster offers: such a pod
 * would stay Pending. `nodeDiskGiB` is the largest node disk of the node
 * groups; undefined skips the check.
 */
export function checkNodeDisk(w: WorkloadPlan, nodeDiskGiB: number | undefined): WorkloadPlan {
    if (nodeDiskGiB === undefined) {
        return w;
    }
    const gib = ephemeralRequestGiB(w);
    const offered = allocatableEphemeralGiB(nodeDiskGiB);
    if (gib <= offered) {
        return w;
    }
    const diagnostic: Diagnostic = {
        code: "EPHEMERAL_STORAGE_TOO_LARGE",
        severity: "error",
        service: w.source.name,
        field: "ephemeralStorage.sizeInGiB",
        message: `${w.name} asks for ${gib} GiB of ephemeral storage (the task's ephemeralStorage), but a node with the node groups' largest disk (${nodeDiskGiB} GiB) offers pods at most ${offered} GiB of it: the pod would stay Pending`,
        suggestion: `give a node group diskSizeGiB ${diskFor(gib)} or more (plus room for images), and pin ${w.name} to it with a nodeSelector; or lower the task's ephemeralStorage if it does not use that much`,
    };
    return { ...w, diagnostics: [...w.diagnostics, diagnostic] };
}
