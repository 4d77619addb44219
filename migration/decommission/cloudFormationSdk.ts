/**
 * The AWS side of the CloudFormation reader, through the AWS SDK v3
 * client-cloudformation. That client is not a dependency of this project
 * yet (it was not in the shared install when the reader was written), so it
 * is loaded when a --ecs-cfn-stack asks for it, and its absence is an error
 * that says what to install. Once it is in package.json, this file is the
 * only one that changes (a static import instead of the require).
 */
import { ExpectedError } from "../../core/errors";
import { CloudFormationApi, StackResourceSummary } from "./cloudFormation";

/** The three commands and the client, as much of their shape as the reader uses. */
interface SdkModule {
    CloudFormationClient: new (config: { region?: string }) => { send(command: unknown): Promise<unknown> };
    DescribeStacksCommand: new (input: { StackName: string }) => unknown;
    ListStackResourcesCommand: new (input: { StackName: string; NextToken?: string }) => unknown;
    GetTemplateCommand: new (input: { StackName: string; TemplateStage?: string }) => unknown;
}

export const CLOUDFORMATION_CLIENT = "@aws-sdk/client-cloudformation";

function loadSdk(): SdkModule {
    try {
        // A variable, not a literal: the module is optional, and tsc must not resolve it.
        const name: string = CLOUDFORMATION_CLIENT;
        return require(name) as SdkModule;
    } catch {
        throw new ExpectedError(
            `--ecs-cfn-stack needs the AWS SDK's CloudFormation client, which is not installed: npm install ${CLOUDFORMATION_CLIENT} (the version of the other @aws-sdk clients in package.json); or read the stack in its own terms: --ecs-state with a Pulumi export or terraform show -json`,
        );
    }
}

export function sdkCloudFormationApi(region: string | undefined): CloudFormationApi {
    const sdk = loadSdk();
    const client = new sdk.CloudFormationClient(region ? { region } : {});
    return {
        async describeStack(stackName) {
            try {
                const out = (await client.send(new sdk.DescribeStacksCommand({ StackName: stackName }))) as { Stacks?: { StackId?: string; StackStatus?: string }[] };
                return out.Stacks?.[0];
            } catch (err) {
                // DescribeStacks answers a missing stack with a ValidationError, not an empty list.
                if (err instanceof Error && /does not exist/.test(err.message)) {
                    return undefined;
                }
                throw err;
            }
        },
        async listStackResources(stackName, nextToken) {
            return (await client.send(new sdk.ListStackResourcesCommand({ StackName: stackName, ...(nextToken ? { NextToken: nextToken } : {}) }))) as {
                StackResourceSummaries?: StackResourceSummary[];
                NextToken?: string;
            };
        },
        async getTemplate(stackName) {
            return ((await client.send(new sdk.GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" }))) as { TemplateBody?: string }).TemplateBody;
        },
    };
}
