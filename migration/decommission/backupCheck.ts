/**
 * With addons:velero on, the ECS side goes only after Velero holds a
 * completed backup of the migrated namespaces taken after the last cutover
 * change. Pure: the Backups (read by veleroBackups.ts through a kubeconfig)
 * and the time of that change come in, a check result goes out.
 *
 * "The last cutover change" is the `pulumi up` that last moved traffic
 * (changed migration:cutover). decommission-check reads the stack's config
 * and the ECS snapshot, not the stack's update history, so it cannot know
 * when that was: the user gives it as --since (from `pulumi stack history`),
 * and without it no backup passes.
 */
import type { StackConfig } from "../../config";

/** The title of the backup check: what decommission-check requires when Velero is on. */
export const BACKUP_CHECK_TITLE = "A backup newer than the last cutover change";

/** Where the chart installs Velero and its Backups live (velero.ts). */
export const VELERO_NAMESPACE = "velero";

/** The fields of a velero.io/v1 Backup the check reads (pkg/apis/velero/v1/backup_types.go at vmware-tanzu/velero v1.17.1). */
export interface VeleroBackup {
    readonly name: string;
    /** status.phase: New, InProgress, ..., Completed, PartiallyFailed, Failed; absent before the server sees it. */
    readonly phase?: string;
    readonly completionTimestamp?: string;
    readonly startTimestamp?: string;
    readonly creationTimestamp?: string;
    /** spec.includedNamespaces: empty means every namespace. */
    readonly includedNamespaces?: readonly string[];
    readonly excludedNamespaces?: readonly string[];
    /** The label velero.io/schedule-name: the Schedule that made it. */
    readonly schedule?: string;
}

/** What decommission-check learnt from the cluster, when given a kubeconfig. */
export type BackupEvidence =
    | { readonly backups: readonly VeleroBackup[]; readonly since?: Date }
    /** The Backups could not be read: what went wrong and how to fix it. */
    | { readonly problem: string; readonly fix: string };

export interface BackupCheck {
    readonly ok: boolean;
    readonly title: string;
    readonly detail: string;
    readonly fix?: string;
}

/** The chart names each Schedule <release>-<name>, and the release is "velero" (charts/velero/templates/schedule.yaml at velero-11.4.0). */
function scheduleNames(config: StackConfig): string[] {
    return config.addons.veleroSchedules.map((s) => `velero-${s.name}`);
}

function takeBackupFix(schedules: readonly string[]): string {
    return `take one now: \`velero backup create pre-decommission --from-schedule ${schedules[0] ?? "<schedule>"} --wait\`, then rerun this check`;
}

/** Velero's namespace patterns: `*` and `?` globs, as `velero backup create --include-namespaces` takes them. */
function matches(pattern: string, namespace: string): boolean {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return re.test(namespace);
}

/** The migrated namespaces a backup leaves out. */
function missedNamespaces(b: VeleroBackup, namespaces: readonly string[]): string[] {
    const included = b.includedNamespaces ?? [];
    return namespaces.filter((ns) => (included.length > 0 && !included.some((p) => matches(p, ns))) || (b.excludedNamespaces ?? []).some((p) => matches(p, ns)));
}

const timeOf = (b: VeleroBackup): string => b.completionTimestamp ?? b.startTimestamp ?? b.creationTimestamp ?? "";
const millis = (t: string | undefined): number => (t ? Date.parse(t) : NaN);
/** Newest first; a backup with no time last; ties by name, so the same Backups give the same answer. */
const newestFirst = (a: VeleroBackup, b: VeleroBackup): number => (millis(timeOf(b)) || 0) - (millis(timeOf(a)) || 0) || a.name.localeCompare(b.name);

function describe(b: VeleroBackup): string {
    const time = b.completionTimestamp ? `completed ${b.completionTimestamp}` : b.startTimestamp ? `started ${b.startTimestamp}` : b.creationTimestamp ? `created ${b.creationTimestamp}` : "no time yet";
    return `${b.name} (${b.phase ?? "no phase yet"}, ${time}${b.schedule ? `, schedule ${b.schedule}` : ""})`;
}

/**
 * The decision: pass on a Completed backup that finished after `since` and
 * covers every migrated namespace; otherwise say what the newest backups
 * are and how to take the one that is missing.
 */
export function judgeBackups(backups: readonly VeleroBackup[], since: Date | undefined, namespaces: readonly string[], schedules: readonly string[]): BackupCheck {
    const title = BACKUP_CHECK_TITLE;
    const scope = namespaces.length > 0 ? `namespace${namespaces.length === 1 ? "" : "s"} ${namespaces.join(", ")}` : "the cluster";
    const sorted = [...backups].sort(newestFirst);
    const completed = sorted.filter((b) => b.phase === "Completed" && !Number.isNaN(millis(b.completionTimestamp)));
    const covering = completed.filter((b) => missedNamespaces(b, namespaces).length === 0);
    if (sorted.length === 0) {
        return { ok: false, title, detail: `no Backup in namespace ${VELERO_NAMESPACE} (backups.velero.io): nothing of ${scope} is backed up`, fix: takeBackupFix(schedules) };
    }
    const newest = `newest backup: ${describe(sorted[0])}${covering[0] && covering[0] !== sorted[0] ? `; newest completed of ${scope}: ${describe(covering[0])}` : ""}`;
    if (!since) {
        return {
            ok: false,
            title,
            detail: `the time of the last cutover change is not known: this command reads the stack's config, not its update history; ${newest}`,
            fix: "rerun with --since <time of the last `pulumi up` that changed migration:cutover, e.g. 2026-11-28T09:30:00Z> (`pulumi stack history` lists each update's time)",
        };
    }
    const after = covering.find((b) => millis(b.completionTimestamp) > since.getTime());
    if (after) {
        return { ok: true, title, detail: `${describe(after)} covers ${scope}, after the last cutover change (${since.toISOString()})` };
    }
    const partial = completed.find((b) => millis(b.completionTimestamp) > since.getTime());
    const failed = sorted[0].phase === "Failed" || sorted[0].phase === "PartiallyFailed" || sorted[0].phase === "FailedValidation";
    return {
        ok: false,
        title,
        detail:
            `no completed backup of ${scope} finished after the last cutover change (${since.toISOString()}); ${newest}` +
            (partial ? `; ${partial.name} completed after it but leaves out ${missedNamespaces(partial, namespaces).join(", ")}` : ""),
        fix: `${failed ? `\`velero backup describe ${sorted[0].name} --details\` and \`velero backup logs ${sorted[0].name}\` say why it did not complete; then ` : ""}${takeBackupFix(schedules)}`,
    };
}

/**
 * The backup check, when Velero is on: judged on the Backups read through a
 * kubeconfig, or, without one, a manual check that says what to run and
 * what to compare.
 */
export function backupChecks(config: StackConfig, evidence?: BackupEvidence, namespaces: readonly string[] = []): BackupCheck[] {
    if (!config.addons.enabled.velero) {
        return [];
    }
    const schedules = scheduleNames(config);
    if (evidence && "problem" in evidence) {
        return [{ ok: false, title: BACKUP_CHECK_TITLE, detail: evidence.problem, fix: evidence.fix }];
    }
    if (evidence) {
        return [judgeBackups(evidence.backups, evidence.since, namespaces, schedules)];
    }
    return [
        {
            ok: false,
            title: BACKUP_CHECK_TITLE,
            detail: `manual check: addons:velero is on (schedules ${schedules.join(", ") || "none"}); without a kubeconfig (--kubeconfig or KUBECONFIG) this command does not read the cluster's Backups, so it cannot tell whether one completed after the last cutover change`,
            fix:
                "rerun with --kubeconfig FILE --since <time of the last `pulumi up` that changed migration:cutover>; or run `velero backup get` (or `kubectl -n velero get backups.velero.io -o json`) and find a backup with phase Completed whose completionTimestamp is after that update; " +
                `if there is none, ${takeBackupFix(schedules).replace(", then rerun this check", ", then confirm it completed")}`,
        },
    ];
}
