import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IdentityMode } from "../config";
import { PolicyDocument } from "../core/iam/policyDocument";
import { workloadTrust } from "./iam/workloadTrust";

export interface IrsaRoleArgs {
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
 */
export class IrsaRole extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    readonly serviceAccount?: k8s.core.v1.ServiceAccount;

    constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:identity:IrsaRole", name, {}, opts);
        const trust = workloadTrust({ name: args.clusterName, oidcProviderArn: args.oidcProviderArn, oidcProviderUrl: args.oidcProviderUrl }, this)(
            args.mode,
            args.namespace,
            args.serviceAccountName,
        );
        const role = new aws.iam.Role(
            name,
            {
                description: args.description ?? `Service account ${args.namespace}/${args.serviceAccountName}`,
                assumeRolePolicy: trust,
                maxSessionDuration: 3600,
                tags: { ...args.tags, "ecs2eks:service-account": `${args.namespace}.${args.serviceAccountName}` },
            },
            { parent: this },
        );
        const grants: pulumi.Resource[] = [];
        for (const policyArn of args.managedPolicyArns ?? []) {
            grants.push(
                new aws.iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop()}`, { role: role.name, policyArn }, { parent: this }),
            );
        }
        for (const [policyName, document] of Object.entries(args.inlinePolicies ?? {})) {
            grants.push(
                new aws.iam.RolePolicy(
                    `${name}-${policyName}`,
                    { role: role.name, name: policyName, policy: pulumi.output(document).apply((d) => JSON.stringify(d)) },
                    { parent: this },
                ),
            );
        }

        if (args.mode === "pod-identity") {
            new aws.eks.PodIdentityAssociation(
                name,
                { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccountName, roleArn: role.arn },
                { parent: this, dependsOn: grants },
            );
        }
        if (args.createServiceAccount ?? true) {
            if (!args.provider) {
                throw new Error(`IrsaRole ${name}: a Kubernetes provider is needed to create service account ${args.namespace}/${args.serviceAccountName}`);
            }
            this.serviceAccount = new k8s.core.v1.ServiceAccount(
                name,
                {
                    metadata: {
                        name: args.serviceAccountName,
                        namespace: args.namespace,
                        annotations: args.mode === "irsa" ? { "eks.amazonaws.com/role-arn": role.arn } : {},
                    },
                },
                // Pods must not start before the role can do what they need.
                { parent: this, provider: args.provider, dependsOn: grants },
            );
        }

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
