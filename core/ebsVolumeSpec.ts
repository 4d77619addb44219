/**
 * The EBS storage the platform offers, as plain Kubernetes objects. Pure (no
 * Pulumi): components/ebsStorage.ts declares them, the translator names them,
 * and tests validate them.
 */

/** The EBS CSI driver's name, as StorageClasses, VolumeSnapshotClasses and snapshot contents spell it. */
export const EBS_CSI_DRIVER = "ebs.csi.aws.com";
/** EKS Auto Mode's own EBS driver (components/autoModeObjects.ts AUTO_MODE_EBS_PROVISIONER; core imports no component). */
export const AUTO_MODE_EBS_DRIVER = "ebs.csi.eks.amazonaws.com";
/**
 * The tag that marks an EBS volume or snapshot as this cluster's: Velero's
 * role (components/iam/veleroPolicy.ts VOLUME_CLUSTER_TAG) snapshots only
 * volumes, and deletes or restores only snapshots, that carry it.
 */
export const CLUSTER_VOLUME_TAG = "ecs2eks:cluster";
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

/** The prefix the EBS CSI driver reads tags from, in StorageClass and VolumeSnapshotClass parameters (pkg/driver/constants.go TagKeyPrefix at v1.64.0). */
const TAG_PARAMETER = /^tagSpecification/;
const NUMBERED_TAG_PARAMETER = /^tagSpecification_(\d+)$/;

/**
 * The class with `ecs2eks:cluster=<cluster>` among its volume (or snapshot)
 * tags, for classes of the EBS CSI add-on's driver or Auto Mode's. The
 * translator carries an ECS volume's own tags as tagSpecification_1..N but
 * cannot know the EKS cluster's name (it is pure, and a migration shard
 * learns it from the platform stack); without this tag Velero's role may not
 * snapshot the volumes (aws-ebs-csi-driver docs/tagging.md at v1.64.0:
 * every tagSpecification* parameter becomes a tag of the volume;
 * velero-plugin-for-aws volume_snapshotter.go at v1.13.2 copies a volume's
 * tags onto its snapshots and a snapshot's onto the volume restored from it).
 *
 * Ours is appended as the next tagSpecification_N. When an ECS tag already
 * uses the key with another value, ours replaces it in place, and `warn` is
 * told: two parameters with one tag key would leave the driver to pick one
 * of them in map order, and Velero's role needs this value.
 */
export function withClusterVolumeTag<T extends { kind: string; metadata?: { name?: string }; provisioner?: unknown; driver?: unknown; parameters?: unknown }>(
    obj: T,
    clusterName: string,
    warn?: (message: string) => void,
): T {
    const drivers = [EBS_CSI_DRIVER, AUTO_MODE_EBS_DRIVER];
    const ebsClass = (obj.kind === "StorageClass" && drivers.includes(String(obj.provisioner))) || (obj.kind === "VolumeSnapshotClass" && drivers.includes(String(obj.driver)));
    if (!ebsClass) {
        return obj;
    }
    const parameters = { ...((obj.parameters ?? {}) as Record<string, string>) };
    const wanted = `${CLUSTER_VOLUME_TAG}=${clusterName}`;
    const same = Object.keys(parameters).filter((k) => TAG_PARAMETER.test(k) && parameters[k].split("=")[0] === CLUSTER_VOLUME_TAG);
    if (same.length > 0) {
        if (same.some((k) => parameters[k] !== wanted)) {
            warn?.(
                `${obj.kind} ${obj.metadata?.name ?? ""}: the ECS volume's tag ${same.map((k) => parameters[k]).join(", ")} becomes ${wanted}: ` +
                    `Velero's role snapshots and restores only volumes tagged for this cluster; if something else reads the old value, tag the volumes with another key on the ECS service`,
            );
        }
        same.forEach((k, i) => {
            if (i === 0) {
                parameters[k] = wanted;
            } else {
                delete parameters[k];
            }
        });
        return { ...obj, parameters };
    }
    const used = Object.keys(parameters).map((k) => Number(NUMBERED_TAG_PARAMETER.exec(k)?.[1] ?? 0));
    parameters[`tagSpecification_${Math.max(0, ...used) + 1}`] = wanted;
    return { ...obj, parameters };
}
