import { hasHostBits, networkOf, parseIpv4Cidr } from "./cidr";
import { ConfigReader } from "./reader";
import { NatGatewayStrategy, NetworkConfig } from "./types";

const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;

/** Problem with an IPv4 CIDR, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
    const cidr = parseIpv4Cidr(text);
    if (!cidr) {
        return "is not an IPv4 CIDR";
    }
    if (hasHostBits(cidr)) {
        return `has host bits set; did you mean ${networkOf(cidr)}?`;
    }
    return undefined;
}

export function readNetwork(r: ConfigReader): NetworkConfig {
    const mode = r.oneOf("network:mode", "create", ["create", "existing"] as const);
    const cidr = r.string("network:cidr", "10.0.0.0/16");
    const azCount = r.integer("network:azCount", 3, 2, 6);
    const natGateways = r.oneOf<NatGatewayStrategy>("network:natGateways", "onePerAz", ["onePerAz", "single"]);
    const idProblem = (pattern: RegExp, example: string) => (v: string) =>
        pattern.test(v) ? undefined : `is not an ID like ${example}`;
    const vpcId = r.text("network:vpcId");
    const publicSubnetIds = r.stringList("network:publicSubnetIds", idProblem(SUBNET_ID, "subnet-0abc12345def67890"));
    const privateSubnetIds = r.stringList("network:privateSubnetIds", idProblem(SUBNET_ID, "subnet-0abc12345def67890"));

    if (mode === "create") {
        const problem = cidrProblem(cidr);
        const prefix = parseIpv4Cidr(cidr)?.prefix ?? 0;
        if (problem) {
            r.fail(`network:cidr ${JSON.stringify(cidr)} ${problem}`);
        } else if (prefix < 16 || prefix > 24) {
            r.fail(`network:cidr ${JSON.stringify(cidr)} is not allowed; a VPC takes a prefix from /16 to /24 (EKS gives every pod a VPC address, so prefer /16)`);
        }
        for (const key of ["network:vpcId", "network:publicSubnetIds", "network:privateSubnetIds"]) {
            if (r.has(key)) {
                r.fail(`${key} is only used with network:mode existing; remove it or set network:mode to existing`);
            }
        }
        return Object.freeze({ mode, cidr, azCount, natGateways });
    }

    for (const key of ["network:cidr", "network:azCount", "network:natGateways"]) {
        if (r.has(key)) {
            r.fail(`${key} is only used with network:mode create; an existing VPC keeps its own layout, so remove it`);
        }
    }
    if (vpcId === undefined) {
        r.fail(`network:vpcId is required with network:mode existing; set it to the VPC the ECS services run in (vpc-...)`);
    } else if (!VPC_ID.test(vpcId)) {
        r.fail(`network:vpcId ${JSON.stringify(vpcId)} is not an ID like vpc-0abc12345def67890`);
    }
    if (privateSubnetIds.length < 2) {
        r.fail(`network:privateSubnetIds ${JSON.stringify(privateSubnetIds)} is not allowed; EKS needs private subnets in at least two availability zones`);
    }
    const duplicates = publicSubnetIds.filter((id) => privateSubnetIds.includes(id));
    if (duplicates.length > 0) {
        r.fail(`network:publicSubnetIds ${JSON.stringify(duplicates)} also appear in network:privateSubnetIds; a subnet is either public or private`);
    }
    return Object.freeze({
        mode,
        vpcId: vpcId ?? "",
        publicSubnetIds: Object.freeze([...publicSubnetIds]),
        privateSubnetIds: Object.freeze([...privateSubnetIds]),
    });
}
