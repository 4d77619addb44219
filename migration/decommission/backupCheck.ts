import type { StackConfig } from "../../config";

/** The title of the backup check: what decommission-check requires when Velero is on. */
export const BACKUP_CHECK_TITLE = "A backup newer than the last cutover change";

/**
 * With addons:velero on, the ECS side goes only after Velero has a completed
 * backup taken after the last cutover change. This session's check does not
 * read the cluster: it is a manual check, never passed, that says exactly
 * what to run and what to compare. (Reading Backups through the Kubernetes
 * API with a kubeconfig is the follow-up.)
 */
export function backupChecks(config: StackConfig): { ok: false; title: string; detail: string; fix: string }[] {
    if (!config.addons.enabled.velero) {
        return [];
    }
    // The chart names each Schedule <release>-<name>, and the release is "velero" (charts/velero/templates/schedule.yaml at velero-11.4.0).
    const schedules = config.addons.veleroSchedules.map((s) => `velero-${s.name}`);
    return [
        {
            ok: false,
            title: BACKUP_CHECK_TITLE,
            detail: `manual check: addons:velero is on (schedules ${schedules.join(", ") || "none"}); this command does not read the cluster's Backups, so it cannot tell whether one completed after the last cutover change`,
            fix:
                "run `velero backup get` (or `kubectl -n velero get backups.velero.io -o json`) and find a backup with phase Completed whose completionTimestamp is after the last `pulumi up` that changed migration:cutover; " +
                "if there is none, take one now: `velero backup create pre-decommission --from-schedule " +
                (schedules[0] ?? "<schedule>") +
                " --wait`, then rerun this check after confirming it completed",
        },
    ];
}
