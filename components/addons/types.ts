/**
 * What an add-on is, as plain data and one deploy function. Nothing here (or
 * in an add-on module) loads Pulumi: config validation and the README table
 * read the registry without it (test/addons.test.ts checks). The
 * Pulumi side is components/addons/context.ts.
 */
import type { IdentityMode } from "../../config/types";
import type { VeleroSchedule } from "../../config/veleroSchedules";
import type { PolicyDocument } from "../../core/iam/policyDocument";
import type { LogPlan } from "../../migration/translate/logging";
import type { EksAddonKey, HelmChartKey } from "./versions";

/** Core add-ons make nodes Ready and go in before the node groups; cluster add-ons need nodes to run on. */
export type AddonPhase = "core" | "cluster";

/** The compute choices that decide whether an add-on belongs on the cluster at all. */
export interface ComputeChoice {
    readonly nodeProvisioner: "cluster-autoscaler" | "karpenter";
    readonly autoMode: boolean;
}

/** The default choices: node groups scaled by Cluster Autoscaler. */
export const DEFAULT_COMPUTE: ComputeChoice = { nodeProvisioner: "cluster-autoscaler", autoMode: false };

/** The stack's facts an add-on's settings may use. */
export interface AddonEnv {
    readonly clusterName: string;
    readonly kubernetesVersion: string;
    readonly region: string;
    readonly partition: string;
    readonly identityMode: IdentityMode;
    /** Where the migrated containers' logs go: what the log pipeline is configured and allowed for. */
    readonly logs: LogPlan;
    /** The namespaces the migration creates, sorted: what backups cover by default. Empty without a migration. */
    readonly migratedNamespaces?: readonly string[];
    /** addons:veleroSchedules. */
    readonly veleroSchedules?: readonly VeleroSchedule[];
}

/** What an add-on's policy document may name: the stack's facts and the account. */
export interface AwsScope extends AddonEnv {
    readonly account: string;
    /** ARNs of AWS resources the add-on declared itself (a backup bucket, its key), by the names its deploy() gave them to role(). */
    readonly resources?: Readonly<Record<string, string>>;
}

/** A bucket an add-on keeps its data in: versioned, encrypted with a key of its own, never public, kept when the stack goes. */
export interface BucketSpec {
    /** Days a replaced or deleted object version is kept before S3 removes it. */
    readonly noncurrentVersionDays: number;
    /** Days before an upload that never completed is cleaned up. */
    readonly abortIncompleteUploadDays: number;
    /** Tags on the bucket and its key besides the stack's. */
    readonly tags?: Readonly<Record<string, string>>;
}

/** What the context declared for a BucketSpec. */
export interface AddonBucket {
    /** The bucket and the settings on it, to wait for. */
    readonly resources: readonly Declared[];
    readonly name: Deferred<string>;
    readonly arn: Deferred<string>;
    readonly keyArn: Deferred<string>;
}

declare const deferred: unique symbol;
/** A value only the deployment knows (a VPC ID, a role ARN): an add-on passes it on, never reads it. */
export interface Deferred<T> {
    readonly [deferred]: T;
}

declare const declared: unique symbol;
/** A resource the context declared; an add-on only hands it back as something to wait for. */
export interface Declared {
    readonly [declared]: true;
}

/** How an add-on is installed; the key is its pin in versions.ts and its addons:versionOverrides key. */
export type AddonInstall =
    | { readonly kind: "eks-addon"; readonly name: EksAddonKey }
    | { readonly kind: "helm"; readonly chart: HelmChartKey; readonly namespace: string };

/** The AWS identity of an add-on's controller: one role for one service account. */
export interface IdentityNeeds {
    readonly namespace: string;
    readonly serviceAccount: string;
    /** Who creates the service account: this program (with the role), or the EKS add-on that owns it. */
    readonly createdBy: "ecs2eks" | "eks-addon";
    /** AWS-managed policies, as paths under arn:<partition>:iam::aws:policy/. */
    readonly managedPolicies?: readonly string[];
    /** An inline policy of its own, built for this stack. */
    readonly policy?: (scope: AwsScope) => PolicyDocument;
    /** The identity mode regardless of identity:mode (the VPC CNI: pods need addresses before any agent runs). */
    readonly mode?: IdentityMode;
    readonly description?: string;
    /** For the README: what the role may do. */
    readonly permits: string;
}

/** A role the context declared for an add-on. */
export interface AddonRole {
    readonly arn: Deferred<string>;
    readonly mode: IdentityMode;
    /** The service account, when this program creates it. */
    readonly serviceAccount?: Declared;
}

/** What an add-on's deploy() may declare: only its own install, namespace and identity. */
export interface AddonContext {
    readonly env: AddonEnv;
    /** The VPC the cluster runs in. */
    readonly vpcId: Deferred<string>;
    /** The Helm release's namespace, labelled for Pod Security Admission like migrated namespaces. */
    namespace(): Declared;
    /** The role of the add-on's identity needs, and its service account unless an EKS add-on owns it. */
    role(opts?: { readonly dependsOn?: readonly Declared[]; readonly resources?: Readonly<Record<string, Deferred<string>>> }): AddonRole;
    /** A bucket of this stack for the add-on's data (BucketSpec). */
    bucket(spec: BucketSpec): AddonBucket;
    /** The EKS add-on; given the role, it hands it over where the add-on uses IRSA. */
    eksAddon(settings?: { readonly role?: AddonRole; readonly configurationValues?: object }): Declared;
    /** A log group this program owns, encrypted with a key of its own (rotated) under the given key policy. */
    logGroup(spec: { readonly name: string; readonly retentionInDays: number; readonly keyPolicy: (scope: AwsScope) => PolicyDocument }): Declared;
    /** The Helm release, atomic, after whatever is listed. */
    helmRelease(values: Readonly<Record<string, unknown>>, dependsOn?: readonly Declared[]): Declared;
}

export interface AddonModule {
    /**
     * The add-on's name: its config toggle (addons:<key>) when it has one, and
     * the name of its role (`<component>-<key>`); changing it renames live resources.
     */
    readonly key: string;
    /** For the README. */
    readonly title: string;
    readonly phase: AddonPhase;
    /** Switched by addons:<key>, with this default; without a toggle it is always installed. */
    readonly toggle?: { readonly default: boolean };
    readonly install: AddonInstall;
    /** Installed only for these compute choices (Cluster Autoscaler or Karpenter; what Auto Mode does not provide); absent: always. */
    readonly installWhen?: (compute: ComputeChoice) => boolean;
    readonly identity?: IdentityNeeds;
    /** For the README: what it does here and what is set for it. */
    readonly about: string;
    deploy(ctx: AddonContext): void;
}

/** Keeps an add-on's key and toggle in its type, so config can type the toggles. */
export function addon<const M extends AddonModule>(module: M): M {
    return module;
}
