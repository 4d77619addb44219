import type { WorkloadSettings } from "../../core/workloadSettings";

/**
 * MigrationPlan: what the translator decides, as plain data. The component
 * declares it; the plan CLI writes it as manifests and a report.
 */
import type { LogPlan } from "./logging";

/** A Kubernetes object as plain data: apiVersion, kind, metadata, and the rest of its fields. */
export interface K8sObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: ObjectMeta;
    readonly [field: string]: unknown;
}

export interface ObjectMeta {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
}

export type Severity = "info" | "warning" | "error";

export interface Diagnostic {
    /** Stable identifier, e.g. HOST_PORT_DROPPED; the report and the ledger use it. */
    readonly code: string;
    readonly severity: Severity;
    /** The ECS service (or scheduled task) it is about; "" for the estate as a whole. */
    readonly service: string;
    readonly container?: string;
    /** The ECS field, as a path: containerDefinitions[web].portMappings[0].hostPort */
    readonly field: string;
    readonly message: string;
    readonly suggestion: string;
}

/** A policy of the cloned role: the document itself, or an AWS-managed policy attached by ARN. */
export interface RolePolicyPlan {
    readonly name: string;
    readonly managedPolicyArn?: string;
    readonly document?: unknown;
}

/**
 * An IAM role for a workload's service account with the permissions of the
 * ECS task role, cloned: the ECS stack owns the original and will delete it.
 */
export interface RolePlan {
    readonly sourceRoleArn: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly policies: readonly RolePolicyPlan[];
    readonly permissionsBoundaryArn?: string;
}

/** How a load-balanced ECS service gets canary traffic: its target group, and the Kubernetes Service to bind a new one to. */
export interface LoadBalancerPlan {
    readonly ecsTargetGroupArn: string;
    readonly containerName: string;
    readonly containerPort: number;
    readonly serviceName: string;
    readonly servicePort: number;
}

/**
 * A credential the task definition held as a literal environment value. The
 * pod reads it from the workload's credentials Secret; the plan names where
 * the value is, never the value.
 */
export interface PlaintextCredential {
    /** The ECS container (its task definition name) and the variable. */
    readonly container: string;
    readonly name: string;
    /** Key in the workload's credentials Secret. */
    readonly key: string;
    /** Why it was taken for a credential. */
    readonly reason: string;
}

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface WorkloadPlan {
    /** The ECS service or scheduled task it came from. */
    readonly source: { readonly kind: "service" | "scheduledTask"; readonly name: string; readonly arn: string; readonly cluster: string; readonly taskDefinitionArn: string };
    readonly namespace: string;
    readonly name: string;
    readonly objects: readonly K8sObject[];
    readonly role?: RolePlan;
    /** Secret ARNs and SSM parameter names its ExternalSecrets read. */
    readonly secretArns: readonly string[];
    readonly ssmParameters: readonly string[];
    /** Credentials found in plain environment values, which the component puts into a Secret from the snapshot; absent when none. */
    readonly plaintextCredentials?: readonly PlaintextCredential[];
    /** ECS security groups its pods keep (as clones) through a SecurityGroupPolicy. */
    readonly securityGroupIds: readonly string[];
    readonly loadBalancers: readonly LoadBalancerPlan[];
    /** EFS file systems it mounts (referenced, never managed). */
    readonly fileSystemIds: readonly string[];
    /** What the pods need from Pod Security Admission. */
    readonly podSecurity: PodSecurityLevel;
    /** Field paths of the ECS fields the translator read and carried over (Diagnostics.map), for the report and coverage. */
    readonly mapped: readonly string[];
    readonly diagnostics: readonly Diagnostic[];
}

export interface NamespacePlan {
    readonly name: string;
    /** ECS cluster it holds the workloads of. */
    readonly cluster: string;
    readonly podSecurity: PodSecurityLevel;
    /** Objects of the namespace itself: Namespace, SecretStores and their service account. */
    readonly objects: readonly K8sObject[];
    /** What the SecretStores' role must be able to read, exactly. */
    readonly secretArns: readonly string[];
    readonly ssmParameters: readonly string[];
}

/** The ECS fields set in the input (members of the ECS shapes, once per workload), by what the translator recorded doing with them (coverage.ts). */
export interface Coverage {
    /** Read and carried over: a mapped field path reaches them. */
    readonly mapped: number;
    /** A diagnostic is about them. */
    readonly reported: number;
    /** Status and identifiers the ledger calls not applicable, which nothing read. */
    readonly notApplicable: number;
    /** The ledger says they are carried over, but the translator recorded neither reading nor reporting them. */
    readonly unaccounted: number;
    /** Members of the SDK shapes the ledger classifies. */
    readonly ledgerMembers: number;
}

export interface MigrationPlan {
    readonly planVersion: 1;
    readonly source: { readonly capturedAt: string; readonly region: string; readonly clusters: readonly string[] };
    readonly namespaces: readonly NamespacePlan[];
    readonly workloads: readonly WorkloadPlan[];
    /** Diagnostics about the estate as a whole (not one workload). */
    readonly diagnostics: readonly Diagnostic[];
    readonly coverage: Coverage;
    /** Where each container's logs go, and what the cluster's log pipeline needs for it (logging.ts). */
    readonly logs?: LogPlan;
}

export interface TranslateOptions {
    /** Namespace per ECS cluster; default: the cluster name made DNS-safe. */
    readonly namespaceFor?: (clusterName: string) => string;
    /**
     * Size in GiB of the largest node disk of the cluster's node groups (the
     * root volume; Bottlerocket's data volume). When set, a workload whose
     * pod asks for more ephemeral storage than such a node offers pods is an
     * error (EPHEMERAL_STORAGE_TOO_LARGE) instead of a pod that stays
     * Pending. Unset: not checked.
     */
    readonly nodeDiskGiB?: number;
    /** Per ECS service, the kind of workload it becomes (migration:workloads); absent: each keeps its kind. */
    readonly workloads?: WorkloadSettings;
}
