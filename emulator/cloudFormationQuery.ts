/**
 * CloudFormation's Query API spoken to moto on loopback, unsigned: enough
 * of CreateStack, DescribeStacks, ListStackResources and GetTemplate to
 * create the sample's ECS stack in moto and read it back through the
 * decommission check's CloudFormationApi. The project has no
 * CloudFormation SDK client yet (see migration/decommission/cloudFormationSdk.ts);
 * this is for the emulator only and refuses any other host.
 */
import { CloudFormationApi, StackResourceSummary } from "../migration/decommission/cloudFormation";

const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
const field = (xml: string, name: string): string | undefined => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
    return m ? unescape(m[1]) : undefined;
};

export class CloudFormationQueryError extends Error {}

export function motoCloudFormation(endpoint: string): CloudFormationApi & { createStack(name: string, templateBody: string): Promise<string> } {
    const url = new URL(endpoint);
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
        throw new CloudFormationQueryError(`the Query client talks to a local emulator only, not ${url.hostname}`);
    }
    const call = async (action: string, params: Record<string, string>): Promise<string> => {
        const body = new URLSearchParams({ Action: action, Version: "2010-05-15", ...params });
        const res = await fetch(endpoint, {
            method: "POST",
            headers: {
                "content-type": "application/x-www-form-urlencoded",
                // moto picks the service from the credential scope of the (unchecked) signature.
                authorization: "AWS4-HMAC-SHA256 Credential=testing/20261127/us-east-1/cloudformation/aws4_request, SignedHeaders=host, Signature=0",
            },
            body: body.toString(),
        });
        const text = await res.text();
        if (!res.ok) {
            throw new CloudFormationQueryError(`${action}: ${field(text, "Message") ?? text.slice(0, 300)}`);
        }
        return text;
    };
    return {
        async createStack(name, templateBody) {
            return field(await call("CreateStack", { StackName: name, TemplateBody: templateBody }), "StackId") ?? "";
        },
        async describeStack(stackName) {
            try {
                const xml = await call("DescribeStacks", { StackName: stackName });
                return { StackId: field(xml, "StackId"), StackStatus: field(xml, "StackStatus") };
            } catch (err) {
                if (err instanceof CloudFormationQueryError && /does not exist/.test(err.message)) {
                    return undefined;
                }
                throw err;
            }
        },
        async listStackResources(stackName, nextToken) {
            const xml = await call("ListStackResources", { StackName: stackName, ...(nextToken ? { NextToken: nextToken } : {}) });
            const summaries: StackResourceSummary[] = [...xml.matchAll(/<member>([\s\S]*?)<\/member>/g)].map((m) => ({
                LogicalResourceId: field(m[1], "LogicalResourceId"),
                PhysicalResourceId: field(m[1], "PhysicalResourceId"),
                ResourceType: field(m[1], "ResourceType"),
                ResourceStatus: field(m[1], "ResourceStatus"),
            }));
            const token = field(xml, "NextToken");
            return { StackResourceSummaries: summaries, ...(token ? { NextToken: token } : {}) };
        },
        async getTemplate(stackName) {
            return field(await call("GetTemplate", { StackName: stackName }), "TemplateBody");
        },
    };
}
