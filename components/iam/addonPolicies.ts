import loadBalancerControllerPolicyJson from "./aws-load-balancer-controller-policy.json";
import { PolicyDocument, policy } from "../../core/iam/policyDocument";

/**
 * The AWS Load Balancer Controller's published IAM policy (docs/install/iam_policy.json
 * of the controller release matching the pinned chart), kept verbatim as JSON so an
 * upgrade is a diff against upstream. Partition-specific ARNs are rewritten.
 */
export function loadBalancerControllerPolicy(partition: string): PolicyDocument {
    const text = JSON.stringify(loadBalancerControllerPolicyJson);
    return JSON.parse(text.split("arn:aws:").join(`arn:${partition}:`)) as PolicyDocument;
}

/**
 * Cluster Autoscaler: read anything about Auto Scaling and instance types, but
 * change the size of, or terminate instances in, only the Auto Scaling groups
 * tagged as this cluster's (EKS tags its managed node groups' groups so).
 */
export function clusterAutoscalerPolicy(clusterName: string, partition: string, region: string, account: string): PolicyDocument {
    return policy(
        {
            Sid: "Discover",
            Effect: "Allow",
            Action: [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            Resource: "*",
        },
        {
            Sid: "DescribeOwnNodeGroups",
            Effect: "Allow",
            Action: ["eks:DescribeNodegroup"],
            Resource: `arn:${partition}:eks:${region}:${account}:nodegroup/${clusterName}/*`,
        },
        {
            Sid: "ScaleOwnNodeGroups",
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: "*",
            Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
        },
    );
}

/**
 * KEDA's operator identity for the aws-sqs-queue and aws-cloudwatch scalers:
 * read queue depth in this account and region, read CloudWatch metrics. No
 * message is ever received or deleted.
 */
export function kedaPolicy(partition: string, region: string, account: string): PolicyDocument {
    return policy(
        {
            Sid: "ReadQueueDepth",
            Effect: "Allow",
            Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            Resource: `arn:${partition}:sqs:${region}:${account}:*`,
        },
        {
            Sid: "ReadMetrics",
            Effect: "Allow",
            Action: ["cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"],
            Resource: "*",
        },
    );
}
