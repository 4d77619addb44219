import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { seedClients } from "../examples/shop/clients";
import { SHOP_CLUSTER, seedShop } from "../examples/shop/seed";
import { Aws } from "../migration/ecs/aws";
import { ReaderError } from "../migration/ecs/errors";
import { readEcsSnapshot } from "../migration/ecs/reader";
import { parameterName, parseSecretReference } from "../core/secretReference";
import { EcsSnapshot } from "../core/snapshot";
import { serializeSnapshot, validateSnapshot } from "../migration/ecs/snapshotFile";
import { Moto, startMoto } from "../emulator/moto";
import { InjectedFault, LoopbackProxy, ProxiedRequest, startProxy } from "../emulator/proxy";

process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SECRET_ACCESS_KEY = "testing";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const FIXED_NOW = () => new Date("2026-11-27T12:00:00.000Z");
const BULK_CLUSTER = "bulk";
const BULK_SERVICES = 123;

async function readThrough(endpoint: string, options: Partial<Parameters<typeof readEcsSnapshot>[1]> = {}, maxAttempts?: number): Promise<{ snapshot: EcsSnapshot; aws: Aws }> {
    const aws = new Aws({ region: "us-east-1", endpoint, ...(maxAttempts ? { maxAttempts } : {}) });
    try {
        const snapshot = await readEcsSnapshot(aws, { clusters: [SHOP_CLUSTER], now: FIXED_NOW, ...options });
        return { snapshot, aws };
    } finally {
        aws.destroy();
    }
}

async function expectReaderError(run: () => Promise<unknown>, kind: ReaderError["kind"], message: RegExp): Promise<void> {
    await assert.rejects(run, (err: unknown) => {
        assert.ok(err instanceof ReaderError, `expected a ReaderError, got ${String(err)}`);
        assert.strictEqual(err.kind, kind);
        assert.match(err.message, message);
        assert.ok(!err.message.includes("\n"), "one line");
        return true;
    });
}

describe("ECS reader against moto", function () {
    this.timeout(120000);
    let moto: Moto;
    let proxy: LoopbackProxy;
    let fault: ((req: ProxiedRequest) => InjectedFault | undefined) | undefined;
    let shop: EcsSnapshot;
    let shopCalls: Map<string, number>;

    before(async () => {
        moto = await startMoto();
        const clients = seedClients(moto.endpoint);
        await seedShop(clients);
        // A bigger cluster, to see paging and batching as AWS does them.
        await clients.ecs.send(new CreateClusterCommand({ clusterName: BULK_CLUSTER }));
        const td = await clients.ecs.send(new RegisterTaskDefinitionCommand({ family: "bulk", containerDefinitions: [{ name: "app", image: "nginx:1.27", memory: 128 }] }));
        for (let i = 0; i < BULK_SERVICES; i++) {
            await clients.ecs.send(new CreateServiceCommand({ cluster: BULK_CLUSTER, serviceName: `svc-${String(i).padStart(3, "0")}`, taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 1 }));
        }
        proxy = await startProxy(moto.endpoint, { fault: (req) => fault?.(req) });
        const read = await readThrough(proxy.endpoint);
        shop = read.snapshot;
        shopCalls = read.aws.calls;
    });
    afterEach(() => {
        fault = undefined;
    });
    after(async () => {
        await proxy?.close();
        await moto?.stop();
    });

    it("reads every service with its deployment configuration, placement and service connect", () => {
        const services = shop.clusters[0].services;
        assert.deepStrictEqual(services.map((s) => s.serviceName), ["cart", "catalog", "log-agent", "media", "orders", "web", "worker"]);
        const orders = services.find((s) => s.serviceName === "orders");
        assert.deepStrictEqual(orders?.deploymentConfiguration, { maximumPercent: 150, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } });
        assert.strictEqual(orders?.healthCheckGracePeriodSeconds, 30);
        assert.deepStrictEqual(orders?.deployments?.[0].serviceConnectConfiguration?.services?.[0].clientAliases, [{ port: 8080, dnsName: "orders" }]);
        const worker = services.find((s) => s.serviceName === "worker");
        assert.deepStrictEqual(worker?.placementStrategy?.map((p) => p.type), ["spread", "binpack"]);
        assert.strictEqual(services.find((s) => s.serviceName === "log-agent")?.schedulingStrategy, "DAEMON");
        assert.deepStrictEqual(services.find((s) => s.serviceName === "cart")?.capacityProviderStrategy?.map((c) => c.capacityProvider), ["FARGATE_SPOT", "FARGATE"]);
        assert.strictEqual(services.find((s) => s.serviceName === "web")?.enableExecuteCommand, true);
    });

    it("reads every task definition in full, each distinct revision once", () => {
        assert.strictEqual(shop.taskDefinitions.length, 8);
        assert.strictEqual(shopCalls.get("ecs:DescribeTaskDefinition"), 8);
        const web = shop.taskDefinitions.find((t) => t.family === "shop-web");
        assert.deepStrictEqual(web?.containerDefinitions?.map((c) => c.name), ["log-router", "web"]);
        assert.deepStrictEqual(web?.containerDefinitions?.[1].healthCheck?.command, ["CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"]);
        assert.deepStrictEqual(web?.runtimePlatform, { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
        assert.deepStrictEqual(web?.tags, [{ key: "app", value: "shop" }]);
    });

    it("reads scaling targets, target tracking and scheduled actions", () => {
        assert.deepStrictEqual(shop.scaling.targets.map((t) => [t.ResourceId, t.MinCapacity, t.MaxCapacity]), [
            ["service/shop/cart", 2, 8],
            ["service/shop/orders", 2, 10],
            ["service/shop/web", 3, 12],
            ["service/shop/worker", 1, 20],
        ]);
        assert.deepStrictEqual(shop.scaling.policies.map((p) => p.PolicyName).sort(), ["orders-cpu", "orders-memory", "web-cpu", "worker-backlog-burst", "worker-queue-depth"]);
        // Step scaling acts through a CloudWatch alarm: its metric is read, its changing state is not.
        assert.deepStrictEqual(shop.scaling.alarms?.map((a) => [a.AlarmName, a.MetricName, a.Threshold, a.ComparisonOperator]), [["shop-orders-backlog-high", "ApproximateNumberOfMessagesVisible", 500, "GreaterThanThreshold"]]);
        assert.ok(!("StateValue" in (shop.scaling.alarms?.[0] ?? {})));
        assert.deepStrictEqual(shop.scaling.scheduledActions.map((a) => [a.ScheduledActionName, a.Schedule, a.Timezone]), [["cart-evening-peak", "cron(0 18 * * ? *)", "Europe/Berlin"]]);
    });

    it("reads target groups with health checks and the listener rules that forward to them, with weights", () => {
        assert.deepStrictEqual(shop.loadBalancing.targetGroups.map((t) => [t.TargetGroupName, t.HealthCheckPath, t.TargetType]).sort(), [
            ["shop-orders", "/api/orders/health", "ip"],
            ["shop-web", "/healthz", "ip"],
        ]);
        const weighted = shop.loadBalancing.rules.find((r) => r.rule.Priority === "10");
        assert.deepStrictEqual(weighted?.rule.Actions?.[0].ForwardConfig?.TargetGroups?.map((t) => t.Weight), [100]);
        assert.strictEqual(shop.loadBalancing.loadBalancers[0].LoadBalancerName, "shop-alb");
        assert.strictEqual(shop.loadBalancing.listeners.length, 1);
        // The names customers use: an alias and a CNAME to the load balancer.
        assert.deepStrictEqual(shop.loadBalancing.dnsRecords?.map((r) => [r.name, r.type]), [["api.shop.example.com.", "CNAME"], ["www.shop.example.com.", "A"]]);
    });

    it("reads Cloud Map namespaces and registries, security groups with their rules", () => {
        assert.deepStrictEqual(shop.serviceDiscovery.namespaces.map((n) => n.Name), ["shop.local"]);
        assert.deepStrictEqual(shop.serviceDiscovery.services.map((s) => s.Name), ["catalog-internal"]);
        const app = shop.securityGroups.find((g) => g.GroupName === "shop-app");
        const alb = shop.securityGroups.find((g) => g.GroupName === "shop-alb");
        assert.ok(app?.IpPermissions?.some((p) => p.UserIdGroupPairs?.some((u) => u.GroupId === alb?.GroupId)));
        assert.deepStrictEqual(shop.securityGroups.map((g) => g.GroupName).sort(), ["shop-alb", "shop-app", "shop-media"]);
    });

    it("reads each task role's trust and policies: AWS-managed by ARN, the rest with their documents", () => {
        assert.deepStrictEqual(shop.roles.map((r) => r.name), ["shop-catalog-task", "shop-media-task", "shop-orders-task", "shop-report-task", "shop-web-task", "shop-worker-task"]);
        const orders = shop.roles.find((r) => r.name === "shop-orders-task");
        const managed = orders?.attachedPolicies.find((p) => p.awsManaged);
        assert.deepStrictEqual(managed, { name: "AWSXrayWriteOnlyAccess", arn: "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", awsManaged: true });
        const own = orders?.attachedPolicies.find((p) => !p.awsManaged);
        assert.match(JSON.stringify(own?.document), /sqs:SendMessage/);
        assert.match(JSON.stringify(shop.roles.find((r) => r.name === "shop-worker-task")?.inlinePolicies), /sqs:ReceiveMessage/);
    });

    it("reads scheduled tasks from EventBridge rules and Scheduler schedules", () => {
        assert.deepStrictEqual(shop.clusters[0].scheduledTasks.map((t) => [t.source, t.name, t.scheduleExpression]), [
            ["eventbridge", "shop-nightly-report/report", "cron(0 2 * * ? *)"],
            ["scheduler", "default/shop-hourly-report", "rate(1 hour)"],
        ]);
    });

    it("reads the EFS file systems and access points the tasks mount", () => {
        assert.strictEqual(shop.fileSystems.fileSystems.length, 1);
        assert.strictEqual(shop.fileSystems.fileSystems[0].Encrypted, true);
        assert.deepStrictEqual(shop.fileSystems.accessPoints.map((a) => a.RootDirectory?.Path), ["/uploads"]);
    });

    it("records secret metadata and never a secret value", () => {
        assert.deepStrictEqual(shop.secrets.map((s) => [s.source, s.name, s.found]), [
            ["ssm", "/shop/stripe/api-key", true],
            ["secretsmanager", "shop/db", true],
            ["secretsmanager", "shop/db", true],
            ["secretsmanager", "shop/db", true],
            ["ssm", "/shop/feature-flags", true],
        ]);
        assert.ok(!serializeSnapshot(shop).includes("example-only"));
        const valueReads = [...proxy.counts.keys()].filter((op) => /GetSecretValue|BatchGetSecretValue|GetParameters?$|GetParametersByPath/.test(op));
        assert.deepStrictEqual(valueReads, []);
    });

    it("writes a snapshot that validates and is byte-identical when nothing changed", async () => {
        assert.doesNotThrow(() => validateSnapshot(JSON.parse(serializeSnapshot(shop)), "shop.json"));
        const again = await readThrough(proxy.endpoint);
        assert.strictEqual(serializeSnapshot(again.snapshot), serializeSnapshot(shop));
        assert.deepStrictEqual(shop.diagnostics, []);
        assert.deepStrictEqual(Object.keys(JSON.parse(serializeSnapshot(shop))), Object.keys(JSON.parse(serializeSnapshot(shop))).sort());
    });

    it("pages ListServices by 100 and describes services ten at a time", async () => {
        const { snapshot, aws } = await readThrough(proxy.endpoint, { clusters: [BULK_CLUSTER] });
        assert.strictEqual(snapshot.clusters[0].services.length, BULK_SERVICES);
        assert.strictEqual(aws.calls.get("ecs:ListServices"), 2);
        assert.strictEqual(aws.calls.get("ecs:DescribeServices"), Math.ceil(BULK_SERVICES / 10));
        assert.strictEqual(aws.calls.get("ecs:DescribeTaskDefinition"), 1);
    });

    it("calls only what the documented reader policy (docs/reader-policy.json) allows", () => {
        const policy = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "docs", "reader-policy.json"), "utf8")) as { Statement: { Action: string[] }[] };
        const allowed = new Set(policy.Statement.flatMap((st) => st.Action));
        assert.deepStrictEqual([...shopCalls.keys()].filter((action) => !allowed.has(action)), []);
    });

    it("reads only the services asked for", async () => {
        const { snapshot } = await readThrough(proxy.endpoint, { services: ["orders", "web"] });
        assert.deepStrictEqual(snapshot.clusters[0].services.map((s) => s.serviceName), ["orders", "web"]);
        await expectReaderError(() => readThrough(proxy.endpoint, { services: ["payments"] }), "not-found", /^service payments not found in cluster shop; check --service$/);
    });

    describe("errors", () => {
        it("cluster not found", async () => {
            await expectReaderError(() => readThrough(proxy.endpoint, { clusters: ["nope"] }), "not-found", /^ECS cluster "nope" not found in us-east-1; check --cluster and --region/);
        });

        it("access denied names the action, the resource and the permission to grant", async () => {
            fault = (req) =>
                req.operation.endsWith(".DescribeServices")
                    ? { status: 400, type: "AccessDeniedException", message: "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:us-east-1:123456789012:service/shop/web" }
                    : undefined;
            await expectReaderError(
                () => readThrough(proxy.endpoint),
                "access-denied",
                /^access denied: ecs:DescribeServices on arn:aws:ecs:us-east-1:123456789012:service\/shop\/web; grant ecs:DescribeServices on that resource/,
            );
        });

        it("throttling that outlasts the retries", async () => {
            fault = (req) => (req.operation.endsWith(".ListServices") ? { status: 400, type: "ThrottlingException", message: "Rate exceeded" } : undefined);
            const before = proxy.counts.get("AmazonEC2ContainerServiceV20141113.ListServices") ?? 0;
            await expectReaderError(() => readThrough(proxy.endpoint, {}, 3), "throttled", /^AWS kept throttling ecs:ListServices after 3 attempts; rerun later, or lower --concurrency/);
            assert.strictEqual((proxy.counts.get("AmazonEC2ContainerServiceV20141113.ListServices") ?? 0) - before, 3, "the SDK retried");
        });

        it("expired credentials", async () => {
            fault = () => ({ status: 400, type: "ExpiredTokenException", message: "The security token included in the request is expired" });
            await expectReaderError(() => readThrough(proxy.endpoint), "credentials", /^the AWS credentials were rejected \(ExpiredTokenException\): they have expired/);
        });

        it("unknown region, before any call", async () => {
            assert.throws(() => new Aws({ region: "us-east" }), (err: unknown) => err instanceof ReaderError && err.kind === "region" && /^unknown AWS region "us-east"/.test(err.message));
        });

        it("an unreadable task definition fails the read, or is recorded with --skip-unreadable", async () => {
            fault = (req) => (req.operation.endsWith(".DescribeTaskDefinition") && req.body.includes("shop-media") ? { status: 400, type: "ClientException", message: "Unable to describe task definition." } : undefined);
            await expectReaderError(() => readThrough(proxy.endpoint), "unreadable", /^cannot read task definition arn:aws:ecs:us-east-1:123456789012:task-definition\/shop-media:1: .*rerun with --skip-unreadable/);
            const { snapshot } = await readThrough(proxy.endpoint, { skipUnreadable: true });
            assert.ok(!snapshot.clusters[0].services.some((s) => s.serviceName === "media"));
            assert.deepStrictEqual(snapshot.diagnostics.map((d) => d.code).sort(), ["SERVICE_SKIPPED", "UNREADABLE_TASK_DEFINITION"]);
        });
    });
});

describe("secret references", () => {
    it("splits a Secrets Manager ARN from its JSON key, version stage and version id", () => {
        const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db-AbCdEf";
        assert.deepStrictEqual(parseSecretReference(`${arn}:password:AWSPREVIOUS:`), { source: "secretsmanager", id: arn, jsonKey: "password", versionStage: "AWSPREVIOUS" });
        assert.deepStrictEqual(parseSecretReference(`${arn}::AWSCURRENT:`), { source: "secretsmanager", id: arn, versionStage: "AWSCURRENT" });
        assert.deepStrictEqual(parseSecretReference(`${arn}:::0123-4567`), { source: "secretsmanager", id: arn, versionId: "0123-4567" });
        assert.deepStrictEqual(parseSecretReference(arn), { source: "secretsmanager", id: arn });
    });

    it("reads SSM parameters by ARN or name, hierarchical or not", () => {
        // An ARN stays an ARN: it says which region and account the parameter is in.
        assert.deepStrictEqual(parseSecretReference("arn:aws:ssm:us-east-1:1:parameter/shop/db/password"), { source: "ssm", id: "arn:aws:ssm:us-east-1:1:parameter/shop/db/password" });
        assert.strictEqual(parameterName("arn:aws:ssm:us-east-1:1:parameter/shop/db/password"), "/shop/db/password");
        assert.strictEqual(parameterName("arn:aws:ssm:us-east-1:1:parameter/flat-name"), "flat-name");
        assert.deepStrictEqual(parseSecretReference("/shop/stripe/api-key"), { source: "ssm", id: "/shop/stripe/api-key" });
    });
});
