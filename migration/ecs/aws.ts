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
import { ReaderError, describeAwsError, iamAction } from "./errors";
import { isRegionName } from "./region";

export interface AwsOptions {
    readonly region: string;
    /** Send every call here instead of AWS (moto, LocalStack); AWS_ENDPOINT_URL works too. */
    readonly endpoint?: string;
    /** Attempts per call, with the SDK's adaptive retry for throttling. Default 8. */
    readonly maxAttempts?: number;
    /** How long one HTTP request may take (connect and answer), in ms. Default 30 s. */
    readonly requestTimeoutMs?: number;
    /** How long the whole read may take, in ms; every call still open then is aborted. Default: none. */
    readonly deadlineMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A call in flight, for progress that says what the read waits for. */
export interface OpenCall {
    readonly action: string;
    readonly resource: string;
    readonly since: number;
}

/** The one method of the SDK's request handler the deadline wraps. */
interface RequestHandler {
    handle(request: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
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
    readonly cloudFront: CloudFrontClient;
    readonly calls = new Map<string, number>();
    private readonly open = new Set<OpenCall>();
    private readonly deadline = new AbortController();
    private deadlineTimer: NodeJS.Timeout | undefined;

    constructor(readonly options: AwsOptions) {
        if (!isRegionName(options.region)) {
            throw new ReaderError(`unknown AWS region ${JSON.stringify(options.region)}; use a region name like us-east-1 (--region or AWS_REGION)`, "region");
        }
        const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
        const config = {
            region: options.region,
            retryMode: "adaptive",
            maxAttempts: options.maxAttempts ?? 8,
            // Without throwOnRequestTimeout the SDK only warns, and an endpoint that never answers is waited for forever.
            requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
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
        this.cloudFront = new CloudFrontClient(config);
        for (const client of this.clients()) {
            // The deadline reaches every request, retries included, through the handler's abort signal.
            const handler = client.config.requestHandler as unknown as RequestHandler;
            const handle = handler.handle.bind(handler);
            handler.handle = (request, opts) => handle(request, { ...opts, abortSignal: opts?.abortSignal ?? this.deadline.signal });
        }
        if (options.deadlineMs !== undefined) {
            this.deadlineTimer = setTimeout(() => this.deadline.abort(), options.deadlineMs);
            this.deadlineTimer.unref();
        }
    }

    private clients() {
        return [this.ecs, this.autoScaling, this.cloudWatch, this.elb, this.discovery, this.iam, this.events, this.scheduler, this.efs, this.secrets, this.ssm, this.ec2, this.route53, this.cloudFront];
    }

    /** The call open longest, if any. */
    oldestOpenCall(): OpenCall | undefined {
        let oldest: OpenCall | undefined;
        for (const c of this.open) {
            oldest = !oldest || c.since < oldest.since ? c : oldest;
        }
        return oldest;
    }

    /** Makes one API call, counting it and turning expected failures into one-line ReaderErrors. */
    async call<T>(servicePrefix: string, operation: string, resource: string, send: () => Promise<T>): Promise<T> {
        const action = iamAction(servicePrefix, operation);
        this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
        const open: OpenCall = { action, resource, since: Date.now() };
        this.open.add(open);
        try {
            if (this.deadline.signal.aborted) {
                throw this.deadlineError(action, resource);
            }
            return await send();
        } catch (err) {
            if (this.deadline.signal.aborted) {
                throw this.deadlineError(action, resource);
            }
            throw describeAwsError(err, action, resource, { endpoint: this.options.endpoint, requestTimeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS }) ?? err;
        } finally {
            this.open.delete(open);
        }
    }

    private deadlineError(action: string, resource: string): ReaderError {
        const seconds = Math.round((this.options.deadlineMs ?? 0) / 1000);
        return new ReaderError(`the read did not finish within its deadline of ${seconds} s (still waiting for ${action} on ${resource}); raise --deadline, or read fewer services (--service)`, "network");
    }

    get totalCalls(): number {
        return [...this.calls.values()].reduce((a, b) => a + b, 0);
    }

    destroy(): void {
        clearTimeout(this.deadlineTimer);
        for (const client of this.clients()) {
            client.destroy();
        }
    }
}
