import { ebsCsiKmsPolicy } from "../iam/ebsCsiPolicy";
import { addon } from "./types";

/**
 * Provisions EBS volumes: the `gp3` StorageClass (components/ebsStorage.ts),
 * the classes the migration makes for ECS services' managed EBS volumes, and
 * their restores from EBS snapshots.
 */
export const ebsCsi = addon({
    key: "ebsCsi",
    title: "Amazon EBS CSI driver",
    phase: "cluster",
    toggle: { default: true },
    // Auto Mode runs its own EBS driver (ebs.csi.eks.amazonaws.com); a second one would fight it over nothing.
    installWhen: (c) => !c.autoMode,
    install: { kind: "eks-addon", name: "aws-ebs-csi-driver" },
    identity: {
        namespace: "kube-system",
        serviceAccount: "ebs-csi-controller-sa",
        createdBy: "eks-addon",
        // V2 acts only on volumes and snapshots tagged ebs.csi.aws.com/cluster=true: an ECS snapshot restored here needs that tag.
        managedPolicies: ["service-role/AmazonEBSCSIDriverPolicyV2"],
        policy: ({ clusterName, partition, region, account }) => ebsCsiKmsPolicy(clusterName, partition, region, account),
        permits: "`AmazonEBSCSIDriverPolicyV2` (volumes and snapshots tagged `ebs.csi.aws.com/cluster=true`), and the KMS keys tagged `ecs2eks:ebs-csi-cluster=<cluster>` through EC2 only",
    },
    about: "block volumes: the default `gp3` StorageClass (encrypted with the stack's key, `WaitForFirstConsumer`, expandable, `Retain`), the `ebs-snapshots` VolumeSnapshotClass, and the ECS services' managed EBS volumes",
    deploy(ctx) {
        ctx.eksAddon({ role: ctx.role() });
    },
});
