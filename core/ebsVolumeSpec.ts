/**
 * The EBS storage the platform offers, as plain Kubernetes objects. Pure (no
 * Pulumi): components/ebsStorage.ts declares them, the translator names them,
 * and tests validate them.
 */

/** The EBS CSI driver's name, as StorageClasses, VolumeSnapshotClasses and snapshot contents spell it. */
export const EBS_CSI_DRIVER = "ebs.csi.aws.com";
/** The default StorageClass: new claims without a class get an encrypted gp3 volume. */
export const DEFAULT_EBS_STORAGE_CLASS = "gp3";
/** The VolumeSnapshotClass restores and backups of EBS volumes use. */
export const EBS_SNAPSHOT_CLASS = "ebs-snapshots";
export const SNAPSHOT_API_VERSION = "snapshot.storage.k8s.io/v1";

/** The tags every volume the driver makes from the platform's classes carries (tagSpecification_N parameters). */
export function volumeTagParameters(tags: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(tags)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v], i) => [`tagSpecification_${i + 1}`, `${k}=${v}`]),
    );
}

/**
 * The default `gp3` class: encrypted with the stack's key, bound where the
 * pod is scheduled (an EBS volume lives in one zone), expandable, and
 * Retain: deleting a claim never deletes data a migration carried over.
 */
export function gp3StorageClass(kmsKeyArn: string, tags: Readonly<Record<string, string>>) {
    return {
        apiVersion: "storage.k8s.io/v1" as const,
        kind: "StorageClass" as const,
        metadata: { name: DEFAULT_EBS_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: EBS_CSI_DRIVER,
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        parameters: { type: "gp3", encrypted: "true", kmsKeyId: kmsKeyArn, "csi.storage.k8s.io/fstype": "ext4", ...volumeTagParameters(tags) } as Record<string, string>,
    };
}

/** Snapshots of EBS volumes, kept when their VolumeSnapshot is deleted. */
export function ebsSnapshotClass(tags: Readonly<Record<string, string>>) {
    return {
        apiVersion: SNAPSHOT_API_VERSION,
        kind: "VolumeSnapshotClass",
        metadata: { name: EBS_SNAPSHOT_CLASS },
        driver: EBS_CSI_DRIVER,
        deletionPolicy: "Retain",
        parameters: volumeTagParameters(tags),
    };
}
