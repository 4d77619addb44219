import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NodeGroupConfig, TaintEffect } from "../config";
import { awsServiceRole } from "./iam/serviceRole";
import { autoscalerDiscoveryTags } from "../core/tags";

/**
 * What a node needs and no more: join the cluster and pull images from ECR.
 * The VPC CNI's permissions belong to its own role (CoreAddons), not to every
 * process on the node.
 */
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;

export interface NodeGroupsArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly groups: readonly NodeGroupConfig[];
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Partition for managed policy ARNs. Default "aws". */
    readonly partition?: string;
    readonly tags?: Readonly<Record<string, string>>;
}

const NODE_TEMPLATE_PREFIX = "k8s.io/cluster-autoscaler/node-template/";

const KUBERNETES_EFFECT: Readonly<Record<TaintEffect, string>> = {
    NO_SCHEDULE: "NoSchedule",
    NO_EXECUTE: "NoExecute",
    PREFER_NO_SCHEDULE: "PreferNoSchedule",
};

/**
 * Tags that tell Cluster Autoscaler what a node of an empty group would look
 * like, so it can scale a group up from zero for pods that need its labels or
 * tolerate its taints.
 */
export function nodeTemplateTags(group: NodeGroupConfig): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(group.labels)) {
        tags[`${NODE_TEMPLATE_PREFIX}label/${key}`] = value;
    }
    for (const taint of group.taints) {
        tags[`${NODE_TEMPLATE_PREFIX}taint/${taint.key}`] = `${taint.value}:${KUBERNETES_EFFECT[taint.effect]}`;
    }
    return tags;
}

/**
 * EKS managed node groups on private subnets, sharing one least-privilege node
 * role, each with a launch template that forces IMDSv2 with a hop limit of 1:
 * a pod's extra network hop cannot reach the instance metadata, so pods can't
 * borrow the node role.
 */
export class NodeGroups extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly nodeGroupNames: pulumi.Output<string[]>;

    constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:platform:NodeGroups", name, {}, opts);
        const partition = args.partition ?? "aws";

        const { role, attachments } = awsServiceRole(
            `${name}-node`,
            { service: "ec2.amazonaws.com", actions: "sts:AssumeRole", description: "EKS managed node groups", managedPolicies: NODE_MANAGED_POLICIES, partition, tags: args.tags },
            this,
        );

        const groups = args.groups.map((group) => {
            const groupName = `${name}-${group.name}`;
            const launchTemplate = new aws.ec2.LaunchTemplate(
                groupName,
                {
                    description: `Node group ${group.name}: IMDSv2 only, encrypted root volume`,
                    metadataOptions: {
                        httpEndpoint: "enabled",
                        httpTokens: "required",
                        httpPutResponseHopLimit: 1,
                        instanceMetadataTags: "disabled",
                    },
                    blockDeviceMappings: [
                        {
                            deviceName: group.amiType.startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda",
                            ebs: { volumeSize: group.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                        },
                    ],
                    tagSpecifications: [
                        { resourceType: "instance", tags: { ...args.tags, "ecs2eks/node-group": group.name } },
                        { resourceType: "volume", tags: { ...args.tags, "ecs2eks/node-group": group.name } },
                    ],
                    updateDefaultVersion: true,
                    tags: { ...args.tags },
                },
                { parent: this },
            );
            const nodeGroup = new aws.eks.NodeGroup(
                groupName,
                {
                    clusterName: args.clusterName,
                    nodeGroupName: group.name,
                    nodeRoleArn: role.arn,
                    subnetIds: args.subnetIds,
                    instanceTypes: [...group.instanceTypes],
                    capacityType: group.capacityType,
                    amiType: group.amiType,
                    scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
                    updateConfig: { maxUnavailable: 1 },
                    nodeRepairConfig: { enabled: true },
                    launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                    labels: { ...group.labels },
                    taints: group.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
                    tags: pulumi.output(args.clusterName).apply((cluster) => ({
                        ...args.tags,
                        ...autoscalerDiscoveryTags(cluster),
                        ...nodeTemplateTags(group),
                    })),
                },
                // Cluster Autoscaler owns the desired size once the group exists.
                { parent: this, dependsOn: attachments, ignoreChanges: ["scalingConfig.desiredSize"] },
            );
            // Node group tags do not reach the Auto Scaling group that Cluster
            // Autoscaler reads; EKS adds the discovery tags there itself, the
            // node-template ones we add.
            Object.entries(nodeTemplateTags(group)).forEach(([key, value]) => {
                new aws.autoscaling.Tag(
                    `${groupName}-${key.slice(NODE_TEMPLATE_PREFIX.length)}`,
                    {
                        autoscalingGroupName: nodeGroup.resources.apply((r) => r[0].autoscalingGroups[0].name),
                        tag: { key, value, propagateAtLaunch: false },
                    },
                    { parent: this },
                );
            });
            return nodeGroup;
        });

        this.roleArn = role.arn;
        this.nodeGroupNames = pulumi.all(groups.map((g) => g.nodeGroupName));
        this.registerOutputs({ roleArn: this.roleArn, nodeGroupNames: this.nodeGroupNames });
    }
}
