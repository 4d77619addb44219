/**
 * ECS container semantics that the translation must keep, on realistic task
 * definitions: containers that exit, memory ceilings, ephemeral storage that
 * no node can hold, bridge-mode ports and links, and the facts the report
 * states.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { parseArgs } from "../cli/args";
import { planCommand } from "../cli/plan";
import { Json, TaskDefinitionSnapshot } from "../core/snapshot";
import { EKS_AL2023_NOFILE } from "../migration/translate/containers";
import { JOB_DEADLINE_SECONDS, LIFECYCLE_LABEL } from "../migration/translate/lifecycle";
import { renderReport } from "../migration/translate/report";
import { allocatableEphemeralGiB } from "../migration/translate/sizes";
import { translate } from "../migration/translate/translate";
import { Diagnostic, K8sObject, MigrationPlan, TranslateOptions, WorkloadPlan } from "../migration/translate/types";
import { validateObjects } from "../migration/translate/validate";
import { at } from "./harness";
import { ACCOUNT, One, TD_ARN, service, snapshot } from "./translateHarness";

type Container = Json<ContainerDefinition>;

/** A Fargate task definition of the given containers. */
function task(containers: Container[], over: Partial<TaskDefinitionSnapshot> = {}): TaskDefinitionSnapshot {
    return { taskDefinitionArn: TD_ARN, family: "app", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "1024", memory: "2048", containerDefinitions: containers, ...over };
}

const APP: Container = {
    name: "app",
    image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop/app:1.4.2`,
    essential: true,
    portMappings: [{ name: "http", containerPort: 8080, protocol: "tcp" }],
    healthCheck: { command: ["CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1"] },
    user: "1000:1000",
};

/** Lookups in one translated workload (service or scheduled task). */
class Workload {
    constructor(readonly plan: MigrationPlan, readonly workload: WorkloadPlan = plan.workloads[0]) {}

    pod(path = ""): unknown {
        const w = this.workload.objects.find((o) => ["Deployment", "DaemonSet", "CronJob"].includes(o.kind));
        const spec = w?.kind === "CronJob" ? at(w, "spec.jobTemplate.spec.template.spec") : at(w, "spec.template.spec");
        return path === "" ? spec : at(spec, path);
    }

    /** Regular containers by name. */
    regular(): string[] {
        return ((this.pod("containers") as unknown[]) ?? []).map((c) => String(at(c, "name")));
    }

    /** Init containers by name, "(sidecar)" for native sidecars. */
    init(): string[] {
        return ((this.pod("initContainers") as unknown[]) ?? []).map((c) => `${String(at(c, "name"))}${at(c, "restartPolicy") === "Always" ? " (sidecar)" : ""}`);
    }

    container(name: string, path = ""): unknown {
        const all = [...((this.pod("initContainers") as unknown[]) ?? []), ...((this.pod("containers") as unknown[]) ?? [])];
        const c = all.find((x) => at(x, "name") === name);
        assert.ok(c, `no container ${name}`);
        return path === "" ? c : at(c, path);
    }

    diagnostics(code: string): Diagnostic[] {
        return this.workload.diagnostics.filter((d) => d.code === code);
    }

    diagnostic(code: string, container?: string): Diagnostic {
        const found = this.diagnostics(code).filter((d) => container === undefined || d.container === container);
        assert.strictEqual(found.length, 1, `${code}${container ? ` (${container})` : ""}: ${this.workload.diagnostics.map((d) => `${d.code}/${d.container ?? ""}`).join(", ")}`);
        return found[0];
    }

    objects(): K8sObject[] {
        return [...this.plan.namespaces.flatMap((n) => n.objects), ...this.workload.objects];
    }
}

function asService(td: TaskDefinitionSnapshot, options: TranslateOptions = {}): Workload {
    return new Workload(translate(snapshot([service()], [td]), options));
}

function asSchedule(td: TaskDefinitionSnapshot, options: TranslateOptions = {}): Workload {
    const snap = snapshot([], [td]);
    snap.clusters[0].scheduledTasks.push({
        source: "eventbridge",
        name: "nightly-export",
        arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly-export`,
        scheduleExpression: "cron(0 2 * * ? *)",
        state: "ENABLED",
        clusterArn: "",
        taskDefinitionArn: TD_ARN,
        taskCount: 1,
    });
    return new Workload(translate(snap, options));
}

describe("fidelity: containers that exit", () => {
    // A service whose task runs its database migration next to the app, as a non-essential container that exits.
    const migrate: Container = { name: "migrate", image: APP.image, essential: false, command: ["./manage.py", "migrate", "--noinput"], user: "1000:1000" };

    it("a non-essential one-shot is not a regular container of the Deployment: it runs once, as an init container", () => {
        const w = asService(task([APP, migrate]));
        assert.deepStrictEqual(w.regular(), ["app"]);
        assert.deepStrictEqual(w.init(), ["migrate"]);
        const d = w.diagnostic("NON_ESSENTIAL_ONCE", "migrate");
        assert.strictEqual(d.severity, "warning");
        assert.match(d.message, /init container/);
        assert.match(d.suggestion, new RegExp(`${LIFECYCLE_LABEL}=sidecar`));
        assert.deepStrictEqual(validateObjects(w.objects()), []);
    });

    it("the docker label overrides the guess: sidecar keeps it running next to the app", () => {
        const w = asService(task([APP, { ...migrate, name: "queue-poller", dockerLabels: { [LIFECYCLE_LABEL]: "sidecar" } }]));
        assert.deepStrictEqual(w.regular(), ["app"]);
        assert.deepStrictEqual(w.init(), ["queue-poller (sidecar)"]);
        assert.strictEqual(w.diagnostic("LIFECYCLE_LABEL", "queue-poller").severity, "info");
        assert.deepStrictEqual(w.diagnostics("NON_ESSENTIAL_ONCE"), []);
    });

    it("an unknown label value is reported and the guess applies", () => {
        const w = asService(task([APP, { ...migrate, dockerLabels: { [LIFECYCLE_LABEL]: "daemon" } }]));
        assert.strictEqual(w.diagnostic("LIFECYCLE_LABEL", "migrate").severity, "warning");
        assert.deepStrictEqual(w.init(), ["migrate"]);
    });

    it("non-essential containers that keep running (FireLens, ports, agent images) become native sidecars, first in line", () => {
        const w = asService(
            task([
                APP,
                migrate,
                { name: "log_router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2", essential: false, firelensConfiguration: { type: "fluentbit" }, memoryReservation: 50 },
                { name: "xray", image: "public.ecr.aws/xray/aws-xray-daemon:3.3.10", essential: false, portMappings: [{ containerPort: 2000, protocol: "udp" }] },
                { name: "cwagent", image: "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300040.0", essential: false },
            ]),
        );
        assert.deepStrictEqual(w.regular(), ["app"]);
        assert.deepStrictEqual(w.init(), ["log-router (sidecar)", "xray (sidecar)", "cwagent (sidecar)", "migrate"]);
        assert.match(w.diagnostic("NON_ESSENTIAL_SIDECAR", "log_router").message, /FireLens/);
        assert.match(w.diagnostic("NON_ESSENTIAL_SIDECAR", "xray").message, /port mappings/);
        assert.match(w.diagnostic("NON_ESSENTIAL_SIDECAR", "cwagent").suggestion, new RegExp(`${LIFECYCLE_LABEL}=once`));
        assert.deepStrictEqual(validateObjects(w.objects()), []);
    });

    it("a one-shot that waits for the app to be healthy is left out with an error, and the app stays a regular container", () => {
        const register = { name: "register", image: "curlimages/curl:8.8.0", essential: false, command: ["curl", "-X", "POST", "http://registry.internal/register"], dependsOn: [{ containerName: "app", condition: "HEALTHY" as const }] };
        const w = asService(task([APP, register]));
        assert.deepStrictEqual(w.regular(), ["app"]);
        assert.deepStrictEqual(w.init(), []);
        const d = w.diagnostic("ONE_SHOT_AFTER_START", "register");
        assert.strictEqual(d.severity, "error");
        assert.match(d.suggestion, /postStart|Job/);
        assert.deepStrictEqual(w.diagnostics("NO_MAIN_CONTAINER"), []);
    });

    it("dependsOn still decides first: a non-essential container others wait on to complete stays an init container", () => {
        const w = asService(task([{ ...APP, dependsOn: [{ containerName: "migrate", condition: "SUCCESS" }] }, migrate]));
        assert.deepStrictEqual(w.init(), ["migrate"]);
        assert.deepStrictEqual(w.diagnostics("NON_ESSENTIAL_ONCE"), []);
    });

    // A nightly export run by an EventBridge rule, with the Datadog agent next to it.
    const exporter: Container = { name: "export", image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop/export:2.0.1`, essential: true, command: ["export", "--since", "24h"] };
    const datadog: Container = {
        name: "datadog-agent",
        image: "public.ecr.aws/datadog/agent:7",
        essential: false,
        portMappings: [{ containerPort: 8125, protocol: "udp" }],
        environment: [{ name: "ECS_FARGATE", value: "true" }],
    };

    it("a scheduled job completes when its job container exits although the agent keeps running: the agent is a native sidecar", () => {
        const w = asSchedule(task([exporter, datadog]));
        assert.deepStrictEqual(w.regular(), ["export"]);
        assert.deepStrictEqual(w.init(), ["datadog-agent (sidecar)"]);
        assert.strictEqual(w.pod("restartPolicy"), "Never");
        assert.strictEqual(w.pod("activeDeadlineSeconds"), undefined);
        assert.deepStrictEqual(validateObjects(w.objects()), []);
    });

    it("an essential agent next to the job becomes a sidecar too, as ECS stopped the task when the job exited", () => {
        const w = asSchedule(task([exporter, { ...datadog, essential: true }]));
        assert.deepStrictEqual(w.regular(), ["export"]);
        assert.deepStrictEqual(w.init(), ["datadog-agent (sidecar)"]);
        assert.match(w.diagnostic("JOB_ESSENTIAL_SIDECAR", "datadog-agent").message, /completes when export exits/);
    });

    it("several essential job containers: the difference is reported and the pod has a deadline, so a hung run does not stay forever", () => {
        const w = asSchedule(task([exporter, { ...exporter, name: "upload", command: ["upload", "/data"] }]));
        assert.deepStrictEqual(w.regular(), ["export", "upload"]);
        const d = w.diagnostic("JOB_CONTAINERS");
        assert.strictEqual(d.severity, "warning");
        assert.match(d.message, /first of export, upload/);
        assert.strictEqual(w.pod("activeDeadlineSeconds"), JOB_DEADLINE_SECONDS);
        assert.deepStrictEqual(validateObjects(w.objects()), []);
    });

    it("in a Job, a non-essential one-shot runs once next to the job, and a label sidecar on an essential agent is honoured", () => {
        const cleanup = { name: "cleanup", image: "amazon/aws-cli:2.17.0", essential: false, command: ["s3", "rm", "s3://shop-tmp/export/", "--recursive"] };
        const w = asSchedule(task([exporter, cleanup]));
        assert.deepStrictEqual(w.regular(), ["export", "cleanup"]);
        assert.strictEqual(w.diagnostic("NON_ESSENTIAL_ONCE", "cleanup").severity, "warning");
        const labelled = asSchedule(task([exporter, { ...exporter, name: "statsd", image: "statsd/statsd:v0.10.2", dockerLabels: { [LIFECYCLE_LABEL]: "sidecar" } }]));
        assert.deepStrictEqual(labelled.regular(), ["export"]);
        assert.deepStrictEqual(labelled.init(), ["statsd (sidecar)"]);
        assert.strictEqual(labelled.pod("activeDeadlineSeconds"), undefined);
    });

    it("a restart policy is not promised in a Job, whose pod restarts nothing", () => {
        const w = asSchedule(task([{ ...exporter, restartPolicy: { enabled: true } }]));
        assert.strictEqual(w.diagnostic("RESTART_POLICY").severity, "warning");
        assert.match(w.diagnostic("RESTART_POLICY").suggestion, /OnFailure/);
    });
});

describe("fidelity: memory", () => {
    type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
    const mib = (q: string | undefined) => Number(/^(\d+)Mi$/.exec(q ?? "")?.[1] ?? NaN);
    const router: Container = { name: "log_router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2", essential: false, firelensConfiguration: { type: "fluentbit" } };

    it("containers that do not size themselves keep the task's memory as their ceiling; only the requests are split, toward the essential one", () => {
        const w = asService(task([APP, router], { memory: "2048" }));
        const app = w.container("app", "resources") as Resources;
        const log = w.container("log-router", "resources") as Resources;
        assert.strictEqual(app.limits?.memory, "2048Mi");
        assert.strictEqual(log.limits?.memory, "2048Mi");
        assert.strictEqual(app.requests?.memory, "1536Mi");
        assert.strictEqual(log.requests?.memory, "512Mi");
    });

    it("never requests more than the task's budget, and never gives a container a smaller ceiling than ECS did", () => {
        const cases: [string, Container[]][] = [
            ["1024", [APP, router, { name: "xray", image: "amazon/aws-xray-daemon:3.3.10", essential: false }]],
            ["3072", [APP, { ...router, memoryReservation: 100 }, { name: "envoy", image: "envoyproxy/envoy:v1.30.1", essential: true, memory: 256 }]],
            ["1000", [APP, { ...APP, name: "worker", portMappings: [] }, router]],
        ];
        for (const [memory, containers] of cases) {
            const w = asService(task(containers, { memory }));
            const all = [...((w.pod("initContainers") as Resources[] | undefined) ?? []), ...(w.pod("containers") as Resources[])].map((c) => (c as { resources: Resources }).resources);
            const requested = all.reduce((n, r) => n + mib(r.requests?.memory), 0);
            assert.ok(requested <= Number(memory), `${memory}: requests add up to ${requested}`);
            for (const c of containers) {
                const ceiling = c.memory ?? Number(memory);
                const r = w.container((c.name ?? "").replace("_", "-"), "resources") as Resources;
                assert.ok(mib(r.limits?.memory) >= ceiling, `${memory}/${c.name}: limit ${r.limits?.memory} below the ${ceiling} MiB it had on ECS`);
                assert.ok(r.requests?.memory !== undefined, `${memory}/${c.name}: no request, so Kubernetes would request the whole limit`);
            }
        }
    });

    it("a container with only a memoryReservation requests it and keeps the task's memory as its ceiling", () => {
        const w = asService(task([{ ...APP, memoryReservation: 512 }], { memory: "4096" }));
        assert.deepStrictEqual((w.container("app", "resources") as Resources).limits, { memory: "4096Mi" });
        assert.strictEqual((w.container("app", "resources") as Resources).requests?.memory, "512Mi");
    });

    it("splits the task's CPU equally among containers that do not size themselves, with no CPU limit", () => {
        const w = asService(task([APP, router, { name: "envoy", image: "envoyproxy/envoy:v1.30.1", cpu: 256 }], { cpu: "1024" }));
        assert.strictEqual((w.container("app", "resources") as Resources).requests?.cpu, "375m");
        assert.strictEqual((w.container("log-router", "resources") as Resources).requests?.cpu, "375m");
        assert.strictEqual((w.container("app", "resources") as Resources).limits?.cpu, undefined);
    });

    it("says so when the sized containers leave nothing for the others", () => {
        const w = asService(task([APP, { ...router, memoryReservation: 2048 }], { memory: "2048" }));
        assert.match(w.diagnostic("MEMORY_OVER_BUDGET").message, /leaving 0 MiB to request for app/);
        assert.strictEqual((w.container("app", "resources") as Resources).limits?.memory, "2048Mi");
    });
});

describe("fidelity: ephemeral storage", () => {
    const batch = (gib: number) => task([{ ...APP, name: "render", portMappings: [], healthCheck: undefined }], { ephemeralStorage: { sizeInGiB: gib } });

    it("knows what an EKS AL2023 node offers pods of its disk (1 GiB reserved, 10% kept free)", () => {
        assert.deepStrictEqual([50, 80, 200].map(allocatableEphemeralGiB), [44, 71, 179]);
    });

    it("reports a task whose ephemeral storage no node of the node groups can hold, naming the workload, the size and the disk", () => {
        const w = asService(batch(120), { nodeDiskGiB: 50 });
        const d = w.diagnostic("EPHEMERAL_STORAGE_TOO_LARGE");
        assert.strictEqual(d.severity, "error");
        assert.match(d.message, /^app asks for 120 GiB .* largest disk \(50 GiB\) offers pods at most 44 GiB/);
        assert.match(d.suggestion, /diskSizeGiB 135 or more/);
        assert.strictEqual(allocatableEphemeralGiB(135) >= 120 && allocatableEphemeralGiB(134) < 120, true);
        assert.deepStrictEqual(asService(batch(120), { nodeDiskGiB: 135 }).diagnostics("EPHEMERAL_STORAGE_TOO_LARGE"), []);
        assert.deepStrictEqual(asService(batch(120)).diagnostics("EPHEMERAL_STORAGE_TOO_LARGE"), [], "unchecked without the node disk");
    });

    it("checks scheduled tasks too, and puts the request on a container that lasts as long as the pod", () => {
        const td = task([{ ...APP, name: "render", essential: false, portMappings: [], healthCheck: undefined, command: ["fetch-assets"] }, { ...APP, name: "report", portMappings: [], healthCheck: undefined }], { ephemeralStorage: { sizeInGiB: 100 } });
        const w = asSchedule(td, { nodeDiskGiB: 80 });
        assert.strictEqual(w.diagnostic("EPHEMERAL_STORAGE_TOO_LARGE").service, "nightly-export");
        const svc = asService(td);
        assert.deepStrictEqual(svc.init(), ["render"]);
        assert.strictEqual(svc.container("report", "resources.requests.ephemeral-storage"), "100Gi");
        assert.strictEqual(svc.container("render", "resources.requests.ephemeral-storage"), undefined);
    });

    it("the plan command checks against the default node disk, or the one given", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-disk-"));
        const file = path.join(dir, "snapshot.json");
        fs.writeFileSync(file, JSON.stringify(snapshot([service()], [batch(60)])));
        const errors = (out: string) => (JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as MigrationPlan).workloads[0].diagnostics.filter((d) => d.code === "EPHEMERAL_STORAGE_TOO_LARGE").length;
        const write = process.stderr.write;
        process.stderr.write = (() => true) as typeof process.stderr.write;
        try {
            const plan = (argv: string[]) => planCommand.run(parseArgs(argv, planCommand.flags, "plan"));
            assert.strictEqual(await plan(["--snapshot", file, "--out", path.join(dir, "default")]), 1, "an error diagnostic fails the plan");
            assert.strictEqual(await plan(["--snapshot", file, "--out", path.join(dir, "big"), "--node-disk-gib", "100"]), 0);
            await assert.rejects(plan(["--snapshot", file, "--out", path.join(dir, "x"), "--node-disk-gib", "lots"]), /--node-disk-gib "lots" is not a whole number/);
        } finally {
            process.stderr.write = write;
        }
        assert.strictEqual(errors(path.join(dir, "default")), 1);
        assert.strictEqual(errors(path.join(dir, "big")), 0);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe("fidelity: bridge mode", () => {
    // An EC2 task in bridge mode: nginx in front of the app, a dynamic host port and a remapped one, linked containers.
    const bridge = (containers: Container[]) => task(containers, { networkMode: "bridge", requiresCompatibilities: ["EC2"], cpu: undefined, memory: undefined });
    const nginx: Container = {
        name: "nginx",
        image: "nginx:1.27",
        essential: true,
        memory: 256,
        user: "101:101",
        portMappings: [{ containerPort: 8080, hostPort: 0 }, { containerPort: 8443, hostPort: 443 }],
        links: ["app:backend", "redis"],
    };
    const app: Container = { ...APP, memory: 512, portMappings: [{ containerPort: 3000, hostPort: 0 }] };
    const redis: Container = { name: "redis", image: "redis:7.2", essential: true, memory: 256, user: "999:999", portMappings: [{ containerPort: 6379 }] };

    it("a remapped or dynamic host port makes the workload neither privileged nor host-networked", () => {
        const one = new One(bridge([nginx, app, redis]));
        assert.strictEqual(one.workload.podSecurity, "restricted");
        assert.strictEqual(one.workload.namespace, "prod");
        assert.strictEqual(one.pod("hostNetwork"), undefined);
        for (const c of ["nginx", "app", "redis"]) {
            assert.ok(((one.container(c, "ports") as { hostPort?: number }[]) ?? []).every((p) => p.hostPort === undefined), c);
        }
        const d = one.diagnostic("HOST_PORT_DROPPED");
        assert.match(d.message, /host port 443 \(remapped to container port 8443\).*needs no host access/);
        assert.deepStrictEqual(one.plan.diagnostics.filter((x) => x.code === "POD_SECURITY"), []);
    });

    it("links become host aliases of 127.0.0.1 for the linked name and its alias, since no container name resolves in a pod", () => {
        const one = new One(bridge([nginx, app, redis]));
        assert.deepStrictEqual(one.pod("hostAliases"), [{ ip: "127.0.0.1", hostnames: ["app", "backend", "redis"] }]);
        assert.match(one.diagnostic("LINKS").message, /resolve to 127\.0\.0\.1/);
        assert.deepStrictEqual(validateObjects(one.workload.objects), []);
    });

    it("keeps extra hosts and the pod's hostname as they are, and reports names that cannot be host aliases", () => {
        const one = new One(bridge([{ ...nginx, hostname: "backend", extraHosts: [{ hostname: "redis", ipAddress: "10.0.3.7" }], links: ["app:backend", "redis", "app:legacy_api"] }, app, redis]));
        assert.deepStrictEqual(one.pod("hostAliases"), [
            { ip: "10.0.3.7", hostnames: ["redis"] },
            { ip: "127.0.0.1", hostnames: ["app"] },
        ]);
        assert.match(one.diagnostic("LINK_ALIAS").message, /legacy_api/);
        assert.deepStrictEqual(validateObjects(one.workload.objects), []);
    });

    it("two containers on the same port, fine in bridge mode, are an error in one pod", () => {
        const one = new One(bridge([nginx, { ...app, portMappings: [{ containerPort: 8080, hostPort: 0 }] }, redis]));
        const d = one.diagnostic("PORT_CONFLICT");
        assert.strictEqual(d.severity, "error");
        assert.match(d.message, /nginx and app both listen on 8080\/TCP/);
    });
});

describe("fidelity: the report's statements of fact", () => {
    it("states the open-files limits of EKS AL2023 nodes (65536 soft, 1048576 hard) and warns only when the task had more", () => {
        assert.deepStrictEqual(EKS_AL2023_NOFILE, { soft: 65536, hard: 1048576 });
        const fargateDefault = new One(task([{ ...APP, ulimits: [{ name: "nofile", softLimit: 65535, hardLimit: 65535 }] }]));
        const d = fargateDefault.diagnostic("ULIMITS");
        assert.strictEqual(d.severity, "info");
        assert.match(d.message, /nofile 65536 \(soft\) and 1048576 \(hard\)/);
        assert.doesNotMatch(`${d.message} ${d.suggestion}`, /nofile 1048576 on EKS/);
        const more = new One(task([{ ...APP, ulimits: [{ name: "nofile", softLimit: 200000, hardLimit: 200000 }, { name: "memlock", softLimit: -1, hardLimit: -1 }] }])).diagnostic("ULIMITS");
        assert.strictEqual(more.severity, "warning");
        assert.match(more.message, /nofile, memlock may be lower/);
        assert.match(more.suggestion, /baseRuntimeSpec/);
    });

    it("does not tell pod-identity users to annotate the ServiceAccount only", () => {
        const one = new One(task([APP], { taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-task` }), service(), {
            roles: [{ arn: `arn:aws:iam::${ACCOUNT}:role/app-task`, name: "app-task", path: "/", assumeRolePolicy: {}, attachedPolicies: [], inlinePolicies: [{ name: "bucket", awsManaged: false, document: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] } }] }],
        });
        assert.ok(one.workload.role, "the task role is cloned");
        assert.match(renderReport(one.plan), /EKS Pod Identity association/);
    });
});
