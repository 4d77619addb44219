import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/**
 * Stand-ins for what AWS would answer, so the program can run with no cloud.
 * Values are derived from the resource name: the same program gives the same
 * IDs every run, which keeps the preview output diffable.
 */
export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "us-east-1";
const OIDC_ISSUER = `oidc.eks.${MOCK_REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;

type State = Record<string, unknown>;

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function arnFor(type: string, name: string): string {
    const service = type.split(":")[1]?.split("/")[0] ?? "mock";
    const global = service === "iam" ? "" : MOCK_REGION;
    return `arn:aws:${service}:${global}:${MOCK_ACCOUNT}:${type.split(":")[2]?.toLowerCase() ?? "resource"}/${name}`;
}

/** The ARN the mocks give a resource AWS names itself (no name input), by type and logical name: how another stack's outputs are stood in for. */
export function mockArn(type: string, logicalName: string): string {
    return arnFor(type, `${logicalName}-${hex(logicalName, 7)}`);
}

export function vpcOutputs(name: string, inputs: State): State {
    const azs = typeof inputs.numberOfAvailabilityZones === "number" ? inputs.numberOfAvailabilityZones : 3;
    const subnets = (kind: string) => Array.from({ length: azs }, (_, i) => `subnet-${hex(`${name}-${kind}-${i}`, 17)}`);
    return { vpcId: `vpc-${hex(name, 17)}`, publicSubnetIds: subnets("public"), privateSubnetIds: subnets("private") };
}

export function clusterOutputs(name: string, inputs: State): State {
    const clusterName = typeof inputs.name === "string" ? inputs.name : name;
    const endpoint = `https://${hex(clusterName, 32).toUpperCase()}.gr7.${MOCK_REGION}.eks.amazonaws.com`;
    const kubeconfig = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": "TU9DSw==" } }],
        contexts: [{ name: "aws", context: { cluster: clusterName, user: "aws" } }],
        "current-context": "aws",
        users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName] } } }],
    };
    return {
        kubeconfig,
        kubeconfigJson: JSON.stringify(kubeconfig),
        oidcIssuer: OIDC_ISSUER,
        oidcProviderUrl: `https://${OIDC_ISSUER}`,
        oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${OIDC_ISSUER}`,
        eksCluster: {
            name: clusterName,
            arn: `arn:aws:eks:${MOCK_REGION}:${MOCK_ACCOUNT}:cluster/${clusterName}`,
            endpoint,
            vpcConfig: { clusterSecurityGroupId: `sg-${hex(`${clusterName}-cluster`, 17)}` },
        },
    };
}

/** Outputs that AWS computes and the program reads, per resource type. */
const COMPUTED: Readonly<Record<string, (name: string, inputs: State) => State>> = {
    "awsx:ec2:Vpc": vpcOutputs,
    "eks:index:Cluster": clusterOutputs,
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
    // S3 names a bucket from its prefix; its ARN has neither region nor account.
    "aws:s3/bucket:Bucket": (name, inputs) => {
        const bucket = typeof inputs.bucket === "string" ? inputs.bucket : `${typeof inputs.bucketPrefix === "string" ? inputs.bucketPrefix : "terraform-"}${hex(name, 12)}`;
        return { bucket, arn: `arn:aws:s3:::${bucket}` };
    },
    // The load balancer controller's ALB for an Ingress (route53-weighted and cloudfront-staging cutovers).
    "kubernetes:networking.k8s.io/v1:Ingress": (name) => ({ status: { loadBalancer: { ingress: [{ hostname: `k8s-${hex(name, 20)}.${MOCK_REGION}.elb.amazonaws.com` }] } } }),
    "aws:cloudfront/distribution:Distribution": (name) => ({ domainName: `${hex(name, 13)}.cloudfront.net` }),
    "aws:eks/nodeGroup:NodeGroup": (name) => ({
        resources: [{ autoscalingGroups: [{ name: `eks-${name}-${hex(name, 8)}` }], remoteAccessSecurityGroupId: "" }],
    }),
};

/** AWS ID prefixes, so IDs in the preview look like the ones users know. */
const ID_PREFIX: Readonly<Record<string, string>> = {
    "aws:efs/fileSystem:FileSystem": "fs-",
    "aws:efs/accessPoint:AccessPoint": "fsap-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
};

export class OfflineMocks implements pulumi.runtime.Mocks {
    /** Outputs of the stacks the program references (pulumi.StackReference), by fully qualified stack name. */
    constructor(private readonly stackOutputs: Readonly<Record<string, State>> = {}) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const inputs = args.inputs as State;
        if (args.type === "pulumi:pulumi:StackReference") {
            const stack = String(inputs.name);
            const outputs = this.stackOutputs[stack];
            if (!outputs) {
                throw new Error(`the offline preview has no outputs for stack ${stack}; it stands in for the stacks it was given: ${Object.keys(this.stackOutputs).join(", ") || "none"}`);
            }
            return { id: stack, state: { name: stack, outputs, secretOutputNames: ["kubeconfig"] } };
        }
        const physicalName = typeof inputs.name === "string" ? inputs.name : `${args.name}-${hex(args.name, 7)}`;
        const state: State = { ...inputs, ...(COMPUTED[args.type]?.(args.name, inputs) ?? {}) };
        if (args.type.startsWith("aws:")) {
            state.arn ??= arnFor(args.type, physicalName);
            state.name ??= physicalName;
        }
        const prefix = ID_PREFIX[args.type];
        const id = prefix ? `${prefix}${hex(args.type + args.name, 17)}` : `${args.name}-${hex(args.type + args.name, 8)}`;
        return { id: args.custom ? id : undefined, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/preview`, userId: "AIDAPREVIEW" };
            case "aws:index/getRegion:getRegion":
                return { name: MOCK_REGION, region: MOCK_REGION };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com" };
            case "aws:lb/getHostedZoneId:getHostedZoneId":
                // The ALB hosted zone of us-east-1, as the provider's table has it.
                return { id: "Z35SXDOTRQ7X7K" };
            default:
                return args.inputs as Record<string, unknown>;
        }
    }
}
