/**
 * Scheduled tasks during the cutover: ECS runs a schedule until it is cut
 * over (eksWeight 100), and its CronJob stays suspended until then, so a
 * job never runs on both. The one place that decides a CronJob's suspend.
 * Pure.
 */
import { CutoverConfig } from "../../config/types";
import { K8sObject, WorkloadPlan } from "../translate/types";
import { eksWeight } from "./weights";

export interface SchedulePlan {
    readonly namespace: string;
    readonly workload: string;
    readonly cronJob: string;
    /** The EventBridge rule or Scheduler schedule it came from. */
    readonly ecsSchedule: string;
    readonly eksWeight: number;
    /** Whether ECS runs the schedule (its state at the snapshot); the translator writes the opposite into spec.suspend. */
    readonly enabledOnEcs: boolean;
    /** The CronJob's spec.suspend as declared. */
    readonly suspend: boolean;
    readonly reason: string;
}

/** Suspended while ECS runs the schedule (below eksWeight 100), and for good when ECS had it disabled. */
export function cronJobSuspended(enabledOnEcs: boolean, weight: number): boolean {
    return !enabledOnEcs || weight < 100;
}

function reason(enabledOnEcs: boolean, weight: number): string {
    if (!enabledOnEcs) {
        return "the ECS schedule is disabled";
    }
    return weight < 100
        ? `ECS runs it until it is cut over (eksWeight ${weight} of 100): never both`
        : "cut over (eksWeight 100): the CronJob runs it; disable the ECS schedule";
}

export function planSchedules(workloads: readonly WorkloadPlan[], cutover: CutoverConfig): SchedulePlan[] {
    return workloads.flatMap((w) =>
        w.objects
            .filter((o) => o.kind === "CronJob")
            .map((o): SchedulePlan => {
                const enabledOnEcs = (o.spec as { suspend?: boolean } | undefined)?.suspend !== true;
                const weight = eksWeight(cutover, w.source.name);
                const suspend = cronJobSuspended(enabledOnEcs, weight);
                return { namespace: w.namespace, workload: w.name, cronJob: o.metadata.name, ecsSchedule: w.source.name, eksWeight: weight, enabledOnEcs, suspend, reason: reason(enabledOnEcs, weight) };
            }),
    );
}

/** The CronJob with spec.suspend as planned. */
export function withSuspension(obj: K8sObject, schedule: SchedulePlan): K8sObject {
    return { ...obj, spec: { ...(obj.spec as object), suspend: schedule.suspend } };
}
