import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig } from "../config";
import { INTERNAL_ELB_TAG, PUBLIC_ELB_TAG, clusterTag } from "../core/tags";

export interface NetworkArgs {
    /** A VPC to create, or the existing one (usually the ECS VPC) to join. */
    readonly config: NetworkConfig;
    /** The EKS cluster name, for the subnet discovery tags. */
    readonly clusterName: string;
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The VPC the cluster runs in. Either a new one (awsx.ec2.Vpc: public and
 * private subnets per AZ, NAT, DNS) or an existing VPC whose subnets get the
 * tags the load balancer controller discovers them by.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Known before the IDs are, for resources made once per private subnet. */
    readonly privateSubnetCount: number;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:platform:Network", name, {}, opts);
        const config = args.config;
        this.privateSubnetCount = config.mode === "create" ? config.azCount : config.privateSubnetIds.length;
        if (config.mode === "create") {
            const vpc = new awsx.ec2.Vpc(
                name,
                {
                    cidrBlock: config.cidr,
                    numberOfAvailabilityZones: config.azCount,
                    enableDnsSupport: true,
                    enableDnsHostnames: true,
                    natGateways: { strategy: config.natGateways === "single" ? "Single" : "OnePerAz" },
                    subnetStrategy: "Auto",
                    subnetSpecs: [
                        { type: "Public", tags: { ...clusterTag(args.clusterName, "shared"), ...PUBLIC_ELB_TAG } },
                        { type: "Private", tags: { ...clusterTag(args.clusterName, "shared"), ...INTERNAL_ELB_TAG } },
                    ],
                    tags: { ...args.tags },
                },
                { parent: this },
            );
            this.vpcId = vpc.vpcId;
            this.publicSubnetIds = vpc.publicSubnetIds;
            this.privateSubnetIds = vpc.privateSubnetIds;
        } else {
            // The subnets belong to someone else (often the ECS stack): add our tags
            // one by one so that destroying this stack removes only what it added.
            const tagSubnets = (ids: readonly string[], role: Record<string, string>) =>
                ids.forEach((id) =>
                    Object.entries({ ...clusterTag(args.clusterName, "shared"), ...role }).forEach(([key, value]) => {
                        new aws.ec2.Tag(`${name}-${id}-${key.split("/").pop()}`, { resourceId: id, key, value }, { parent: this });
                    }),
                );
            tagSubnets(config.publicSubnetIds, PUBLIC_ELB_TAG);
            tagSubnets(config.privateSubnetIds, INTERNAL_ELB_TAG);
            this.vpcId = pulumi.output(config.vpcId);
            this.publicSubnetIds = pulumi.output([...config.publicSubnetIds]);
            this.privateSubnetIds = pulumi.output([...config.privateSubnetIds]);
        }
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }
}
