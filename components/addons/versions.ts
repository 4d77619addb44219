/**
 * Every chart and EKS add-on version this program installs, in one place, so
 * an upgrade is one reviewed diff. The EKS add-on builds are those published
 * for PINNED_KUBERNETES_VERSION; a cluster on another minor overrides them
 * with addons:versionOverrides (kube-proxy must match the cluster's minor).
 */
export const PINNED_KUBERNETES_VERSION = "1.33";

export interface HelmChartPin {
    readonly chart: string;
    readonly repo: string;
    readonly version: string;
}

export const HELM_CHARTS = {
    "aws-load-balancer-controller": { chart: "aws-load-balancer-controller", repo: "https://aws.github.io/eks-charts", version: "1.13.4" },
    "metrics-server": { chart: "metrics-server", repo: "https://kubernetes-sigs.github.io/metrics-server/", version: "3.13.0" },
    "cluster-autoscaler": { chart: "cluster-autoscaler", repo: "https://kubernetes.github.io/autoscaler", version: "9.50.1" },
    keda: { chart: "keda", repo: "https://kedacore.github.io/charts", version: "2.17.2" },
    "external-secrets": { chart: "external-secrets", repo: "https://charts.external-secrets.io", version: "0.19.2" },
} as const satisfies Record<string, HelmChartPin>;

export const EKS_ADDONS = {
    "vpc-cni": "v1.20.0-eksbuild.1",
    "kube-proxy": "v1.33.0-eksbuild.2",
    coredns: "v1.12.1-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
    "aws-efs-csi-driver": "v2.1.9-eksbuild.1",
} as const satisfies Record<string, string>;

/** Cluster Autoscaler's image must match the cluster's Kubernetes minor. */
export const CLUSTER_AUTOSCALER_IMAGE_PATCH = "0";

export type HelmChartKey = keyof typeof HELM_CHARTS;
export type EksAddonKey = keyof typeof EKS_ADDONS;

export const PINNED_VERSION_KEYS: readonly string[] = [...Object.keys(HELM_CHARTS), ...Object.keys(EKS_ADDONS)].sort();

/** The version to install: the override from config, else the pin. */
export function chartVersion(key: HelmChartKey, overrides: Readonly<Record<string, string>>): string {
    return overrides[key] ?? HELM_CHARTS[key].version;
}

export function addonVersion(key: EksAddonKey, overrides: Readonly<Record<string, string>>): string {
    return overrides[key] ?? EKS_ADDONS[key];
}
