/**
 * The DaemonSets the platform's add-ons run on every node, with the requests
 * their pods make, read from the pinned releases:
 * - aws-node (VPC CNI): 25m CPU (aws/amazon-vpc-cni-k8s v1.20.1,
 *   charts/aws-vpc-cni/values.yaml resources.requests); its network policy
 *   agent container requests nothing;
 * - kube-proxy: 100m CPU (the EKS kube-proxy add-on's DaemonSet, Amazon EKS
 *   User Guide "Manage kube-proxy");
 * - eks-pod-identity-agent and efs-csi-node: no requests, but a pod slot each.
 * Auto Mode runs these itself, off the node's allocatable. Pure.
 */
import { DaemonSetOverhead } from "./types";

const ADDON_DAEMONSETS: Readonly<Record<string, DaemonSetOverhead>> = {
    "vpc-cni": { name: "aws-node", cpuMilli: 25, memoryMiB: 0 },
    "kube-proxy": { name: "kube-proxy", cpuMilli: 100, memoryMiB: 0 },
    "eks-pod-identity-agent": { name: "eks-pod-identity-agent", cpuMilli: 0, memoryMiB: 0 },
    efsCsi: { name: "efs-csi-node", cpuMilli: 0, memoryMiB: 0 },
};

/** The DaemonSets of the installed add-ons (by registry key), in a stable order. */
export function addonDaemonSets(installed: readonly string[]): DaemonSetOverhead[] {
    return Object.keys(ADDON_DAEMONSETS)
        .filter((key) => installed.includes(key))
        .map((key) => ADDON_DAEMONSETS[key]);
}
