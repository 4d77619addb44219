/**
 * The DaemonSets the platform's add-ons run on every node, with the requests
 * their pods make, read from the pinned releases:
 * - aws-node (VPC CNI): 25m CPU (aws/amazon-vpc-cni-k8s v1.20.1,
 *   charts/aws-vpc-cni/values.yaml resources.requests); its network policy
 *   agent container requests nothing;
 * - kube-proxy: 100m CPU (the EKS kube-proxy add-on's DaemonSet, Amazon EKS
 *   User Guide "Manage kube-proxy");
 * - eks-pod-identity-agent and efs-csi-node: no requests, but a pod slot each;
 * - ebs-csi-node: 10m CPU, 40 MiB (kubernetes-sigs/aws-ebs-csi-driver v1.64.0,
 *   charts/aws-ebs-csi-driver/values.yaml node.resources.requests);
 * - aws-for-fluent-bit: 50m CPU, 50 MiB (aws/eks-charts v0.0.242,
 *   stable/aws-for-fluent-bit/values.yaml resources.requests);
 * - cloudwatch-agent (Container Insights): 250m CPU, 128 MiB, the
 *   amazon-cloudwatch-observability chart's agent requests as deployed
 *   publicly; not confirmed for the pinned add-on build (docs/first-real-deploy.md).
 * Auto Mode runs these itself, off the node's allocatable. Pure.
 */
import { DaemonSetOverhead } from "./types";

const ADDON_DAEMONSETS: Readonly<Record<string, DaemonSetOverhead>> = {
    "vpc-cni": { name: "aws-node", cpuMilli: 25, memoryMiB: 0 },
    "kube-proxy": { name: "kube-proxy", cpuMilli: 100, memoryMiB: 0 },
    "eks-pod-identity-agent": { name: "eks-pod-identity-agent", cpuMilli: 0, memoryMiB: 0 },
    efsCsi: { name: "efs-csi-node", cpuMilli: 0, memoryMiB: 0 },
    ebsCsi: { name: "ebs-csi-node", cpuMilli: 10, memoryMiB: 40 },
    logPipeline: { name: "aws-for-fluent-bit", cpuMilli: 50, memoryMiB: 50 },
    containerInsights: { name: "cloudwatch-agent", cpuMilli: 250, memoryMiB: 128 },
};

/** The DaemonSets of the installed add-ons (by registry key), in a stable order. */
export function addonDaemonSets(installed: readonly string[]): DaemonSetOverhead[] {
    return Object.keys(ADDON_DAEMONSETS)
        .filter((key) => installed.includes(key))
        .map((key) => ADDON_DAEMONSETS[key]);
}
