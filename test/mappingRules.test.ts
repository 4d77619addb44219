import * as assert from "assert";
import * as path from "path";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { workloadCoverage } from "../migration/translate/coverage";
import { Diagnostics } from "../migration/translate/diagnostics";
import { CORE_LEDGER, LEDGER } from "../migration/translate/ledger";
import { c } from "../migration/translate/ledgerEntry";
import { RULES } from "../migration/translate/rules";
import { applyRules, assembleLedger, duplicateClaims } from "../migration/translate/rules/apply";
import { MappingRule } from "../migration/translate/rules/types";
import { presentMembers } from "../migration/translate/shapes";
import { translate } from "../migration/translate/translate";
import { WorkloadPlan } from "../migration/translate/types";
import { One, service, taskDefinition } from "./translateHarness";

/** A Datadog-style node agent: host PID and IPC to see every process on the node. */
function nodeAgent() {
    return taskDefinition(
        { family: "datadog-agent", networkMode: "host", pidMode: "host", ipcMode: "host", requiresCompatibilities: ["EC2"] },
        { name: "app", image: "public.ecr.aws/datadog/agent:7", portMappings: [{ containerPort: 8126, hostPort: 8126, protocol: "tcp" }] },
    );
}

describe("mapping rules: the registry", () => {
    it("lists rules with distinct ids, each owning at least one ledger entry", () => {
        const ids = RULES.map((r) => r.id);
        assert.deepStrictEqual([...new Set(ids)], ids);
        assert.ok(RULES.length >= 5);
        for (const rule of RULES) {
            assert.ok(Object.keys(rule.ledger).length > 0, `${rule.id} owns no ledger entry`);
        }
    });

    it("claims each ECS member once, across the core table and every rule", () => {
        assert.deepStrictEqual([...duplicateClaims(CORE_LEDGER, RULES)], []);
    });

    it("puts every rule's entries into the field ledger, and only the core's and rules'", () => {
        for (const rule of RULES) {
            for (const [member, entry] of Object.entries(rule.ledger)) {
                assert.strictEqual(LEDGER[member], entry, member);
                assert.ok(!(member in CORE_LEDGER), `${member} is in ledger.ts and in rule ${rule.id}`);
            }
        }
        const ruled = RULES.reduce((n, r) => n + Object.keys(r.ledger).length, 0);
        assert.strictEqual(Object.keys(LEDGER).length, Object.keys(CORE_LEDGER).length + ruled);
    });

    it("keeps the ledger's order whichever module an entry lives in (members sorted within their shape)", () => {
        const members = Object.keys(LEDGER);
        const i = members.indexOf("TaskDefinition.pidMode");
        assert.deepStrictEqual(members.slice(i - 1, i + 2), ["TaskDefinition.networkMode", "TaskDefinition.pidMode", "TaskDefinition.placementConstraints"]);
        assert.deepStrictEqual(Object.keys(assembleLedger(CORE_LEDGER, [...RULES].reverse())), members);
    });

    it("finds a member claimed twice: by a rule and the core table, or by two rules", () => {
        const cpu: MappingRule = { id: "task-cpu", ledger: { "TaskDefinition.cpu": c("something else") } };
        const pid: MappingRule = { id: "pid-again", ledger: { "TaskDefinition.pidMode": c("again") } };
        const found = duplicateClaims(CORE_LEDGER, [...RULES, cpu, pid]);
        assert.deepStrictEqual(found.get("TaskDefinition.cpu"), ["ledger.ts", "rule task-cpu"]);
        assert.deepStrictEqual(found.get("TaskDefinition.pidMode"), ["rule pid-mode", "rule pid-again"]);
        assert.strictEqual(found.size, 2);
        // At run time the first claim stands: the translator never throws over its own table.
        assert.strictEqual(assembleLedger(CORE_LEDGER, [cpu])["TaskDefinition.cpu"], CORE_LEDGER["TaskDefinition.cpu"]);
    });

    it("gives a rule the task, the service and what the rules before it contributed, and merges its pod, container and object contributions", () => {
        const seen: string[] = [];
        const first: MappingRule = {
            id: "first",
            ledger: {},
            apply({ pod, patchContainer, objects }) {
                pod.shareProcessNamespace = true;
                patchContainer("app", { stdin: true });
                objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "extra" } });
            },
        };
        const second: MappingRule = {
            id: "second",
            ledger: {},
            apply({ td, service: svc, job, pod, patchContainer, d, needsHostAccess }) {
                seen.push(`${td.family} ${svc?.serviceName} job=${job} share=${pod.shareProcessNamespace}`);
                patchContainer("app", { tty: true });
                d.map("pidMode");
                needsHostAccess();
            },
        };
        const d = new Diagnostics("app");
        const out = applyRules({ td: taskDefinition(), service: service(), job: false, d }, [first, second]);
        assert.deepStrictEqual(seen, ["app app job=false share=true"]);
        assert.deepStrictEqual(out.containers.get("app"), { stdin: true, tty: true });
        assert.deepStrictEqual(out.objects.map((o) => o.metadata.name), ["extra"]);
        assert.strictEqual(out.hostAccess, true);
        assert.deepStrictEqual([...d.mapped], ["pidMode"]);
    });
});

describe("mapping rules: pidMode and ipcMode", () => {
    it("shares the process namespace for pidMode task, which needs no host access", () => {
        const one = new One(taskDefinition({ pidMode: "task" }, { user: "1000:1000" }));
        assert.strictEqual(one.pod("shareProcessNamespace"), true);
        assert.strictEqual(one.pod("hostPID"), undefined);
        assert.ok(one.workload.mapped.includes("pidMode"));
        assert.strictEqual(one.workload.podSecurity, "restricted");
    });

    it("gives a node agent the host's PID and IPC namespaces, warns, and isolates it in a privileged namespace", () => {
        const one = new One(nodeAgent(), service({ serviceName: "datadog-agent", schedulingStrategy: "DAEMON" }));
        assert.strictEqual(one.pod("hostPID"), true);
        assert.strictEqual(one.pod("hostIPC"), true);
        assert.strictEqual(one.diagnostic("HOST_PID").severity, "warning");
        assert.strictEqual(one.diagnostic("HOST_IPC").field, "ipcMode");
        assert.strictEqual(one.workload.podSecurity, "privileged");
        assert.strictEqual(one.workload.namespace, "prod-privileged");
    });

    it("keeps pod networking private when only the IPC namespace was the task's own", () => {
        const one = new One(taskDefinition({ ipcMode: "task" }));
        assert.strictEqual(one.pod("hostIPC"), undefined);
        assert.strictEqual(one.diagnostic("IPC_MODE").severity, "info");
        assert.notStrictEqual(one.workload.podSecurity, "privileged");
    });
});

describe("mapping rules: systemControls", () => {
    it("sets the safe sysctls of every container on the pod and reports the unsafe ones", () => {
        const td = taskDefinition({}, { systemControls: [{ namespace: "net.ipv4.tcp_keepalive_time", value: "120" }, { namespace: "net.core.somaxconn", value: "4096" }] });
        td.containerDefinitions?.push({ name: "worker", image: "redis:7.4", essential: true, systemControls: [{ namespace: "net.ipv4.ip_local_port_range", value: "1024 65000" }] });
        const one = new One(td);
        assert.deepStrictEqual(one.pod("securityContext.sysctls"), [
            { name: "net.ipv4.tcp_keepalive_time", value: "120" },
            { name: "net.ipv4.ip_local_port_range", value: "1024 65000" },
        ]);
        const unsafe = one.diagnostic("UNSAFE_SYSCTL");
        assert.strictEqual(unsafe.container, "app");
        assert.match(unsafe.message, /net\.core\.somaxconn/);
        assert.ok(one.workload.mapped.includes("containerDefinitions[worker].systemControls"));
    });

    it("sets no sysctls when the task sets none", () => {
        assert.strictEqual(new One(taskDefinition()).pod("securityContext.sysctls"), undefined);
    });
});

describe("mapping rules: App Mesh and fault injection", () => {
    it("warns that an App Mesh proxy is not carried over, and keeps the envoy container", () => {
        const td = taskDefinition({ proxyConfiguration: { type: "APPMESH", containerName: "envoy", properties: [{ name: "AppPorts", value: "8080" }] } });
        td.containerDefinitions?.push({ name: "envoy", image: "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod", essential: true, user: "1337" });
        const one = new One(td);
        assert.strictEqual(one.diagnostic("APP_MESH").severity, "warning");
        assert.strictEqual(one.diagnostic("APP_MESH").field, "proxyConfiguration");
        assert.ok(one.container("envoy"));
    });

    it("reports fault injection from the rule's ledger entry, once", () => {
        const one = new One(taskDefinition({ enableFaultInjection: true }));
        assert.deepStrictEqual(one.codes().filter((x) => x === "FAULT_INJECTION"), ["FAULT_INJECTION"]);
        assert.strictEqual(one.diagnostic("FAULT_INJECTION").field, "TaskDefinition.enableFaultInjection");
    });
});

describe("coverage counts the fields the translator consumed", () => {
    const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
    const countedAs = (member: string, w: WorkloadPlan) => Object.entries(workloadCoverage(new Set([member]), w)).find(([, n]) => n === 1)?.[0];

    it("records the service's identity, its scheduling, its controller and its public IP setting as carried", () => {
        const one = new One(taskDefinition(), service({ deploymentController: { type: "ECS" }, networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0a1b"], assignPublicIp: "DISABLED" } } }));
        for (const member of ["Service.serviceName", "Service.serviceArn", "Service.taskDefinition", "TaskDefinition.taskDefinitionArn", "Service.schedulingStrategy", "DeploymentController.type", "AwsVpcConfiguration.assignPublicIp"]) {
            assert.strictEqual(countedAs(member, one.workload), "mapped", member);
        }
        assert.strictEqual((one.get("Deployment", "metadata.annotations") as Record<string, string>)["ecs2eks.io/task-definition-arn"], one.workload.source.taskDefinitionArn);
        const blueGreen = new One(taskDefinition(), service({ deploymentController: { type: "CODE_DEPLOY" } }));
        assert.strictEqual(countedAs("DeploymentController.type", blueGreen.workload), "reported");
    });

    it("counts a container's cpu 0 (no reservation: it shares the task's) and its name, unless it was renamed", () => {
        const td = taskDefinition({}, { cpu: 0 });
        td.containerDefinitions?.push({ name: "Log_Router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4", essential: false, cpu: 0 });
        const one = new One(td);
        assert.ok(one.workload.mapped.includes("containerDefinitions[app].cpu"));
        assert.ok(one.workload.mapped.includes("containerDefinitions[app].name"));
        assert.ok(!one.workload.mapped.includes("containerDefinitions[Log_Router].name"));
        assert.strictEqual(one.diagnostic("CONTAINER_RENAMED").field, "containerDefinitions[Log_Router].name");
    });

    it("counts a volume's name, which names the pod volume its mounts use", () => {
        const one = new One(taskDefinition({ volumes: [{ name: "scratch", host: {} }] }, { mountPoints: [{ sourceVolume: "scratch", containerPath: "/scratch" }] }));
        assert.strictEqual(countedAs("Volume.name", one.workload), "mapped");
    });

    it("leaves unaccounted in the sample shop only what the translator does not consume", () => {
        const shop = readSnapshotFile(SAMPLE);
        const plan = translate(shop);
        const tds = new Map(shop.taskDefinitions.map((td) => [td.taskDefinitionArn, td]));
        const left: string[] = [];
        for (const w of plan.workloads) {
            const svc = shop.clusters.flatMap((c) => c.services).find((s) => s.serviceArn === w.source.arn);
            const members = [...presentMembers(tds.get(w.source.taskDefinitionArn), "TaskDefinition"), ...(w.source.kind === "service" ? presentMembers(svc, "Service") : [])];
            left.push(...members.filter((m) => countedAs(m, w) === "unaccounted").map((m) => `${w.name} ${m}`));
        }
        assert.deepStrictEqual(left.sort(), [
            // Read for Service Connect, EBS volumes and VPC Lattice; these services have none, so nothing of it was carried.
            "log-agent Service.deployments",
            // A DaemonSet has no replica count: ECS ignores desiredCount for DAEMON services too.
            "log-agent Service.desiredCount",
            // ECS Exec off: nothing is granted, nothing is recorded.
            ...["cart", "catalog", "log-agent", "media", "orders", "worker"].map((n) => `${n} Service.enableExecuteCommand`),
            "media Service.deployments",
            // web is a Service Connect client only (no services of its own): its namespace and enabled flag are not read.
            "web Deployment.serviceConnectConfiguration",
            "web Service.deployments",
            "web ServiceConnectConfiguration.enabled",
            "web ServiceConnectConfiguration.namespace",
            "worker Service.deployments",
        ].sort());
        assert.strictEqual(plan.coverage.unaccounted, left.length);
    });
});
