import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../../core/iam/trustPolicy";

export interface ServiceRoleArgs {
    /** The AWS service that assumes it, e.g. ec2.amazonaws.com. */
    readonly service: string;
    readonly actions: string | readonly string[];
    readonly description: string;
    /** AWS-managed policy names to attach, e.g. AmazonEKSWorkerNodePolicy. */
    readonly managedPolicies: readonly string[];
    readonly partition: string;
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A role an AWS service assumes, trusted for this account only (see
 * serviceTrustPolicy), with AWS-managed policies attached one resource each
 * (so changes show per policy).
 */
export function awsServiceRole(name: string, args: ServiceRoleArgs, parent: pulumi.Resource): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
    const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const role = new aws.iam.Role(
        name,
        {
            description: args.description,
            assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrustPolicy(args.service, args.actions, a))),
            tags: { ...args.tags },
        },
        { parent },
    );
    const attachments = args.managedPolicies.map(
        (policy) => new aws.iam.RolePolicyAttachment(`${name}-${policy}`, { role: role.name, policyArn: `arn:${args.partition}:iam::aws:policy/${policy}` }, { parent }),
    );
    return { role, attachments };
}
