/**
 * ECS semantics the mapping must keep (issue 10, item 3): names callers dial,
 * secrets in other regions and accounts, and health checks of target groups.
 * Each case is a realistic task definition; each assertion fails if the
 * behaviour regresses.
 */
import * as assert from "assert";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Moto, startMoto } from "../emulator/moto";
import { planCanaries } from "../migration/cutover/canary";
import { secretReaderPolicy } from "../migration/secretAccess";
import { Aws } from "../migration/ecs/aws";
import { readSecrets } from "../migration/ecs/secrets";
import type { EcsSnapshot, ServiceSnapshot } from "../core/snapshot";
import { ANNOTATION_CALLED_AS } from "../migration/translate/networking";
import { translate } from "../migration/translate/translate";
import { K8sObject, MigrationPlan, WorkloadPlan } from "../migration/translate/types";
import { at } from "./harness";
import { ACCOUNT, One, service, snapshot, taskDefinition } from "./translateHarness";

const NS_ARN = `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:namespace/ns-shop`;

function tdArn(family: string): string {
    return `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${family}:3`;
}

/** An ECS service of cluster prod running its own one-container task definition. */
function ecsService(name: string, over: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
    return service({ serviceName: name, serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/${name}`, taskDefinition: tdArn(name), ...over });
}

function connect(services: NonNullable<NonNullable<NonNullable<ServiceSnapshot["deployments"]>[number]["serviceConnectConfiguration"]>["services"]>, namespace = NS_ARN): Partial<ServiceSnapshot> {
    return { deployments: [{ status: "PRIMARY", serviceConnectConfiguration: { enabled: true, namespace, services } }] };
}

function services(plan: MigrationPlan, namespace = "prod"): K8sObject[] {
    return plan.workloads.filter((w) => w.namespace === namespace).flatMap((w) => w.objects.filter((o) => o.kind === "Service"));
}

function workload(plan: MigrationPlan, name: string): WorkloadPlan {
    const w = plan.workloads.find((x) => x.source.name === name);
    assert.ok(w, `no workload for ${name}`);
    return w;
}

describe("fidelity: names callers dial", () => {
    const shopNamespace = { Arn: NS_ARN, Id: "ns-shop", Name: "shop" };
    const tg = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/orders/0123456789abcdef`;
    // orders-v2 took over the alias "orders" in Service Connect; the old orders service still runs behind the ALB.
    const legacy = ecsService("orders", { loadBalancers: [{ targetGroupArn: tg, containerName: "app", containerPort: 8080 }] });
    const successor = ecsService("orders-v2", connect([{ portName: "http", discoveryName: "orders-v2", clientAliases: [{ port: 8080, dnsName: "orders" }] }]));
    const estate = (order: ServiceSnapshot[]) =>
        translate(
            snapshot(order, [taskDefinition({ taskDefinitionArn: tdArn("orders") }), taskDefinition({ taskDefinitionArn: tdArn("orders-v2") })], {
                serviceDiscovery: { namespaces: [shopNamespace], services: [] },
                loadBalancing: { targetGroups: [{ TargetGroupArn: tg, Protocol: "HTTP", Port: 8080, HealthCheckPath: "/health" }], loadBalancers: [], listeners: [], rules: [] },
            }),
        );

    it("gives a contested Service name to the service callers dialled, and renames the other with a diagnostic naming both", () => {
        const plan = estate([legacy, successor]);
        const names = services(plan).map((s) => s.metadata.name);
        assert.strictEqual(new Set(names).size, names.length, `two Services with one name: ${names.join(", ")}`);
        const orders = services(plan).find((s) => s.metadata.name === "orders") as K8sObject;
        assert.strictEqual((orders.spec as { selector: Record<string, string> }).selector["app.kubernetes.io/name"], "orders-v2", "the alias callers dial reaches orders-v2");
        assert.strictEqual(orders.metadata.annotations?.[ANNOTATION_CALLED_AS], "orders:8080");

        const old = workload(plan, "orders");
        const own = old.objects.find((o) => o.kind === "Service") as K8sObject;
        assert.match(own.metadata.name, /^orders-[0-9a-f]{5}$/);
        assert.strictEqual((own.spec as { selector: Record<string, string> }).selector["app.kubernetes.io/name"], "orders");
        assert.deepStrictEqual(old.loadBalancers.map((lb) => lb.serviceName), [own.metadata.name], "the canary binds to the renamed Service");
        const d = old.diagnostics.find((x) => x.code === "SERVICE_NAME_CLASH");
        assert.ok(d, "a diagnostic explains the rename");
        assert.match(d.message, /orders-v2 is called orders:8080/);
        assert.match(d.message, new RegExp(own.metadata.name));
        assert.ok(!workload(plan, "orders-v2").diagnostics.some((x) => x.code === "SERVICE_NAME_CLASH"));
    });

    it("decides the same way whatever the order of the services in the snapshot", () => {
        const forward = estate([legacy, successor]);
        const backward = estate([successor, legacy]);
        const byName = (plan: MigrationPlan) => JSON.stringify(["orders", "orders-v2"].map((n) => workload(plan, n).objects));
        assert.strictEqual(byName(forward), byName(backward));
    });

    it("renames the second of two Cloud Map names that meet in one namespace, and tells its callers what to dial", () => {
        const registry = (n: string) => `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/srv-${n}`;
        const plan = translate(
            snapshot(
                [ecsService("billing-api", { serviceRegistries: [{ registryArn: registry("b") }] }), ecsService("catalog-api", { serviceRegistries: [{ registryArn: registry("c") }] })],
                [taskDefinition({ taskDefinitionArn: tdArn("billing-api") }), taskDefinition({ taskDefinitionArn: tdArn("catalog-api") })],
                {
                    serviceDiscovery: {
                        namespaces: [
                            { Id: "ns-billing", Name: "billing.internal", Type: "DNS_PRIVATE" },
                            { Id: "ns-catalog", Name: "catalog.internal", Type: "DNS_PRIVATE" },
                        ],
                        services: [
                            { Arn: registry("b"), Id: "srv-b", Name: "api", Type: "DNS_HTTP", DnsConfig: { NamespaceId: "ns-billing", DnsRecords: [{ Type: "A", TTL: 10 }] } },
                            { Arn: registry("c"), Id: "srv-c", Name: "api", Type: "DNS_HTTP", DnsConfig: { NamespaceId: "ns-catalog", DnsRecords: [{ Type: "A", TTL: 10 }] } },
                        ],
                    },
                },
            ),
        );
        const names = services(plan).map((s) => s.metadata.name).sort();
        assert.strictEqual(new Set(names).size, names.length, names.join(", "));
        assert.ok(workload(plan, "billing-api").objects.some((o) => o.kind === "Service" && o.metadata.name === "api"), "billing-api sorts first and keeps api");
        const renamed = workload(plan, "catalog-api").objects.find((o) => o.kind === "Service" && o.metadata.annotations?.[ANNOTATION_CALLED_AS] === "api.catalog.internal:8080") as K8sObject;
        assert.match(renamed.metadata.name, /^api-[0-9a-f]{5}$/);
        const d = workload(plan, "catalog-api").diagnostics.find((x) => x.code === "SERVICE_NAME_CLASH");
        assert.strictEqual(d?.severity, "warning");
        assert.match(d.message, /billing-api is called api\.billing\.internal:8080/);
        assert.match(d.suggestion, new RegExp(`change callers of api\\.catalog\\.internal:8080 to ${renamed.metadata.name}:8080`));
    });

    it("makes no Service for a Service Connect entry without client aliases: ECS gave clients nothing to dial", () => {
        const plan = translate(
            snapshot([ecsService("worker", connect([{ portName: "http", discoveryName: "worker-admin" }]))], [taskDefinition({ taskDefinitionArn: tdArn("worker") })], {
                serviceDiscovery: { namespaces: [shopNamespace], services: [] },
            }),
        );
        assert.deepStrictEqual(services(plan).map((s) => s.metadata.name), ["worker"]);
        assert.match(workload(plan, "worker").diagnostics.find((d) => d.code === "SERVICE_CONNECT_NO_ALIAS")?.message ?? "", /worker-admin/);
    });

    it("warns callers of the default name <discoveryName>.<namespace> and gives the exact fix", () => {
        const plan = translate(
            snapshot([ecsService("payments-api", connect([{ portName: "http", discoveryName: "payments", clientAliases: [{ port: 80 }] }]))], [taskDefinition({ taskDefinitionArn: tdArn("payments-api") })], {
                serviceDiscovery: { namespaces: [shopNamespace], services: [] },
            }),
        );
        const svc = services(plan).find((s) => s.metadata.name === "payments") as K8sObject;
        assert.deepStrictEqual(at(svc, "spec.ports"), [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
        assert.strictEqual(svc.metadata.annotations?.[ANNOTATION_CALLED_AS], "payments.shop:80");
        const d = workload(plan, "payments-api").diagnostics.find((x) => x.code === "SERVICE_CONNECT_DEFAULT_NAME");
        assert.strictEqual(d?.severity, "warning");
        assert.match(d.message, /callers dial payments\.shop:80/);
        assert.ok(d.suggestion.includes("kubectl -n shop create service externalname payments --external-name payments.prod.svc.cluster.local"), d.suggestion);
    });

    it("gives a CoreDNS rewrite for a multi-label Cloud Map namespace, and nothing to do when the names already resolve", () => {
        const fqdn = (namespaceName: string) =>
            translate(
                snapshot([ecsService("payments-api", connect([{ portName: "http", discoveryName: "payments", clientAliases: [{ port: 80 }] }]))], [taskDefinition({ taskDefinitionArn: tdArn("payments-api") })], {
                    serviceDiscovery: { namespaces: [{ ...shopNamespace, Name: namespaceName }], services: [] },
                }),
            );
        const multi = workload(fqdn("shop.local"), "payments-api").diagnostics.find((x) => x.code === "SERVICE_CONNECT_DEFAULT_NAME");
        assert.ok(multi?.suggestion.includes("rewrite stop name regex ^payments\\.shop\\.local\\.?$ payments.prod.svc.cluster.local answer name ^payments\\.prod\\.svc\\.cluster\\.local\\.?$ payments.shop.local"), multi?.suggestion);
        const same = workload(fqdn("prod"), "payments-api").diagnostics;
        assert.ok(!same.some((x) => x.code === "SERVICE_CONNECT_DEFAULT_NAME"), "payments.prod is Service payments of namespace prod already");
    });

    it("reports two objects of one name that no rename can untangle (volumes named from workload and volume)", () => {
        const efs = (volume: string) => taskDefinition({ volumes: [{ name: volume, efsVolumeConfiguration: { fileSystemId: "fs-0123", transitEncryption: "ENABLED" } }] }, { mountPoints: [{ sourceVolume: volume, containerPath: "/data" }] });
        const plan = translate(
            snapshot([ecsService("api"), ecsService("api-data")], [{ ...efs("data-cache"), taskDefinitionArn: tdArn("api") }, { ...efs("cache"), taskDefinitionArn: tdArn("api-data") }], {
                fileSystems: { fileSystems: [{ FileSystemId: "fs-0123", LifeCycleState: "available" } as never], accessPoints: [] },
            }),
        );
        const clash = plan.diagnostics.filter((d) => d.code === "OBJECT_NAME_CLASH");
        assert.ok(clash.length > 0, "a duplicate PersistentVolumeClaim is an error");
        assert.ok(clash.every((d) => d.severity === "error"));
        assert.match(clash.map((d) => d.message).join("\n"), /ECS service api-data and ECS service api both make PersistentVolumeClaim prod\/api-data-cache/);
    });
});

describe("fidelity: health of target groups", () => {
    const TG = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`;
    type TargetGroup = EcsSnapshot["loadBalancing"]["targetGroups"][number];
    // A gRPC API: HTTP admin port 8080, gRPC on 50051.
    const td = taskDefinition({}, {
        portMappings: [
            { name: "http", containerPort: 8080, protocol: "tcp" },
            { name: "grpc", containerPort: 50051, protocol: "tcp", appProtocol: "grpc" },
        ],
    });
    const grpcTg = (over: Partial<TargetGroup> = {}): TargetGroup => ({
        TargetGroupArn: TG("api-grpc"),
        TargetGroupName: "api-grpc",
        Protocol: "HTTP",
        ProtocolVersion: "GRPC",
        Port: 50051,
        TargetType: "ip",
        HealthCheckProtocol: "HTTP",
        HealthCheckPort: "traffic-port",
        HealthCheckPath: "/grpc.health.v1.Health/Check",
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        Matcher: { GrpcCode: "0" },
        ...over,
    });
    const httpTg = (over: Partial<TargetGroup> = {}): TargetGroup => ({
        TargetGroupArn: TG("api-http"),
        TargetGroupName: "api-http",
        Protocol: "HTTP",
        ProtocolVersion: "HTTP1",
        Port: 8080,
        TargetType: "ip",
        HealthCheckProtocol: "HTTP",
        HealthCheckPort: "traffic-port",
        HealthCheckPath: "/healthz",
        HealthCheckIntervalSeconds: 15,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: "200" },
        ...over,
    });
    const behind = (targetGroups: TargetGroup[], lbs: { tg: TargetGroup; port: number }[] = targetGroups.map((tg) => ({ tg, port: tg.Port as number }))) =>
        new One(td, service({ loadBalancers: lbs.map((l) => ({ targetGroupArn: l.tg.TargetGroupArn, containerName: "app", containerPort: l.port })) }), {
            loadBalancing: { targetGroups, loadBalancers: [], listeners: [], rules: [] },
        });

    it("probes a gRPC target group that calls the standard health service with a grpc probe, not an HTTP GET", () => {
        const one = behind([grpcTg()]);
        assert.deepStrictEqual(one.container("app", "readinessProbe"), { grpc: { port: 50051 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 2 });
        assert.strictEqual(one.diagnostic("HEALTH_GRPC").severity, "info");
    });

    it("falls back to a TCP probe, and says why, when the gRPC check is one Kubernetes cannot make", () => {
        // The ALB default: call a method that does not exist and count UNIMPLEMENTED (12) as healthy.
        const aws = behind([grpcTg({ HealthCheckPath: "/AWS.ALB/healthcheck", Matcher: { GrpcCode: "12" } })]);
        assert.deepStrictEqual(aws.container("app", "readinessProbe"), { tcpSocket: { port: 50051 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 2 });
        assert.strictEqual(aws.diagnostic("HEALTH_GRPC").severity, "warning");
        assert.match(aws.diagnostic("HEALTH_GRPC").message, /calls \/AWS\.ALB\/healthcheck and counts gRPC code 12/);
        // End-to-end TLS: the kubelet's grpc probe has no TLS.
        const tls = behind([grpcTg({ Protocol: "HTTPS", HealthCheckProtocol: "HTTPS" })]);
        assert.ok("tcpSocket" in (tls.container("app", "readinessProbe") as object));
        assert.match(tls.diagnostic("HEALTH_GRPC").message, /TLS/);
    });

    it("reports HTTP matchers that Kubernetes' 200-399 does not match, and never probes with a check that cannot pass", () => {
        const partly = behind([httpTg({ Matcher: { HttpCode: "200,401" } })]);
        assert.strictEqual(partly.container("app", "readinessProbe.httpGet.path"), "/healthz");
        assert.strictEqual(partly.diagnostic("HEALTH_MATCHER").severity, "warning");
        assert.match(partly.diagnostic("HEALTH_MATCHER").message, /a pod answering 401 stays unready/);

        const never = behind([httpTg({ HealthCheckPath: "/admin", Matcher: { HttpCode: "401" } })]);
        assert.deepStrictEqual(never.container("app", "readinessProbe.tcpSocket"), { port: 8080 });
        assert.strictEqual(never.diagnostic("HEALTH_MATCHER").severity, "warning");

        const narrower = behind([httpTg({ Matcher: { HttpCode: "200-299" } })]);
        assert.strictEqual(narrower.diagnostic("HEALTH_MATCHER").severity, "info");
        assert.match(narrower.diagnostic("HEALTH_MATCHER").message, /answering 300-399 is ready on EKS/);

        assert.ok(!behind([httpTg()]).codes().includes("HEALTH_MATCHER"), "the ALB default 200 is not noise");
    });

    it("keeps one readiness probe for a container in two target groups, says which, and plans both target groups", () => {
        // The NLB's TCP target group comes first in ECS; the ALB's HTTP check is the stronger one.
        const nlb: TargetGroup = { TargetGroupArn: TG("api-nlb"), TargetGroupName: "api-nlb", Protocol: "TCP", Port: 50051, TargetType: "ip", HealthCheckProtocol: "TCP", HealthCheckIntervalSeconds: 30 };
        const one = behind([nlb, httpTg()]);
        assert.strictEqual(one.container("app", "readinessProbe.httpGet.path"), "/healthz");
        const d = one.diagnostic("HEALTH_SEVERAL_TARGET_GROUPS");
        assert.strictEqual(d.severity, "warning");
        assert.match(d.message, /api-http \(HTTP \/healthz on port 8080\), api-nlb \(TCP port 50051\)/);
        assert.match(d.message, /follows api-http/);
        assert.deepStrictEqual(
            one.workload.loadBalancers.map((lb) => [lb.ecsTargetGroupArn, lb.servicePort]),
            [
                [TG("api-nlb"), 50051],
                [TG("api-http"), 8080],
            ],
        );
    });

    it("says nothing is lost when two load balancers check the container the same way", () => {
        const internal = httpTg({ TargetGroupArn: TG("api-internal"), TargetGroupName: "api-internal" });
        const one = behind([httpTg(), internal]);
        assert.strictEqual(one.diagnostic("HEALTH_SEVERAL_TARGET_GROUPS").severity, "info");
        assert.strictEqual(one.workload.loadBalancers.length, 2);
    });

    it("gives the canary target group of a gRPC service the same gRPC matcher", () => {
        const listener = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/shop/1/2`;
        const tg = grpcTg({ VpcId: "vpc-1" });
        const snap = snapshot([service({ loadBalancers: [{ targetGroupArn: tg.TargetGroupArn, containerName: "app", containerPort: 50051 }] })], [td], {
            loadBalancing: {
                targetGroups: [tg],
                loadBalancers: [],
                listeners: [{ ListenerArn: listener, Port: 443, Protocol: "HTTPS" }],
                rules: [{ listenerArn: listener, rule: { RuleArn: `${listener}/r`, Priority: "10", Conditions: [], Actions: [{ Type: "forward", TargetGroupArn: tg.TargetGroupArn }] } }],
            },
        });
        const { canaries } = planCanaries(translate(snap), snap, { defaultEksWeight: 10, services: {} });
        assert.strictEqual(canaries.length, 1);
        assert.strictEqual(canaries[0].targetGroup.protocolVersion, "GRPC");
        assert.strictEqual((canaries[0].targetGroup.healthCheck as { matcher?: string }).matcher, "0");
    });
});

describe("fidelity: secrets and parameters in another region or account", () => {
    const OTHER = "210987654321";
    const secrets = (list: { name: string; valueFrom: string }[]) => new One(taskDefinition({}, { secrets: list }));
    const data = (one: One, name: string) => one.get("ExternalSecret", "spec.data", name) as { secretKey: string; remoteRef: { key: string }; sourceRef?: { storeRef: { kind: string; name: string } } }[];
    const entry = (one: One, name: string, key: string) => data(one, name).find((e) => e.secretKey === `app.${key}`);

    it("reads a secret and a parameter of another region through a SecretStore of that region, never the home one", () => {
        const one = secrets([
            { name: "DB_PASSWORD", valueFrom: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-AbCdEf:password::` },
            { name: "SESSION_KEY", valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/session-XyZabc` },
            { name: "API_KEY", valueFrom: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/prod/api-key` },
            { name: "FEATURE_FLAGS", valueFrom: "/prod/flags" },
        ]);
        assert.deepStrictEqual(entry(one, "app-secrets", "DB_PASSWORD"), {
            secretKey: "app.DB_PASSWORD",
            remoteRef: { key: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-AbCdEf`, property: "password" },
            sourceRef: { storeRef: { kind: "SecretStore", name: "aws-secrets-manager-eu-west-1" } },
        });
        assert.strictEqual(entry(one, "app-secrets", "SESSION_KEY")?.sourceRef, undefined, "home secrets use the ExternalSecret's own store");
        assert.deepStrictEqual(entry(one, "app-parameters", "API_KEY"), {
            secretKey: "app.API_KEY",
            remoteRef: { key: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/prod/api-key` },
            sourceRef: { storeRef: { kind: "SecretStore", name: "aws-parameter-store-eu-west-1" } },
        });
        assert.deepStrictEqual(entry(one, "app-parameters", "FEATURE_FLAGS"), { secretKey: "app.FEATURE_FLAGS", remoteRef: { key: "/prod/flags" } }, "a bare name is in the task's region");

        const ns = one.plan.namespaces[0];
        const stores = ns.objects.filter((o) => o.kind === "SecretStore").map((o) => [o.metadata.name, at(o, "spec.provider.aws.service"), at(o, "spec.provider.aws.region")]);
        assert.deepStrictEqual(stores, [
            ["aws-secrets-manager", "SecretsManager", "us-east-1"],
            ["aws-parameter-store", "ParameterStore", "us-east-1"],
            ["aws-secrets-manager-eu-west-1", "SecretsManager", "eu-west-1"],
            ["aws-parameter-store-eu-west-1", "ParameterStore", "eu-west-1"],
        ]);
        assert.strictEqual(one.diagnostic("SECRET_OTHER_REGION").severity, "info");
    });

    it("scopes the reader role to the exact ARNs in each region, and decrypts through each region's services", () => {
        const euSecret = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-AbCdEf`;
        const euParameter = `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/prod/api-key`;
        const snap = snapshot([service()], [taskDefinition({}, { secrets: [{ name: "DB_PASSWORD", valueFrom: euSecret }, { name: "API_KEY", valueFrom: euParameter }, { name: "FLAGS", valueFrom: "/prod/flags" }] })], {
            secrets: [
                { arn: euSecret, source: "secretsmanager", name: "prod/db", found: true, kmsKeyId: "1111-eu" },
                { arn: euParameter, source: "ssm", name: "/prod/api-key", found: true, type: "SecureString", kmsKeyId: "2222-eu" },
                { arn: "/prod/flags", source: "ssm", name: "/prod/flags", found: true, type: "String" },
            ],
        });
        const doc = secretReaderPolicy(translate(snap).namespaces[0], snap, ACCOUNT, "aws");
        const statement = (d: typeof doc, sid: string) => (d?.Statement ?? []).find((s) => s.Sid === sid);
        assert.deepStrictEqual(statement(doc, "ReadSecrets")?.Resource, [euSecret]);
        assert.deepStrictEqual(statement(doc, "ReadParameters")?.Resource, [euParameter, `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/flags`].sort());
        assert.deepStrictEqual(statement(doc, "DecryptThroughSecretServices")?.Resource, [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/1111-eu`, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/2222-eu`]);
        assert.deepStrictEqual(statement(doc, "DecryptThroughSecretServices")?.Condition, {
            StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com", "ssm.us-east-1.amazonaws.com"] },
        });
    });

    it("reads another account's secret and parameter by ARN, and says what that account must allow", () => {
        const token = `arn:aws:secretsmanager:us-east-1:${OTHER}:secret:shared/token-AbCdEf`;
        const shared = `arn:aws:ssm:us-east-1:${OTHER}:parameter/shared/endpoint`;
        const one = secrets([
            { name: "TOKEN", valueFrom: token },
            { name: "ENDPOINT", valueFrom: shared },
        ]);
        assert.deepStrictEqual(entry(one, "app-secrets", "TOKEN")?.remoteRef, { key: token });
        assert.deepStrictEqual(entry(one, "app-parameters", "ENDPOINT")?.remoteRef, { key: shared }, "never the home account's /shared/endpoint");
        assert.deepStrictEqual(one.workload.ssmParameters, [shared]);
        const warnings = one.workload.diagnostics.filter((d) => d.code === "SECRET_OTHER_ACCOUNT");
        assert.strictEqual(warnings.length, 2);
        assert.ok(warnings.every((d) => d.severity === "warning"));
        const sm = warnings.find((d) => d.message.includes(token)) as { message: string; suggestion: string };
        assert.match(sm.message, /resource policy allows .*secretsmanager:GetSecretValue/);
        assert.match(sm.suggestion, /kms:Decrypt/);
        assert.match(sm.suggestion, /spec\.provider\.aws\.role/);
        assert.match(warnings.find((d) => d.message.includes(shared))?.message ?? "", /AWS RAM/);
        const doc = secretReaderPolicy(one.plan.namespaces[0], snapshot([], []), ACCOUNT, "aws");
        assert.deepStrictEqual((doc?.Statement ?? []).find((s) => s.Sid === "ReadParameters")?.Resource, [shared]);
    });

    it("is an error, not a silent re-pointing, when a secret is in another partition", () => {
        const one = secrets([{ name: "TOKEN", valueFrom: `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:token-AbCdEf` }]);
        assert.strictEqual(one.diagnostic("SECRET_PARTITION").severity, "error");
    });
});

describe("fidelity: the reader describes secrets in the region their ARN names", function () {
    this.timeout(120000);
    let moto: Moto;
    before(async () => {
        process.env.AWS_ACCESS_KEY_ID ??= "testing";
        process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
        process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
        moto = await startMoto();
    });
    after(async () => moto?.stop());

    it("finds an eu-west-1 parameter and secret with their own keys, not a same-named one of the reader's region", async () => {
        const client = (region: string) => ({ region, endpoint: moto.endpoint });
        const euSsm = new SSMClient(client("eu-west-1"));
        const usSsm = new SSMClient(client("us-east-1"));
        const euSm = new SecretsManagerClient(client("eu-west-1"));
        try {
            await euSsm.send(new PutParameterCommand({ Name: "/prod/api-key", Type: "SecureString", Value: "eu-only", KeyId: "alias/eu-params" }));
            await usSsm.send(new PutParameterCommand({ Name: "/prod/api-key", Type: "SecureString", Value: "us-only", KeyId: "alias/us-params" }));
            const secret = await euSm.send(new CreateSecretCommand({ Name: "prod/db", SecretString: "{}", KmsKeyId: "alias/eu-secrets" }));
            const parameterArn = `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/prod/api-key`;
            const aws = new Aws({ region: "us-east-1", endpoint: moto.endpoint });
            try {
                const read = await readSecrets(aws, [parameterArn, secret.ARN as string], 4);
                assert.deepStrictEqual(
                    read.map((s) => [s.source, s.name, s.found, s.kmsKeyId]),
                    [
                        ["secretsmanager", "prod/db", true, "alias/eu-secrets"],
                        ["ssm", "/prod/api-key", true, "alias/eu-params"],
                    ],
                );
            } finally {
                aws.destroy();
            }
        } finally {
            [euSsm, usSsm, euSm].forEach((c) => c.destroy());
        }
    });
});
