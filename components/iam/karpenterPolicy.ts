import { PolicyDocument, policy } from "../../core/iam/policyDocument";

/** The names Karpenter's resources get, so its controller's settings and policy can name them before they exist. */
export function karpenterNames(clusterName: string): { readonly nodeRole: string; readonly queue: string } {
    return { nodeRole: `${clusterName}-karpenter-node`.slice(0, 64), queue: `${clusterName}-karpenter`.slice(0, 80) };
}

/**
 * Karpenter's controller, scoped as its getting-started policies scope it
 * (aws/karpenter-provider-aws, release commit fe623d537f85b0e6a69fc3eebc3692f80efda891
 * "chore: Release v1.13.0", website/content/en/v1.13/getting-started/
 * getting-started-with-karpenter/cloudformation.yaml, sha256 7ffeb01f…):
 * launch and tag instances, fleets, volumes and launch templates only with
 * this cluster's ownership tag and a NodePool tag, terminate only those,
 * pass only its node role to EC2, manage only instance profiles tagged for
 * an EC2NodeClass of this cluster, read the interruption queue, describe
 * this cluster, and read EC2 catalogue data in this region.
 */
export function karpenterControllerPolicy(clusterName: string, partition: string, region: string, account: string): PolicyDocument {
    const ec2 = (type: string) => `arn:${partition}:ec2:${region}:*:${type}/*`;
    const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" };
    const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": clusterName };
    const launched = ["fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"].map(ec2);
    const profile = `arn:${partition}:iam::${account}:instance-profile/*`;
    const names = karpenterNames(clusterName);
    return policy(
        {
            Sid: "AllowScopedEC2InstanceAccessActions",
            Effect: "Allow",
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            Resource: [`arn:${partition}:ec2:${region}::image/*`, `arn:${partition}:ec2:${region}::snapshot/*`, ...["security-group", "subnet", "capacity-reservation", "placement-group"].map(ec2)],
        },
        {
            Sid: "AllowScopedEC2LaunchTemplateAccessActions",
            Effect: "Allow",
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            Resource: ec2("launch-template"),
            Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
        },
        {
            Sid: "AllowScopedEC2InstanceActionsWithTags",
            Effect: "Allow",
            Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
            Resource: launched,
            Condition: { StringEquals: requestOwned, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
        },
        {
            Sid: "AllowScopedResourceCreationTagging",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: launched,
            Condition: { StringEquals: { ...requestOwned, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] }, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
        },
        {
            Sid: "AllowScopedResourceTagging",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: ec2("instance"),
            Condition: {
                StringEquals: owned,
                StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": clusterName },
                "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
            },
        },
        {
            Sid: "AllowScopedDeletion",
            Effect: "Allow",
            Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
            Resource: [ec2("instance"), ec2("launch-template")],
            Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
        },
        {
            Sid: "AllowPassingInstanceRole",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: `arn:${partition}:iam::${account}:role/${names.nodeRole}`,
            Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
        },
        {
            Sid: "AllowScopedInstanceProfileCreationActions",
            Effect: "Allow",
            Action: ["iam:CreateInstanceProfile"],
            Resource: profile,
            Condition: { StringEquals: { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": region }, StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
        },
        {
            Sid: "AllowScopedInstanceProfileTagActions",
            Effect: "Allow",
            Action: ["iam:TagInstanceProfile"],
            Resource: profile,
            Condition: {
                StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": region, ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": region },
                StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
            },
        },
        {
            Sid: "AllowScopedInstanceProfileActions",
            Effect: "Allow",
            Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
            Resource: profile,
            Condition: { StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": region }, StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
        },
        { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Action: ["eks:DescribeCluster"], Resource: `arn:${partition}:eks:${region}:${account}:cluster/${clusterName}` },
        {
            Sid: "AllowInterruptionQueueActions",
            Effect: "Allow",
            Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
            Resource: `arn:${partition}:sqs:${region}:${account}:${names.queue}`,
        },
        {
            Sid: "AllowRegionalReadActions",
            Effect: "Allow",
            Action: [
                "ec2:DescribeCapacityReservations",
                "ec2:DescribeImages",
                "ec2:DescribeInstances",
                "ec2:DescribeInstanceStatus",
                "ec2:DescribeInstanceTypeOfferings",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplates",
                "ec2:DescribePlacementGroups",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSpotPriceHistory",
                "ec2:DescribeSubnets",
            ],
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": region } },
        },
        { Sid: "AllowSSMReadActions", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*` },
        { Sid: "AllowPricingReadActions", Effect: "Allow", Action: ["pricing:GetProducts"], Resource: "*" },
        { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Action: ["iam:ListInstanceProfiles"], Resource: "*" },
        { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Action: ["iam:GetInstanceProfile"], Resource: profile },
    );
}
