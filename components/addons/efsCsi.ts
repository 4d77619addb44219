import { addon } from "./types";

/** Mounts EFS file systems (efs-sc claims and the ECS services' volumes). */
export const efsCsi = addon({
    key: "efsCsi",
    title: "Amazon EFS CSI driver",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "eks-addon", name: "aws-efs-csi-driver" },
    identity: {
        namespace: "kube-system",
        serviceAccount: "efs-csi-controller-sa",
        createdBy: "eks-addon",
        managedPolicies: ["service-role/AmazonEFSCSIDriverPolicy"],
        permits: "`AmazonEFSCSIDriverPolicy`",
    },
    about: "mounts EFS: the `efs-sc` StorageClass and the file systems ECS tasks mount",
    deploy(ctx) {
        ctx.eksAddon({ role: ctx.role() });
    },
});
