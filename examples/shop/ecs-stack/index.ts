/**
 * The sample shop's ECS side as a Pulumi program: the stack a team would
 * destroy at the end of the migration. It declares what examples/shop/seed.ts
 * creates in moto (cluster, services, task definitions, the ALB with its
 * listener, rule and target groups, security groups and their rules,
 * secrets, parameters, the EFS file system and access point, log groups,
 * DNS records, the Cloud Map namespace), so the whole story can be shown:
 * ECS stack → snapshot → migration → decommission-check → destroy.
 *
 * tools/ecsStateFixtures.ts runs it offline under mocks that answer with the
 * seeded shop's IDs and writes the decommission fixtures from it
 * (npm run fixtures:ecs-state). With the Pulumi CLI it deploys as it stands:
 * cd examples/shop/ecs-stack && pulumi up (the root package's install).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("shop");
/** Secret values come from stack config (pulumi config set --secret shop:dbPassword ...); never from code. */
const dbPassword = config.getSecret("dbPassword") ?? pulumi.secret("change-me");
const stripeKey = config.getSecret("stripeApiKey") ?? pulumi.secret("change-me");
const region = aws.getRegionOutput().name;
const account = aws.getCallerIdentityOutput().accountId;

/** The file system and its access point, as a component: Terraform users would call it a module. */
class SharedStorage extends pulumi.ComponentResource {
    readonly fileSystem: aws.efs.FileSystem;
    readonly accessPoint: aws.efs.AccessPoint;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("shop:index:SharedStorage", name, {}, opts);
        this.fileSystem = new aws.efs.FileSystem("shop-media", { creationToken: "shop-media", encrypted: true, performanceMode: "generalPurpose", tags: { Name: "shop-media" } }, { parent: this });
        this.accessPoint = new aws.efs.AccessPoint(
            "shop-media-uploads",
            {
                fileSystemId: this.fileSystem.id,
                posixUser: { uid: 1000, gid: 1000 },
                rootDirectory: { path: "/uploads", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" } },
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}

// Network: the VPC the ALB and the services run in.
const vpc = new aws.ec2.Vpc("shop", { cidrBlock: "10.10.0.0/16", tags: { Name: "shop" } });
const subnets = ["us-east-1a", "us-east-1b"].map((az, i) => new aws.ec2.Subnet(`shop-${az}`, { vpcId: vpc.id, cidrBlock: `10.10.${i + 1}.0/24`, availabilityZone: az }));
const subnetIds = subnets.map((s) => s.id);

const group = (name: string, description: string) =>
    new aws.ec2.SecurityGroup(name, { name, description, vpcId: vpc.id, egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
const albSg = group("shop-alb", "Shop ALB: HTTPS from the internet");
const appSg = group("shop-app", "Shop services: from the ALB and each other");
const mediaSg = group("shop-media", "Media service: from app services only");
new aws.vpc.SecurityGroupIngressRule("alb-https", { securityGroupId: albSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
new aws.vpc.SecurityGroupIngressRule("app-from-alb", { securityGroupId: appSg.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: albSg.id });
new aws.vpc.SecurityGroupIngressRule("app-from-app", { securityGroupId: appSg.id, ipProtocol: "tcp", fromPort: 80, toPort: 8080, referencedSecurityGroupId: appSg.id });
new aws.vpc.SecurityGroupIngressRule("media-from-app", { securityGroupId: mediaSg.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: appSg.id });

// Secrets and parameters the task definitions read.
const db = new aws.secretsmanager.Secret("shop-db", { name: "shop/db" });
new aws.secretsmanager.SecretVersion("shop-db", { secretId: db.id, secretString: pulumi.jsonStringify({ username: "shop", password: dbPassword }) });
const stripe = new aws.ssm.Parameter("stripe-api-key", { name: "/shop/stripe/api-key", type: "SecureString", value: stripeKey });
const flags = new aws.ssm.Parameter("feature-flags", { name: "/shop/feature-flags", type: "String", value: "checkout-v2=on" });

const storage = new SharedStorage("media-storage");

// Log groups, one per family and sidecar; the report's are kept for audits whatever happens to the stack.
const logGroups = Object.fromEntries(
    ["web", "orders", "xray", "catalog", "cart", "worker", "media", "log-agent", "report"].map((g) => [
        g,
        new aws.cloudwatch.LogGroup(`logs-${g}`, { name: `/ecs/shop/${g}`, retentionInDays: g === "report" ? 365 : 30 }, { retainOnDelete: g === "report" }),
    ]),
);

// The load balancer: web by default, /api/orders/* to orders.
const alb = new aws.lb.LoadBalancer("shop-alb", { name: "shop-alb", loadBalancerType: "application", internal: false, securityGroups: [albSg.id], subnets: subnetIds });
const targetGroup = (name: string, path: string) =>
    new aws.lb.TargetGroup(name, {
        name,
        port: 8080,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: vpc.id,
        healthCheck: { path, interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200-299" },
    });
const webTg = targetGroup("shop-web", "/healthz");
const ordersTg = targetGroup("shop-orders", "/api/orders/health");
const http = new aws.lb.Listener("http", { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: webTg.arn }] });
new aws.lb.ListenerRule("orders", {
    listenerArn: http.arn,
    priority: 10,
    conditions: [{ pathPattern: { values: ["/api/orders/*"] } }],
    actions: [{ type: "forward", forward: { targetGroups: [{ arn: ordersTg.arn, weight: 100 }] } }],
});

// The names customers use.
const zone = new aws.route53.Zone("shop", { name: "shop.example.com" });
new aws.route53.Record("www", { zoneId: zone.zoneId, name: "www.shop.example.com", type: "A", aliases: [{ name: pulumi.interpolate`dualstack.${alb.dnsName}`, zoneId: alb.zoneId, evaluateTargetHealth: true }] });
new aws.route53.Record("api", { zoneId: zone.zoneId, name: "api.shop.example.com", type: "CNAME", ttl: 60, records: [alb.dnsName] });

// Service Connect and Cloud Map.
const namespace = new aws.servicediscovery.HttpNamespace("shop-local", { name: "shop.local", description: "Service Connect namespace of the shop" });
new aws.servicediscovery.Service("catalog-internal", { name: "catalog-internal", namespaceId: namespace.id, description: "Cloud Map registry of catalog" });

const cluster = new aws.ecs.Cluster("shop", {
    name: "shop",
    serviceConnectDefaults: { namespace: namespace.arn },
    settings: [{ name: "containerInsights", value: "enabled" }],
    tags: { team: "platform" },
});

const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const role = (name: string) => new aws.iam.Role(name, { name, path: "/ecs/", assumeRolePolicy: TRUST });
const executionRole = role("shop-task-execution");

interface Family {
    readonly name: string;
    readonly cpu?: string;
    readonly memory?: string;
    readonly launch: "FARGATE" | "EC2";
    readonly networkMode?: string;
    readonly taskRole?: boolean;
    readonly port?: number;
    readonly logGroup: string;
    readonly secrets?: { name: string; valueFrom: pulumi.Input<string> }[];
    readonly efs?: boolean;
}

const image = (name: string, tag: string) => pulumi.interpolate`${account}.dkr.ecr.${region}.amazonaws.com/shop/${name}:${tag}`;
const families: Family[] = [
    { name: "web", cpu: "512", memory: "1024", launch: "FARGATE", taskRole: true, port: 8080, logGroup: "web", secrets: [{ name: "FEATURE_FLAGS", valueFrom: flags.arn }, { name: "STRIPE_API_KEY", valueFrom: stripe.name }] },
    { name: "orders", cpu: "1024", memory: "2048", launch: "FARGATE", taskRole: true, port: 8080, logGroup: "orders", secrets: [{ name: "DB_PASSWORD", valueFrom: pulumi.interpolate`${db.arn}:password:AWSCURRENT:` }] },
    { name: "catalog", cpu: "256", memory: "512", launch: "FARGATE", taskRole: true, port: 8080, logGroup: "catalog" },
    { name: "cart", cpu: "256", memory: "512", launch: "FARGATE", port: 8080, logGroup: "cart" },
    { name: "worker", launch: "EC2", taskRole: true, logGroup: "worker", secrets: [{ name: "DB_PASSWORD", valueFrom: pulumi.interpolate`${db.arn}:password::` }] },
    { name: "media", cpu: "512", memory: "1024", launch: "FARGATE", taskRole: true, port: 8080, logGroup: "media", efs: true },
    { name: "log-agent", launch: "EC2", networkMode: "host", logGroup: "log-agent" },
    { name: "report", cpu: "1024", memory: "4096", launch: "FARGATE", taskRole: true, logGroup: "report", secrets: [{ name: "DB_PASSWORD", valueFrom: pulumi.interpolate`${db.arn}:password:AWSCURRENT:` }] },
];

const taskDefinitions = Object.fromEntries(
    families.map((f) => {
        const taskRole = f.taskRole ? role(`shop-${f.name}-task`) : undefined;
        const container = pulumi.jsonStringify([
            {
                name: f.name,
                image: image(f.name, "current"),
                essential: true,
                ...(f.launch === "EC2" ? { cpu: 512, memory: 1024 } : {}),
                ...(f.port ? { portMappings: [{ name: `${f.name}-http`, containerPort: f.port, protocol: "tcp" }] } : {}),
                ...(f.secrets ? { secrets: f.secrets } : {}),
                ...(f.efs ? { mountPoints: [{ sourceVolume: "uploads", containerPath: "/data/uploads", readOnly: false }] } : {}),
                logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logGroups[f.logGroup].name, "awslogs-region": region, "awslogs-stream-prefix": f.name } },
            },
        ]);
        const td = new aws.ecs.TaskDefinition(`shop-${f.name}`, {
            family: `shop-${f.name}`,
            requiresCompatibilities: [f.launch],
            networkMode: f.networkMode ?? "awsvpc",
            ...(f.cpu ? { cpu: f.cpu, memory: f.memory } : {}),
            ...(f.networkMode === "host" ? {} : { executionRoleArn: executionRole.arn }),
            ...(taskRole ? { taskRoleArn: taskRole.arn } : {}),
            containerDefinitions: container,
            ...(f.efs
                ? {
                      volumes: [
                          {
                              name: "uploads",
                              efsVolumeConfiguration: {
                                  fileSystemId: storage.fileSystem.id,
                                  transitEncryption: "ENABLED",
                                  authorizationConfig: { accessPointId: storage.accessPoint.id, iam: "ENABLED" },
                              },
                          },
                      ],
                  }
                : {}),
        });
        return [f.name, td];
    }),
);

const awsvpc = (groups: pulumi.Input<string>[]) => ({ subnets: subnetIds, securityGroups: groups, assignPublicIp: false });
const service = (name: string, args: Omit<aws.ecs.ServiceArgs, "name" | "cluster" | "taskDefinition">) =>
    new aws.ecs.Service(name, { name, cluster: cluster.arn, taskDefinition: taskDefinitions[name].arn, ...args });
service("web", { desiredCount: 3, launchType: "FARGATE", networkConfiguration: awsvpc([appSg.id]), loadBalancers: [{ targetGroupArn: webTg.arn, containerName: "web", containerPort: 8080 }] });
service("orders", { desiredCount: 2, launchType: "FARGATE", networkConfiguration: awsvpc([appSg.id]), loadBalancers: [{ targetGroupArn: ordersTg.arn, containerName: "orders", containerPort: 8080 }] });
service("catalog", { desiredCount: 2, launchType: "FARGATE", networkConfiguration: awsvpc([appSg.id]) });
service("cart", { desiredCount: 2, networkConfiguration: awsvpc([appSg.id]), capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 3 }, { capacityProvider: "FARGATE", weight: 1, base: 1 }] });
service("worker", { desiredCount: 1, launchType: "EC2", networkConfiguration: awsvpc([appSg.id]) });
service("media", { desiredCount: 2, launchType: "FARGATE", networkConfiguration: awsvpc([mediaSg.id]) });
service("log-agent", { launchType: "EC2", schedulingStrategy: "DAEMON" });

export const albDnsName = alb.dnsName;
export const clusterName = cluster.name;
