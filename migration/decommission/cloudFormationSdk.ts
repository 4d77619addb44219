/** The AWS side of the CloudFormation reader, through the AWS SDK v3 client-cloudformation. */
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { CloudFormationApi } from "./cloudFormation";

export function sdkCloudFormationApi(region: string | undefined): CloudFormationApi {
    const client = new CloudFormationClient(region ? { region } : {});
    return {
        async describeStack(stackName) {
            try {
                return (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
            } catch (err) {
                // DescribeStacks answers a missing stack with a ValidationError, not an empty list.
                if (err instanceof Error && /does not exist/.test(err.message)) {
                    return undefined;
                }
                throw err;
            }
        },
        async listStackResources(stackName, nextToken) {
            return client.send(new ListStackResourcesCommand({ StackName: stackName, ...(nextToken ? { NextToken: nextToken } : {}) }));
        },
        async getTemplate(stackName) {
            return (await client.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" }))).TemplateBody;
        },
    };
}
