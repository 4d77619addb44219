import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "./components/cluster";
import { Network } from "./components/network";
import { NodeGroups } from "./components/nodeGroups";
import { StackConfig } from "./config";

/** What `pulumi stack output` shows and later stacks or tools consume. */
export interface StackOutputs {
    readonly clusterName: pulumi.Output<string>;
    readonly clusterEndpoint: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcProviderUrl: pulumi.Output<string>;
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Output<string>;
}

/** Composes the platform from validated config. Kept apart from index.ts so tests can run it with any config. */
export function buildStack(config: StackConfig): StackOutputs {
    const tags = { "ecs2eks:stack": config.stack, "ecs2eks:cluster": config.cluster.name };
    const network = new Network("network", { config: config.network, clusterName: config.cluster.name, tags });
    const cluster = new Cluster("cluster", {
        config: config.cluster,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        tags,
    });
    const nodeGroups = new NodeGroups("nodes", {
        clusterName: cluster.name,
        groups: config.nodeGroups,
        subnetIds: network.privateSubnetIds,
        tags,
    }, { dependsOn: [cluster] });
    return {
        clusterName: cluster.name,
        clusterEndpoint: cluster.endpoint,
        kubeconfig: cluster.kubeconfig,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        nodeSecurityGroupId: cluster.nodeSecurityGroupId,
        nodeRoleArn: nodeGroups.roleArn,
    };
}
