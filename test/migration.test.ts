import * as assert from "assert";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { planSecurityGroups } from "../migration/cutover/securityGroups";
import { decommissionChecks, dnsRecordKey } from "../migration/decommission";
import { ecsLogGroups } from "../migration/translate/logging";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { buildStack } from "../program";
import { PreviewResource, runOffline } from "../preview/run";
import { Platform, at, rawConfig } from "./harness";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const RULE = "aws:lb/listenerRule:ListenerRule";

async function migrate(overrides: Record<string, unknown> = {}): Promise<Platform> {
    const snapshot = readSnapshotFile(SAMPLE);
    const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, ...overrides });
    const result = await runOffline({
        project: "ecs2eks",
        stack: "test",
        config: { values: raw, secretKeys: [] },
        program: () => ({ ...buildStack(validateConfig(raw, "test"), snapshot) }),
    });
    return new Platform(result);
}

/** The weighted rules: the test routes (tagged ecs2eks:test-route) forward by header, not by weight. */
function weightedRules(platform: Platform): PreviewResource[] {
    return platform.ofType(RULE).filter((r) => at(r.inputs, "tags.ecs2eks:test-route") === undefined);
}

function weights(platform: Platform): Record<string, number[]> {
    return Object.fromEntries(
        weightedRules(platform).map((r) => [r.name, (at(r.inputs, "actions.0.forward.targetGroups") as { weight: number }[]).map((t) => t.weight)]),
    );
}

function childrenOf(platform: Platform, parent: PreviewResource): string[] {
    return platform.result.resources.filter((r) => r.parent === parent.urn).map((r) => `${r.type.split(":").pop()}`).sort();
}

describe("EcsMigration under mocks, on the sample shop", function () {
    this.timeout(60000);
    let platform: Platform;
    before(async () => {
        platform = await migrate({ "migration:cutover": { default: { eksWeight: 10 } } });
    });

    it("declares each service's objects under its own Workload, on the cluster's provider", () => {
        const workload = (name: string) => platform.one("ecs2eks:migration:Workload", name);
        assert.deepStrictEqual(childrenOf(platform, workload("shop-orders")), [
            "Deployment",
            "ExternalSecret",
            "HorizontalPodAutoscaler",
            "ListenerRule",
            // Its test route, before the weighted rule.
            "ListenerRule",
            "MetricAlarm",
            "MetricAlarm",
            "MetricAlarm",
            "NetworkPolicy",
            "PodDisruptionBudget",
            "Role",
            "SecurityGroupPolicy",
            "Service",
            "ServiceAccount",
            "TargetGroup",
            "TargetGroupBinding",
        ]);
        assert.deepStrictEqual(childrenOf(platform, workload("shop-cart")), ["Deployment", "MetricAlarm", "NetworkPolicy", "ScaledObject", "SecurityGroupPolicy", "Service"]);
        assert.deepStrictEqual(childrenOf(platform, workload("shop-privileged-log-agent")), ["DaemonSet", "MetricAlarm"]);
        assert.strictEqual(platform.ofType("ecs2eks:migration:Workload").length, 9);
    });

    it("labels namespaces for Pod Security", () => {
        const ns = platform.result.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && !r.name.startsWith("addons-")).map((r) => [at(r.inputs, "metadata.name"), (at(r.inputs, "metadata.labels") as Record<string, string>)["pod-security.kubernetes.io/enforce"]]);
        assert.deepStrictEqual(ns.sort(), [
            ["shop", "baseline"],
            ["shop-privileged", "privileged"],
        ]);
    });

    it("clones task roles: trust for exactly the service account, the task role's permissions", () => {
        const role = platform.one("aws:iam/role:Role", "shop-orders");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
        assert.deepStrictEqual(trust.Statement[0].Condition, { StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:shop:orders", [`${ISSUER}:aud`]: "sts.amazonaws.com" } });
        assert.deepStrictEqual(role.inputs.managedPolicyArns, ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"]);
        const inline = role.inputs.inlinePolicies as { name: string; policy: string }[];
        assert.deepStrictEqual(inline.map((p) => p.name), ["shop-orders-queue"]);
        assert.match(inline[0].policy, /sqs:SendMessage/);
        const sa = platform.one("kubernetes:core/v1:ServiceAccount", "shop-serviceaccount-orders");
        assert.match((at(sa.inputs, "metadata.annotations") as Record<string, string>)["eks.amazonaws.com/role-arn"], /^arn:aws:iam::123456789012:role\/shop-orders/);
    });

    it("lets each namespace's SecretStores read exactly the secrets used there", () => {
        const reader = platform.one("aws:iam/role:Role", "shop-secret-reader");
        const doc = JSON.parse((reader.inputs.inlinePolicies as { policy: string }[])[0].policy);
        const plan = translate(readSnapshotFile(SAMPLE));
        const ns = plan.namespaces.find((n) => n.name === "shop");
        assert.deepStrictEqual(doc.Statement.find((s: { Sid: string }) => s.Sid === "ReadSecrets").Resource, ns?.secretArns);
        assert.deepStrictEqual(doc.Statement.find((s: { Sid: string }) => s.Sid === "ReadParameters").Resource, [
            "arn:aws:ssm:us-east-1:123456789012:parameter/shop/feature-flags",
            "arn:aws:ssm:us-east-1:123456789012:parameter/shop/stripe/api-key",
        ]);
        assert.ok(!JSON.stringify(doc).includes('"*"'), "no wildcard resource");
        const trust = JSON.parse(String(reader.inputs.assumeRolePolicy));
        assert.strictEqual(trust.Statement[0].Condition.StringEquals[`${ISSUER}:sub`], "system:serviceaccount:shop:external-secrets-reader");
    });

    it("puts pods in copies of the ECS security groups, remapping references between them", () => {
        const snapshot = readSnapshotFile(SAMPLE);
        const app = snapshot.securityGroups.find((g) => g.GroupName === "shop-app")?.GroupId ?? "";
        const alb = snapshot.securityGroups.find((g) => g.GroupName === "shop-alb")?.GroupId ?? "";
        const groups = planSecurityGroups(snapshot, translate(snapshot).workloads);
        const appClone = groups.clones.find((c) => c.sourceId === app);
        assert.deepStrictEqual(appClone?.rules.filter((r) => r.direction === "ingress").map((r) => r.group), [{ id: alb }, { cloneOf: app }]);
        assert.deepStrictEqual(groups.referenced, [alb], "the load balancer's group stays referenced: traffic comes from it");
        const sgp = platform.one("kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy", "shop-securitygrouppolicy-orders");
        const ids = at(sgp.inputs, "spec.securityGroups.groupIds") as string[];
        assert.ok(ids.every((id) => id.startsWith("sg-") && id !== app), `pods wear the copy, not ${app}: ${ids}`);
        assert.ok(platform.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").some((r) => r.name === "eks-shop-app-from-nodes-tcp-8080"));
    });

    it("binds a new ip target group to each load-balanced Service", () => {
        const tg = platform.one("aws:lb/targetGroup:TargetGroup", "shop-web-50000");
        assert.strictEqual(tg.inputs.targetType, "ip");
        assert.strictEqual(tg.inputs.port, 8080);
        assert.strictEqual(at(tg.inputs, "healthCheck.path"), "/healthz");
        const binding = platform.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "shop-targetgroupbinding-web-50000");
        assert.deepStrictEqual(at(binding.inputs, "spec.serviceRef"), { name: "web", port: 8080 });
        assert.strictEqual(at(binding.inputs, "spec.targetType"), "ip");
    });

    it("routes 90/10 with a rule of its own, ahead of the ECS rule it mirrors", () => {
        assert.deepStrictEqual(weights(platform), { "shop-orders-9": [90, 10], "shop-web-50000": [90, 10] });
        const snapshot = readSnapshotFile(SAMPLE);
        const ecsOrders = snapshot.loadBalancing.rules.find((r) => r.rule.Priority === "10");
        assert.strictEqual(platform.one(RULE, "shop-orders-9").inputs.priority, 9, "just before the ECS rule at priority 10");
        assert.deepStrictEqual(platform.one(RULE, "shop-orders-9").inputs.conditions, [{ pathPattern: { values: ["/api/orders/*"] } }]);
        assert.strictEqual(platform.one(RULE, "shop-orders-9").inputs.listenerArn, ecsOrders?.listenerArn);
    });
});

describe("EcsMigration with EKS Pod Identity", function () {
    this.timeout(60000);
    it("associates workload roles through Pod Identity, but keeps the SecretStore reader on IRSA, which auth.jwt needs", async () => {
        const platform = await migrate({ "identity:mode": "pod-identity" });
        const orders = JSON.parse(String(platform.one("aws:iam/role:Role", "shop-orders").inputs.assumeRolePolicy));
        assert.deepStrictEqual(orders.Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
        // Only the orders service account of the shop namespace, on this cluster, in this account.
        assert.deepStrictEqual(orders.Statement[0].Condition, {
            StringEquals: {
                "aws:SourceAccount": "123456789012",
                "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:us-east-1:123456789012:cluster/ecs2eks-test",
                "aws:RequestTag/kubernetes-namespace": "shop",
                "aws:RequestTag/kubernetes-service-account": "orders",
            },
        });
        assert.ok(platform.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").some((a) => a.inputs.serviceAccount === "orders"));
        const reader = JSON.parse(String(platform.one("aws:iam/role:Role", "shop-secret-reader").inputs.assumeRolePolicy));
        assert.strictEqual(reader.Statement[0].Action, "sts:AssumeRoleWithWebIdentity");
        const sa = platform.result.resources.find((r) => r.type === "kubernetes:core/v1:ServiceAccount" && at(r.inputs, "metadata.name") === "external-secrets-reader");
        assert.match((at(sa?.inputs, "metadata.annotations") as Record<string, string>)["eks.amazonaws.com/role-arn"], /shop-secret-reader/);
    });
});

describe("cutover weights", function () {
    this.timeout(60000);
    it("0 sends everything to ECS, 100 everything to EKS (and no longer forwards to the ECS target group)", async () => {
        assert.deepStrictEqual(weights(await migrate()), { "shop-orders-9": [100, 0], "shop-web-50000": [100, 0] });
        const full = await migrate({ "migration:cutover": { default: { eksWeight: 100 } } });
        for (const r of weightedRules(full)) {
            const groups = at(r.inputs, "actions.0.forward.targetGroups") as { arn: string; weight: number }[];
            assert.strictEqual(groups.length, 1);
            assert.match(groups[0].arn, /targetgroup\/eks-/);
        }
    });

    it("keeps scheduled tasks suspended on EKS until they are cut over, so they never run twice", async () => {
        const suspended = (p: Platform) => p.ofType("kubernetes:batch/v1:CronJob").map((c) => [String(at(c.inputs, "metadata.name")), at(c.inputs, "spec.suspend")]).sort();
        assert.deepStrictEqual(suspended(await migrate()), [["shop-hourly-report", true], ["shop-nightly-report-report", true]]);
        const moved = await migrate({ "migration:cutover": { services: { "shop-nightly-report/report": { eksWeight: 100 } } } });
        assert.deepStrictEqual(suspended(moved), [["shop-hourly-report", true], ["shop-nightly-report-report", false]]);
    });

    it("takes a per-service weight over the default", async () => {
        assert.deepStrictEqual(weights(await migrate({ "migration:cutover": { default: { eksWeight: 25 }, services: { web: { eksWeight: 50 } } } })), { "shop-orders-9": [75, 25], "shop-web-50000": [50, 50] });
    });

    it("a rollback to 0 changes only the weights", async () => {
        const at10 = await migrate({ "migration:cutover": { default: { eksWeight: 10 } } });
        const at0 = await migrate({ "migration:cutover": { default: { eksWeight: 0 } } });
        const byUrn = (p: Platform) => new Map(p.result.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
        const a = byUrn(at10);
        const b = byUrn(at0);
        assert.deepStrictEqual([...a.keys()].sort(), [...b.keys()].sort(), "the same resources");
        const changed = [...a.keys()].filter((urn) => a.get(urn) !== b.get(urn));
        assert.deepStrictEqual(changed.map((urn) => urn.split("::").pop()).sort(), ["shop-orders-9", "shop-web-50000"]);
        for (const urn of changed) {
            const strip = (s: string | undefined) => JSON.stringify({ ...JSON.parse(s ?? "{}"), actions: undefined });
            assert.strictEqual(strip(a.get(urn)), strip(b.get(urn)), "only the actions (weights) differ");
        }
    });

    it("rejects a weight outside 0-100 and a service the snapshot does not have", async () => {
        assert.throws(() => validateConfig(rawConfig({ "migration:cutover": { default: { eksWeight: 120 } } }), "t"), /migration:cutover\.default \{"eksWeight":120\} is not allowed; expected \{"eksWeight": <whole number from 0 to 100>\}/);
        await assert.rejects(() => migrate({ "migration:cutover": { services: { webb: { eksWeight: 10 } } } }), /migration:cutover\.services\.webb names no ECS service of the snapshot; services: cart, catalog/);
    });
});

describe("decommission check", () => {
    const snapshot: EcsSnapshot = readSnapshotFile(SAMPLE);
    const plan = translate(snapshot);
    const everythingOwned = (): string[] => [
        ...snapshot.loadBalancing.loadBalancers.map((l) => l.LoadBalancerArn ?? ""),
        ...planSecurityGroups(snapshot, plan.workloads).referenced,
        ...plan.namespaces.flatMap((n) => [...n.secretArns, ...n.ssmParameters]),
        ...plan.workloads.flatMap((w) => w.fileSystemIds),
        ...(snapshot.loadBalancing.dnsRecords ?? []).map(dnsRecordKey),
        ...ecsLogGroups(snapshot),
    ];
    const check = (overrides: Record<string, unknown>, snap: EcsSnapshot | undefined = snapshot) => {
        const config = validateConfig(rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, ...overrides }), "prod");
        return decommissionChecks(config, " --stack prod", snap, snap ? translate(snap) : undefined);
    };
    const blockers = (checks: ReturnType<typeof check>) => checks.filter((c) => !c.ok).map((c) => c.title);
    const done = { "migration:cutover": { default: { eksWeight: 100 } }, "migration:adopted": everythingOwned() };

    it("passes when every condition holds", () => {
        assert.deepStrictEqual(blockers(check(done)), []);
    });

    it("blocks while the source is live", () => {
        const config = validateConfig(rawConfig({ "migration:source": "live", "migration:clusters": ["shop"], "migration:cutover": { default: { eksWeight: 100 } } }), "prod");
        const checks = decommissionChecks(config, " --stack prod", undefined, undefined);
        assert.deepStrictEqual(blockers(checks), ["ECS state is frozen", "The rest of the checks"]);
        assert.match(checks[0].fix ?? "", /npx ecs2eks snapshot .* pulumi config set migration:source snapshot --stack prod/);
    });

    it("blocks while a service is below eksWeight 100, naming it, and while rules still forward to ECS", () => {
        const checks = check({ ...done, "migration:cutover": { default: { eksWeight: 100 }, services: { web: { eksWeight: 50 } } } });
        assert.deepStrictEqual(blockers(checks), ["All traffic is on EKS", "No rule forwards to an ECS target group"]);
        assert.match(checks[1].detail, /1 of 9 services and schedules below eksWeight 100: web 50/);
    });

    for (const [title, pick] of [
        ["Load balancers and listeners stay", (a: string[]) => a.filter((x) => !x.includes(":loadbalancer/"))],
        ["Security groups", (a: string[]) => a.filter((x) => !x.startsWith("sg-"))],
        // The shop's SSM parameters are /shop/...; its log groups /ecs/shop/...
        ["Secrets and parameters stay", (a: string[]) => a.filter((x) => !x.includes("secretsmanager") && !x.startsWith("/shop/"))],
        ["Log groups stay, with their history", (a: string[]) => a.filter((x) => !x.startsWith("/ecs/"))],
        ["File systems stay, with their data", (a: string[]) => a.filter((x) => !x.startsWith("fs-"))],
        ["DNS records stay", (a: string[]) => a.filter((x) => !/\/(A|CNAME)$/.test(x))],
    ] as const) {
        it(`blocks on "${title}" until its resources are adopted`, () => {
            const checks = check({ ...done, "migration:adopted": pick(everythingOwned()) });
            assert.deepStrictEqual(blockers(checks), [title]);
            assert.ok((checks.find((c) => c.title === title)?.fix ?? "").length > 20, "says how to clear it");
        });
    }
});
