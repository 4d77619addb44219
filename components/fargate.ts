import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FARGATE_LABEL } from "../migration/capacity/fargate";
import { awsServiceRole } from "./iam/serviceRole";

export interface FargateProfilesArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly namespaces: readonly string[];
    /** Fargate runs pods in private subnets only. */
    readonly privateSubnetIds: pulumi.Input<string[]>;
    readonly partition: string;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * One Fargate profile per namespace of cluster:fargateNamespaces, selecting
 * the pods the plan labelled for Fargate (migration/capacity/fargate.ts), with
 * the pod execution role that pulls images and ships logs for them.
 */
export class FargateProfiles extends pulumi.ComponentResource {
    constructor(name: string, args: FargateProfilesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:platform:FargateProfiles", name, {}, opts);
        const { role, attachments } = awsServiceRole(
            `${name}-pod-execution`,
            {
                service: "eks-fargate-pods.amazonaws.com",
                actions: "sts:AssumeRole",
                description: "EKS Fargate pod execution",
                managedPolicies: ["AmazonEKSFargatePodExecutionRolePolicy"],
                partition: args.partition,
                tags: args.tags,
            },
            this,
        );
        for (const namespace of args.namespaces) {
            new aws.eks.FargateProfile(
                `${name}-${namespace}`,
                {
                    clusterName: args.clusterName,
                    fargateProfileName: namespace,
                    podExecutionRoleArn: role.arn,
                    subnetIds: args.privateSubnetIds,
                    selectors: [{ namespace, labels: { [FARGATE_LABEL.key]: FARGATE_LABEL.value } }],
                    tags: { ...args.tags },
                },
                { parent: this, dependsOn: attachments },
            );
        }
        this.registerOutputs({});
    }
}
