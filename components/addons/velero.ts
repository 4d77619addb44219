/**
 * Velero: scheduled backups of the migrated namespaces (objects to the
 * stack's own bucket, EBS volumes as snapshots), so the ECS side can be
 * decommissioned with a way back. Off unless addons:velero.
 *
 * The chart is vmware-tanzu/helm-charts charts/velero 11.4.0 (Velero
 * 1.17.1), read at tag velero-11.4.0: the values below are from its
 * values.yaml (configuration.backupStorageLocation / volumeSnapshotLocation
 * lists, initContainers for the provider plugin, serviceAccount.server,
 * credentials.useSecret, schedules.<name>.template). The service account is
 * this program's, annotated for IRSA or associated for Pod Identity like
 * every add-on's, so the chart neither creates one nor mounts a key file.
 */
import type { VeleroSchedule } from "../../config/veleroSchedules";
import { BackupStore, VOLUME_CLUSTER_TAG, veleroPolicy } from "../iam/veleroPolicy";
import { AddonEnv, AwsScope, Deferred, addon } from "./types";
import { VELERO_AWS_PLUGIN_IMAGE } from "./versions";

const NAMESPACE = "velero";
const SERVICE_ACCOUNT = "velero-server";
const LOCATION = "default";

/** Replaced object versions (a deleted backup's files) stay this long: a mistaken delete can be undone. */
export const BACKUP_NONCURRENT_DAYS = 30;
const ABORT_UPLOAD_DAYS = 7;

function storeOf(s: AwsScope): BackupStore {
    const bucketArn = s.resources?.bucketArn;
    const keyArn = s.resources?.keyArn;
    if (!bucketArn || !keyArn) {
        throw new Error("add-on velero: its role is scoped to its bucket; role() was not given the bucket's and key's ARNs");
    }
    return { bucketArn, keyArn };
}

/** The chart's schedules: each one's namespaces, or every namespace the migration created (all namespaces without a migration). */
export function veleroSchedules(schedules: readonly VeleroSchedule[], migrated: readonly string[]): Record<string, unknown> {
    return Object.fromEntries(
        schedules.map((s) => [
            s.name,
            {
                schedule: s.schedule,
                // Backups outlive a reinstall of the chart: the Schedule must not own them.
                useOwnerReferencesInBackup: false,
                template: { ttl: s.ttl, storageLocation: LOCATION, includedNamespaces: [...(s.includedNamespaces ?? (migrated.length > 0 ? migrated : ["*"]))] },
            },
        ]),
    );
}

/** The chart's values for this stack's bucket and schedules. */
export function veleroValues(env: AddonEnv, bucket: Deferred<string>, schedules: readonly VeleroSchedule[]): Record<string, unknown> {
    return {
        configuration: {
            backupStorageLocation: [{ name: LOCATION, provider: "aws", bucket, default: true, config: { region: env.region } }],
            volumeSnapshotLocation: [{ name: LOCATION, provider: "aws", config: { region: env.region } }],
        },
        initContainers: [{ name: "velero-plugin-for-aws", image: VELERO_AWS_PLUGIN_IMAGE, imagePullPolicy: "IfNotPresent", volumeMounts: [{ mountPath: "/target", name: "plugins" }] }],
        serviceAccount: { server: { create: false, name: SERVICE_ACCOUNT } },
        // The role comes through the service account; no access key is stored in the cluster.
        credentials: { useSecret: false },
        snapshotsEnabled: true,
        schedules: veleroSchedules(schedules, env.migratedNamespaces ?? []),
    };
}

export const velero = addon({
    key: "velero",
    title: "Velero (backups)",
    phase: "cluster",
    toggle: { default: false },
    install: { kind: "helm", chart: "velero", namespace: NAMESPACE },
    identity: {
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        createdBy: "ecs2eks",
        policy: (s) => veleroPolicy(s.partition, s.region, s.account, s.clusterName, storeOf(s)),
        description: "Velero: backups to the stack's backup bucket and EBS snapshots of this cluster's volumes",
        permits: `objects of the stack's backup bucket and its key; \`ec2:CreateSnapshot\`, \`ec2:CreateTags\` on create, \`ec2:Describe{Volumes,Snapshots}\`; \`ec2:DeleteSnapshot\` and restores only from snapshots tagged \`${VOLUME_CLUSTER_TAG}=<cluster>\``,
    },
    about: `schedules from \`addons:veleroSchedules\` (default daily 03:00 UTC, kept 30 days, the migrated namespaces) to a bucket of this stack (versioned, its own KMS key, public access blocked, replaced versions expire after ${BACKUP_NONCURRENT_DAYS} days, kept on destroy), volumes as EBS snapshots`,
    deploy(ctx) {
        const ns = ctx.namespace();
        const bucket = ctx.bucket({ noncurrentVersionDays: BACKUP_NONCURRENT_DAYS, abortIncompleteUploadDays: ABORT_UPLOAD_DAYS, tags: { "ecs2eks:backups": ctx.env.clusterName } });
        const role = ctx.role({ dependsOn: [ns], resources: { bucketArn: bucket.arn, keyArn: bucket.keyArn } });
        ctx.helmRelease(veleroValues(ctx.env, bucket.name, ctx.env.veleroSchedules ?? []), [ns, ...bucket.resources, ...(role.serviceAccount ? [role.serviceAccount] : [])]);
    },
});
