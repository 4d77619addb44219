import { addon } from "./types";

/**
 * The CSI snapshot controller and the snapshot.storage.k8s.io CRDs: restores
 * of ECS volumes from their EBS snapshots (VolumeSnapshotContent, VolumeSnapshot)
 * and snapshots of migrated volumes. It calls no AWS API (the EBS CSI driver's
 * csi-snapshotter sidecar does), so it has no role.
 */
export const snapshotController = addon({
    key: "snapshotController",
    title: "CSI snapshot controller",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "eks-addon", name: "snapshot-controller" },
    about: "the `snapshot.storage.k8s.io/v1` CRDs (contract `crds/snapshot-controller/`) and their controller: restores from EBS snapshots",
    deploy(ctx) {
        ctx.eksAddon();
    },
});
