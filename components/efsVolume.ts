import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EfsVolumeSource, efsVolumeObjects } from "../core/efsVolumeSpec";

export { EFS_CSI_DRIVER, EfsVolumeSource, efsMountOptions, efsVolumeHandle } from "../core/efsVolumeSpec";

export interface StaticEfsVolumeArgs {
    readonly source: EfsVolumeSource;
    /** PersistentVolume name (cluster-wide); the claim gets the same name in its namespace. */
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Declares a PersistentVolume for data that already exists on EFS (an ECS
 * task's volume) and the claim bound to it by name. Retain: deleting the
 * claim, the volume or this stack never deletes the data, and the file system
 * itself is referenced by ID, never managed here.
 */
export function staticEfsVolume(
    args: StaticEfsVolumeArgs,
    opts: pulumi.CustomResourceOptions,
): { volume: k8s.core.v1.PersistentVolume; claim: k8s.core.v1.PersistentVolumeClaim } {
    const objects = efsVolumeObjects({ volumeName: args.name, claimName: args.name, namespace: args.namespace, source: args.source, labels: { ...args.labels } });
    const volume = new k8s.core.v1.PersistentVolume(args.name, objects.volume, opts);
    const claim = new k8s.core.v1.PersistentVolumeClaim(args.name, objects.claim, { ...opts, dependsOn: [volume] });
    return { volume, claim };
}
