import { DescribeSecurityGroupsCommand, SecurityGroup } from "@aws-sdk/client-ec2";
import { Aws } from "./aws";
import { chunk, distinct, mapLimit } from "./concurrency";

const BATCH = 100;

/** The services' and load balancers' security groups with their rules, so EKS can get copies. */
export async function readSecurityGroups(aws: Aws, groupIds: readonly string[], concurrency: number): Promise<SecurityGroup[]> {
    const ids = distinct(groupIds);
    return (
        await mapLimit(chunk(ids, BATCH), concurrency, async (batch) =>
            (await aws.call("ec2", "DescribeSecurityGroups", batch[0], () => aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: batch })))).SecurityGroups ?? [],
        )
    ).flat();
}
