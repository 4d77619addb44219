/**
 * One row per AWS resource type the check knows: its kind, and how Pulumi
 * (@pulumi/aws type token), Terraform (aws provider type) and CloudFormation
 * name it. The parsers classify by it, the way-out lines turn a Terraform or
 * CloudFormation type into the `pulumi import` type, and the sample's
 * fixture generator writes the other two formats from the Pulumi program.
 */
import { ResourceKind } from "./stateResources";

export interface ResourceType {
    readonly kind: ResourceKind;
    readonly pulumi: string;
    readonly terraform: string;
    readonly cloudFormation?: string;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
    { kind: "vpc", pulumi: "aws:ec2/vpc:Vpc", terraform: "aws_vpc", cloudFormation: "AWS::EC2::VPC" },
    { kind: "subnet", pulumi: "aws:ec2/subnet:Subnet", terraform: "aws_subnet", cloudFormation: "AWS::EC2::Subnet" },
    { kind: "loadBalancer", pulumi: "aws:lb/loadBalancer:LoadBalancer", terraform: "aws_lb", cloudFormation: "AWS::ElasticLoadBalancingV2::LoadBalancer" },
    { kind: "loadBalancer", pulumi: "aws:alb/loadBalancer:LoadBalancer", terraform: "aws_alb" },
    { kind: "listener", pulumi: "aws:lb/listener:Listener", terraform: "aws_lb_listener", cloudFormation: "AWS::ElasticLoadBalancingV2::Listener" },
    { kind: "listener", pulumi: "aws:alb/listener:Listener", terraform: "aws_alb_listener" },
    { kind: "listenerRule", pulumi: "aws:lb/listenerRule:ListenerRule", terraform: "aws_lb_listener_rule", cloudFormation: "AWS::ElasticLoadBalancingV2::ListenerRule" },
    { kind: "listenerRule", pulumi: "aws:alb/listenerRule:ListenerRule", terraform: "aws_alb_listener_rule" },
    { kind: "targetGroup", pulumi: "aws:lb/targetGroup:TargetGroup", terraform: "aws_lb_target_group", cloudFormation: "AWS::ElasticLoadBalancingV2::TargetGroup" },
    { kind: "targetGroup", pulumi: "aws:alb/targetGroup:TargetGroup", terraform: "aws_alb_target_group" },
    { kind: "securityGroup", pulumi: "aws:ec2/securityGroup:SecurityGroup", terraform: "aws_security_group", cloudFormation: "AWS::EC2::SecurityGroup" },
    { kind: "securityGroupRule", pulumi: "aws:ec2/securityGroupRule:SecurityGroupRule", terraform: "aws_security_group_rule" },
    { kind: "securityGroupRule", pulumi: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", terraform: "aws_vpc_security_group_ingress_rule", cloudFormation: "AWS::EC2::SecurityGroupIngress" },
    { kind: "securityGroupRule", pulumi: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", terraform: "aws_vpc_security_group_egress_rule", cloudFormation: "AWS::EC2::SecurityGroupEgress" },
    { kind: "secret", pulumi: "aws:secretsmanager/secret:Secret", terraform: "aws_secretsmanager_secret", cloudFormation: "AWS::SecretsManager::Secret" },
    { kind: "secretVersion", pulumi: "aws:secretsmanager/secretVersion:SecretVersion", terraform: "aws_secretsmanager_secret_version" },
    { kind: "parameter", pulumi: "aws:ssm/parameter:Parameter", terraform: "aws_ssm_parameter", cloudFormation: "AWS::SSM::Parameter" },
    { kind: "kmsKey", pulumi: "aws:kms/key:Key", terraform: "aws_kms_key", cloudFormation: "AWS::KMS::Key" },
    { kind: "kmsAlias", pulumi: "aws:kms/alias:Alias", terraform: "aws_kms_alias", cloudFormation: "AWS::KMS::Alias" },
    { kind: "fileSystem", pulumi: "aws:efs/fileSystem:FileSystem", terraform: "aws_efs_file_system", cloudFormation: "AWS::EFS::FileSystem" },
    { kind: "accessPoint", pulumi: "aws:efs/accessPoint:AccessPoint", terraform: "aws_efs_access_point", cloudFormation: "AWS::EFS::AccessPoint" },
    { kind: "mountTarget", pulumi: "aws:efs/mountTarget:MountTarget", terraform: "aws_efs_mount_target", cloudFormation: "AWS::EFS::MountTarget" },
    { kind: "logGroup", pulumi: "aws:cloudwatch/logGroup:LogGroup", terraform: "aws_cloudwatch_log_group", cloudFormation: "AWS::Logs::LogGroup" },
    { kind: "dnsRecord", pulumi: "aws:route53/record:Record", terraform: "aws_route53_record", cloudFormation: "AWS::Route53::RecordSet" },
    { kind: "ebsSnapshot", pulumi: "aws:ebs/snapshot:Snapshot", terraform: "aws_ebs_snapshot" },
    { kind: "cloudMapNamespace", pulumi: "aws:servicediscovery/httpNamespace:HttpNamespace", terraform: "aws_service_discovery_http_namespace", cloudFormation: "AWS::ServiceDiscovery::HttpNamespace" },
    { kind: "cloudMapNamespace", pulumi: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", terraform: "aws_service_discovery_private_dns_namespace", cloudFormation: "AWS::ServiceDiscovery::PrivateDnsNamespace" },
    { kind: "cloudMapService", pulumi: "aws:servicediscovery/service:Service", terraform: "aws_service_discovery_service", cloudFormation: "AWS::ServiceDiscovery::Service" },
    // Not kinds the check weighs, but the sample's ECS stack declares them and the fixtures carry them across the three formats.
    { kind: "other", pulumi: "aws:ecs/cluster:Cluster", terraform: "aws_ecs_cluster", cloudFormation: "AWS::ECS::Cluster" },
    { kind: "other", pulumi: "aws:ecs/taskDefinition:TaskDefinition", terraform: "aws_ecs_task_definition", cloudFormation: "AWS::ECS::TaskDefinition" },
    { kind: "other", pulumi: "aws:ecs/service:Service", terraform: "aws_ecs_service", cloudFormation: "AWS::ECS::Service" },
    { kind: "other", pulumi: "aws:route53/zone:Zone", terraform: "aws_route53_zone", cloudFormation: "AWS::Route53::HostedZone" },
    { kind: "other", pulumi: "aws:iam/role:Role", terraform: "aws_iam_role", cloudFormation: "AWS::IAM::Role" },
];

const byPulumi = new Map(RESOURCE_TYPES.map((t) => [t.pulumi, t]));
const byTerraform = new Map(RESOURCE_TYPES.map((t) => [t.terraform, t]));
const byCloudFormation = new Map(RESOURCE_TYPES.filter((t) => t.cloudFormation).map((t) => [t.cloudFormation as string, t]));

export const pulumiType = (type: string): ResourceType | undefined => byPulumi.get(type);
export const terraformType = (type: string): ResourceType | undefined => byTerraform.get(type);
export const cloudFormationType = (type: string): ResourceType | undefined => byCloudFormation.get(type);
