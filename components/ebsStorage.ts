import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_EBS_STORAGE_CLASS, ebsSnapshotClass, gp3StorageClass } from "../core/ebsVolumeSpec";
import { EBS_KEY_TAG } from "./iam/ebsCsiPolicy";

export interface EbsStorageArgs {
    readonly clusterName: string;
    readonly provider: k8s.Provider;
    readonly tags?: Readonly<Record<string, string>>;
    /** The CSI driver that makes the volumes; default the EBS CSI add-on's, Auto Mode has its own. */
    readonly driver?: string;
}

/**
 * Block storage for the cluster: a KMS key of its own (tagged so that the EBS
 * CSI driver's role may use it, through EC2 only), the default `gp3`
 * StorageClass encrypted with it, and the `ebs-snapshots`
 * VolumeSnapshotClass. The key is retained on destroy: volumes and snapshots
 * it encrypted outlive the stack. Needs the EBS CSI driver and the snapshot
 * controller (its CRDs) installed: build it after the cluster add-ons.
 */
export class EbsStorage extends pulumi.ComponentResource {
    readonly keyArn: pulumi.Output<string>;
    readonly storageClassName: string = DEFAULT_EBS_STORAGE_CLASS;

    constructor(name: string, args: EbsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:storage:EbsStorage", name, {}, opts);
        const tags = { ...args.tags };
        const key = new aws.kms.Key(
            `${name}-ebs`,
            { description: "EBS volume encryption for the EKS cluster", enableKeyRotation: true, deletionWindowInDays: 30, tags: { ...tags, [EBS_KEY_TAG]: args.clusterName } },
            { parent: this, retainOnDelete: true },
        );
        this.keyArn = key.arn;
        const volumeTags = { "ecs2eks:cluster": args.clusterName };
        const k8sOpts = { parent: this, provider: args.provider };
        const storageClass = gp3StorageClass("", volumeTags, args.driver);
        new k8s.storage.v1.StorageClass(
            DEFAULT_EBS_STORAGE_CLASS,
            { ...storageClass, parameters: key.arn.apply((arn) => gp3StorageClass(arn, volumeTags, args.driver).parameters) },
            { ...k8sOpts, retainOnDelete: true },
        );
        new k8s.apiextensions.CustomResource(`${name}-snapshot-class`, ebsSnapshotClass(volumeTags, args.driver), { ...k8sOpts, retainOnDelete: true });
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
