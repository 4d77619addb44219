import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IdentityMode } from "../config";
import { PolicyDocument } from "../core/iam/policyDocument";
import { eksClusterArn, workloadTrustPolicy } from "../core/iam/trustPolicy";

/** The annotation that tells the EKS pod identity webhook which role a service account's pods assume (IRSA). */
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface ServiceAccountRoleSpec {
    /** irsa: trust the cluster's OIDC provider; pod-identity: trust EKS Pod Identity and associate. */
    readonly mode: IdentityMode;
    readonly namespace: string;
    readonly serviceAccountName: string;
    readonly description: string;
    /** The role's other inputs (tags, and for cloned task roles their embedded policies); its trust is built here. */
    readonly role?: Omit<aws.iam.RoleArgs, "assumeRolePolicy" | "description">;
    /** AWS-managed policies attached one resource each (`<role>-<policy name>`), so each shows in a diff. */
    readonly managedPolicyArns?: readonly string[];
    /** Inline policies by name, one resource each (`<role>-<name>`). */
    readonly inlinePolicies?: Readonly<Record<string, pulumi.Input<PolicyDocument>>>;
}

export interface DeclaredServiceAccountRole {
    readonly role: aws.iam.Role;
    /** What the service account's pods may do only once it exists: the attached policies. */
    readonly grants: readonly pulumi.Resource[];
    /**
     * The annotations the service account must carry: the role ARN with IRSA;
     * none with Pod Identity, where the association names the account.
     */
    readonly annotations?: Readonly<Record<string, pulumi.Output<string>>>;
}

/** The cluster whose service accounts the roles trust. */
export interface TrustedCluster {
    readonly name: pulumi.Input<string>;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
}

/**
 * The trust policy (JSON) of a role for one service account of the cluster,
 * built by the pure workloadTrustPolicy. The account and the cluster's ARN,
 * which Pod Identity trusts name, are looked up once and only when needed.
 */
function workloadTrust(cluster: TrustedCluster, parent: pulumi.Resource): (mode: IdentityMode, namespace: string, serviceAccount: string) => pulumi.Output<string> {
    let podIdentityScope: pulumi.Output<{ account: string; clusterArn: string }> | undefined;
    const scope = () =>
        (podIdentityScope ??= pulumi
            .all([
                aws.getCallerIdentityOutput({}, { parent }).accountId,
                aws.getPartitionOutput({}, { parent }).partition,
                aws.getRegionOutput({}, { parent }).region,
                cluster.name,
            ])
            .apply(([account, partition, region, name]) => ({ account, clusterArn: eksClusterArn(partition, region, account, name) })));
    return (mode, namespace, serviceAccount) =>
        mode === "irsa"
            ? pulumi
                  .all([cluster.oidcProviderArn, cluster.oidcProviderUrl])
                  .apply(([oidcProviderArn, oidcProviderUrl]) => JSON.stringify(workloadTrustPolicy({ mode, oidcProviderArn, oidcProviderUrl }, namespace, serviceAccount)))
            : scope().apply(({ account, clusterArn }) => JSON.stringify(workloadTrustPolicy({ mode, account, clusterArn }, namespace, serviceAccount)));
}

/** Declares roles for service accounts of one cluster. */
export interface ServiceAccountRoles {
    declare(name: string, spec: ServiceAccountRoleSpec, parent: pulumi.Resource): DeclaredServiceAccountRole;
}

/**
 * The one way a role for a Kubernetes service account is made, for the
 * add-on controllers and the migrated workloads alike: the trust for exactly
 * that account (components/iam/trustPolicy.ts), the role, its policies and,
 * with Pod Identity, the association that binds it. Resources are declared
 * under the given parent, so callers keep their resources' URNs. The
 * lookups Pod Identity trusts need are made once per call of this function,
 * parented to lookupParent.
 */
export function serviceAccountRoles(cluster: TrustedCluster, lookupParent: pulumi.Resource): ServiceAccountRoles {
    const trust = workloadTrust(cluster, lookupParent);
    return {
        declare(name, spec, parent) {
            const role = new aws.iam.Role(
                name,
                { description: spec.description, assumeRolePolicy: trust(spec.mode, spec.namespace, spec.serviceAccountName), ...spec.role },
                { parent },
            );
            const grants: pulumi.Resource[] = [];
            for (const policyArn of spec.managedPolicyArns ?? []) {
                grants.push(new aws.iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop()}`, { role: role.name, policyArn }, { parent }));
            }
            for (const [policyName, document] of Object.entries(spec.inlinePolicies ?? {})) {
                grants.push(
                    new aws.iam.RolePolicy(
                        `${name}-${policyName}`,
                        { role: role.name, name: policyName, policy: pulumi.output(document).apply((d) => JSON.stringify(d)) },
                        { parent },
                    ),
                );
            }
            if (spec.mode === "pod-identity") {
                new aws.eks.PodIdentityAssociation(
                    name,
                    { clusterName: cluster.name, namespace: spec.namespace, serviceAccount: spec.serviceAccountName, roleArn: role.arn },
                    { parent, dependsOn: grants },
                );
                return { role, grants };
            }
            return { role, grants, annotations: { [ROLE_ARN_ANNOTATION]: role.arn } };
        },
    };
}

export interface ServiceAccountRoleArgs {
    /** irsa: trust the cluster's OIDC provider; pod-identity: trust EKS Pod Identity and associate. */
    readonly mode: IdentityMode;
    readonly clusterName: pulumi.Input<string>;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
    readonly namespace: string;
    readonly serviceAccountName: string;
    /**
     * Create the ServiceAccount (default true). Off when something else owns
     * it, like an EKS add-on; the role is then handed to that owner.
     */
    readonly createServiceAccount?: boolean;
    /** Kubernetes provider; required when createServiceAccount is on. */
    readonly provider?: k8s.Provider;
    readonly managedPolicyArns?: readonly string[];
    /** Inline policies by name; each becomes `<role>-<name>`. */
    readonly inlinePolicies?: Readonly<Record<string, pulumi.Input<PolicyDocument>>>;
    readonly description?: string;
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An IAM role for exactly one Kubernetes service account, and that service
 * account. With IRSA the trust names the account by `sub` and `aud` with
 * StringEquals; with Pod Identity the association names it, and the trust
 * accepts only that account, cluster, namespace and service account.
 *
 * Its type token is still `ecs2eks:identity:IrsaRole`, the class's former
 * name: a new token would give every role of a running stack a new URN, and
 * Pulumi would replace them.
 */
export class ServiceAccountRole extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    readonly serviceAccount?: k8s.core.v1.ServiceAccount;

    constructor(name: string, args: ServiceAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:identity:IrsaRole", name, {}, opts);
        const cluster = { name: args.clusterName, oidcProviderArn: args.oidcProviderArn, oidcProviderUrl: args.oidcProviderUrl };
        const { role, grants, annotations } = serviceAccountRoles(cluster, this).declare(
            name,
            {
                mode: args.mode,
                namespace: args.namespace,
                serviceAccountName: args.serviceAccountName,
                description: args.description ?? `Service account ${args.namespace}/${args.serviceAccountName}`,
                role: { maxSessionDuration: 3600, tags: { ...args.tags, "ecs2eks:service-account": `${args.namespace}.${args.serviceAccountName}` } },
                managedPolicyArns: args.managedPolicyArns,
                inlinePolicies: args.inlinePolicies,
            },
            this,
        );
        if (args.createServiceAccount ?? true) {
            if (!args.provider) {
                throw new Error(`ServiceAccountRole ${name}: a Kubernetes provider is needed to create service account ${args.namespace}/${args.serviceAccountName}`);
            }
            this.serviceAccount = new k8s.core.v1.ServiceAccount(
                name,
                { metadata: { name: args.serviceAccountName, namespace: args.namespace, annotations: annotations ?? {} } },
                // Pods must not start before the role can do what they need.
                { parent: this, provider: args.provider, dependsOn: [...grants] },
            );
        }

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
