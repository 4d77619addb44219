/**
 * The DaemonSets the platform's add-ons run on every node (or every GPU node), with the requests
 * their pods make: the sum over the pod's containers, sidecars included, as
 * the scheduler counts it. Read from the pinned releases (checked 2026-11-28):
 * - aws-node (VPC CNI): 50m CPU (aws/amazon-vpc-cni-k8s v1.20.1, commit
 *   d885b3b0fb458ebfb35fb965bc283f6e33ff20ba): the aws-node container 25m
 *   (charts/aws-vpc-cni/values.yaml resources.requests) and the network
 *   policy agent aws-eks-nodeagent 25m too, since nodeAgent.enabled is true
 *   and its empty nodeAgent.resources falls back to the same resources
 *   (templates/daemonset.yaml `default .Values.resources .Values.nodeAgent.resources`;
 *   config/master/aws-k8s-cni.yaml renders both at 25m); the init
 *   container's 25m is below the sum, so it adds nothing;
 * - kube-proxy: 100m CPU (the EKS kube-proxy add-on's DaemonSet, Amazon EKS
 *   User Guide "Manage kube-proxy");
 * - eks-pod-identity-agent: no requests, but a pod slot;
 * - efs-csi-node: no requests, but a pod slot (kubernetes-sigs/aws-efs-csi-driver
 *   tag helm-chart-aws-efs-csi-driver-3.2.0, commit e44dfdb58dcc41f9a457ce61e26ed2b2f593c2f5,
 *   the chart whose appVersion is 2.1.9: charts/aws-efs-csi-driver/values.yaml
 *   node.resources, sidecars.livenessProbe.resources and
 *   sidecars.nodeDriverRegistrar.resources are all empty, and
 *   templates/node-daemonset.yaml sets none of its own);
 * - ebs-csi-node: 30m CPU, 104 MiB (kubernetes-sigs/aws-ebs-csi-driver v1.64.0,
 *   commit 6689789f192f8941878801f2730ea972a1196047, the same chart as tag
 *   helm-chart-aws-ebs-csi-driver-2.64.0): ebs-plugin 10m/40Mi
 *   (charts/aws-ebs-csi-driver/values.yaml node.resources.requests) plus the
 *   node-driver-registrar and liveness-probe sidecars, 10m/32Mi each
 *   (sidecars.*.resources are empty, so templates/_node.tpl falls back to its
 *   own 10m/32Mi for each);
 * - aws-for-fluent-bit: 50m CPU, 50 MiB (aws/eks-charts v0.0.242, commit
 *   5239609242f3430be50fb0b714a24d3ef2b47983, stable/aws-for-fluent-bit/values.yaml
 *   resources.requests; templates/daemonset.yaml has that one container);
 * - cloudwatch-agent (Container Insights): 250m CPU, 128 MiB
 *   (aws-observability/helm-charts tag amazon-cloudwatch-observability-4.5.0,
 *   commit 2c551a0c1a2d23f20bc3a7cf94bfcbb4bff55624,
 *   charts/amazon-cloudwatch-observability/values.yaml agent.resources.requests,
 *   which templates/linux/cloudwatch-agent-custom-resource.yaml puts on the
 *   AmazonCloudWatchAgent the operator runs as a DaemonSet). The chart's
 *   other Linux DaemonSets are not counted: its fluent-bit (50m/25Mi) exists
 *   only while containerLogs.enabled, which the add-on's configuration turns
 *   off (components/addons/containerInsights.ts);
 * - dcgm-exporter (Container Insights, NVIDIA GPU nodes only): 250m CPU,
 *   128 MiB (the same chart: values.yaml dcgmExporter.enabled true,
 *   resources.requests, and affinity.nodeAffinity to the NVIDIA GPU
 *   instance types). Its neuron-monitor (256m/128Mi) is bound to Trainium
 *   and Inferentia types, which the instance table does not describe: not
 *   counted.
 * Auto Mode runs these itself, off the node's allocatable. Pure.
 */
import { DaemonSetOverhead } from "./types";

const ADDON_DAEMONSETS: Readonly<Record<string, readonly DaemonSetOverhead[]>> = {
    // aws-node + aws-eks-nodeagent.
    "vpc-cni": [{ name: "aws-node", cpuMilli: 25 + 25, memoryMiB: 0 }],
    "kube-proxy": [{ name: "kube-proxy", cpuMilli: 100, memoryMiB: 0 }],
    "eks-pod-identity-agent": [{ name: "eks-pod-identity-agent", cpuMilli: 0, memoryMiB: 0 }],
    efsCsi: [{ name: "efs-csi-node", cpuMilli: 0, memoryMiB: 0 }],
    // ebs-plugin + node-driver-registrar + liveness-probe.
    ebsCsi: [{ name: "ebs-csi-node", cpuMilli: 10 + 10 + 10, memoryMiB: 40 + 32 + 32 }],
    logPipeline: [{ name: "aws-for-fluent-bit", cpuMilli: 50, memoryMiB: 50 }],
    containerInsights: [
        { name: "cloudwatch-agent", cpuMilli: 250, memoryMiB: 128 },
        { name: "dcgm-exporter", cpuMilli: 250, memoryMiB: 128, gpuNodesOnly: true },
    ],
};

/** The DaemonSets of the installed add-ons (by registry key), in a stable order. */
export function addonDaemonSets(installed: readonly string[]): DaemonSetOverhead[] {
    return Object.keys(ADDON_DAEMONSETS)
        .filter((key) => installed.includes(key))
        .flatMap((key) => ADDON_DAEMONSETS[key]);
}
