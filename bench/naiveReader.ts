import { DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand } from "@aws-sdk/client-application-auto-scaling";
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ListServicesCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRoleCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { Aws } from "../migration/ecs/aws";

/**
 * The reader most scripts start as: one service at a time, one call per
 * question (describe it, its task definition, its scaling, its target group,
 * its role). The baseline the benchmark compares against; it reads the same
 * kinds of things, not to the same depth.
 */
export async function naiveRead(aws: Aws, cluster: string): Promise<number> {
    await aws.call("ecs", "DescribeClusters", cluster, () => aws.ecs.send(new DescribeClustersCommand({ clusters: [cluster] })));
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await aws.call("ecs", "ListServices", cluster, () => aws.ecs.send(new ListServicesCommand({ cluster, nextToken })));
        arns.push(...(page.serviceArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    for (const arn of arns) {
        const service = (await aws.call("ecs", "DescribeServices", arn, () => aws.ecs.send(new DescribeServicesCommand({ cluster, services: [arn] })))).services?.[0];
        const td = await aws.call("ecs", "DescribeTaskDefinition", arn, () => aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition })));
        const resourceId = `service/${cluster}/${service?.serviceName}`;
        await aws.call("application-autoscaling", "DescribeScalableTargets", resourceId, () =>
            aws.autoScaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: [resourceId] })),
        );
        await aws.call("application-autoscaling", "DescribeScalingPolicies", resourceId, () =>
            aws.autoScaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs", ResourceId: resourceId })),
        );
        for (const lb of service?.loadBalancers ?? []) {
            await aws.call("elasticloadbalancing", "DescribeTargetGroups", arn, () => aws.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [lb.targetGroupArn ?? ""] })));
        }
        const role = td.taskDefinition?.taskRoleArn?.split("/").pop();
        if (role) {
            await aws.call("iam", "GetRole", role, () => aws.iam.send(new GetRoleCommand({ RoleName: role })));
            await aws.call("iam", "ListRolePolicies", role, () => aws.iam.send(new ListRolePoliciesCommand({ RoleName: role })));
        }
    }
    return arns.length;
}
