/**
 * ECS's CPU and memory target tracking as an HPA resource target: ECS divides
 * usage by the task's reservation, the HPA by the pod's requests; where those
 * differ, the target becomes the same absolute usage per pod (AverageValue).
 * Pure.
 */
import type { TaskDefinitionSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { parseTaskCpu, parseTaskMemory } from "./units";

export type ResourceName = "cpu" | "memory";

export interface ResourceTarget {
    readonly name: ResourceName;
    readonly type: "Utilization" | "AverageValue";
    /** Percent for Utilization, a quantity for AverageValue. */
    readonly value: string;
}

/** What a resource target is computed from: the task ECS measured against, the pod spec the HPA measures against. */
export interface ResourceBase {
    readonly td: TaskDefinitionSnapshot;
    readonly podSpec: Record<string, unknown>;
    readonly d: Diagnostics;
}

export const PREDEFINED_RESOURCE: Readonly<Record<string, ResourceName>> = {
    ECSServiceAverageCPUUtilization: "cpu",
    ECSServiceAverageMemoryUtilization: "memory",
};
/** Requests within 1% of the reservation measure utilization the same way. */
const SAME_BASE = 0.01;

/** What ECS divided usage by, per task, in Kubernetes units (millicores, MiB): the task-level size, else the containers' sum. */
function ecsReservation(td: TaskDefinitionSnapshot, name: ResourceName): number | undefined {
    const containers = td.containerDefinitions ?? [];
    const total =
        name === "cpu"
            ? ((parseTaskCpu(td.cpu) ?? containers.reduce((n, c) => n + (c.cpu ?? 0), 0)) * 1000) / 1024
            : (parseTaskMemory(td.memory) ?? containers.reduce((n, c) => n + (c.memoryReservation ?? c.memory ?? 0), 0));
    return total > 0 ? total : undefined;
}

const SUFFIX: Readonly<Record<string, number>> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** A quantity in millicores (cpu) or MiB (memory); undefined when unreadable. */
function quantity(text: unknown, name: ResourceName): number | undefined {
    const m = typeof text === "string" || typeof text === "number" ? /^(\d+(?:\.\d+)?)(m|k|M|G|Ki|Mi|Gi|Ti)?$/.exec(String(text)) : null;
    if (!m) {
        return undefined;
    }
    const base = Number(m[1]) * SUFFIX[m[2] ?? ""];
    return name === "cpu" ? base * 1000 : base / 1024 ** 2;
}

/**
 * What the HPA divides usage by: the requests of the pod's containers and
 * native sidecars (kubernetes pkg/controller/podautoscaler/replica_calculator.go
 * calculateRequests); undefined when one of them has none (the HPA then
 * cannot compute utilization at all).
 */
function podRequests(podSpec: Record<string, unknown>, name: ResourceName): number | undefined {
    type C = { restartPolicy?: string; resources?: { requests?: Record<string, unknown> } };
    const containers = [...((podSpec.containers as C[]) ?? []), ...((podSpec.initContainers as C[]) ?? []).filter((c) => c.restartPolicy === "Always")];
    let sum = 0;
    for (const c of containers) {
        const q = quantity(c.resources?.requests?.[name], name);
        if (q === undefined) {
            return undefined;
        }
        sum += q;
    }
    return containers.length > 0 ? sum : undefined;
}

function formatQuantity(value: number, name: ResourceName): string {
    return name === "cpu" ? `${Math.max(1, Math.round(value))}m` : `${Math.max(1, Math.round(value))}Mi`;
}

/** ECS's utilization target as a target on the same base: Utilization when the requests are the reservation, else the same usage per pod. */
export function resourceTarget(name: ResourceName, percent: number, field: string, ctx: ResourceBase): ResourceTarget {
    const reserved = ecsReservation(ctx.td, name);
    const requested = podRequests(ctx.podSpec, name);
    const utilization: ResourceTarget = { name, type: "Utilization", value: String(Math.max(1, Math.round(percent))) };
    if (reserved === undefined) {
        if (requested === undefined) {
            ctx.d.warn(
                "UTILIZATION_WITHOUT_REQUESTS",
                field,
                `ECS scaled on ${name} utilization, but neither the task definition nor the pod's containers reserve ${name}; the HPA cannot compute utilization without a request on every container`,
                `set ${name} requests on every container, or change the metric to an AverageValue`,
            );
        }
        return utilization;
    }
    if (requested !== undefined && Math.abs(requested - reserved) <= reserved * SAME_BASE) {
        return utilization;
    }
    const value = formatQuantity((reserved * percent) / 100, name);
    ctx.d.info(
        "UTILIZATION_AS_AVERAGE_VALUE",
        field,
        `ECS measured ${name} against the task's ${formatQuantity(reserved, name)}; the pod requests ${requested === undefined ? `no ${name} on some containers` : formatQuantity(requested, name)}, so ${percent}% becomes the same usage per pod: ${value}`,
        "nothing to do: the autoscaler picks the replica count ECS would",
    );
    return { name, type: "AverageValue", value };
}
