import * as aws from "@pulumi/aws";
import { serviceTrustPolicy } from "../core/iam/trustPolicy";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { customResourceProblems } from "../migration/translate/customResources";
import { karpenterNames } from "./iam/karpenterPolicy";
import { DISCOVERY_TAG, ec2NodeClass, nodePools } from "./karpenterObjects";

export interface KarpenterArgs {
    readonly clusterName: string;
    readonly partition: string;
    readonly privateSubnetIds: pulumi.Input<string[]>;
    readonly privateSubnetCount: number;
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    /** Root volume of the nodes it launches, GiB: the node groups' largest. */
    readonly diskSizeGiB: number;
    readonly provider: k8s.Provider;
    readonly tags: Readonly<Record<string, string>>;
}

/** The EventBridge events Karpenter drains nodes ahead of (getting-started cloudformation.yaml at the pinned release commit). */
const INTERRUPTION_EVENTS: Readonly<Record<string, { source: string; detailType: string }>> = {
    "scheduled-change": { source: "aws.health", detailType: "AWS Health Event" },
    "spot-interruption": { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
    rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
    "instance-state-change": { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
    "capacity-reservation-interruption": { source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
};

const NODE_POLICIES = ["AmazonEKS_CNI_Policy", "AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"];

/**
 * What Karpenter needs besides its controller (components/addons/karpenter.ts):
 * the role its nodes run as and the access entry that lets them join, the
 * interruption queue (SSE) fed by EventBridge, the discovery tags on the
 * private subnets and the node security group, and the EC2NodeClass and
 * NodePools, checked against the CRD contract before they are declared.
 */
export class Karpenter extends pulumi.ComponentResource {
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly queueUrl: pulumi.Output<string>;

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:platform:Karpenter", name, {}, opts);
        const names = karpenterNames(args.clusterName);
        const tags = { ...args.tags };

        // Trusted for this account only, like the node groups' role (the policy pack's service-trust-source-account).
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const role = new aws.iam.Role(
            `${name}-node`,
            {
                name: names.nodeRole,
                description: `Nodes Karpenter launches for ${args.clusterName}`,
                assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com", "sts:AssumeRole", a))),
                tags,
            },
            { parent: this },
        );
        const attachments = NODE_POLICIES.map(
            (p) => new aws.iam.RolePolicyAttachment(`${name}-node-${p}`, { role: role.name, policyArn: `arn:${args.partition}:iam::aws:policy/${p}` }, { parent: this }),
        );
        // Karpenter makes the instance profile itself (the controller's policy allows only tagged ones); EKS lets the role join.
        const access = new aws.eks.AccessEntry(`${name}-node`, { clusterName: args.clusterName, principalArn: role.arn, type: "EC2_LINUX", tags }, { parent: this, dependsOn: attachments });

        const queue = new aws.sqs.Queue(`${name}-interruption`, { name: names.queue, messageRetentionSeconds: 300, sqsManagedSseEnabled: true, tags }, { parent: this });
        new aws.sqs.QueuePolicy(
            `${name}-interruption`,
            {
                queueUrl: queue.url,
                policy: queue.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Id: "EC2InterruptionPolicy",
                        Statement: [
                            { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: arn },
                            { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        for (const [key, event] of Object.entries(INTERRUPTION_EVENTS)) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${key}`,
                { description: `${event.detailType} → Karpenter (${args.clusterName})`, eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }), tags },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(`${name}-${key}`, { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: queue.arn }, { parent: this });
        }

        const subnetIds = pulumi.output(args.privateSubnetIds);
        for (let i = 0; i < args.privateSubnetCount; i++) {
            new aws.ec2.Tag(`${name}-subnet-${i}`, { resourceId: subnetIds.apply((ids) => ids[i]), key: DISCOVERY_TAG, value: args.clusterName }, { parent: this });
        }
        new aws.ec2.Tag(`${name}-node-sg`, { resourceId: args.nodeSecurityGroupId, key: DISCOVERY_TAG, value: args.clusterName }, { parent: this });

        const objects = [ec2NodeClass(args.clusterName, names.nodeRole, args.diskSizeGiB, tags), ...nodePools()];
        const problems = objects.flatMap((o) => customResourceProblems(o).map((p) => `${o.kind} ${o.metadata.name}: ${p}`));
        if (problems.length > 0) {
            throw new pulumi.RunError(`Karpenter objects the pinned CRDs would not accept:\n${problems.join("\n")}`);
        }
        let nodeClass: k8s.apiextensions.CustomResource | undefined;
        for (const o of objects) {
            const { apiVersion, kind, metadata, ...rest } = o;
            const cr = new k8s.apiextensions.CustomResource(
                `${name}-${kind.toLowerCase()}-${metadata.name}`,
                { apiVersion, kind, metadata: { name: metadata.name }, ...rest },
                { parent: this, provider: args.provider, dependsOn: nodeClass ? [nodeClass, access] : [access] },
            );
            nodeClass ??= cr;
        }
        this.nodeRoleArn = role.arn;
        this.queueUrl = queue.url;
        this.registerOutputs({ nodeRoleArn: this.nodeRoleArn, queueUrl: this.queueUrl });
    }
}
