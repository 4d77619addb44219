import * as assert from "assert";
import { cpuUnitsToMillicores } from "../migration/translate/units";
import { One, taskDefinition } from "./translateHarness";

describe("translate: sizes", () => {
    it("reads CPU units as 1024 per vCPU, not as millicores", () => {
        assert.deepStrictEqual([256, 512, 1024, 2048, 384, 100].map(cpuUnitsToMillicores), [250, 500, 1000, 2000, 375, 98]);
        const one = new One(taskDefinition({}, { cpu: 512 }));
        assert.strictEqual(one.container("app", "resources.requests.cpu"), "500m");
    });

    it("makes memory a limit and memoryReservation a request", () => {
        const one = new One(taskDefinition({}, { memory: 768, memoryReservation: 512 }));
        assert.deepStrictEqual(one.container("app", "resources"), { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "768Mi" } });
    });

    it("requests as much as the hard limit when there is no reservation", () => {
        const one = new One(taskDefinition({}, { cpu: 256, memory: 512 }));
        assert.deepStrictEqual(one.container("app", "resources"), { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } });
    });

    it("caps a soft-limit-only container at the task's memory", () => {
        const one = new One(taskDefinition({ memory: "2048" }, { memoryReservation: 256 }));
        assert.deepStrictEqual(one.container("app", "resources.requests.memory"), "256Mi");
        assert.deepStrictEqual(one.container("app", "resources.limits.memory"), "2048Mi");
    });

    it("shares the task's budget among containers that do not size themselves, which keep the task's memory as their ceiling", () => {
        const td = taskDefinition({ cpu: "1024", memory: "2048" });
        td.containerDefinitions?.push({ name: "sidecar", image: "envoy:1.30", cpu: 256, memory: 512 });
        const one = new One(td);
        assert.deepStrictEqual(one.container("app", "resources"), { requests: { cpu: "750m", memory: "1536Mi" }, limits: { memory: "2048Mi" } });
        assert.deepStrictEqual(one.container("sidecar", "resources"), { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } });
    });

    it("reads task sizes written as vCPU and GB", () => {
        const one = new One(taskDefinition({ cpu: "0.5 vCPU", memory: "1 GB" }));
        assert.deepStrictEqual(one.container("app", "resources"), { requests: { cpu: "500m", memory: "1024Mi" }, limits: { memory: "1024Mi" } });
    });

    it("says when containers reserve more than the task has", () => {
        const one = new One(taskDefinition({ cpu: "256" }, { cpu: 512 }));
        assert.strictEqual(one.diagnostic("CPU_OVER_BUDGET").severity, "warning");
    });

    it("asks for GPUs and Fargate ephemeral storage", () => {
        const one = new One(taskDefinition({ ephemeralStorage: { sizeInGiB: 50 } }, { resourceRequirements: [{ type: "GPU", value: "1" }] }));
        const resources = one.container("app", "resources") as { limits: Record<string, string>; requests: Record<string, string> };
        assert.strictEqual(resources.limits["nvidia.com/gpu"], "1");
        assert.strictEqual(resources.requests["ephemeral-storage"], "50Gi");
    });
});

describe("translate: command and container settings", () => {
    it("runs entryPoint as command and command as args, in the working directory, with the environment", () => {
        const one = new One(taskDefinition({}, { entryPoint: ["/bin/app"], command: ["serve", "--port", "8080"], workingDirectory: "/srv", environment: [{ name: "MODE", value: "prod" }] }));
        assert.deepStrictEqual(one.container("app", "command"), ["/bin/app"]);
        assert.deepStrictEqual(one.container("app", "args"), ["serve", "--port", "8080"]);
        assert.strictEqual(one.container("app", "workingDir"), "/srv");
        assert.deepStrictEqual(one.container("app", "env"), [{ name: "MODE", value: "prod" }]);
    });

    it("runs as the numeric user and group, and as non-root when it can", () => {
        const one = new One(taskDefinition({}, { user: "1000:2000" }));
        assert.deepStrictEqual(one.container("app", "securityContext"), {
            allowPrivilegeEscalation: false,
            runAsUser: 1000,
            runAsNonRoot: true,
            runAsGroup: 2000,
            capabilities: { drop: ["ALL"] },
        });
        assert.strictEqual(one.pod("securityContext.runAsNonRoot"), true);
        assert.strictEqual(one.workload.podSecurity, "restricted");
    });

    it("keeps Docker's default capabilities (less NET_RAW) for root containers, as ECS gave them, and drops all for non-root ones", () => {
        assert.deepStrictEqual(new One(taskDefinition()).container("app", "securityContext.capabilities"), { drop: ["NET_RAW"] });
        assert.deepStrictEqual(new One(taskDefinition({}, { user: "101" })).container("app", "securityContext.capabilities"), { drop: ["ALL"] });
        assert.deepStrictEqual(new One(taskDefinition({}, { user: "101", linuxParameters: { capabilities: { add: ["NET_BIND_SERVICE"] } } })).container("app", "securityContext.capabilities"), { drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
    });

    it("says a user name needs a numeric ID", () => {
        assert.strictEqual(new One(taskDefinition({}, { user: "nginx" })).diagnostic("USER_NAME").severity, "warning");
    });

    it("keeps privileged, read-only root and capabilities, and isolates privileged pods", () => {
        const one = new One(taskDefinition({}, { privileged: true, readonlyRootFilesystem: true, linuxParameters: { capabilities: { add: ["CAP_NET_ADMIN"], drop: ["MKNOD"] } } }));
        assert.strictEqual(one.container("app", "securityContext.privileged"), true);
        assert.strictEqual(one.container("app", "securityContext.readOnlyRootFilesystem"), true);
        assert.deepStrictEqual(one.container("app", "securityContext.capabilities"), { drop: ["MKNOD"], add: ["NET_ADMIN"] });
        assert.strictEqual(one.workload.podSecurity, "privileged");
        assert.strictEqual(one.workload.namespace, "prod-privileged");
        assert.strictEqual(one.diagnostic("PRIVILEGED").severity, "warning");
        assert.strictEqual(one.diagnostic("PRIVILEGED_NAMESPACE").severity, "warning");
    });

    it("gives shared memory and tmpfs as memory-backed emptyDirs", () => {
        const one = new One(taskDefinition({}, { linuxParameters: { sharedMemorySize: 256, tmpfs: [{ containerPath: "/tmp", size: 64 }] } }));
        assert.deepStrictEqual(one.pod("volumes"), [
            { name: "app-shm", emptyDir: { medium: "Memory", sizeLimit: "256Mi" } },
            { name: "app-tmpfs-0", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
        ]);
        assert.deepStrictEqual(one.container("app", "volumeMounts"), [
            { name: "app-shm", mountPath: "/dev/shm" },
            { name: "app-tmpfs-0", mountPath: "/tmp" },
        ]);
    });

    it("reports what has no Kubernetes field: init process, devices, ulimits, unsafe sysctls", () => {
        const one = new One(
            taskDefinition({}, {
                linuxParameters: { initProcessEnabled: true, devices: [{ hostPath: "/dev/fuse" }] },
                ulimits: [{ name: "nofile", softLimit: 1024, hardLimit: 4096 }],
                systemControls: [{ namespace: "net.core.somaxconn", value: "1024" }, { namespace: "net.ipv4.tcp_keepalive_time", value: "120" }],
            }),
        );
        for (const code of ["INIT_PROCESS", "DEVICES", "ULIMITS", "UNSAFE_SYSCTL"]) {
            assert.ok(one.codes().includes(code), code);
        }
        assert.deepStrictEqual(one.pod("securityContext.sysctls"), [{ name: "net.ipv4.tcp_keepalive_time", value: "120" }]);
    });

    it("carries hostname, DNS, extra hosts, docker labels and the stop timeout to the pod", () => {
        const one = new One(
            taskDefinition({}, {
                hostname: "App_Host",
                dnsSearchDomains: ["corp.example"],
                extraHosts: [{ hostname: "db", ipAddress: "10.0.0.5" }, { hostname: "db-ro", ipAddress: "10.0.0.5" }],
                dockerLabels: { "com.example.team": "payments" },
                stopTimeout: 90,
            }),
        );
        assert.strictEqual(one.pod("hostname"), "app-host");
        assert.deepStrictEqual(one.pod("dnsConfig"), { searches: ["corp.example"] });
        assert.strictEqual(one.pod("dnsPolicy"), undefined);
        assert.deepStrictEqual(one.pod("hostAliases"), [{ ip: "10.0.0.5", hostnames: ["db", "db-ro"] }]);
        assert.strictEqual(one.pod("terminationGracePeriodSeconds"), 90);
        const annotations = one.get("Deployment", "spec.template.metadata.annotations") as Record<string, string>;
        assert.strictEqual(annotations["ecs2eks.io/docker-labels.app"], '{"com.example.team":"payments"}');
    });

    it("replaces cluster DNS only when the task names its own servers, and says so", () => {
        const one = new One(taskDefinition({}, { dnsServers: ["10.0.0.2"] }));
        assert.strictEqual(one.pod("dnsPolicy"), "None");
        assert.deepStrictEqual(one.pod("dnsConfig"), { nameservers: ["10.0.0.2"] });
        assert.strictEqual(one.diagnostic("DNS_SERVERS").severity, "warning");
    });

    it("names containers as DNS labels: consulServer becomes consul-server", () => {
        const one = new One(taskDefinition({}, { name: "consulServer" }));
        assert.strictEqual(one.container("consul-server", "name"), "consul-server");
        assert.ok(one.codes().includes("CONTAINER_RENAMED"));
    });

    it("notes a non-essential container and a restart policy", () => {
        const td = taskDefinition({}, { restartPolicy: { enabled: true } });
        td.containerDefinitions?.push({ name: "metrics", image: "prom/statsd-exporter", essential: false });
        const one = new One(td);
        assert.strictEqual(one.diagnostic("NON_ESSENTIAL_SIDECAR").container, "metrics");
        assert.ok(one.codes().includes("RESTART_POLICY"));
    });

    it("points log drivers at the cluster log pipeline", () => {
        const one = new One(taskDefinition({}, { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app" } } }));
        assert.match(one.diagnostic("LOGGING").suggestion, /Fluent Bit|CloudWatch Observability/);
    });
});

describe("translate: container dependencies", () => {
    function withDependency(condition: string) {
        const td = taskDefinition({}, { dependsOn: [{ containerName: "helper", condition: condition as "START" }] });
        td.containerDefinitions?.push({ name: "helper", image: "busybox", essential: condition === "START" || condition === "HEALTHY", healthCheck: { command: ["CMD", "true"] } });
        return new One(td);
    }

    it("START: the dependency becomes a native sidecar", () => {
        const one = withDependency("START");
        assert.deepStrictEqual(one.initContainers(), ["helper (sidecar)"]);
        assert.deepStrictEqual((one.pod("containers") as { name: string }[]).map((c) => c.name), ["app"]);
    });

    it("HEALTHY: a native sidecar whose startup probe the others wait for", () => {
        const one = withDependency("HEALTHY");
        assert.deepStrictEqual(one.initContainers(), ["helper (sidecar)"]);
        assert.deepStrictEqual(one.container("helper", "startupProbe.exec.command"), ["true"]);
    });

    it("COMPLETE and SUCCESS: an init container that runs to completion, without probes", () => {
        for (const condition of ["COMPLETE", "SUCCESS"]) {
            const one = withDependency(condition);
            assert.deepStrictEqual(one.initContainers(), ["helper"]);
            assert.strictEqual(one.container("helper", "livenessProbe"), undefined);
        }
    });

    it("orders init containers after those they depend on", () => {
        const td = taskDefinition({}, { dependsOn: [{ containerName: "migrate", condition: "SUCCESS" }] });
        td.containerDefinitions?.push(
            { name: "migrate", image: "app", essential: false, dependsOn: [{ containerName: "wait-db", condition: "SUCCESS" }] },
            { name: "wait-db", image: "busybox", essential: false },
        );
        assert.deepStrictEqual(new One(td).initContainers(), ["wait-db", "migrate"]);
    });
});

describe("translate: health checks", () => {
    it("keeps the shell of CMD-SHELL checks, so `|| exit 1` still works", () => {
        const one = new One(taskDefinition({}, { healthCheck: { command: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], interval: 10, timeout: 3, retries: 5 } }));
        assert.deepStrictEqual(one.container("app", "livenessProbe"), {
            exec: { command: ["/bin/sh", "-c", "curl -f http://localhost/ || exit 1"] },
            periodSeconds: 10,
            timeoutSeconds: 3,
            failureThreshold: 5,
        });
    });

    it("runs CMD checks without a shell, with ECS's defaults", () => {
        const one = new One(taskDefinition({}, { healthCheck: { command: ["CMD", "/bin/check", "--quick"] } }));
        assert.deepStrictEqual(one.container("app", "livenessProbe"), { exec: { command: ["/bin/check", "--quick"] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 });
        assert.deepStrictEqual(one.container("app", "readinessProbe"), one.container("app", "livenessProbe"));
    });

    it("turns the start period and the service's grace period into a startup probe budget", () => {
        const one = new One(taskDefinition({}, { healthCheck: { command: ["CMD", "true"], interval: 30, startPeriod: 60 } }), undefined);
        assert.deepStrictEqual(one.container("app", "startupProbe"), { exec: { command: ["true"] }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 9 });
    });

    it("reports a health check that is neither CMD nor CMD-SHELL", () => {
        const one = new One(taskDefinition({}, { healthCheck: { command: ["NONE"] } }));
        assert.strictEqual(one.diagnostic("HEALTH_CHECK_COMMAND").severity, "error");
        assert.strictEqual(one.container("app", "livenessProbe"), undefined);
    });
});
