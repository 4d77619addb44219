/**
 * Every Kubernetes kind ecs2eks emits, in one table: its apiVersion, its
 * part in a workload, and how the validator checks it. The validator, the
 * plan's order, the manifests' apply order and the EcsMigration component
 * read it; adding a kind is one row here (and, for a built-in kind, its
 * schema model and resource class, which tsc then asks for). Pure.
 */

/**
 * What the kind is to a workload. A prerequisite must exist before the
 * workload's pods start (the component makes the workload depend on it):
 * its service account, credentials, volumes, security group policy (pods
 * get their ENI's groups only if the policy exists when they are created)
 * and NetworkPolicy (the namespace denies ingress by default). A workload
 * runs the pods; a dependent refers to the workload or its pods.
 * Namespace-level objects belong to no one workload.
 */
export type KindRole = "namespace" | "prerequisite" | "workload" | "dependent";

/** How the validator checks it: the Kubernetes OpenAPI schema, or the CRD contract of the chart that installs it (crds/). */
export type KindSchema = "builtin" | "crd";

export interface KindInfo {
    readonly kind: string;
    readonly apiVersion: string;
    readonly role: KindRole;
    readonly schema: KindSchema;
}

/**
 * In the order the plan lists a workload's objects and the component
 * declares them: what the pods need, the pods, then what refers to them.
 */
export const KINDS = [
    { kind: "Namespace", apiVersion: "v1", role: "namespace", schema: "builtin" },
    { kind: "SecretStore", apiVersion: "external-secrets.io/v1", role: "namespace", schema: "crd" },
    { kind: "ServiceAccount", apiVersion: "v1", role: "prerequisite", schema: "builtin" },
    { kind: "Secret", apiVersion: "v1", role: "prerequisite", schema: "builtin" },
    { kind: "ExternalSecret", apiVersion: "external-secrets.io/v1", role: "prerequisite", schema: "crd" },
    { kind: "StorageClass", apiVersion: "storage.k8s.io/v1", role: "prerequisite", schema: "builtin" },
    { kind: "VolumeSnapshotContent", apiVersion: "snapshot.storage.k8s.io/v1", role: "prerequisite", schema: "crd" },
    { kind: "VolumeSnapshot", apiVersion: "snapshot.storage.k8s.io/v1", role: "prerequisite", schema: "crd" },
    { kind: "PersistentVolume", apiVersion: "v1", role: "prerequisite", schema: "builtin" },
    { kind: "PersistentVolumeClaim", apiVersion: "v1", role: "prerequisite", schema: "builtin" },
    { kind: "SecurityGroupPolicy", apiVersion: "vpcresources.k8s.aws/v1beta1", role: "prerequisite", schema: "crd" },
    { kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1", role: "prerequisite", schema: "builtin" },
    { kind: "Deployment", apiVersion: "apps/v1", role: "workload", schema: "builtin" },
    { kind: "StatefulSet", apiVersion: "apps/v1", role: "workload", schema: "builtin" },
    { kind: "DaemonSet", apiVersion: "apps/v1", role: "workload", schema: "builtin" },
    { kind: "CronJob", apiVersion: "batch/v1", role: "workload", schema: "builtin" },
    { kind: "Service", apiVersion: "v1", role: "dependent", schema: "builtin" },
    { kind: "PodDisruptionBudget", apiVersion: "policy/v1", role: "dependent", schema: "builtin" },
    { kind: "HorizontalPodAutoscaler", apiVersion: "autoscaling/v2", role: "dependent", schema: "builtin" },
    { kind: "TriggerAuthentication", apiVersion: "keda.sh/v1alpha1", role: "dependent", schema: "crd" },
    { kind: "ScaledObject", apiVersion: "keda.sh/v1alpha1", role: "dependent", schema: "crd" },
    { kind: "TargetGroupBinding", apiVersion: "elbv2.k8s.aws/v1beta1", role: "dependent", schema: "crd" },
    // The EKS side's own load balancer, for the route53-weighted and cloudfront-staging cutovers.
    { kind: "Ingress", apiVersion: "networking.k8s.io/v1", role: "dependent", schema: "builtin" },
] as const satisfies readonly KindInfo[];

export type Kind = (typeof KINDS)[number]["kind"];
/**
 * Kinds that hold or lead to migrated data: Pulumi leaves them in the cluster
 * when they leave the program (retainOnDelete), so neither a refactor nor a
 * `pulumi destroy` deletes a claim, a volume or a snapshot restore.
 */
export const RETAINED_KINDS: ReadonlySet<string> = new Set(["StorageClass", "VolumeSnapshotContent", "VolumeSnapshot", "PersistentVolume", "PersistentVolumeClaim"]);

/** The kinds with a Kubernetes OpenAPI schema: the validator's models and the component's typed resources are keyed by them. */
export type BuiltinKind = Extract<(typeof KINDS)[number], { schema: "builtin" }>["kind"];

const BY_KIND: ReadonlyMap<string, KindInfo> = new Map(KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: string): KindInfo | undefined {
    return BY_KIND.get(kind);
}

export function apiVersionOf(kind: Kind): string {
    return (BY_KIND.get(kind) as KindInfo).apiVersion;
}

/** The built-in kind an object is, when its apiVersion is the one we emit; undefined for custom resources and other versions. */
export function builtinKind(apiVersion: string, kind: string): BuiltinKind | undefined {
    const info = BY_KIND.get(kind);
    return info?.schema === "builtin" && info.apiVersion === apiVersion ? (info.kind as BuiltinKind) : undefined;
}

export function isPrerequisite(kind: string): boolean {
    return BY_KIND.get(kind)?.role === "prerequisite";
}

export function isWorkload(kind: string): boolean {
    return BY_KIND.get(kind)?.role === "workload";
}

const DECLARE_RANK: ReadonlyMap<string, number> = new Map(KINDS.map((k, i) => [k.kind, i]));

/** The plan's order of a workload's objects: by kind as KINDS lists them, then by name. */
export function byKindThenName(a: { readonly kind: string; readonly metadata: { readonly name: string } }, b: { readonly kind: string; readonly metadata: { readonly name: string } }): number {
    return (DECLARE_RANK.get(a.kind) ?? -1) - (DECLARE_RANK.get(b.kind) ?? -1) || a.metadata.name.localeCompare(b.metadata.name);
}

/**
 * The order `kubectl apply -f` creates kinds in the manifests: Helm's
 * install order (helm/helm, pkg/release/util/kind_sorter.go), extended with
 * the custom kinds we emit. It also ranks kinds we do not emit, so manifests
 * a user adds sort sensibly. It differs from KINDS' order where apply order
 * does not matter to the API server (a Service may come before its pods).
 */
export const APPLY_ORDER: readonly string[] = [
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "ServiceAccount",
    "SecretStore",
    "ClusterSecretStore",
    "Secret",
    "ExternalSecret",
    "ConfigMap",
    "StorageClass",
    "VolumeSnapshotClass",
    "VolumeSnapshotContent",
    "VolumeSnapshot",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    // Pods get their ENI's security groups only if the policy exists when they are created.
    "SecurityGroupPolicy",
    "TriggerAuthentication",
    "ClusterTriggerAuthentication",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicaSet",
    "Deployment",
    "StatefulSet",
    "Job",
    "CronJob",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "ScaledObject",
    "ScaledJob",
    "TargetGroupBinding",
    "IngressClass",
    "Ingress",
];

/** A kind's place in APPLY_ORDER; kinds it does not know come after all of them, as Helm does. */
export function applyRank(kind: string): number {
    const i = APPLY_ORDER.indexOf(kind);
    return i < 0 ? APPLY_ORDER.length : i;
}
