import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddonsConfig, IdentityMode } from "../../config";
import { ServiceAccountRole } from "../serviceAccountRole";
import { addonsOf } from "./registry";
import { LogPlan, NO_LOGS } from "../../migration/translate/logging";
import { backupKeyPolicy } from "../iam/veleroPolicy";
import { AddonBucket, AddonContext, AddonEnv, AddonPhase, AddonRole, ComputeChoice, DEFAULT_COMPUTE, Declared, Deferred } from "./types";
import { HELM_CHARTS, addonVersion, chartVersion } from "./versions";

/**
 * A bucket's name prefix from the cluster and add-on: S3 takes lowercase
 * letters, digits and hyphens, and a prefix of at most 37 characters (it
 * appends 26); an EKS cluster name may have capitals and underscores.
 */
export function bucketPrefix(clusterName: string, key: string): string {
    const suffix = `-${key.toLowerCase()}-`;
    const cluster = clusterName.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 37 - suffix.length).replace(/-+$/, "");
    return `${cluster}${suffix}`;
}

/** What CoreAddons and ClusterAddons both take. */
export interface AddonsArgs {
    readonly config: AddonsConfig;
    readonly identityMode: IdentityMode;
    /** The cluster's name in config: what controllers are told. */
    readonly clusterName: string;
    readonly kubernetesVersion: string;
    readonly region: string;
    readonly partition: string;
    readonly vpcId: pulumi.Input<string>;
    readonly cluster: {
        /** The name resources are given: the cluster's output where they must wait for it. */
        readonly name: pulumi.Input<string>;
        readonly oidcProviderArn: pulumi.Input<string>;
        readonly oidcProviderUrl: pulumi.Input<string>;
        readonly provider: k8s.Provider;
    };
    readonly tags?: Readonly<Record<string, string>>;
    /** The migration's log destinations, when the stack migrates ECS services. */
    readonly logs?: LogPlan;
    /** The namespaces the migration creates, when the stack migrates ECS services. */
    readonly namespaces?: readonly string[];
    /** Node provisioner and Auto Mode; default Cluster Autoscaler without Auto Mode. */
    readonly compute?: ComputeChoice;
}

// Pod Security Admission as for migrated namespaces: the controllers' charts run
// restricted-compliant pods, baseline is enforced and restricted reported.
const POD_SECURITY = { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" };

// Add-on modules never see Pulumi types: resources and outputs cross as opaque values.
const declared = (r: pulumi.Resource): Declared => r as unknown as Declared;
const resources = (ds: readonly Declared[] = []): pulumi.Resource[] => ds.map((d) => d as unknown as pulumi.Resource);
const deferred = <T>(v: pulumi.Input<T>): Deferred<T> => v as unknown as Deferred<T>;
const input = <T>(d: Deferred<T>): pulumi.Input<T> => d as unknown as pulumi.Input<T>;

/** The roles the add-ons of a phase got, by add-on key: what the stack exports for other stacks (a shard's log access). */
export type AddonRoles = Readonly<Record<string, { readonly arn: pulumi.Output<string>; readonly name: pulumi.Output<string> }>>;

/**
 * Deploys the registry's add-ons of one phase that config leaves on, each under the
 * component, with resources named `<component>-<key>` (roles),
 * `<component>-<chart>` (releases), `<component>-<EKS add-on>` and
 * `<component>-<namespace>`, as they always were.
 */
export function deployAddons(phase: AddonPhase, component: pulumi.ComponentResource, name: string, args: AddonsArgs, waitFor: readonly pulumi.Resource[]): AddonRoles {
    const roles: Record<string, { arn: pulumi.Output<string>; name: pulumi.Output<string> }> = {};
    const { cluster, partition, tags } = args;
    const env: AddonEnv = { clusterName: args.clusterName, kubernetesVersion: args.kubernetesVersion, region: args.region, partition, identityMode: args.identityMode, logs: args.logs ?? NO_LOGS, migratedNamespaces: [...(args.namespaces ?? [])].sort(), veleroSchedules: args.config.veleroSchedules };
    let account: pulumi.Output<string> | undefined;
    const accountId = () => (account ??= aws.getCallerIdentityOutput({}, { parent: component }).accountId);
    const enabled = args.config.enabled as Readonly<Record<string, boolean>>;

    const compute = args.compute ?? DEFAULT_COMPUTE;
    for (const module of addonsOf(phase).filter((m) => (!m.toggle || enabled[m.key]) && (!m.installWhen || m.installWhen(compute)))) {
        const { install, identity } = module;
        const releaseNamespace = () => {
            if (install.kind !== "helm") {
                throw new Error(`add-on ${module.key}: only a Helm release has a namespace to create`);
            }
            return install.namespace;
        };
        const ctx: AddonContext = {
            env,
            vpcId: deferred(args.vpcId),
            namespace() {
                const ns = releaseNamespace();
                return declared(new k8s.core.v1.Namespace(`${name}-${ns}`, { metadata: { name: ns, labels: POD_SECURITY } }, { parent: component, provider: cluster.provider }));
            },
            role(opts = {}): AddonRole {
                if (!identity) {
                    throw new Error(`add-on ${module.key} declares no identity needs, so it has no role`);
                }
                const policy = identity.policy;
                const named = Object.entries(opts.resources ?? {}).map(([k, v]) => pulumi.output(input(v)).apply((arn) => [k, arn] as const));
                const declaredArns = pulumi.all(named).apply((pairs) => Object.fromEntries(pairs) as Record<string, string>);
                const mode = identity.mode ?? args.identityMode;
                const role = new ServiceAccountRole(
                    `${name}-${module.key}`,
                    {
                        mode,
                        clusterName: cluster.name,
                        oidcProviderArn: cluster.oidcProviderArn,
                        oidcProviderUrl: cluster.oidcProviderUrl,
                        namespace: identity.namespace,
                        serviceAccountName: identity.serviceAccount,
                        createServiceAccount: identity.createdBy === "ecs2eks",
                        provider: cluster.provider,
                        managedPolicyArns: identity.managedPolicies?.map((p) => `arn:${partition}:iam::aws:policy/${p}`),
                        inlinePolicies: policy ? { policy: pulumi.all([accountId(), declaredArns]).apply(([acct, arns]) => policy({ ...env, account: acct, ...(named.length > 0 ? { resources: arns } : {}) })) } : undefined,
                        description: identity.description,
                        tags,
                    },
                    { parent: component, dependsOn: opts.dependsOn ? resources(opts.dependsOn) : undefined },
                );
                roles[module.key] = { arn: role.roleArn, name: role.roleName };
                return { arn: deferred(role.roleArn), mode, ...(role.serviceAccount ? { serviceAccount: declared(role.serviceAccount) } : {}) };
            },
            eksAddon(settings = {}) {
                if (install.kind !== "eks-addon") {
                    throw new Error(`add-on ${module.key} is a Helm release, not an EKS add-on`);
                }
                // With Pod Identity the association hands the role over; the add-on must not also be told it.
                const handOver = settings.role?.mode === "irsa" ? { serviceAccountRoleArn: input(settings.role.arn) } : {};
                const values = settings.configurationValues ? { configurationValues: JSON.stringify(settings.configurationValues) } : {};
                return declared(
                    new aws.eks.Addon(
                        `${name}-${install.name}`,
                        {
                            clusterName: cluster.name,
                            addonName: install.name,
                            addonVersion: addonVersion(install.name, args.config.versionOverrides),
                            // Take over the copy EKS may have installed itself; keep our settings on upgrade.
                            resolveConflictsOnCreate: "OVERWRITE",
                            resolveConflictsOnUpdate: "OVERWRITE",
                            tags: { ...tags },
                            ...handOver,
                            ...values,
                        },
                        { parent: component, dependsOn: [...waitFor] },
                    ),
                );
            },
            logGroup(spec) {
                const keyPolicy = accountId().apply((acct) => JSON.stringify(spec.keyPolicy({ ...env, account: acct })));
                const key = new aws.kms.Key(`${name}-${module.key}-logs`, { description: `Log group ${spec.name}`, enableKeyRotation: true, policy: keyPolicy, tags: { ...tags } }, { parent: component, retainOnDelete: true });
                // Logs are data: destroying the stack leaves the group, and the key that reads it.
                return declared(
                    new aws.cloudwatch.LogGroup(`${name}-${module.key}`, { name: spec.name, retentionInDays: spec.retentionInDays, kmsKeyId: key.arn, tags: { ...tags } }, { parent: component, retainOnDelete: true }),
                );
            },
            bucket(spec): AddonBucket {
                const bucketTags = { ...tags, ...spec.tags };
                const keyPolicy = accountId().apply((acct) => JSON.stringify(backupKeyPolicy(partition, acct)));
                // The data outlives the stack: destroying it leaves the bucket and the key that reads it.
                const kept = { parent: component, retainOnDelete: true };
                const key = new aws.kms.Key(`${name}-${module.key}-bucket`, { description: `Bucket of add-on ${module.key} (${args.clusterName})`, enableKeyRotation: true, policy: keyPolicy, tags: bucketTags }, kept);
                const bucket = new aws.s3.Bucket(`${name}-${module.key}`, { bucketPrefix: bucketPrefix(args.clusterName, module.key), tags: bucketTags }, kept);
                const opts = { parent: bucket };
                const settings = [
                    new aws.s3.BucketPublicAccessBlock(`${name}-${module.key}`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, opts),
                    new aws.s3.BucketVersioning(`${name}-${module.key}`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts),
                    new aws.s3.BucketServerSideEncryptionConfiguration(
                        `${name}-${module.key}`,
                        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] },
                        opts,
                    ),
                    new aws.s3.BucketLifecycleConfiguration(
                        `${name}-${module.key}`,
                        {
                            bucket: bucket.id,
                            rules: [
                                { id: "expire-replaced-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: spec.noncurrentVersionDays } },
                                { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: spec.abortIncompleteUploadDays } },
                            ],
                        },
                        opts,
                    ),
                ];
                return { resources: [bucket, ...settings].map(declared), name: deferred(bucket.bucket), arn: deferred(bucket.arn), keyArn: deferred(key.arn) };
            },
            helmRelease(values, dependsOn) {
                if (install.kind !== "helm") {
                    throw new Error(`add-on ${module.key} is an EKS add-on, not a Helm release`);
                }
                const chart = HELM_CHARTS[install.chart];
                // An OCI registry is named in the chart reference, not as a repository.
                const source = chart.repo.startsWith("oci://") ? { chart: `${chart.repo}/${chart.chart}` } : { chart: chart.chart, repositoryOpts: { repo: chart.repo } };
                return declared(
                    new k8s.helm.v3.Release(
                        `${name}-${install.chart}`,
                        {
                            name: install.chart,
                            ...source,
                            version: chartVersion(install.chart, args.config.versionOverrides),
                            namespace: install.namespace,
                            values,
                            atomic: true,
                            cleanupOnFail: true,
                            timeout: 600,
                        },
                        { parent: component, provider: cluster.provider, dependsOn: [...resources(dependsOn), ...waitFor] },
                    ),
                );
            },
        };
        module.deploy(ctx);
    }
    return roles;
}
