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
export function gp3StorageClass(kmsKeyArn: string, tags: Readonly<Record<string, string>>, driver: string = EBS_CSI_DRIVER) {
    return {
        apiVersion: "storage.k8s.io/v1" as const,
        kind: "StorageClass" as const,
        metadata: { name: DEFAULT_EBS_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: driver,
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        parameters: { type: "gp3", encrypted: "true", kmsKeyId: kmsKeyArn, "csi.storage.k8s.io/fstype": "ext4", ...volumeTagParameters(tags) } as Record<string, string>,
    };
}

/** Snapshots of EBS volumes, kept when their VolumeSnapshot is deleted. */
export function ebsSnapshotClass(tags: Readonly<Record<string, string>>, driver: string = EBS_CSI_DRIVER) {
    return {
        apiVersion: SNAPSHOT_API_VERSION,
        kind: "VolumeSnapshotClass",
        metadata: { name: EBS_SNAPSHOT_CLASS },
        driver,
        deletionPolicy: "Retain",
        parameters: volumeTagParameters(tags),
    };
}

/**
 * The translator names the EBS CSI add-on's driver; on an EKS Auto Mode
 * cluster the same classes, restores and snapshot classes must name Auto
 * Mode's own driver, or claims stay Pending with no provisioner.
 */
export function withEbsDriver<T extends { kind: string; provisioner?: unknown; driver?: unknown; spec?: unknown }>(obj: T, driver: string): T {
    if (obj.kind === "StorageClass" && obj.provisioner === EBS_CSI_DRIVER) {
        return { ...obj, provisioner: driver };
    }
    if (obj.kind === "VolumeSnapshotClass" && obj.driver === EBS_CSI_DRIVER) {
        return { ...obj, driver };
    }
    const spec = obj.spec as { driver?: unknown } | undefined;
    if (obj.kind === "VolumeSnapshotContent" && spec?.driver === EBS_CSI_DRIVER) {
        return { ...obj, spec: { ...spec, driver } };
    }
    return obj;
}
