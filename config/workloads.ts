import { POD_MANAGEMENT_POLICIES, WORKLOAD_KINDS, WorkloadSetting, WorkloadSettings } from "../core/workloadSettings";
import { ConfigReader } from "./reader";

const FIELDS = ["kind", "podManagementPolicy", "snapshots"];
const SNAPSHOT_ID = /^snap-[0-9a-f]{8,17}$/;
const EXAMPLE = '{"orders-db": {"kind": "StatefulSet", "podManagementPolicy": "OrderedReady"}}';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * migration:workloads: per ECS service, the kind of workload it becomes.
 * Default {}: every service keeps the kind its scheduling strategy gives.
 * Whether each name is a service of the snapshot is checked against the
 * snapshot when the program runs (unknownWorkloadSettings).
 */
export function readWorkloads(r: ConfigReader): WorkloadSettings {
    const raw = r.json("migration:workloads");
    if (raw === undefined) {
        return Object.freeze({});
    }
    if (!isObject(raw)) {
        r.fail(`migration:workloads ${JSON.stringify(raw)} is not allowed; expected a map of ECS service names to settings, like ${EXAMPLE}`);
        return Object.freeze({});
    }
    const settings: Record<string, WorkloadSetting> = {};
    for (const [service, value] of Object.entries(raw).sort(([a], [b]) => a.localeCompare(b))) {
        const at = `migration:workloads.${service}`;
        if (!isObject(value)) {
            r.fail(`${at} ${JSON.stringify(value)} is not allowed; expected {"kind": "StatefulSet"}`);
            continue;
        }
        for (const field of Object.keys(value).filter((f) => !FIELDS.includes(f))) {
            r.fail(`${at}.${field} is not a known field; known fields: ${FIELDS.join(", ")}`);
        }
        const kind = value.kind;
        if (!(WORKLOAD_KINDS as readonly unknown[]).includes(kind)) {
            r.fail(`${at}.kind ${JSON.stringify(kind)} is not allowed; use one of: ${WORKLOAD_KINDS.join(", ")}`);
            continue;
        }
        const policy = value.podManagementPolicy;
        if (policy !== undefined && !(POD_MANAGEMENT_POLICIES as readonly unknown[]).includes(policy)) {
            r.fail(`${at}.podManagementPolicy ${JSON.stringify(policy)} is not allowed; use one of: ${POD_MANAGEMENT_POLICIES.join(", ")}`);
            continue;
        }
        if (policy !== undefined && kind !== "StatefulSet") {
            r.fail(`${at}.podManagementPolicy applies to a StatefulSet only; set kind StatefulSet or drop it`);
            continue;
        }
        const snapshots = value.snapshots;
        if (snapshots !== undefined && (!isObject(snapshots) || Object.values(snapshots).some((id) => typeof id !== "string" || !SNAPSHOT_ID.test(id)))) {
            r.fail(`${at}.snapshots ${JSON.stringify(snapshots)} is not allowed; expected a map of ECS volume names to EBS snapshot IDs, like {"pgdata": "snap-0123456789abcdef0"}`);
            continue;
        }
        settings[service] = Object.freeze({
            kind: kind as WorkloadSetting["kind"],
            ...(policy !== undefined ? { podManagementPolicy: policy as WorkloadSetting["podManagementPolicy"] } : {}),
            ...(snapshots !== undefined ? { snapshots: Object.freeze({ ...(snapshots as Record<string, string>) }) } : {}),
        });
    }
    return Object.freeze(settings);
}

/** Names in migration:workloads that are no service of the snapshot. */
export function unknownWorkloadSettings(settings: WorkloadSettings, services: readonly string[]): string[] {
    return Object.keys(settings).filter((name) => !services.includes(name));
}
