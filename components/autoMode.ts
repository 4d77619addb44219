import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AUTO_MODE_EBS_PROVISIONER, AUTO_MODE_STORAGE_CLASS } from "./autoModeObjects";

/** What the migration needs on an Auto Mode cluster: an encrypted gp3 StorageClass of Auto Mode's EBS driver. */
export class AutoModeStorage extends pulumi.ComponentResource {
    constructor(name: string, args: { readonly provider: k8s.Provider }, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:platform:AutoModeStorage", name, {}, opts);
        new k8s.storage.v1.StorageClass(
            name,
            {
                metadata: { name: AUTO_MODE_STORAGE_CLASS },
                provisioner: AUTO_MODE_EBS_PROVISIONER,
                parameters: { type: "gp3", encrypted: "true" },
                volumeBindingMode: "WaitForFirstConsumer",
                reclaimPolicy: "Retain",
                allowVolumeExpansion: true,
            },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({});
    }
}
