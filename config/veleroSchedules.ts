import { ConfigReader } from "./reader";

/** One Velero Schedule: when, how long its backups are kept, and which namespaces (absent: every namespace the migration created). */
export interface VeleroSchedule {
    readonly name: string;
    /** Five-field cron, in the Velero server's time zone (UTC). */
    readonly schedule: string;
    /** How long a backup is kept, as Velero reads a duration: `720h`, `720h0m0s`. */
    readonly ttl: string;
    readonly includedNamespaces?: readonly string[];
}

/** Daily at 03:00, kept 30 days, of the migration's namespaces. */
export const DEFAULT_VELERO_SCHEDULES: readonly VeleroSchedule[] = Object.freeze([Object.freeze({ name: "daily", schedule: "0 3 * * *", ttl: "720h" })]);

const FIELDS = ["name", "schedule", "ttl", "includedNamespaces"];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CRON_FIELD = /^[\d*/,\-]+$/;
const DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;
const EXAMPLE = `[{"name": "daily", "schedule": "0 3 * * *", "ttl": "720h"}]`;

/** addons:veleroSchedules: a list of schedules; unknown fields, bad cron, bad durations and duplicate names are refused. */
export function readVeleroSchedules(r: ConfigReader): readonly VeleroSchedule[] {
    const key = "addons:veleroSchedules";
    const value = r.json(key);
    if (value === undefined) {
        return DEFAULT_VELERO_SCHEDULES;
    }
    if (!Array.isArray(value)) {
        r.fail(`${key} ${JSON.stringify(value)} is not a list of schedules; expected e.g. ${EXAMPLE}`);
        return DEFAULT_VELERO_SCHEDULES;
    }
    const out: VeleroSchedule[] = [];
    value.forEach((item: unknown, i) => {
        const at = `${key}[${i}]`;
        if (typeof item !== "object" || item === null || Array.isArray(item)) {
            r.fail(`${at} ${JSON.stringify(item)} is not a schedule; expected e.g. ${EXAMPLE}`);
            return;
        }
        const s = item as Record<string, unknown>;
        const problems: string[] = [];
        for (const field of Object.keys(s).filter((f) => !FIELDS.includes(f))) {
            problems.push(`${at}.${field} is not a schedule field; known: ${FIELDS.join(", ")}`);
        }
        if (typeof s.name !== "string" || !DNS_LABEL.test(s.name)) {
            problems.push(`${at}.name ${JSON.stringify(s.name)} is not a lowercase DNS label like "daily"`);
        } else if (out.some((o) => o.name === s.name)) {
            problems.push(`${at}.name "${s.name}" is used twice; each schedule needs its own name`);
        }
        const fields = typeof s.schedule === "string" ? s.schedule.trim().split(/\s+/) : [];
        if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
            problems.push(`${at}.schedule ${JSON.stringify(s.schedule)} is not a five-field cron expression like "0 3 * * *"`);
        }
        if (typeof s.ttl !== "string" || s.ttl === "" || !DURATION.test(s.ttl)) {
            problems.push(`${at}.ttl ${JSON.stringify(s.ttl)} is not a duration like "720h" (30 days)`);
        }
        const ns = s.includedNamespaces;
        if (ns !== undefined && (!Array.isArray(ns) || ns.length === 0 || !ns.every((n) => typeof n === "string" && (n === "*" || DNS_LABEL.test(n))))) {
            problems.push(`${at}.includedNamespaces ${JSON.stringify(ns)} is not a non-empty list of namespaces (or "*"); leave it out for the migration's namespaces`);
        }
        problems.forEach((p) => r.fail(p));
        if (problems.length === 0) {
            const schedule: VeleroSchedule = { name: s.name as string, schedule: fields.join(" "), ttl: s.ttl as string, ...(ns !== undefined ? { includedNamespaces: Object.freeze([...(ns as string[])]) } : {}) };
            out.push(Object.freeze(schedule));
        }
    });
    return Object.freeze(out);
}
