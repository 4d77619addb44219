/**
 * Container requests and limits from ECS sizes. Pure.
 *
 * Container `cpu` is a share reservation → requests.cpu; `memory` is a hard
 * limit → limits.memory (and the request, unless `memoryReservation` sets a
 * lower soft limit). Task-level cpu/memory (required on Fargate) is the pod's
 * budget: containers that do not size themselves share what is left of it.
 */
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import type { Json } from "../ecs/snapshot";
import { Diagnostics } from "./diagnostics";
import { cpuUnitsToMillicores, mebibytes, millicores, parseTaskCpu, parseTaskMemory } from "./units";

export interface Resources {
    readonly requests?: Record<string, string>;
    readonly limits?: Record<string, string>;
}

export function sizeContainers(td: Json<TaskDefinition>, d: Diagnostics): Map<string, Resources> {
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
    const unsizedMemory = containers.filter((c) => !c.memory && !c.memoryReservation).length;
    const cpuShare = taskCpu !== undefined && unsizedCpu > 0 ? Math.floor((taskCpu - sizedCpu) / unsizedCpu) : undefined;
    const memoryShare = taskMemory !== undefined && unsizedMemory > 0 ? Math.floor((taskMemory - sizedMemory) / unsizedMemory) : undefined;
    if (taskCpu !== undefined && sizedCpu > taskCpu) {
        d.warn("CPU_OVER_BUDGET", "containerDefinitions[*].cpu", `containers reserve ${sizedCpu} CPU units, more than the task's ${taskCpu}`, "lower the containers' cpu so the pod fits its budget");
    }
    if (taskMemory !== undefined && sizedMemory > taskMemory) {
        d.warn("MEMORY_OVER_BUDGET", "containerDefinitions[*].memory", `containers reserve ${sizedMemory} MiB, more than the task's ${taskMemory}`, "lower the containers' memory so the pod fits its budget");
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
        } else if (memoryShare !== undefined && memoryShare > 0) {
            requests.memory = mebibytes(memoryShare);
            limits.memory = mebibytes(memoryShare);
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
        // Fargate's task storage, given to the first essential container.
        const first = containers.find((c) => c.essential !== false) ?? containers[0];
        const r = out.get(first?.name ?? "");
        if (r) {
            out.set(first?.name ?? "", { ...r, requests: { ...(r.requests ?? {}), "ephemeral-storage": `${td.ephemeralStorage.sizeInGiB}Gi` } });
            d.map("ephemeralStorage");
        }
    }
    return out;
}
