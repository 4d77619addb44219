/**
 * A CloudFormation stack (CDK and Copilot deploy through one) as the check
 * reads it: its resources (ListStackResources, every page), whether it
 * exists (DescribeStacks), and each resource's DeletionPolicy, which only
 * the template holds (GetTemplate). The reading goes through an interface,
 * so the parsing is pure and tested on recorded answers; cloudFormationSdk.ts
 * is the AWS side.
 */
import * as yaml from "js-yaml";
import { cloudFormationType } from "./resourceTypes";
import { StateFileError, StateResource, identify } from "./stateResources";

/** The fields of the API answers the check reads (the SDK's shapes, trimmed). */
export interface StackResourceSummary {
    readonly LogicalResourceId?: string;
    readonly PhysicalResourceId?: string;
    readonly ResourceType?: string;
    readonly ResourceStatus?: string;
}

export interface CloudFormationApi {
    /** DescribeStacks for one stack: its ID and status, or undefined when there is no such stack. */
    describeStack(stackName: string): Promise<{ readonly StackId?: string; readonly StackStatus?: string } | undefined>;
    listStackResources(stackName: string, nextToken?: string): Promise<{ readonly StackResourceSummaries?: readonly StackResourceSummary[]; readonly NextToken?: string }>;
    /** GetTemplate's TemplateBody (JSON or YAML). */
    getTemplate(stackName: string): Promise<string | undefined>;
}

/** Everything read of one stack: what the pure part works on, and what a test records. */
export interface CloudFormationStackRead {
    readonly stackName: string;
    readonly resources: readonly StackResourceSummary[];
    readonly templateBody?: string;
}

export async function readCloudFormationStack(api: CloudFormationApi, stackName: string): Promise<CloudFormationStackRead> {
    const stack = await api.describeStack(stackName);
    if (!stack) {
        throw new StateFileError(`CloudFormation stack ${stackName} does not exist in this account and region (aws cloudformation describe-stacks --stack-name ${stackName})`);
    }
    const resources: StackResourceSummary[] = [];
    let token: string | undefined;
    do {
        const page = await api.listStackResources(stackName, token);
        resources.push(...(page.StackResourceSummaries ?? []));
        token = page.NextToken;
    } while (token);
    const templateBody = await api.getTemplate(stackName);
    return { stackName, resources, ...(templateBody !== undefined ? { templateBody } : {}) };
}

/**
 * CloudFormation YAML's short-form intrinsics (!Ref, !GetAtt, !Sub, ...):
 * the check reads only DeletionPolicy and a few literal properties, so each
 * tag just keeps its value.
 */
const INTRINSICS = ["Ref", "GetAtt", "Sub", "Join", "Select", "Split", "FindInMap", "If", "Not", "Equals", "And", "Or", "Condition", "Base64", "Cidr", "ImportValue", "GetAZs", "Transform"];
const TEMPLATE_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
    INTRINSICS.flatMap((name) =>
        (["scalar", "sequence", "mapping"] as const).map((kind) => new yaml.Type(`!${name}`, { kind, construct: (data: unknown) => ({ [name === "Ref" || name === "Condition" ? name : `Fn::${name}`]: data }) })),
    ),
);

interface TemplateResource {
    readonly Type?: string;
    readonly DeletionPolicy?: unknown;
    readonly Properties?: Record<string, unknown>;
}

export function parseTemplate(body: string, stackName: string): Readonly<Record<string, TemplateResource>> {
    let doc: unknown;
    try {
        doc = body.trim().startsWith("{") ? JSON.parse(body) : yaml.load(body, { schema: TEMPLATE_SCHEMA });
    } catch (err) {
        throw new StateFileError(`the template of CloudFormation stack ${stackName} is neither JSON nor YAML: ${(err as Error).message}`);
    }
    const resources = typeof doc === "object" && doc !== null ? (doc as { Resources?: unknown }).Resources : undefined;
    return typeof resources === "object" && resources !== null ? (resources as Record<string, TemplateResource>) : {};
}

/**
 * Property values the check can compare: literals, and a Ref to another
 * resource of the stack as that resource's physical ID (what Ref gives for
 * the types that matter here: a hosted zone's ID, a security group's ID, a
 * file system's ID). Other intrinsics say nothing comparable.
 */
function literals(props: Readonly<Record<string, unknown>> | undefined, physical: ReadonlyMap<string, string>): Record<string, unknown> {
    const value = (v: unknown): unknown => {
        if (typeof v === "string") {
            return v;
        }
        const ref = typeof v === "object" && v !== null && !Array.isArray(v) ? (v as { Ref?: unknown }).Ref : undefined;
        return typeof ref === "string" ? physical.get(ref) : undefined;
    };
    return Object.fromEntries(
        Object.entries(props ?? {})
            .map(([k, v]) => [k, value(v)] as const)
            .filter(([, v]) => v !== undefined),
    );
}

/**
 * Physical IDs as CloudFormation gives them, turned into the attribute names
 * identify() reads: most types' physical ID is their ARN or ID, a few are
 * names (log groups, parameters, record sets).
 */
function attributesOf(kind: StateResource["kind"], physicalId: string, props: Record<string, unknown>): Record<string, unknown> {
    switch (kind) {
        case "logGroup":
            return { ...props, name: physicalId, logGroupName: props.LogGroupName };
        case "parameter":
            return { name: physicalId };
        case "secret":
            return { arn: physicalId, name: props.Name };
        case "securityGroupRule":
            return { securityGroupId: props.GroupId };
        case "accessPoint":
        case "mountTarget":
            return { fileSystemId: props.FileSystemId };
        case "dnsRecord":
            return { zoneId: props.HostedZoneId, name: props.Name ?? physicalId, type: props.Type, setIdentifier: props.SetIdentifier };
        case "kmsKey":
            return { keyId: physicalId };
        default:
            return {};
    }
}

const RETAINED = new Set(["Retain", "RetainExceptOnCreate"]);

export function cloudFormationResources(read: CloudFormationStackRead): StateResource[] {
    const template = read.templateBody !== undefined ? parseTemplate(read.templateBody, read.stackName) : {};
    const physical = new Map(read.resources.map((r) => [r.LogicalResourceId ?? "", r.PhysicalResourceId ?? ""]));
    const out: StateResource[] = [];
    for (const r of read.resources) {
        const logicalId = r.LogicalResourceId ?? "";
        const physicalId = r.PhysicalResourceId ?? "";
        // Deleted already, or never created: the destroy has nothing of it to delete.
        if (!physicalId || r.ResourceStatus === "DELETE_COMPLETE" || r.ResourceStatus === "CREATE_FAILED") {
            continue;
        }
        const type = r.ResourceType ?? "";
        const kind = cloudFormationType(type)?.kind ?? "other";
        const declared = template[logicalId];
        const policy = typeof declared?.DeletionPolicy === "string" ? declared.DeletionPolicy : undefined;
        out.push({
            stack: read.stackName,
            format: "cloudformation",
            kind,
            type,
            address: logicalId,
            physicalId,
            ...identify(kind, physicalId, attributesOf(kind, physicalId, literals(declared?.Properties, physical))),
            ...(policy && RETAINED.has(policy) ? { retained: `DeletionPolicy: ${policy}` } : {}),
        });
    }
    return out;
}
