import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { EFSClient } from "@aws-sdk/client-efs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { SSMClient } from "@aws-sdk/client-ssm";

/** SDK clients pointed at an emulator (moto) for seeding; never at a real account. */
export interface SeedClients {
    readonly ecs: ECSClient;
    readonly ec2: EC2Client;
    readonly elb: ElasticLoadBalancingV2Client;
    readonly autoScaling: ApplicationAutoScalingClient;
    readonly cloudWatch: CloudWatchClient;
    readonly discovery: ServiceDiscoveryClient;
    readonly iam: IAMClient;
    readonly events: EventBridgeClient;
    readonly scheduler: SchedulerClient;
    readonly efs: EFSClient;
    readonly secrets: SecretsManagerClient;
    readonly ssm: SSMClient;
    readonly route53: Route53Client;
    readonly cloudFront: CloudFrontClient;
}

export function seedClients(endpoint: string, region = "us-east-1"): SeedClients {
    if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost)(:\d+)?\/?$/.test(endpoint)) {
        throw new Error(`refusing to seed ${endpoint}: seeding is for a local emulator on loopback only`);
    }
    const config = { region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    return {
        ecs: new ECSClient(config),
        ec2: new EC2Client(config),
        elb: new ElasticLoadBalancingV2Client(config),
        autoScaling: new ApplicationAutoScalingClient(config),
        cloudWatch: new CloudWatchClient(config),
        discovery: new ServiceDiscoveryClient(config),
        iam: new IAMClient(config),
        events: new EventBridgeClient(config),
        scheduler: new SchedulerClient(config),
        efs: new EFSClient(config),
        secrets: new SecretsManagerClient(config),
        ssm: new SSMClient(config),
        route53: new Route53Client(config),
        cloudFront: new CloudFrontClient(config),
    };
}
