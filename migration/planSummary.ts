/**
 * The counts of a migration plan's diagnostics, the same for every command
 * (plan, preview, the demo), and a way for the CLI running the program
 * offline to learn them without parsing log lines.
 */
import { MigrationPlan } from "./translate/types";

export interface PlanSummary {
    /** Workloads: services and scheduled tasks. */
    readonly workloads: number;
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
}

/** Every diagnostic of the plan: the estate's and each workload's. */
export function summarizePlan(plan: MigrationPlan): PlanSummary {
    const all = [...plan.diagnostics, ...plan.workloads.flatMap((w) => w.diagnostics)];
    const n = (s: string) => all.filter((d) => d.severity === s).length;
    return { workloads: plan.workloads.length, errors: n("error"), warnings: n("warning"), infos: n("info") };
}

export function summaryLine(s: PlanSummary): string {
    return `migrating ${s.workloads} ECS services and schedules: ${s.errors} error(s), ${s.warnings} warning(s); npx ecs2eks plan writes the full report`;
}

type Observer = (summary: PlanSummary) => void;
const observers = new Set<Observer>();

/** Called with the summary of each plan the program declares; returns the way to stop. */
export function observePlans(observer: Observer): () => void {
    observers.add(observer);
    return () => observers.delete(observer);
}

/** The program announces the plan it declares, so the offline preview can gate on it. */
export function announcePlan(plan: MigrationPlan): PlanSummary {
    const summary = summarizePlan(plan);
    for (const o of observers) {
        o(summary);
    }
    return summary;
}
