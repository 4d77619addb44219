import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
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
import { ReaderError, describeAwsError, iamAction } from "./errors";
import { isRegionName } from "./region";

export interface AwsOptions {
    readonly region: string;
    /** Send every call here instead of AWS (moto, LocalStack); AWS_ENDPOINT_URL works too. */
    readonly endpoint?: string;
    /** Attempts per call, with the SDK's adaptive retry for throttling. Default 8. */
    readonly maxAttempts?: number;
}

/**
 * The SDK clients the reader uses, with the standard credential chain and
 * adaptive retry, and a count of the calls made (per IAM action) so that
 * tests and benchmarks can see what reading cost.
 */
export class Aws {
    readonly ecs: ECSClient;
    readonly autoScaling: ApplicationAutoScalingClient;
    readonly cloudWatch: CloudWatchClient;
    readonly elb: ElasticLoadBalancingV2Client;
    readonly discovery: ServiceDiscoveryClient;
    readonly iam: IAMClient;
    readonly events: EventBridgeClient;
    readonly scheduler: SchedulerClient;
    readonly efs: EFSClient;
    readonly secrets: SecretsManagerClient;
    readonly ssm: SSMClient;
    readonly ec2: EC2Client;
    readonly route53: Route53Client;
    readonly calls = new Map<string, number>();

    constructor(readonly options: AwsOptions) {
        if (!isRegionName(options.region)) {
            throw new ReaderError(`unknown AWS region ${JSON.stringify(options.region)}; use a region name like us-east-1 (--region or AWS_REGION)`, "region");
        }
        const config = {
            region: options.region,
            retryMode: "adaptive",
            maxAttempts: options.maxAttempts ?? 8,
            ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        };
        this.ecs = new ECSClient(config);
        this.autoScaling = new ApplicationAutoScalingClient(config);
        this.cloudWatch = new CloudWatchClient(config);
        this.elb = new ElasticLoadBalancingV2Client(config);
        this.discovery = new ServiceDiscoveryClient(config);
        this.iam = new IAMClient(config);
        this.events = new EventBridgeClient(config);
        this.scheduler = new SchedulerClient(config);
        this.efs = new EFSClient(config);
        this.secrets = new SecretsManagerClient(config);
        this.ssm = new SSMClient(config);
        this.ec2 = new EC2Client(config);
        this.route53 = new Route53Client(config);
    }

    /** Makes one API call, counting it and turning expected failures into one-line ReaderErrors. */
    async call<T>(servicePrefix: string, operation: string, resource: string, send: () => Promise<T>): Promise<T> {
        const action = iamAction(servicePrefix, operation);
        this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
        try {
            return await send();
        } catch (err) {
            throw describeAwsError(err, action, resource) ?? err;
        }
    }

    get totalCalls(): number {
        return [...this.calls.values()].reduce((a, b) => a + b, 0);
    }

    destroy(): void {
        for (const client of [this.ecs, this.autoScaling, this.cloudWatch, this.elb, this.discovery, this.iam, this.events, this.scheduler, this.efs, this.secrets, this.ssm, this.ec2, this.route53]) {
            client.destroy();
        }
    }
}
