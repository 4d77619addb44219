/** What EKS Auto Mode brings, as plain data (no Pulumi), for capacity planning and the component. */
import { CapacityPool } from "../migration/capacity/types";
import { NODEPOOL_FAMILIES } from "./karpenterObjects";

/** Auto Mode's own EBS driver: PVCs name this StorageClass, not the EBS CSI add-on's ebs.csi.aws.com. */
export const AUTO_MODE_EBS_PROVISIONER = "ebs.csi.eks.amazonaws.com";
export const AUTO_MODE_STORAGE_CLASS = "auto-ebs-sc";

/**
 * Auto Mode's built-in general-purpose NodePool as capacity planning sees it:
 * on-demand, amd64, c/m/r instance families, no limits (Amazon EKS User
 * Guide, "Review built-in node pool configurations"). Its nodes run the
 * networking, DNS and pod identity agents as system processes, so no add-on
 * DaemonSet is counted; the kubelet's reserve is taken as the AL2023 AMI's.
 */
export function autoModeCapacity(): CapacityPool[] {
    const types = NODEPOOL_FAMILIES.filter((f) => !f.endsWith("g"))
        .flatMap((f) => ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s) => `${f}.${s}`));
    return [{ name: "general-purpose", kind: "Auto Mode NodePool", instanceTypes: types, capacityType: "ON_DEMAND", taints: [], desiredNodes: 0 }];
}

