/**
 * Static EFS PersistentVolume and claim as plain Kubernetes objects. Pure (no
 * Pulumi): the translator emits them, and staticEfsVolume declares them.
 */

/** The EFS CSI driver's name, as PersistentVolumes and StorageClasses spell it. */
export const EFS_CSI_DRIVER = "efs.csi.aws.com";

/** EFS is elastic: Kubernetes needs a size, the driver ignores it. */
export const NOMINAL_CAPACITY = "5Gi";

export interface EfsVolumeSource {
    readonly fileSystemId: string;
    /** Directory inside the file system (ECS rootDirectory); "/" or absent for the root. */
    readonly path?: string;
    readonly accessPointId?: string;
    /** ECS transitEncryption ENABLED → mount with TLS. */
    readonly transitEncryption: boolean;
    /** ECS authorizationConfig.iam ENABLED → mount with the pod's IAM identity. */
    readonly iamAuthorization?: boolean;
}

/**
 * The CSI volumeHandle: `fs-x`, `fs-x:/path`, `fs-x::fsap-y` or
 * `fs-x:/path:fsap-y`. A root path is left out, as the driver documents.
 */
export function efsVolumeHandle(source: Pick<EfsVolumeSource, "fileSystemId" | "path" | "accessPointId">): string {
    const path = source.path && source.path !== "/" ? source.path : "";
    if (source.accessPointId) {
        return `${source.fileSystemId}:${path}:${source.accessPointId}`;
    }
    return path ? `${source.fileSystemId}:${path}` : source.fileSystemId;
}

export function efsMountOptions(source: Pick<EfsVolumeSource, "transitEncryption" | "iamAuthorization">): string[] {
    return [...(source.transitEncryption || source.iamAuthorization ? ["tls"] : []), ...(source.iamAuthorization ? ["iam"] : [])];
}

export interface EfsVolumeObjects {
    readonly volume: { apiVersion: "v1"; kind: "PersistentVolume"; metadata: { name: string; labels: Record<string, string> }; spec: Record<string, unknown> };
    readonly claim: { apiVersion: "v1"; kind: "PersistentVolumeClaim"; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: Record<string, unknown> };
}

/**
 * A PersistentVolume for data that already exists on EFS and the claim bound
 * to it by name. Retain: deleting the claim or the volume never deletes data.
 */
export function efsVolumeObjects(args: { volumeName: string; claimName: string; namespace: string; source: EfsVolumeSource; labels?: Record<string, string> }): EfsVolumeObjects {
    const mountOptions = efsMountOptions(args.source);
    return {
        volume: {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: args.volumeName, labels: { ...args.labels } },
            spec: {
                capacity: { storage: NOMINAL_CAPACITY },
                volumeMode: "Filesystem",
                accessModes: ["ReadWriteMany"],
                persistentVolumeReclaimPolicy: "Retain",
                storageClassName: "",
                ...(mountOptions.length > 0 ? { mountOptions } : {}),
                claimRef: { namespace: args.namespace, name: args.claimName },
                csi: { driver: EFS_CSI_DRIVER, volumeHandle: efsVolumeHandle(args.source) },
            },
        },
        claim: {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: { name: args.claimName, namespace: args.namespace, labels: { ...args.labels } },
            spec: {
                accessModes: ["ReadWriteMany"],
                storageClassName: "",
                volumeName: args.volumeName,
                resources: { requests: { storage: NOMINAL_CAPACITY } },
            },
        },
    };
}
