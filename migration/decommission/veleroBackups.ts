/**
 * Reads Velero's Backups through a kubeconfig, with verify's Kubernetes
 * reader (migration/verify/kubeApi.ts), for decommission-check's backup
 * check. Every failure (no kubeconfig context, unreachable API, refused
 * access, Velero not installed) becomes evidence the check reports with its
 * fix, never an exception.
 */
import { ExpectedError } from "../../core/errors";
import { connect, get } from "../verify/kubeApi";
import { BackupEvidence, VELERO_NAMESPACE, VeleroBackup } from "./backupCheck";

const BACKUPS_PATH = `/apis/velero.io/v1/namespaces/${VELERO_NAMESPACE}/backups`;
const READ_FIX = `check the kubeconfig (aws eks update-kubeconfig --name <cluster> writes one) and the network; or run without --kubeconfig and KUBECONFIG for the manual check`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const texts = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);

/** A velero.io/v1 BackupList's items as the check reads them; what is not a Backup is left out. */
export function parseBackups(list: unknown): VeleroBackup[] {
    const items = isRecord(list) && Array.isArray(list.items) ? list.items : [];
    return items.filter(isRecord).flatMap((item) => {
        const metadata = isRecord(item.metadata) ? item.metadata : {};
        const spec = isRecord(item.spec) ? item.spec : {};
        const status = isRecord(item.status) ? item.status : {};
        const labels = isRecord(metadata.labels) ? metadata.labels : {};
        const name = text(metadata.name);
        if (!name) {
            return [];
        }
        const fields: Record<string, unknown> = {
            phase: text(status.phase),
            completionTimestamp: text(status.completionTimestamp),
            startTimestamp: text(status.startTimestamp),
            creationTimestamp: text(metadata.creationTimestamp),
            includedNamespaces: texts(spec.includedNamespaces),
            excludedNamespaces: texts(spec.excludedNamespaces),
            // velero.io/schedule-name (pkg/apis/velero/v1/labels_annotations.go at v1.17.1).
            schedule: text(labels["velero.io/schedule-name"]),
        };
        return [{ name, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) } as VeleroBackup];
    });
}

/** The cluster's Backups, or what kept them from being read and how to fix it. */
export async function readVeleroBackups(kubeconfig: string, since: Date | undefined): Promise<BackupEvidence> {
    let answer: { status: number; body: string };
    try {
        answer = await get(connect(kubeconfig), BACKUPS_PATH);
    } catch (err) {
        // Only the kubeconfig and the connection are read in here: a file the kubeconfig names may be missing too (ENOENT).
        return { problem: `cannot read Velero's backups: ${err instanceof ExpectedError ? err.message : String((err as Error).message ?? err).split("\n")[0]}`, fix: READ_FIX };
    }
    const { status, body } = answer;
    if (status === 401 || status === 403) {
        return {
            problem: `the Kubernetes API refused GET ${BACKUPS_PATH} (HTTP ${status}) with the kubeconfig ${kubeconfig}`,
            fix: `give the kubeconfig's identity get and list on backups.velero.io in namespace ${VELERO_NAMESPACE} (kubectl -n ${VELERO_NAMESPACE} create role backup-reader --verb=get,list --resource=backups.velero.io, and a RoleBinding to it), or use a cluster administrator's kubeconfig`,
        };
    }
    if (status === 404) {
        return {
            problem: `the cluster serves no backups.velero.io (GET ${BACKUPS_PATH}: HTTP 404): Velero is not installed there, or the kubeconfig points at another cluster`,
            fix: "pulumi up with addons:velero true installs it; check the kubeconfig's current context names this stack's cluster",
        };
    }
    if (status !== 200) {
        return { problem: `the Kubernetes API answered GET ${BACKUPS_PATH} with HTTP ${status}: ${body.slice(0, 200)}`, fix: READ_FIX };
    }
    let list: unknown;
    try {
        list = JSON.parse(body);
    } catch {
        return { problem: `the answer to GET ${BACKUPS_PATH} is not JSON: ${body.slice(0, 120)}`, fix: "check that the kubeconfig's server is the cluster's Kubernetes API" };
    }
    return { backups: parseBackups(list), ...(since ? { since } : {}) };
}
