/**
 * What the migrated services' EBS volumes are restored from: the EBS
 * snapshots (or volumes) their VolumeSnapshotContents name. Every new
 * StatefulSet claim and every per-pod volume is made from one, so it must
 * outlive the ECS stacks. Pure.
 */
import { MigrationPlan } from "./translate/types";

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** Snapshot and volume IDs the plan restores from, with the workloads that do, sorted. */
export function ebsDataSources(plan: MigrationPlan): { id: string; workloads: string[] }[] {
    const byId = new Map<string, Set<string>>();
    for (const w of plan.workloads) {
        for (const o of w.objects.filter((x) => x.kind === "VolumeSnapshotContent")) {
            const source = asObj(asObj(o.spec).source);
            const id = String(source.snapshotHandle ?? source.volumeHandle ?? "");
            if (id) {
                const kind = w.objects.some((x) => x.kind === "StatefulSet") ? "StatefulSet" : "per-pod volumes";
                byId.set(id, (byId.get(id) ?? new Set()).add(`${w.source.name} (${kind})`));
            }
        }
    }
    return [...byId.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, ws]) => ({ id, workloads: [...ws].sort() }));
}
