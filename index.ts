import { loadStackConfig } from "./config";
import { buildStack } from "./program";

const outputs = buildStack(loadStackConfig());

export const clusterName = outputs.clusterName;
export const clusterEndpoint = outputs.clusterEndpoint;
export const kubeconfig = outputs.kubeconfig;
export const oidcProviderArn = outputs.oidcProviderArn;
export const oidcProviderUrl = outputs.oidcProviderUrl;
export const vpcId = outputs.vpcId;
export const publicSubnetIds = outputs.publicSubnetIds;
export const privateSubnetIds = outputs.privateSubnetIds;
export const nodeSecurityGroupId = outputs.nodeSecurityGroupId;
export const nodeRoleArn = outputs.nodeRoleArn;
export const efsFileSystemId = outputs.efsFileSystemId;
