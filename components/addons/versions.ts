/**
 * Every chart, EKS add-on and image version this program installs, in one
 * place, so an upgrade is one reviewed diff. The EKS add-on builds are those
 * published for PINNED_KUBERNETES_VERSION; a cluster on another minor
 * overrides them with addons:versionOverrides (kube-proxy must match the
 * cluster's minor).
 *
 * Each pin records where it was checked (repository, tag, file) so the next
 * upgrade checks the same place; test/addons.test.ts fails on a pin without
 * one. docs/first-real-deploy.md lists what could not be checked offline.
 */
export const PINNED_KUBERNETES_VERSION = "1.33";

/** The day the pins below were checked against their upstream sources. */
export const PINS_CHECKED_ON = "2026-11-28";

/** The upstream file that says a chart version exists, read at a release tag. */
export interface ChartSource {
    /** GitHub owner/name of the chart's source repository. */
    readonly repository: string;
    readonly tag: string;
    /** Chart.yaml at that tag, whose `version` is the pin. */
    readonly path: string;
    /** The `version` read there; a bump of the pin without a new check fails the tests. */
    readonly chartVersion: string;
    /** Chart.yaml `appVersion` at that tag: the controller release it installs. */
    readonly appVersion: string;
    /** The Kubernetes versions the project says that release supports, and where it says so. */
    readonly kubernetesSupport: string;
    /**
     * The value paths our components pass, each found in the chart's
     * values.yaml at that tag. Keys under a free-form map the chart renders
     * as flags (cluster-autoscaler's extraArgs) were checked against the
     * controller's own flags (cluster-autoscaler/config/flags/flags.go at
     * kubernetes/autoscaler tag cluster-autoscaler-1.33.0).
     */
    readonly values: readonly string[];
}

export interface HelmChartPin {
    readonly chart: string;
    readonly repo: string;
    readonly version: string;
    readonly source: ChartSource;
}

export const HELM_CHARTS = {
    // Published in the eks-charts index; the same Chart.yaml (1.13.4 / v2.13.4) is at
    // kubernetes-sigs/aws-load-balancer-controller@v2.13.4:helm/aws-load-balancer-controller/Chart.yaml.
    "aws-load-balancer-controller": {
        chart: "aws-load-balancer-controller",
        repo: "https://aws.github.io/eks-charts",
        version: "1.13.4",
        source: {
            repository: "aws/eks-charts",
            tag: "v0.0.204",
            path: "stable/aws-load-balancer-controller/Chart.yaml",
            chartVersion: "1.13.4",
            appVersion: "v2.13.4",
            kubernetesSupport: "v2.5.0+ requires Kubernetes 1.22+ (kubernetes-sigs/aws-load-balancer-controller@v2.13.4:docs/deploy/installation.md)",
            values: ["clusterName", "region", "vpcId", "replicaCount", "serviceAccount.create", "serviceAccount.name"],
        },
    },
    "metrics-server": {
        chart: "metrics-server",
        repo: "https://kubernetes-sigs.github.io/metrics-server/",
        version: "3.13.0",
        source: {
            repository: "kubernetes-sigs/metrics-server",
            tag: "metrics-server-helm-chart-3.13.0",
            path: "charts/metrics-server/Chart.yaml",
            chartVersion: "3.13.0",
            appVersion: "0.8.0",
            kubernetesSupport: "0.8.x supports Kubernetes 1.31+ (README.md compatibility matrix at the same tag)",
            values: ["replicas"],
        },
    },
    "cluster-autoscaler": {
        chart: "cluster-autoscaler",
        repo: "https://kubernetes.github.io/autoscaler",
        version: "9.50.1",
        source: {
            repository: "kubernetes/autoscaler",
            tag: "cluster-autoscaler-chart-9.50.1",
            path: "charts/cluster-autoscaler/Chart.yaml",
            chartVersion: "9.50.1",
            appVersion: "1.33.0",
            kubernetesSupport: "Cluster Autoscaler minor = Kubernetes minor; the image follows the cluster (CLUSTER_AUTOSCALER_IMAGE_PATCH)",
            values: ["autoDiscovery.clusterName", "awsRegion", "cloudProvider", "image.tag", "rbac.serviceAccount.create", "rbac.serviceAccount.name", "extraArgs.balance-similar-node-groups", "extraArgs.skip-nodes-with-system-pods", "extraArgs.expander"],
        },
    },
    // Was 2.17.2, which exists but supports Kubernetes 1.30-1.32 only; 2.18 is the first
    // minor that supports 1.33 (kedacore/keda-docs:content/docs/2.18/operate/cluster.md).
    keda: {
        chart: "keda",
        repo: "https://kedacore.github.io/charts",
        version: "2.18.3",
        source: {
            repository: "kedacore/charts",
            tag: "v2.18.3",
            path: "keda/Chart.yaml",
            chartVersion: "2.18.3",
            appVersion: "2.18.3",
            kubernetesSupport: "v2.18 supports Kubernetes 1.31-1.33 (kedacore/keda-docs:content/docs/2.18/operate/cluster.md)",
            values: ["serviceAccount.operator.create", "serviceAccount.operator.name"],
        },
    },
    // The app tag v0.19.2 still carries Chart.yaml 0.19.1; the chart is released from its own tag.
    "external-secrets": {
        chart: "external-secrets",
        repo: "https://charts.external-secrets.io",
        version: "0.19.2",
        source: {
            repository: "external-secrets/external-secrets",
            tag: "helm-chart-0.19.2",
            path: "deploy/charts/external-secrets/Chart.yaml",
            chartVersion: "0.19.2",
            appVersion: "v0.19.2",
            kubernetesSupport: "0.19.x is tested on Kubernetes 1.33 (docs/introduction/stability-support.md at v0.19.2)",
            values: ["installCRDs"],
        },
    },
    // The log pipeline (logPipeline.ts): AWS for Fluent Bit 3.2.1 is Fluent Bit 4.2.2
    // (aws/aws-for-fluent-bit release 3.2.1), whose lua filter takes inline `code`.
    "aws-for-fluent-bit": {
        chart: "aws-for-fluent-bit",
        repo: "https://aws.github.io/eks-charts",
        version: "0.2.0",
        source: {
            repository: "aws/eks-charts",
            tag: "v0.0.242",
            path: "stable/aws-for-fluent-bit/Chart.yaml",
            chartVersion: "0.2.0",
            appVersion: "3.2.1",
            kubernetesSupport: "a DaemonSet of apps/v1 and RBAC v1 only (templates/ at the same tag); no Kubernetes version bound is stated",
            values: [
                "serviceAccount.create",
                "serviceAccount.name",
                "cloudWatchLogs.enabled",
                "cloudWatchLogs.match",
                "cloudWatchLogs.region",
                "cloudWatchLogs.logGroupName",
                "cloudWatchLogs.logGroupTemplate",
                "cloudWatchLogs.logStreamPrefix",
                "cloudWatchLogs.logStreamTemplate",
                "cloudWatchLogs.logKey",
                "cloudWatchLogs.autoCreateGroup",
                "additionalFilters",
                "additionalOutputs",
            ],
        },
    },
    // The chart is published to the OCI registry at release; its Chart.yaml is bumped in the release
    // commit after the tag (v1.13.0's tag still reads 1.12.1), so the source is that commit on main.
    karpenter: {
        chart: "karpenter",
        repo: "oci://public.ecr.aws/karpenter",
        version: "1.13.0",
        source: {
            repository: "aws/karpenter-provider-aws",
            tag: "fe623d537f85b0e6a69fc3eebc3692f80efda891",
            path: "charts/karpenter/Chart.yaml",
            chartVersion: "1.13.0",
            appVersion: "1.13.0",
            kubernetesSupport: "1.33 needs >= 1.5 (website/content/en/docs/upgrading/compatibility.md at the same commit)",
            values: ["settings.clusterName", "settings.interruptionQueue", "serviceAccount.create", "serviceAccount.name", "replicas"],
        },
    },
    // Velero 1.17.1 (velero.ts). Chart 12.x installs Velero 1.18, whose AWS plugin (v1.14) had only
    // a release candidate tagged when checked; 11.4.0 pairs with plugin v1.13.2 (VELERO_AWS_PLUGIN_IMAGE).
    // Checked at commit d3c3d645a0249d26ad1d7b41b3a53634fd377940; `schedules.<name>.*` stands for each configured schedule.
    velero: {
        chart: "velero",
        repo: "https://vmware-tanzu.github.io/helm-charts",
        version: "11.4.0",
        source: {
            repository: "vmware-tanzu/helm-charts",
            tag: "velero-11.4.0",
            path: "charts/velero/Chart.yaml",
            chartVersion: "11.4.0",
            appVersion: "1.17.1",
            kubernetesSupport: "kubeVersion >=1.16.0-0 (charts/velero/Chart.yaml at the same tag); CRDs of apiextensions.k8s.io/v1 only",
            values: [
                "configuration.backupStorageLocation",
                "configuration.volumeSnapshotLocation",
                "initContainers",
                "serviceAccount.server.create",
                "serviceAccount.server.name",
                "credentials.useSecret",
                "snapshotsEnabled",
                "schedules.<name>.schedule",
                "schedules.<name>.useOwnerReferencesInBackup",
                "schedules.<name>.template.ttl",
                "schedules.<name>.template.storageLocation",
                "schedules.<name>.template.includedNamespaces",
            ],
        },
    },
} as const satisfies Record<string, HelmChartPin>;

export const EKS_ADDONS = {
    "vpc-cni": "v1.20.1-eksbuild.3",
    "kube-proxy": "v1.33.5-eksbuild.2",
    coredns: "v1.12.4-eksbuild.1",
    "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
    "aws-efs-csi-driver": "v2.1.9-eksbuild.1",
    "amazon-cloudwatch-observability": "v4.5.0-eksbuild.1",
    "aws-ebs-csi-driver": "v1.64.0-eksbuild.1",
    "snapshot-controller": "v8.6.0-eksbuild.1",
} as const satisfies Record<string, string>;

/** How far an EKS add-on build could be checked against AWS's own published material. */
export interface EksAddonSource {
    /** True when an AWS page lists this exact build for PINNED_KUBERNETES_VERSION. */
    readonly confirmed: boolean;
    /** The page that lists it, or what is known and what is not. */
    readonly source: string;
}

const verifyWith = (addon: string) => `verify with \`aws eks describe-addon-versions --addon-name ${addon} --kubernetes-version ${PINNED_KUBERNETES_VERSION}\``;

/**
 * EKS add-on builds live in AWS's registry, not on GitHub: the upstream tag
 * says the software exists, only AWS says which `-eksbuild.N` it ships for a
 * Kubernetes minor. The user guide lists the latest build per minor; builds it
 * lists were taken as they are, the others are marked unconfirmed.
 */
export const EKS_ADDON_SOURCES: Readonly<Record<keyof typeof EKS_ADDONS, EksAddonSource>> = {
    // Was v1.20.0-eksbuild.1 (shown only as sample describe-addon output in the user guide).
    "vpc-cni": {
        confirmed: true,
        source: "Amazon EKS User Guide, 'Amazon VPC CNI versions' table (ja_jp edition of pod-networking.html): 1.33 -> v1.20.1-eksbuild.3; upstream aws/amazon-vpc-cni-k8s@v1.20.1",
    },
    // Was v1.33.0-eksbuild.2 (used in public configs, not listed by AWS).
    "kube-proxy": {
        confirmed: true,
        source: "Amazon EKS User Guide, managing-kube-proxy.html 'kube-proxy versions' table: 1.33 -> v1.33.5-eksbuild.2",
    },
    // Was v1.12.1-eksbuild.2 (used in public configs, not listed by AWS).
    coredns: {
        confirmed: true,
        source: "Amazon EKS User Guide, managing-coredns.html 'CoreDNS versions' table: 1.33 -> v1.12.4-eksbuild.1; upstream coredns/coredns@v1.12.4",
    },
    "eks-pod-identity-agent": {
        confirmed: false,
        source: `not confirmed for ${PINNED_KUBERNETES_VERSION} from published material: the User Guide names this build (hybrid-nodes-add-ons.html: "v1.3.7-eksbuild.2 or later" on Bottlerocket) but lists no builds per Kubernetes version, and the GitHub tags (aws/eks-pod-identity-agent v0.1.x) do not follow the add-on's numbering; ${verifyWith("eks-pod-identity-agent")}`,
    },
    "aws-efs-csi-driver": {
        confirmed: false,
        source: `not confirmed from published material: upstream kubernetes-sigs/aws-efs-csi-driver@v2.1.9 exists, AWS publishes no version table for the add-on build; ${verifyWith("aws-efs-csi-driver")}`,
    },
    "amazon-cloudwatch-observability": {
        confirmed: false,
        source: `not confirmed for ${PINNED_KUBERNETES_VERSION} from published material: the EKS User Guide (eks-add-ons.adoc) names the add-on and its policies but shows versions only as vX.X.X-eksbuild.X; v4.5.0-eksbuild.1 is the build public configurations pin; ${verifyWith("amazon-cloudwatch-observability")}`,
    },
    "aws-ebs-csi-driver": {
        confirmed: false,
        source: `not confirmed from published material: upstream kubernetes-sigs/aws-ebs-csi-driver@v1.64.0 (commit 6689789f192f8941878801f2730ea972a1196047) exists and its chart runs the csi-snapshotter sidecar v8.6.0 (charts/aws-ebs-csi-driver/values.yaml), AWS publishes no version table for the add-on build; ${verifyWith("aws-ebs-csi-driver")}`,
    },
    "snapshot-controller": {
        confirmed: false,
        source: `not confirmed from published material: upstream kubernetes-csi/external-snapshotter@v8.6.0 (commit 78e32cd84e0abec2621924a30e38c755f93e180a) exists and its CRDs are crds/snapshot-controller/8.6.0.json, AWS publishes no version table for the add-on build; ${verifyWith("snapshot-controller")}`,
    },
};

/**
 * Cluster Autoscaler's image must match the cluster's Kubernetes minor; the
 * tag is v<minor>.<patch>. v1.33.0 is kubernetes/autoscaler tag
 * cluster-autoscaler-1.33.0 and the default image.tag of chart 9.50.1
 * (charts/cluster-autoscaler/values.yaml at cluster-autoscaler-chart-9.50.1).
 */
export const CLUSTER_AUTOSCALER_IMAGE_PATCH = "0";

/**
 * The AWS plugin Velero loads as an init container. v1.13.x is the plugin for
 * Velero v1.17.x (README.md compatibility table at
 * vmware-tanzu/velero-plugin-for-aws tag v1.13.2, commit
 * 18469e7330ee47fbcefbf6ce4c0f68dfc273c5d5).
 */
export const VELERO_AWS_PLUGIN_IMAGE = "velero/velero-plugin-for-aws:v1.13.2";

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
