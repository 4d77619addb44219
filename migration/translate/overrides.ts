/**
 * A schedule's RunTask overrides applied to its task definition the way ECS
 * applies them when it starts the task, so the CronJob's pod is built from
 * what really ran: sizes, command, environment and task role. Pure.
 */
import type { TaskOverride } from "@aws-sdk/client-ecs";
import { Json, ScheduledTaskSnapshot, TaskDefinitionSnapshot, runTaskOverrides } from "../../core/snapshot";
import { keepOverrideVariable } from "./credentials";
import { Diagnostics } from "./diagnostics";

type Overrides = Json<TaskOverride>;
type Env = NonNullable<NonNullable<TaskDefinitionSnapshot["containerDefinitions"]>[number]["environment"]>;

/** The schedule's overrides: as the reader stored them, or parsed from the raw input of older snapshots. */
function scheduleOverrides(task: ScheduledTaskSnapshot, d: Diagnostics): Overrides | undefined {
    if (task.overrides || !task.input) {
        return task.overrides;
    }
    const parsed = runTaskOverrides(task.input);
    if (!parsed) {
        d.warn("SCHEDULE_INPUT", "input", "the schedule's input is not a JSON object of RunTask overrides", "apply what the input changed to the CronJob by hand");
    }
    return parsed;
}

/** ECS adds override variables to the container's, replacing those of the same name. */
function mergeEnvironment(base: Env | undefined, extra: Env): Env {
    const replaced = (base ?? []).map((e) => extra.find((x) => x.name === e.name) ?? e);
    return [...replaced, ...extra.filter((x) => !(base ?? []).some((e) => e.name === x.name))];
}

function list<T>(value: T[] | undefined): T[] {
    return Array.isArray(value) ? value : [];
}

/** The task definition as the schedule runs it. */
export function scheduledTaskDefinition(task: ScheduledTaskSnapshot, td: TaskDefinitionSnapshot, d: Diagnostics): TaskDefinitionSnapshot {
    const o = scheduleOverrides(task, d);
    if (!o) {
        return td;
    }
    const containers = td.containerDefinitions ?? [];
    const byName = list(o.containerOverrides);
    for (const co of byName.filter((x) => !containers.some((c) => c.name === x.name))) {
        d.warn(
            "SCHEDULE_OVERRIDE_CONTAINER",
            "overrides.containerOverrides",
            `the schedule overrides container ${JSON.stringify(co.name)}, which task definition ${td.family}:${td.revision ?? "?"} does not have: ECS refuses to start such a run`,
            "fix the container name in the schedule's input; the CronJob runs the container as the task definition has it",
        );
    }
    const containerDefinitions = containers.map((c) => {
        const co = byName.find((x) => x.name === c.name);
        if (!co) {
            return c;
        }
        d.map("overrides.containerOverrides");
        return {
            ...c,
            ...(Array.isArray(co.command) ? { command: co.command } : {}),
            ...(Array.isArray(co.environment) ? { environment: mergeEnvironment(c.environment, co.environment.filter((e) => keepOverrideVariable(e, c.name, d))) } : {}),
            // Files, sizes and GPUs replace the task definition's.
            ...(Array.isArray(co.environmentFiles) ? { environmentFiles: co.environmentFiles } : {}),
            ...(typeof co.cpu === "number" ? { cpu: co.cpu } : {}),
            ...(typeof co.memory === "number" ? { memory: co.memory } : {}),
            ...(typeof co.memoryReservation === "number" ? { memoryReservation: co.memoryReservation } : {}),
            ...(Array.isArray(co.resourceRequirements) ? { resourceRequirements: co.resourceRequirements } : {}),
        };
    });
    const taskLevel: Partial<TaskDefinitionSnapshot> = {};
    for (const key of ["cpu", "memory", "taskRoleArn", "executionRoleArn"] as const) {
        if (typeof o[key] === "string" && o[key] !== "") {
            taskLevel[key] = o[key];
            d.map(`overrides.${key}`);
        }
    }
    if (o.ephemeralStorage?.sizeInGiB !== undefined) {
        taskLevel.ephemeralStorage = o.ephemeralStorage;
        d.map("overrides.ephemeralStorage");
    }
    if (list(o.inferenceAcceleratorOverrides).length > 0) {
        d.warn("INFERENCE_ACCELERATOR", "overrides.inferenceAcceleratorOverrides", "the schedule attaches Elastic Inference accelerators, which do not exist on EKS", "run the model on a GPU or Inferentia node group");
    }
    return { ...td, ...taskLevel, containerDefinitions };
}
