/**
 * The sample ECS application: a small online shop as a platform team would
 * really run it, created in an emulator (moto) through the AWS SDK.
 *
 *  - web        Fargate, behind the ALB (default action), FireLens log router sidecar,
 *               CPU target tracking, SSM parameters
 *  - orders     Fargate, behind the ALB for /api/orders/* (weighted forward),
 *               Service Connect `orders:8080`, Secrets Manager JSON key,
 *               circuit breaker, CPU and memory target tracking
 *  - catalog    Fargate, Service Connect `catalog:80`, CMD health check,
 *               read-only root file system, non-root user, Cloud Map registry
 *  - cart       Fargate Spot, Service Connect `cart:8080`, scheduled scaling
 *  - worker     EC2, scaled on its SQS queue depth (target tracking, plus step
 *               scaling on a CloudWatch alarm for bursts)
 *  - media      Fargate, EFS volume through an access point, TLS and IAM auth
 *  - log-agent  EC2 DAEMON with a host path volume
 *  - CloudFront a distribution in front of the ALB (the storefront's CDN)
 *  - report     a nightly scheduled task (EventBridge rule) and an hourly
 *               EventBridge Scheduler schedule
 *  Every service logs through awslogs (web through FireLens to CloudWatch
 *  Logs) and pages the on-call on an ECS CPU or memory alarm; web and orders
 *  also on their target groups (5xx count, p90 latency).
 */
import {
    PutScalingPolicyCommand,
    PutScheduledActionCommand,
    RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
    AuthorizeSecurityGroupIngressCommand,
    CreateSecurityGroupCommand,
    CreateSubnetCommand,
    CreateVpcCommand,
} from "@aws-sdk/client-ec2";
import {
    ContainerDefinition,
    CreateClusterCommand,
    CreateServiceCommand,
    CreateServiceCommandInput,
    RegisterTaskDefinitionCommand,
    RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { CreateAccessPointCommand, CreateFileSystemCommand } from "@aws-sdk/client-efs";
import {
    CreateListenerCommand,
    CreateLoadBalancerCommand,
    CreateRuleCommand,
    CreateTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand } from "@aws-sdk/client-route-53";
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateScheduleCommand } from "@aws-sdk/client-scheduler";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { CreateHttpNamespaceCommand, CreateServiceCommand as CreateDiscoveryServiceCommand, ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { MotoOptions } from "../../emulator/moto";
import { SeedClients } from "./clients";

export const SHOP_CLUSTER = "shop";
/**
 * How the sample's emulator starts: IDs from a seeded generator and a clock
 * that stands still, so seeding it again makes the same snapshot (all but
 * capturedAt) and a regenerated examples/shop/snapshot.json diffs clean.
 */
export const SHOP_EMULATOR: MotoOptions = { seed: 20261127, clock: "2026-11-27T09:00:00.000Z" };
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

const ECS_TASKS_TRUST = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

async function role(c: SeedClients, name: string): Promise<string> {
    const out = await c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ECS_TASKS_TRUST, Path: "/ecs/" }));
    return out.Role?.Arn ?? "";
}

async function inlinePolicy(c: SeedClients, roleName: string, policyName: string, statements: object[]): Promise<void> {
    await c.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));
}

export interface ShopNetwork {
    readonly vpcId: string;
    readonly subnets: string[];
    readonly albSg: string;
    readonly appSg: string;
    readonly dataSg: string;
}

export async function seedNetwork(c: SeedClients): Promise<ShopNetwork> {
    const vpcId = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: "10.10.0.0/16" }))).Vpc?.VpcId ?? "";
    const subnets: string[] = [];
    for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
        subnets.push((await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.10.${i + 1}.0/24`, AvailabilityZone: az }))).Subnet?.SubnetId ?? "");
    }
    const sg = async (name: string, description: string) =>
        (await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: description, VpcId: vpcId }))).GroupId ?? "";
    const albSg = await sg("shop-alb", "Shop ALB: HTTPS from the internet");
    const appSg = await sg("shop-app", "Shop services: from the ALB and each other");
    const dataSg = await sg("shop-media", "Media service: from app services only");
    await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: albSg, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
    await c.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
            GroupId: appSg,
            IpPermissions: [
                { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: albSg }] },
                { IpProtocol: "tcp", FromPort: 80, ToPort: 8080, UserIdGroupPairs: [{ GroupId: appSg }] },
            ],
        }),
    );
    await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: dataSg, IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: appSg }] }] }));
    return { vpcId, subnets, albSg, appSg, dataSg };
}

const LOGS = (group: string): ContainerDefinition["logConfiguration"] => ({
    logDriver: "awslogs",
    options: { "awslogs-group": `/ecs/shop/${group}`, "awslogs-region": REGION, "awslogs-stream-prefix": group },
});

async function taskDefinition(c: SeedClients, input: RegisterTaskDefinitionCommandInput): Promise<string> {
    return (await c.ecs.send(new RegisterTaskDefinitionCommand(input))).taskDefinition?.taskDefinitionArn ?? "";
}

async function service(c: SeedClients, input: Omit<CreateServiceCommandInput, "cluster">): Promise<void> {
    await c.ecs.send(new CreateServiceCommand({ cluster: SHOP_CLUSTER, ...input }));
}

/** Creates the whole shop; returns the cluster name. */
export async function seedShop(c: SeedClients): Promise<string> {
    const net = await seedNetwork(c);
    const awsvpc = (sgs: string[]) => ({ awsvpcConfiguration: { subnets: net.subnets, securityGroups: sgs, assignPublicIp: "DISABLED" as const } });

    await c.discovery.send(new CreateHttpNamespaceCommand({ Name: "shop.local", Description: "Service Connect namespace of the shop" }));
    const namespaces = await c.discovery.send(new ListNamespacesCommand({}));
    const namespaceId = namespaces.Namespaces?.find((n) => n.Name === "shop.local")?.Id;
    await c.ecs.send(
        new CreateClusterCommand({
            clusterName: SHOP_CLUSTER,
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
            serviceConnectDefaults: { namespace: "shop.local" },
            settings: [{ name: "containerInsights", value: "enabled" }],
            tags: [{ key: "team", value: "platform" }],
        }),
    );

    // Identity: one execution role; a task role per service, with what it needs.
    const executionRole = await role(c, "shop-task-execution");
    await c.iam.send(new AttachRolePolicyCommand({ RoleName: "shop-task-execution", PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }));
    const webRole = await role(c, "shop-web-task");
    await inlinePolicy(c, "shop-web-task", "read-assets", [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::shop-assets/*" }]);
    const ordersRole = await role(c, "shop-orders-task");
    const ordersPolicy = await c.iam.send(
        new CreatePolicyCommand({
            PolicyName: "shop-orders-queue",
            PolicyDocument: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:shop-orders` },
                    { Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"], Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders` },
                ],
            }),
        }),
    );
    await c.iam.send(new AttachRolePolicyCommand({ RoleName: "shop-orders-task", PolicyArn: ordersPolicy.Policy?.Arn }));
    await c.iam.send(new AttachRolePolicyCommand({ RoleName: "shop-orders-task", PolicyArn: "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess" }));
    const catalogRole = await role(c, "shop-catalog-task");
    await inlinePolicy(c, "shop-catalog-task", "read-catalog", [{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"], Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/catalog` }]);
    const workerRole = await role(c, "shop-worker-task");
    await inlinePolicy(c, "shop-worker-task", "consume-orders", [
        { Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:shop-orders` },
    ]);
    const mediaRole = await role(c, "shop-media-task");
    await inlinePolicy(c, "shop-media-task", "mount-media", [
        { Effect: "Allow", Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/*` },
    ]);
    const reportRole = await role(c, "shop-report-task");
    await inlinePolicy(c, "shop-report-task", "write-reports", [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::shop-reports/*" }]);

    // Secrets: metadata is read, values never.
    const dbSecret = await c.secrets.send(new CreateSecretCommand({ Name: "shop/db", SecretString: JSON.stringify({ username: "shop", password: "example-only" }) }));
    await c.ssm.send(new PutParameterCommand({ Name: "/shop/stripe/api-key", Type: "SecureString", Value: "example-only" }));
    await c.ssm.send(new PutParameterCommand({ Name: "/shop/feature-flags", Type: "String", Value: "checkout-v2=on" }));
    const dbArn = dbSecret.ARN ?? "";
    const ssmArn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;

    // Shared storage the media service already uses: referenced, never owned by EKS.
    const fs = await c.efs.send(new CreateFileSystemCommand({ CreationToken: "shop-media", Encrypted: true, PerformanceMode: "generalPurpose", Tags: [{ Key: "Name", Value: "shop-media" }] }));
    const fileSystemId = fs.FileSystemId ?? "";
    const accessPoint = await c.efs.send(
        new CreateAccessPointCommand({
            FileSystemId: fileSystemId,
            ClientToken: "shop-media-uploads",
            PosixUser: { Uid: 1000, Gid: 1000 },
            RootDirectory: { Path: "/uploads", CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: "750" } },
        }),
    );

    // The load balancer: web by default, /api/orders/* split by weight.
    const alb = await c.elb.send(new CreateLoadBalancerCommand({ Name: "shop-alb", Subnets: net.subnets, SecurityGroups: [net.albSg], Scheme: "internet-facing", Type: "application" }));
    const albArn = alb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const targetGroup = async (name: string, path: string) =>
        (
            await c.elb.send(
                new CreateTargetGroupCommand({
                    Name: name,
                    Protocol: "HTTP",
                    Port: 8080,
                    VpcId: net.vpcId,
                    TargetType: "ip",
                    HealthCheckPath: path,
                    HealthCheckIntervalSeconds: 15,
                    HealthCheckTimeoutSeconds: 5,
                    HealthyThresholdCount: 2,
                    UnhealthyThresholdCount: 3,
                    Matcher: { HttpCode: "200-299" },
                }),
            )
        ).TargetGroups?.[0]?.TargetGroupArn ?? "";
    const webTg = await targetGroup("shop-web", "/healthz");
    const ordersTg = await targetGroup("shop-orders", "/api/orders/health");
    const listener = await c.elb.send(
        new CreateListenerCommand({
            LoadBalancerArn: albArn,
            Protocol: "HTTP",
            Port: 80,
            DefaultActions: [{ Type: "forward", TargetGroupArn: webTg }],
        }),
    );
    await c.elb.send(
        new CreateRuleCommand({
            ListenerArn: listener.Listeners?.[0]?.ListenerArn,
            Priority: 10,
            Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/api/orders/*"] } }],
            Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: ordersTg, Weight: 100 }] } }],
        }),
    );

    // The names customers use: an alias for the storefront, a CNAME for the API.
    const zone = await c.route53.send(new CreateHostedZoneCommand({ Name: "shop.example.com", CallerReference: "shop-example" }));
    const albDns = alb.LoadBalancers?.[0]?.DNSName ?? "";
    await c.route53.send(
        new ChangeResourceRecordSetsCommand({
            HostedZoneId: zone.HostedZone?.Id,
            ChangeBatch: {
                Changes: [
                    { Action: "CREATE", ResourceRecordSet: { Name: "www.shop.example.com", Type: "A", AliasTarget: { DNSName: `dualstack.${albDns}`, HostedZoneId: alb.LoadBalancers?.[0]?.CanonicalHostedZoneId ?? "Z35SXDOTRQ7X7K", EvaluateTargetHealth: true } } },
                    { Action: "CREATE", ResourceRecordSet: { Name: "api.shop.example.com", Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: albDns }] } },
                ],
            },
        }),
    );

    const registry = await c.discovery.send(new CreateDiscoveryServiceCommand({ Name: "catalog-internal", NamespaceId: namespaceId, Description: "Cloud Map registry of catalog" }));

    const webTd = await taskDefinition(c, {
        family: "shop-web",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "512",
        memory: "1024",
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        executionRoleArn: executionRole,
        taskRoleArn: webRole,
        containerDefinitions: [
            {
                name: "log-router",
                image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
                essential: true,
                memoryReservation: 64,
                firelensConfiguration: { type: "fluentbit" },
            },
            {
                name: "web",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web:1.42.0`,
                essential: true,
                cpu: 384,
                memory: 768,
                memoryReservation: 512,
                portMappings: [{ name: "http", containerPort: 8080, protocol: "tcp", appProtocol: "http" }],
                environment: [
                    { name: "ORDERS_URL", value: "http://orders:8080" },
                    { name: "CATALOG_URL", value: "http://catalog" },
                ],
                secrets: [
                    { name: "FEATURE_FLAGS", valueFrom: ssmArn("/shop/feature-flags") },
                    { name: "STRIPE_API_KEY", valueFrom: "/shop/stripe/api-key" },
                ],
                healthCheck: { command: ["CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"], interval: 15, timeout: 5, retries: 3, startPeriod: 30 },
                dependsOn: [{ containerName: "log-router", condition: "START" }],
                logConfiguration: { logDriver: "awsfirelens", options: { Name: "cloudwatch_logs", region: REGION, log_group_name: "/ecs/shop/web" } },
                stopTimeout: 30,
                ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
                dockerLabels: { "com.example.team": "storefront" },
            },
        ],
        tags: [{ key: "app", value: "shop" }],
    });
    const ordersTd = await taskDefinition(c, {
        family: "shop-orders",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "1024",
        memory: "2048",
        executionRoleArn: executionRole,
        taskRoleArn: ordersRole,
        containerDefinitions: [
            {
                name: "orders",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/orders:3.7.1`,
                essential: true,
                cpu: 768,
                memory: 1536,
                portMappings: [{ name: "orders-http", containerPort: 8080, protocol: "tcp", appProtocol: "http" }],
                environment: [{ name: "QUEUE_URL", value: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/shop-orders` }],
                secrets: [
                    { name: "DB_PASSWORD", valueFrom: `${dbArn}:password:AWSCURRENT:` },
                    { name: "DB_USER", valueFrom: `${dbArn}:username::` },
                ],
                healthCheck: { command: ["CMD-SHELL", "wget -qO- http://localhost:8080/api/orders/health || exit 1"], interval: 30, timeout: 5, retries: 3 },
                logConfiguration: LOGS("orders"),
                readonlyRootFilesystem: true,
                user: "10001:10001",
            },
            {
                name: "xray-daemon",
                image: "public.ecr.aws/xray/aws-xray-daemon:3.3.12",
                essential: false,
                cpu: 32,
                memoryReservation: 64,
                portMappings: [{ containerPort: 2000, protocol: "udp" }],
                logConfiguration: LOGS("xray"),
            },
        ],
    });
    const catalogTd = await taskDefinition(c, {
        family: "shop-catalog",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        executionRoleArn: executionRole,
        taskRoleArn: catalogRole,
        containerDefinitions: [
            {
                name: "catalog",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/catalog:2.0.3`,
                essential: true,
                portMappings: [{ name: "catalog-http", containerPort: 8080, protocol: "tcp", appProtocol: "http" }],
                command: ["serve", "--port", "8080"],
                entryPoint: ["/app/catalog"],
                workingDirectory: "/app",
                healthCheck: { command: ["CMD", "/app/catalog", "healthcheck"], interval: 20, timeout: 3, retries: 2 },
                readonlyRootFilesystem: true,
                user: "1000:1000",
                linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] }, tmpfs: [{ containerPath: "/tmp", size: 64 }] },
                // The catalog's group is made on first write, as ECS did; the pipeline's role may create only this one.
                logConfiguration: { logDriver: "awslogs", options: { ...LOGS("catalog")?.options, "awslogs-create-group": "true", mode: "non-blocking", "max-buffer-size": "4m" } },
            },
        ],
    });
    const cartTd = await taskDefinition(c, {
        family: "shop-cart",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        executionRoleArn: executionRole,
        containerDefinitions: [
            {
                name: "cart",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/cart:0.9.8`,
                essential: true,
                portMappings: [{ name: "cart-http", containerPort: 8080, protocol: "tcp", appProtocol: "http" }],
                environment: [{ name: "REDIS_URL", value: "redis://cart-cache.shop.internal:6379" }],
                logConfiguration: LOGS("cart"),
            },
        ],
    });
    const workerTd = await taskDefinition(c, {
        family: "shop-worker",
        requiresCompatibilities: ["EC2"],
        networkMode: "awsvpc",
        executionRoleArn: executionRole,
        taskRoleArn: workerRole,
        containerDefinitions: [
            {
                name: "worker",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/worker:3.7.1`,
                essential: true,
                cpu: 512,
                memory: 1024,
                memoryReservation: 768,
                command: ["worker", "--queue", "shop-orders"],
                environment: [{ name: "QUEUE_URL", value: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/shop-orders` }],
                secrets: [{ name: "DB_PASSWORD", valueFrom: `${dbArn}:password::` }],
                stopTimeout: 120,
                logConfiguration: LOGS("worker"),
            },
        ],
    });
    const mediaTd = await taskDefinition(c, {
        family: "shop-media",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "512",
        memory: "1024",
        executionRoleArn: executionRole,
        taskRoleArn: mediaRole,
        volumes: [
            {
                name: "uploads",
                efsVolumeConfiguration: {
                    fileSystemId,
                    transitEncryption: "ENABLED",
                    authorizationConfig: { accessPointId: accessPoint.AccessPointId, iam: "ENABLED" },
                },
            },
        ],
        containerDefinitions: [
            {
                name: "media",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/media:1.3.0`,
                essential: true,
                portMappings: [{ name: "media-http", containerPort: 8080, protocol: "tcp" }],
                mountPoints: [{ sourceVolume: "uploads", containerPath: "/data/uploads", readOnly: false }],
                healthCheck: { command: ["CMD-SHELL", "test -w /data/uploads"], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
                logConfiguration: LOGS("media"),
            },
        ],
    });
    const logAgentTd = await taskDefinition(c, {
        family: "shop-log-agent",
        requiresCompatibilities: ["EC2"],
        networkMode: "host",
        volumes: [{ name: "varlog", host: { sourcePath: "/var/log" } }],
        containerDefinitions: [
            {
                name: "log-agent",
                image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
                essential: true,
                cpu: 64,
                memory: 128,
                mountPoints: [{ sourceVolume: "varlog", containerPath: "/var/log", readOnly: true }],
                logConfiguration: LOGS("log-agent"),
            },
        ],
    });
    const reportTd = await taskDefinition(c, {
        family: "shop-report",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "1024",
        memory: "4096",
        executionRoleArn: executionRole,
        taskRoleArn: reportRole,
        ephemeralStorage: { sizeInGiB: 40 },
        containerDefinitions: [
            {
                name: "report",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/report:5.1.0`,
                essential: true,
                command: ["generate", "--since", "24h"],
                secrets: [{ name: "DB_PASSWORD", valueFrom: `${dbArn}:password:AWSCURRENT:` }],
                logConfiguration: LOGS("report"),
            },
        ],
    });

    const connect = (discoveryName: string, port: string, alias: number, dnsName: string) => ({
        enabled: true,
        namespace: "shop.local",
        services: [{ portName: port, discoveryName, clientAliases: [{ port: alias, dnsName }] }],
    });
    const rolling = { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } };

    await service(c, {
        serviceName: "web",
        taskDefinition: webTd,
        desiredCount: 3,
        launchType: "FARGATE",
        networkConfiguration: awsvpc([net.appSg]),
        loadBalancers: [{ targetGroupArn: webTg, containerName: "web", containerPort: 8080 }],
        healthCheckGracePeriodSeconds: 60,
        deploymentConfiguration: rolling,
        serviceConnectConfiguration: { enabled: true, namespace: "shop.local" },
        placementStrategy: [],
        enableExecuteCommand: true,
        tags: [{ key: "tier", value: "frontend" }],
    });
    await service(c, {
        serviceName: "orders",
        taskDefinition: ordersTd,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: awsvpc([net.appSg]),
        loadBalancers: [{ targetGroupArn: ordersTg, containerName: "orders", containerPort: 8080 }],
        healthCheckGracePeriodSeconds: 30,
        deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } },
        serviceConnectConfiguration: connect("orders", "orders-http", 8080, "orders"),
    });
    await service(c, {
        serviceName: "catalog",
        taskDefinition: catalogTd,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: awsvpc([net.appSg]),
        deploymentConfiguration: rolling,
        serviceConnectConfiguration: connect("catalog", "catalog-http", 80, "catalog"),
        serviceRegistries: [{ registryArn: registry.Service?.Arn }],
    });
    await service(c, {
        serviceName: "cart",
        taskDefinition: cartTd,
        desiredCount: 2,
        capacityProviderStrategy: [
            { capacityProvider: "FARGATE_SPOT", weight: 3 },
            { capacityProvider: "FARGATE", weight: 1, base: 1 },
        ],
        networkConfiguration: awsvpc([net.appSg]),
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 0 },
        serviceConnectConfiguration: connect("cart", "cart-http", 8080, "cart"),
    });
    await service(c, {
        serviceName: "worker",
        taskDefinition: workerTd,
        desiredCount: 1,
        launchType: "EC2",
        networkConfiguration: awsvpc([net.appSg]),
        placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }, { type: "binpack", field: "memory" }],
        placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type =~ m6i.*" }],
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
    });
    await service(c, {
        serviceName: "media",
        taskDefinition: mediaTd,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: awsvpc([net.dataSg]),
        deploymentConfiguration: rolling,
    });
    await service(c, {
        serviceName: "log-agent",
        taskDefinition: logAgentTd,
        launchType: "EC2",
        schedulingStrategy: "DAEMON",
        deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 },
    });

    // Autoscaling: CPU and memory target tracking, SQS step scaling, scheduled scaling.
    const target = async (serviceName: string, min: number, max: number) =>
        c.autoScaling.send(
            new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: `service/${SHOP_CLUSTER}/${serviceName}`, ScalableDimension: "ecs:service:DesiredCount", MinCapacity: min, MaxCapacity: max }),
        );
    const tracking = (serviceName: string, name: string, metric: "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization", value: number) =>
        c.autoScaling.send(
            new PutScalingPolicyCommand({
                PolicyName: name,
                ServiceNamespace: "ecs",
                ResourceId: `service/${SHOP_CLUSTER}/${serviceName}`,
                ScalableDimension: "ecs:service:DesiredCount",
                PolicyType: "TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration: { TargetValue: value, PredefinedMetricSpecification: { PredefinedMetricType: metric }, ScaleInCooldown: 300, ScaleOutCooldown: 60 },
            }),
        );
    await target("web", 3, 12);
    await tracking("web", "web-cpu", "ECSServiceAverageCPUUtilization", 60);
    await target("orders", 2, 10);
    await tracking("orders", "orders-cpu", "ECSServiceAverageCPUUtilization", 65);
    await tracking("orders", "orders-memory", "ECSServiceAverageMemoryUtilization", 75);
    await target("worker", 1, 20);
    await c.autoScaling.send(
        new PutScalingPolicyCommand({
            PolicyName: "worker-queue-depth",
            ServiceNamespace: "ecs",
            ResourceId: `service/${SHOP_CLUSTER}/worker`,
            ScalableDimension: "ecs:service:DesiredCount",
            PolicyType: "TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration: {
                TargetValue: 100,
                CustomizedMetricSpecification: {
                    MetricName: "ApproximateNumberOfMessagesVisible",
                    Namespace: "AWS/SQS",
                    Dimensions: [{ Name: "QueueName", Value: "shop-orders" }],
                    Statistic: "Average",
                },
            },
        }),
    );
    // A burst guard on top: step scaling on a CloudWatch alarm when the backlog is deep.
    const step = await c.autoScaling.send(
        new PutScalingPolicyCommand({
            PolicyName: "worker-backlog-burst",
            ServiceNamespace: "ecs",
            ResourceId: `service/${SHOP_CLUSTER}/worker`,
            ScalableDimension: "ecs:service:DesiredCount",
            PolicyType: "StepScaling",
            StepScalingPolicyConfiguration: { AdjustmentType: "ChangeInCapacity", Cooldown: 60, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 4 }] },
        }),
    );
    await c.cloudWatch.send(
        new PutMetricAlarmCommand({
            AlarmName: "shop-orders-backlog-high",
            Namespace: "AWS/SQS",
            MetricName: "ApproximateNumberOfMessagesVisible",
            Dimensions: [{ Name: "QueueName", Value: "shop-orders" }],
            Statistic: "Maximum",
            Period: 60,
            EvaluationPeriods: 2,
            Threshold: 500,
            ComparisonOperator: "GreaterThanThreshold",
            AlarmActions: [step.PolicyARN ?? ""],
        }),
    );
    await target("cart", 2, 8);
    await c.autoScaling.send(
        new PutScheduledActionCommand({
            ServiceNamespace: "ecs",
            ScheduledActionName: "cart-evening-peak",
            ResourceId: `service/${SHOP_CLUSTER}/cart`,
            ScalableDimension: "ecs:service:DesiredCount",
            Schedule: "cron(0 18 * * ? *)",
            Timezone: "Europe/Berlin",
            ScalableTargetAction: { MinCapacity: 4, MaxCapacity: 8 },
        }),
    );

    // Alarms that page the on-call: every service on its ECS CPU or memory, the load-balanced ones on their target groups.
    const oncall = `arn:aws:sns:${REGION}:${ACCOUNT}:shop-oncall`;
    const serviceAlarm = (serviceName: string, metric: "CPUUtilization" | "MemoryUtilization", threshold: number) =>
        c.cloudWatch.send(
            new PutMetricAlarmCommand({
                AlarmName: `shop-${serviceName}-${metric === "CPUUtilization" ? "cpu" : "memory"}-high`,
                AlarmDescription: `${serviceName}: ${metric} above ${threshold}%`,
                Namespace: "AWS/ECS",
                MetricName: metric,
                Dimensions: [
                    { Name: "ClusterName", Value: SHOP_CLUSTER },
                    { Name: "ServiceName", Value: serviceName },
                ],
                Statistic: "Average",
                Period: 60,
                EvaluationPeriods: 5,
                DatapointsToAlarm: 3,
                Threshold: threshold,
                ComparisonOperator: "GreaterThanOrEqualToThreshold",
                TreatMissingData: "breaching",
                AlarmActions: [oncall],
                OKActions: [oncall],
            }),
        );
    for (const [serviceName, metric, threshold] of [
        ["web", "CPUUtilization", 85],
        ["orders", "CPUUtilization", 80],
        ["orders", "MemoryUtilization", 90],
        ["catalog", "MemoryUtilization", 85],
        ["cart", "CPUUtilization", 85],
        ["worker", "MemoryUtilization", 90],
        ["media", "CPUUtilization", 90],
        ["log-agent", "MemoryUtilization", 80],
    ] as const) {
        await serviceAlarm(serviceName, metric, threshold);
    }
    const targetGroupAlarm = (name: string, tgArn: string, metric: string, statistic: { Statistic?: "Sum" | "Average"; ExtendedStatistic?: string }, threshold: number) =>
        c.cloudWatch.send(
            new PutMetricAlarmCommand({
                AlarmName: name,
                Namespace: "AWS/ApplicationELB",
                MetricName: metric,
                Dimensions: [
                    { Name: "TargetGroup", Value: tgArn.slice(tgArn.indexOf(":targetgroup/") + 1) },
                    { Name: "LoadBalancer", Value: albArn.slice(albArn.indexOf(":loadbalancer/") + ":loadbalancer/".length) },
                ],
                ...statistic,
                Period: 60,
                EvaluationPeriods: 3,
                Threshold: threshold,
                ComparisonOperator: "GreaterThanThreshold",
                TreatMissingData: "notBreaching",
                AlarmActions: [oncall],
            }),
        );
    await targetGroupAlarm("shop-web-5xx", webTg, "HTTPCode_Target_5XX_Count", { Statistic: "Sum" }, 25);
    await targetGroupAlarm("shop-orders-latency-p90", ordersTg, "TargetResponseTime", { ExtendedStatistic: "p90" }, 0.5);

    // Scheduled tasks: a nightly EventBridge rule and an hourly Scheduler schedule.
    const clusterArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${SHOP_CLUSTER}`;
    const eventsRole = `arn:aws:iam::${ACCOUNT}:role/ecs-events`;
    await c.events.send(new PutRuleCommand({ Name: "shop-nightly-report", ScheduleExpression: "cron(0 2 * * ? *)", State: "ENABLED" }));
    await c.events.send(
        new PutTargetsCommand({
            Rule: "shop-nightly-report",
            Targets: [
                {
                    Id: "report",
                    Arn: clusterArn,
                    RoleArn: eventsRole,
                    EcsParameters: { TaskDefinitionArn: reportTd, TaskCount: 1, LaunchType: "FARGATE", NetworkConfiguration: { awsvpcConfiguration: { Subnets: net.subnets, SecurityGroups: [net.appSg] } } },
                },
            ],
        }),
    );
    await c.scheduler.send(
        new CreateScheduleCommand({
            Name: "shop-hourly-report",
            ScheduleExpression: "rate(1 hour)",
            FlexibleTimeWindow: { Mode: "OFF" },
            Target: {
                Arn: clusterArn,
                RoleArn: eventsRole,
                EcsParameters: { TaskDefinitionArn: reportTd, TaskCount: 1, LaunchType: "FARGATE", NetworkConfiguration: { awsvpcConfiguration: { Subnets: net.subnets, SecurityGroups: [net.appSg] } } },
                Input: JSON.stringify({ containerOverrides: [{ name: "report", command: ["generate", "--since", "1h"] }] }),
            },
        }),
    );
    // The storefront's CDN: CloudFront in front of the ALB, so a cloudfront-staging cutover can be previewed.
    await c.cloudFront.send(
        new CreateDistributionCommand({
            DistributionConfig: {
                CallerReference: "shop-storefront",
                Comment: "Shop storefront",
                Enabled: true,
                Origins: {
                    Quantity: 1,
                    Items: [
                        {
                            Id: "shop-alb",
                            DomainName: albDns,
                            CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only", OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] } },
                        },
                    ],
                },
                DefaultCacheBehavior: {
                    TargetOriginId: "shop-alb",
                    ViewerProtocolPolicy: "redirect-to-https",
                    // AWS managed policies: CachingDisabled, AllViewerExceptHostHeader.
                    CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                    OriginRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
                    AllowedMethods: { Quantity: 7, Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } },
                },
                PriceClass: "PriceClass_100",
            },
        }),
    );

    return SHOP_CLUSTER;
}
