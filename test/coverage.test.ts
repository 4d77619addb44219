import * as assert from "assert";
import * as path from "path";
import { generatedEstate } from "../bench/translate";
import type { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { resolveFieldPath, workloadCoverage } from "../migration/translate/coverage";
import { LEDGER } from "../migration/translate/ledger";
import { presentMembers } from "../migration/translate/shapes";
import { translate } from "../migration/translate/translate";
import { WorkloadPlan } from "../migration/translate/types";
import { One, service, taskDefinition } from "./translateHarness";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");

/** How coverage counts one member of one workload. */
function countedAs(member: string, w: WorkloadPlan): string {
    const count = workloadCoverage(new Set([member]), w);
    return Object.entries(count).find(([, n]) => n === 1)?.[0] ?? "not counted";
}

/** The members set in each workload's task definition and service, as translate() counts them. */
function presentByWorkload(snapshot: EcsSnapshot): Map<WorkloadPlan, Set<string>> {
    const plan = translate(snapshot);
    const tds = new Map(snapshot.taskDefinitions.map((td) => [td.taskDefinitionArn, td]));
    const found = new Map<WorkloadPlan, Set<string>>();
    for (const w of plan.workloads) {
        const svc = snapshot.clusters.flatMap((c) => c.services).find((s) => s.serviceArn === w.source.arn);
        const td = tds.get(w.source.taskDefinitionArn);
        found.set(w, new Set([...presentMembers(td, "TaskDefinition"), ...(w.source.kind === "service" ? presentMembers(svc, "Service") : [])]));
    }
    return found;
}

describe("coverage counts what the translator recorded, not what the ledger claims", () => {
    // A web task: a health check, a host port ECS remapped, and fault injection, which nothing carries over.
    const one = new One(
        taskDefinition(
            { enableFaultInjection: true },
            {
                portMappings: [{ name: "http", containerPort: 8080, hostPort: 9090, protocol: "tcp" }],
                healthCheck: { command: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], interval: 15, retries: 3 },
            },
        ),
        service({ enableExecuteCommand: false }),
    );

    it("a field the translator read is mapped, and so is what lies under it", () => {
        assert.ok(one.workload.mapped.includes("containerDefinitions[app].healthCheck"), one.workload.mapped.join(", "));
        assert.strictEqual(countedAs("ContainerDefinition.healthCheck", one.workload), "mapped");
        assert.strictEqual(countedAs("HealthCheck.interval", one.workload), "mapped");
        assert.strictEqual(countedAs("PortMapping.containerPort", one.workload), "mapped");
        // Reading containerDefinitions[app].… reads containerDefinitions.
        assert.strictEqual(countedAs("TaskDefinition.containerDefinitions", one.workload), "mapped");
    });

    it("a field a diagnostic is about is reported, even under a structure that was read", () => {
        assert.strictEqual(one.workload.diagnostics.find((d) => d.code === "HOST_PORT_DROPPED")?.field, "containerDefinitions[app].portMappings[0].hostPort");
        assert.strictEqual(countedAs("PortMapping.hostPort", one.workload), "reported");
        assert.strictEqual(countedAs("TaskDefinition.enableFaultInjection", one.workload), "reported");
    });

    it("a field the ledger says is carried over, which the translator neither read nor reported, is unaccounted for", () => {
        assert.strictEqual(LEDGER["Service.enableExecuteCommand"].status, "carried");
        assert.strictEqual(countedAs("Service.enableExecuteCommand", one.workload), "unaccounted");
        assert.strictEqual(countedAs("TaskDefinition.family", one.workload), "notApplicable");
    });

    it("sums to the fields set in the estate, and differs from the ledger's claim for the sample shop", () => {
        const shop = readSnapshotFile(SAMPLE);
        const plan = translate(shop);
        const present = [...presentByWorkload(shop).values()];
        const total = present.reduce((n, members) => n + members.size, 0);
        const { mapped, reported, notApplicable, unaccounted } = plan.coverage;
        assert.strictEqual(mapped + reported + notApplicable + unaccounted, total);
        // What the ledger claims: every member it calls carried, wherever it is set.
        const claimed = present.reduce((n, members) => n + [...members].filter((m) => LEDGER[m]?.status === "carried").length, 0);
        assert.ok(mapped < claimed, `${mapped} mapped of ${claimed} the ledger claims`);
        assert.ok(reported > 0 && unaccounted > 0, JSON.stringify(plan.coverage));
    });
});

describe("field paths", () => {
    it("resolve to the shape members they pass through, from each root they start at", () => {
        assert.deepStrictEqual(resolveFieldPath("containerDefinitions[web].healthCheck.startPeriod"), [["TaskDefinition.containerDefinitions", "ContainerDefinition.healthCheck", "HealthCheck.startPeriod"]]);
        assert.deepStrictEqual(resolveFieldPath("placementConstraints[0]"), [["TaskDefinition.placementConstraints"], ["Service.placementConstraints"]]);
        assert.deepStrictEqual(resolveFieldPath("serviceConnectConfiguration"), [["Service.deployments", "Deployment.serviceConnectConfiguration"]]);
        assert.deepStrictEqual(resolveFieldPath("deployments[PRIMARY].volumeConfigurations"), [["Service.deployments", "Deployment.volumeConfigurations"]]);
        assert.deepStrictEqual(resolveFieldPath("targetGroup.healthCheck"), []);
        assert.deepStrictEqual(resolveFieldPath("containerDefinitions[web].imagee"), []);
    });

    // Paths about the target group, scaling and schedules: not members of TaskDefinition or Service.
    const OUTSIDE = /^(targetGroup|scalingPolicies|scheduledActions|scheduleExpression|overrides|namespace)\b|^(TaskDefinition|Service)\.[a-zA-Z]+$/;

    it("that the translator records resolve, so coverage sees them (the sample shop, a generated estate, a rich task)", () => {
        const unresolved = new Set<string>();
        for (const snapshot of [readSnapshotFile(SAMPLE), generatedEstate(40)]) {
            for (const w of [...translate(snapshot).workloads, richTask()]) {
                for (const field of [...w.mapped, ...w.diagnostics.map((d) => d.field)]) {
                    if (resolveFieldPath(field).length === 0 && !OUTSIDE.test(field)) {
                        unresolved.add(`${w.name}: ${field}`);
                    }
                }
            }
        }
        assert.deepStrictEqual([...unresolved], []);
    });

    function richTask(): WorkloadPlan {
        return new One(
            taskDefinition(
                {
                    pidMode: "task",
                    volumes: [{ name: "scratch", host: {} }],
                    runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
                },
                {
                    user: "1000:1000",
                    linuxParameters: { capabilities: { drop: ["ALL"] }, sharedMemorySize: 64, tmpfs: [{ containerPath: "/tmp", size: 64, mountOptions: ["noexec"] }], initProcessEnabled: true },
                    mountPoints: [{ sourceVolume: "scratch", containerPath: "/scratch" }],
                    ulimits: [{ name: "nofile", softLimit: 1024, hardLimit: 4096 }],
                    extraHosts: [{ hostname: "db", ipAddress: "10.0.0.5" }],
                    dockerLabels: { team: "web" },
                    stopTimeout: 30,
                },
            ),
            service({ placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }], deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50 } }),
        ).workload;
    }
});
