import * as assert from "assert";
import * as path from "path";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { validateConfig } from "../config/validate";
import { planSecurityGroups } from "../migration/cutover/securityGroups";
import { EcsSnapshot, Json, ScheduledTaskSnapshot, ServiceSnapshot, TaskDefinitionSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { Permission } from "../migration/translate/podTraffic";
import { translate } from "../migration/translate/translate";
import { K8sObject, MigrationPlan, WorkloadPlan } from "../migration/translate/types";
import { validateObject, validateObjects } from "../migration/translate/validate";
import { buildStack } from "../program";
import { runOffline } from "../preview/run";
import { Platform, at, rawConfig } from "./harness";
import { ACCOUNT, CLUSTER_ARN, service, snapshot, taskDefinition } from "./translateHarness";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
const VPC = "vpc-0e1d2c3b4a5968778";
const SUBNETS = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"];
const ALB_SG = "sg-0a1b2c3d4e5f60001";
const CHECKOUT_SG = "sg-0a1b2c3d4e5f60002";
const PAYMENTS_SG = "sg-0a1b2c3d4e5f60003";
const AGENT_SG = "sg-0a1b2c3d4e5f60004";
const LAMBDA_SG = "sg-0a1b2c3d4e5f60099";
const ALB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/prod-alb/50dc6c495c0c9188`;
const CHECKOUT_TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/prod-checkout/73e2d6bc24d8a067`;
const NAME = "app.kubernetes.io/name";
const INSTANCE = "app.kubernetes.io/instance";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

type Group = EcsSnapshot["securityGroups"][number];

function group(id: string, name: string, ingress: Permission[]): Group {
    return {
        GroupId: id,
        GroupName: name,
        Description: `${name} tasks`,
        VpcId: VPC,
        OwnerId: ACCOUNT,
        IpPermissions: ingress,
        IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
    };
}

function fromGroup(id: string, from: number, to = from, protocol = "tcp"): Permission {
    return { IpProtocol: protocol, FromPort: from, ToPort: to, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: id, UserId: ACCOUNT }] };
}

function td(family: string, container: Partial<Json<ContainerDefinition>>, over: Partial<TaskDefinitionSnapshot> = {}): TaskDefinitionSnapshot {
    return taskDefinition({ taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${family}:3`, family, ...over }, { name: family, ...container });
}

function awsvpcService(name: string, groups: string[], over: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
    return service({
        serviceName: name,
        serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/${name}`,
        taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${name}:3`,
        networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: groups, assignPublicIp: "DISABLED" } },
        ...over,
    });
}

/**
 * A payments estate as teams run it: checkout behind an internal ALB
 * (health-checked over HTTP), payments reachable only from checkout's
 * group on 8443, and a nightly settlement job that wears checkout's group.
 */
function paymentsEstate(paymentsRules: Permission[] = [fromGroup(CHECKOUT_SG, 8443)], extra: { services?: ServiceSnapshot[]; tds?: TaskDefinitionSnapshot[]; groups?: Group[]; scheduled?: ScheduledTaskSnapshot[] } = {}): EcsSnapshot {
    const snap = snapshot(
        [
            awsvpcService("checkout", [CHECKOUT_SG], { loadBalancers: [{ targetGroupArn: CHECKOUT_TG, containerName: "checkout", containerPort: 8080 }] }),
            awsvpcService("payments", [PAYMENTS_SG]),
            ...(extra.services ?? []),
        ],
        [
            td("checkout", { portMappings: [{ name: "http", containerPort: 8080, protocol: "tcp", appProtocol: "http" }] }),
            td("payments", {
                portMappings: [{ name: "https", containerPort: 8443, protocol: "tcp" }],
                healthCheck: { command: ["CMD-SHELL", "curl -fsk https://localhost:8443/health || exit 1"], interval: 15, timeout: 5, retries: 3 },
            }),
            ...(extra.tds ?? []),
        ],
        {
            securityGroups: [
                group(ALB_SG, "prod-alb", [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]),
                group(CHECKOUT_SG, "prod-checkout", [fromGroup(ALB_SG, 8080)]),
                group(PAYMENTS_SG, "prod-payments", paymentsRules),
                ...(extra.groups ?? []),
            ],
            loadBalancing: {
                targetGroups: [
                    {
                        TargetGroupArn: CHECKOUT_TG,
                        TargetGroupName: "prod-checkout",
                        Protocol: "HTTP",
                        Port: 8080,
                        TargetType: "ip",
                        VpcId: VPC,
                        HealthCheckProtocol: "HTTP",
                        HealthCheckPort: "traffic-port",
                        HealthCheckPath: "/health",
                        LoadBalancerArns: [ALB_ARN],
                    },
                ],
                loadBalancers: [{ LoadBalancerArn: ALB_ARN, LoadBalancerName: "prod-alb", Scheme: "internal", Type: "application", VpcId: VPC, SecurityGroups: [ALB_SG] }],
                listeners: [],
                rules: [],
            },
        },
    );
    return { ...snap, clusters: [{ ...snap.clusters[0], scheduledTasks: extra.scheduled ?? [] }] };
}

const settlement: ScheduledTaskSnapshot = {
    source: "scheduler",
    name: "default/nightly-settlement",
    arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/nightly-settlement`,
    scheduleExpression: "cron(0 2 * * ? *)",
    state: "ENABLED",
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/settlement:3`,
    taskCount: 1,
    launchType: "FARGATE",
    networkConfiguration: { awsvpcConfiguration: { SecurityGroups: [CHECKOUT_SG], Subnets: SUBNETS, AssignPublicIp: "DISABLED" } },
};

function workload(plan: MigrationPlan, name: string): WorkloadPlan {
    const w = plan.workloads.find((x) => x.name === name);
    assert.ok(w, `no workload ${name}: ${plan.workloads.map((x) => x.name).join(", ")}`);
    return w;
}

/** The allow policy of a workload, or undefined when it admits nothing beyond the default deny. */
function allow(plan: MigrationPlan, name: string): K8sObject | undefined {
    return workload(plan, name).objects.find((o) => o.kind === "NetworkPolicy");
}

function ingressOf(plan: MigrationPlan, name: string): unknown {
    return at(allow(plan, name), "spec.ingress");
}

const pods = (name: string, instance = "prod") => ({ podSelector: { matchLabels: { [NAME]: name, [INSTANCE]: instance } } });

describe("network isolation: NetworkPolicies from the ECS security groups", () => {
    describe("a service admitted only from another", () => {
        const snap = paymentsEstate();
        const plan = translate(snap);

        it("admits exactly that service's pods on exactly that port", () => {
            assert.deepStrictEqual(ingressOf(plan, "payments"), [{ from: [pods("checkout")], ports: [{ protocol: "TCP", port: 8443 }] }]);
            assert.deepStrictEqual(at(allow(plan, "payments"), "spec.podSelector"), { matchLabels: { [NAME]: "payments", [INSTANCE]: "prod" } });
            assert.deepStrictEqual(at(allow(plan, "payments"), "spec.policyTypes"), ["Ingress"]);
            assert.deepStrictEqual(allow(plan, "payments")?.metadata.annotations, { "ecs2eks.io/security-groups": PAYMENTS_SG });
        });

        it("keeps exactly that on its security-group copy: no rule from the node group", () => {
            const copy = planSecurityGroups(snap, plan.workloads).clones.find((c) => c.sourceId === PAYMENTS_SG);
            assert.deepStrictEqual(
                copy?.rules.filter((r) => r.direction === "ingress"),
                [{ direction: "ingress", protocol: "tcp", fromPort: 8443, toPort: 8443, group: { cloneOf: CHECKOUT_SG } }],
            );
            assert.deepStrictEqual(copy?.fromNodes, [], "its only probe is exec, and nothing without a copy calls it");
        });

        it("lets the load balancer reach checkout on its target port only, and says why no pod selector could", () => {
            assert.deepStrictEqual(ingressOf(plan, "checkout"), [{ ports: [{ protocol: "TCP", port: 8080 }] }]);
            const d = plan.diagnostics.find((x) => x.code === "NETWORK_POLICY_LOAD_BALANCER");
            assert.strictEqual(d?.field, `securityGroups[${CHECKOUT_SG}].IpPermissions[0]`);
            assert.match(d?.message ?? "", /load balancer prod-alb's group sg-0a1b2c3d4e5f60001.*checkout on tcp 8080/);
            // The kubelet's HTTP readiness probe (the target group's health check) is the only node-group port.
            const copy = planSecurityGroups(snap, plan.workloads).clones.find((c) => c.sourceId === CHECKOUT_SG);
            assert.deepStrictEqual(copy?.fromNodes, [{ protocol: "tcp", port: 8080, description: "From EKS nodes: kubelet probes" }]);
        });

        it("denies all other ingress in the namespace, and applies the allows before the pods", () => {
            const ns = plan.namespaces.find((n) => n.name === "prod");
            assert.deepStrictEqual(
                ns?.objects.map((o) => `${o.kind}/${o.metadata.name}`),
                ["Namespace/prod", "NetworkPolicy/default-deny-ingress"],
            );
            assert.deepStrictEqual(ns?.objects[1].spec, { podSelector: {}, policyTypes: ["Ingress"] });
            const kinds = workload(plan, "payments").objects.map((o) => o.kind);
            assert.ok(kinds.indexOf("NetworkPolicy") < kinds.indexOf("Deployment"), kinds.join(", "));
            assert.deepStrictEqual(validateObjects([...plan.namespaces.flatMap((n) => n.objects), ...plan.workloads.flatMap((w) => w.objects)]), []);
        });
    });

    describe("scheduled tasks", () => {
        const snap = paymentsEstate(undefined, { tds: [td("settlement", { portMappings: [] })], scheduled: [settlement] });
        const plan = translate(snap);

        it("select the job's pods where its ECS task wore the group", () => {
            assert.deepStrictEqual(ingressOf(plan, "payments"), [
                { from: [{ podSelector: { matchLabels: { [INSTANCE]: "prod" }, matchExpressions: [{ key: NAME, operator: "In", values: ["checkout", "nightly-settlement"] }] } }], ports: [{ protocol: "TCP", port: 8443 }] },
            ]);
        });

        it("need no opening to the node group: the CronJob's pods wear the copy of the group the schedule gave them", () => {
            const job = workload(plan, "nightly-settlement");
            assert.deepStrictEqual(job.securityGroupIds, [CHECKOUT_SG]);
            const copy = planSecurityGroups(snap, plan.workloads).clones.find((c) => c.sourceId === PAYMENTS_SG);
            assert.deepStrictEqual(copy?.fromNodes, []);
        });
    });

    describe("rule shapes", () => {
        const snap = paymentsEstate([
            { IpProtocol: "tcp", FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: "10.20.0.0/16", Description: "office VPN" }], Ipv6Ranges: [{ CidrIpv6: "2600:1f18:abc:de00::/56" }], PrefixListIds: [], UserIdGroupPairs: [] },
            fromGroup(CHECKOUT_SG, 5000, 5010, "udp"),
            fromGroup(CHECKOUT_SG, 0, 65535),
            fromGroup(CHECKOUT_SG, -1, -1, "-1"),
            { IpProtocol: "icmp", FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: "10.0.0.0/8" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
            { IpProtocol: "tcp", FromPort: 8000, ToPort: 9000, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [{ PrefixListId: "pl-0c1d2e3f4a5b6c7d8" }], UserIdGroupPairs: [] },
            fromGroup(LAMBDA_SG, -1, -1, "-1"),
        ]);
        const plan = translate(snap);
        const ingress = ingressOf(plan, "payments") as unknown[];

        it("CIDRs become ipBlocks; ranges become port and endPort; -1 admits every port; 0-65535 every TCP port", () => {
            assert.deepStrictEqual(ingress[0], { from: [{ ipBlock: { cidr: "10.20.0.0/16" } }, { ipBlock: { cidr: "2600:1f18:abc:de00::/56" } }], ports: [{ protocol: "TCP", port: 8443 }] });
            assert.deepStrictEqual(ingress[1], { from: [pods("checkout")], ports: [{ protocol: "UDP", port: 5000, endPort: 5010 }] });
            assert.deepStrictEqual(ingress[2], { from: [pods("checkout")], ports: [{ protocol: "TCP" }] });
            assert.deepStrictEqual(ingress[3], { from: [pods("checkout")] });
        });

        it("sources no selector can name are admitted on the ports the pods listen on only, and reported", () => {
            // Prefix list (8000-9000 covers 8443) and a Lambda function's group (all traffic): 8443, from anywhere.
            assert.deepStrictEqual(ingress.slice(4), [{ ports: [{ protocol: "TCP", port: 8443 }] }]);
            assert.strictEqual(ingress.length, 5);
            const unknown = plan.diagnostics.filter((d) => d.code === "NETWORK_POLICY_SOURCE_UNKNOWN");
            assert.deepStrictEqual(unknown.map((d) => d.field), [`securityGroups[${PAYMENTS_SG}].IpPermissions[5]`, `securityGroups[${PAYMENTS_SG}].IpPermissions[6]`]);
            assert.match(unknown[0].message, /prefix list pl-0c1d2e3f4a5b6c7d8.*payments on tcp 8443/);
            assert.match(unknown[1].message, /group sg-0a1b2c3d4e5f60099, which no migrated workload or load balancer wears/);
            assert.ok(unknown.every((d) => d.severity === "warning"));
        });

        it("reports ICMP, which NetworkPolicy cannot express", () => {
            const d = plan.diagnostics.find((x) => x.code === "NETWORK_POLICY_PROTOCOL");
            assert.strictEqual(d?.field, `securityGroups[${PAYMENTS_SG}].IpPermissions[4]`);
            assert.match(d?.message ?? "", /^prod-payments \(sg-0a1b2c3d4e5f60003\) admits icmp: NetworkPolicies match TCP, UDP and SCTP only/);
        });

        it("emits policies the API server accepts", () => {
            assert.deepStrictEqual(validateObjects(workload(plan, "payments").objects), []);
        });
    });

    it("selects a workload moved to the -privileged namespace with a namespace selector too", () => {
        const agent = awsvpcService("agent", [AGENT_SG], { launchType: "EC2", schedulingStrategy: "DAEMON" });
        const agentTd = td("agent", { portMappings: [{ name: "metrics", containerPort: 9100, protocol: "tcp" }], privileged: true }, { requiresCompatibilities: ["EC2"] });
        const plan = translate(paymentsEstate([fromGroup(AGENT_SG, 8443)], { services: [agent], tds: [agentTd], groups: [group(AGENT_SG, "prod-agent", [])] }));
        assert.strictEqual(workload(plan, "agent").namespace, "prod-privileged");
        assert.deepStrictEqual(ingressOf(plan, "payments"), [
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "prod-privileged" } }, ...pods("agent") }], ports: [{ protocol: "TCP", port: 8443 }] },
        ]);
        assert.strictEqual(allow(plan, "agent"), undefined, "its group admits nothing: the namespace's default deny stands");
        assert.ok(plan.namespaces.find((n) => n.name === "prod-privileged")?.objects.some((o) => o.kind === "NetworkPolicy" && o.metadata.name === "default-deny-ingress"));
    });

    it("admits any source on the listening ports of a bridge-mode service, which wore no group of its own, and warns", () => {
        const legacy = service({ serviceName: "legacy", serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/legacy`, taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/legacy:3`, launchType: "EC2" });
        const legacyTd = td("legacy", { portMappings: [{ name: "http", containerPort: 3000, hostPort: 0, protocol: "tcp" }] }, { networkMode: "bridge", requiresCompatibilities: ["EC2"] });
        const plan = translate(paymentsEstate(undefined, { services: [legacy], tds: [legacyTd] }));
        assert.deepStrictEqual(ingressOf(plan, "legacy"), [{ ports: [{ protocol: "TCP", port: 3000 }] }]);
        const d = workload(plan, "legacy").diagnostics.find((x) => x.code === "NETWORK_POLICY_NO_SECURITY_GROUPS");
        assert.strictEqual(d?.severity, "warning");
        assert.match(d?.message ?? "", /admits any source on the ports they listen on \(tcp 3000\) and nothing else/);
    });

    it("makes no policy for a host-network task (policies do not apply there) and says so", () => {
        const node = service({ serviceName: "node-exporter", serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/node-exporter`, taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/node-exporter:3`, launchType: "EC2", schedulingStrategy: "DAEMON" });
        const nodeTd = td("node-exporter", { portMappings: [{ containerPort: 9100, hostPort: 9100, protocol: "tcp" }] }, { networkMode: "host", requiresCompatibilities: ["EC2"] });
        const plan = translate(paymentsEstate(undefined, { services: [node], tds: [nodeTd] }));
        assert.strictEqual(allow(plan, "node-exporter"), undefined);
        assert.strictEqual(workload(plan, "node-exporter").diagnostics.find((x) => x.code === "NETWORK_POLICY_HOST_NETWORK")?.severity, "info");
    });

    describe("the sample shop", () => {
        const snap = readSnapshotFile(SAMPLE);
        const plan = translate(snap);
        const app = snap.securityGroups.find((g) => g.GroupName === "shop-app")?.GroupId ?? "";
        const appWearers = ["cart", "catalog", "orders", "shop-hourly-report", "shop-nightly-report-report", "web", "worker"];
        const fromApp = { podSelector: { matchLabels: { [INSTANCE]: "shop" }, matchExpressions: [{ key: NAME, operator: "In", values: appWearers }] } };

        it("denies ingress by default in every namespace, and validates", () => {
            for (const ns of plan.namespaces) {
                const deny = ns.objects.find((o) => o.kind === "NetworkPolicy");
                assert.deepStrictEqual(deny?.spec, { podSelector: {}, policyTypes: ["Ingress"] }, ns.name);
                assert.strictEqual(ns.objects.indexOf(deny as K8sObject), 1, "right after its Namespace");
            }
            assert.deepStrictEqual(plan.namespaces.map((n) => n.name), ["shop", "shop-privileged"]);
            assert.deepStrictEqual(validateObjects([...plan.namespaces.flatMap((n) => n.objects), ...plan.workloads.flatMap((w) => w.objects)]), []);
        });

        it("media admits shop-app's wearers on 8080 and nothing else", () => {
            assert.deepStrictEqual(ingressOf(plan, "media"), [{ from: [fromApp], ports: [{ protocol: "TCP", port: 8080 }] }]);
        });

        it("the services of shop-app admit each other on 80-8080, and the load balancer reaches web and orders on 8080 only", () => {
            const eachOther = { from: [fromApp], ports: [{ protocol: "TCP", port: 80, endPort: 8080 }] };
            const fromAlb = { ports: [{ protocol: "TCP", port: 8080 }] };
            assert.deepStrictEqual(ingressOf(plan, "web"), [fromAlb, eachOther]);
            assert.deepStrictEqual(ingressOf(plan, "orders"), [fromAlb, eachOther]);
            assert.deepStrictEqual(ingressOf(plan, "cart"), [eachOther], "cart has no target group on the load balancer");
            assert.strictEqual(allow(plan, "log-agent"), undefined, "a host-network agent with no ports");
        });

        it("no copy admits more than port 8080 from the node group", () => {
            const clones = planSecurityGroups(snap, plan.workloads).clones;
            assert.deepStrictEqual(
                // By name: the clones come in the order of the sample's security group IDs, which moto makes up.
                clones.map((c) => [c.name, c.fromNodes.map((r) => `${r.protocol}/${r.port}`)]).sort(([a], [b]) => String(a).localeCompare(String(b))),
                [
                    ["eks-shop-app", ["tcp/8080"]],
                    // Only the reports CronJobs reach media, and they wear the app copy now.
                    ["eks-shop-media", []],
                ],
            );
            assert.ok(clones.find((c) => c.sourceId === app)?.fromNodes[0].description.includes("kubelet probes"));
        });
    });

    describe("the validator", () => {
        const policy = (ingress: unknown[]): K8sObject => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", namespace: "n" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress } });
        const problems = (ingress: unknown[]) => validateObject(policy(ingress)).join("\n");

        it("accepts a policy of every shape the translator emits", () => {
            assert.deepStrictEqual(validateObject(policy([{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }, { namespaceSelector: { matchLabels: { a: "b" } }, podSelector: {} }], ports: [{ protocol: "TCP", port: 80, endPort: 8080 }] }])), []);
        });

        it("rejects what the API server rejects: endPort without a port or below it, a bad CIDR, an ipBlock with a selector, ICMP", () => {
            assert.match(problems([{ ports: [{ protocol: "TCP", endPort: 90 }] }]), /endPort 90 needs a numeric port/);
            assert.match(problems([{ ports: [{ protocol: "TCP", port: 100, endPort: 90 }] }]), /endPort 90/);
            assert.match(problems([{ from: [{ ipBlock: { cidr: "10.0.0.0/33" } }] }]), /"10\.0\.0\.0\/33" is not a CIDR/);
            assert.match(problems([{ from: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] }]), /may not have a pod or namespace selector/);
            assert.match(problems([{ ports: [{ protocol: "ICMP" }] }]), /ICMP is not TCP, UDP or SCTP/);
        });
    });
});

describe("network isolation under Pulumi mocks", function () {
    this.timeout(60000);
    let platform: Platform;
    before(async () => {
        const snap = paymentsEstate(undefined, { tds: [td("settlement", { portMappings: [] })], scheduled: [settlement] });
        const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE });
        const result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snap) }) });
        platform = new Platform(result);
    });

    const copyId = (workloadName: string) => (at(platform.one("kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy", `prod-securitygrouppolicy-${workloadName}`).inputs, "spec.securityGroups.groupIds") as string[])[0];
    const nodeGroupId = () => String(platform.one(EGRESS_RULE, "eks-prod-payments-dns-udp").inputs.referencedSecurityGroupId);
    const rulesOn = (id: string) =>
        platform
            .ofType(INGRESS_RULE)
            .filter((r) => r.inputs.securityGroupId === id)
            .map((r) => ({ protocol: r.inputs.ipProtocol, from: r.inputs.fromPort, to: r.inputs.toPort, source: r.inputs.referencedSecurityGroupId }))
            .sort((a, b) => String(a.source).localeCompare(String(b.source)));

    it("declares the payments copy with exactly checkout's copy on 8443: the job's pods wear checkout's copy too", () => {
        assert.deepStrictEqual(rulesOn(copyId("payments")), [{ protocol: "tcp", from: 8443, to: 8443, source: copyId("checkout") }]);
    });

    it("admits nothing from the node group on a full port range or on every protocol", () => {
        const node = nodeGroupId();
        const copies = new Set(platform.ofType("aws:ec2/securityGroup:SecurityGroup").filter((g) => String(g.name).startsWith("eks-prod-")).map((g) => g.name));
        assert.deepStrictEqual([...copies].sort(), ["eks-prod-checkout", "eks-prod-payments"]);
        const fromNodes = platform.ofType(INGRESS_RULE).filter((r) => r.inputs.referencedSecurityGroupId === node && [...copies].some((c) => r.name.startsWith(`${c}-`)));
        assert.ok(fromNodes.length > 0);
        for (const r of fromNodes) {
            assert.notStrictEqual(r.inputs.ipProtocol, "-1", r.name);
            assert.strictEqual(r.inputs.fromPort, r.inputs.toPort, `${r.name} admits one port`);
        }
    });

    it("declares the default deny after its Namespace, and each allow before its workload's pods", () => {
        const deny = platform.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "prod-networkpolicy-default-deny-ingress");
        const ns = platform.one("kubernetes:core/v1:Namespace", "namespace-prod");
        assert.ok(deny.dependencies.includes(ns.urn));
        const allowPayments = platform.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "prod-networkpolicy-allow-payments");
        assert.deepStrictEqual(at(allowPayments.inputs, "spec.ingress.0.ports"), [{ protocol: "TCP", port: 8443 }]);
        assert.ok(platform.one("kubernetes:apps/v1:Deployment", "prod-deployment-payments").dependencies.includes(allowPayments.urn));
    });
});
