import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The EFS CSI driver's name, as PersistentVolumes and StorageClasses spell it. */
export const EFS_CSI_DRIVER = "efs.csi.aws.com";

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

export interface StaticEfsVolumeArgs {
    readonly source: EfsVolumeSource;
    /** PersistentVolume name (cluster-wide); the claim gets the same name in its namespace. */
    readonly name: string;
    readonly namespace: pulumi.Input<string>;
    readonly labels?: Readonly<Record<string, string>>;
}

/** EFS is elastic: Kubernetes needs a size, the driver ignores it. */
const NOMINAL_CAPACITY = "5Gi";

/**
 * A PersistentVolume for data that already exists on EFS (an ECS task's
 * volume) and the claim bound to it by name. Retain: deleting the claim, the
 * volume or this stack never deletes the data, and the file system itself is
 * referenced by ID, never managed here.
 */
export function staticEfsVolume(
    args: StaticEfsVolumeArgs,
    opts: pulumi.CustomResourceOptions,
): { volume: k8s.core.v1.PersistentVolume; claim: k8s.core.v1.PersistentVolumeClaim } {
    const mountOptions = efsMountOptions(args.source);
    const volume = new k8s.core.v1.PersistentVolume(
        args.name,
        {
            metadata: { name: args.name, labels: { ...args.labels } },
            spec: {
                capacity: { storage: NOMINAL_CAPACITY },
                volumeMode: "Filesystem",
                accessModes: ["ReadWriteMany"],
                persistentVolumeReclaimPolicy: "Retain",
                storageClassName: "",
                ...(mountOptions.length > 0 ? { mountOptions } : {}),
                claimRef: { namespace: args.namespace, name: args.name },
                csi: { driver: EFS_CSI_DRIVER, volumeHandle: efsVolumeHandle(args.source) },
            },
        },
        opts,
    );
    const claim = new k8s.core.v1.PersistentVolumeClaim(
        args.name,
        {
            metadata: { name: args.name, namespace: args.namespace, labels: { ...args.labels } },
            spec: {
                accessModes: ["ReadWriteMany"],
                storageClassName: "",
                volumeName: args.name,
                resources: { requests: { storage: NOMINAL_CAPACITY } },
            },
        },
        { ...opts, dependsOn: [volume] },
    );
    return { volume, claim };
}
