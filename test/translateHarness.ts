import type { ContainerDefinition, TaskDefinition } from "@aws-sdk/client-ecs";
import { EcsSnapshot, Json, ServiceSnapshot, SNAPSHOT_SCHEMA_VERSION, TaskDefinitionSnapshot } from "../core/snapshot";
import { translate } from "../migration/translate/translate";
import { at } from "./harness";
import { Diagnostic, K8sObject, MigrationPlan, WorkloadPlan } from "../migration/translate/types";

export const ACCOUNT = "123456789012";
export const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`;
export const TD_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/app:7`;

/** A Fargate task definition with one web container, changed by `over`. */
export function taskDefinition(over: Partial<Json<TaskDefinition>> = {}, container: Partial<Json<ContainerDefinition>> = {}): TaskDefinitionSnapshot {
    return {
        taskDefinitionArn: TD_ARN,
        family: "app",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "512",
        memory: "1024",
        containerDefinitions: [{ name: "app", image: "nginx:1.27", essential: true, portMappings: [{ name: "http", containerPort: 8080, protocol: "tcp" }], ...container }],
        ...over,
    };
}

export function service(over: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
    return {
        serviceName: "app",
        serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/app`,
        clusterArn: CLUSTER_ARN,
        taskDefinition: TD_ARN,
        desiredCount: 2,
        launchType: "FARGATE",
        schedulingStrategy: "REPLICA",
        ...over,
    };
}

export function snapshot(services: ServiceSnapshot[], taskDefinitions: TaskDefinitionSnapshot[], extra: Partial<EcsSnapshot> = {}): EcsSnapshot {
    return {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        reader: { name: "ecs2eks", version: "test" },
        capturedAt: "2026-11-27T00:00:00.000Z",
        region: "us-east-1",
        clusters: [{ cluster: { clusterArn: CLUSTER_ARN, clusterName: "prod" }, services, scheduledTasks: [] }],
        taskDefinitions,
        scaling: { targets: [], policies: [], scheduledActions: [] },
        loadBalancing: { targetGroups: [], loadBalancers: [], listeners: [], rules: [] },
        serviceDiscovery: { namespaces: [], services: [] },
        securityGroups: [],
        roles: [],
        fileSystems: { fileSystems: [], accessPoints: [] },
        secrets: [],
        diagnostics: [],
        ...extra,
    };
}

/** Translates one service with its task definition; the workload plan and a few lookups. */
export class One {
    readonly plan: MigrationPlan;
    readonly workload: WorkloadPlan;

    constructor(td: TaskDefinitionSnapshot, svc: ServiceSnapshot = service(), extra: Partial<EcsSnapshot> = {}) {
        this.plan = translate(snapshot([svc], [td], extra));
        this.workload = this.plan.workloads[0];
    }

    object(kind: string, name?: string): K8sObject {
        const found = this.workload.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
        if (found.length !== 1) {
            throw new Error(`expected one ${kind}${name ? ` ${name}` : ""}, found ${found.length}: ${this.workload.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
        }
        return found[0];
    }

    /** A value inside the one object of a kind (and name), by dotted path. */
    get(kind: string, path: string, name?: string): unknown {
        return at(this.object(kind, name), path);
    }

    has(kind: string): boolean {
        return this.workload.objects.some((o) => o.kind === kind);
    }

    /** A value inside the pod spec of the Deployment, DaemonSet or CronJob. */
    pod(path: string): unknown {
        const w = this.workload.objects.find((o) => ["Deployment", "DaemonSet", "CronJob"].includes(o.kind));
        const spec = w?.kind === "CronJob" ? at(w, "spec.jobTemplate.spec.template.spec") : at(w, "spec.template.spec");
        return path === "" ? spec : at(spec, path);
    }

    /** A value inside one container (init or regular) by its Kubernetes name. */
    container(name: string, path = ""): unknown {
        const all = [...((this.pod("initContainers") as unknown[]) ?? []), ...((this.pod("containers") as unknown[]) ?? [])];
        const c = all.find((x) => at(x, "name") === name);
        if (!c) {
            throw new Error(`no container ${name}: ${all.map((x) => at(x, "name")).join(", ")}`);
        }
        return path === "" ? c : at(c, path);
    }

    /** Names of the init containers, in order, and whether each is a sidecar. */
    initContainers(): string[] {
        return ((this.pod("initContainers") as unknown[]) ?? []).map((c) => `${String(at(c, "name"))}${at(c, "restartPolicy") === "Always" ? " (sidecar)" : ""}`);
    }

    diagnostic(code: string): Diagnostic {
        const d = [...this.workload.diagnostics, ...this.plan.diagnostics].find((x) => x.code === code);
        if (!d) {
            throw new Error(`no diagnostic ${code}: ${this.workload.diagnostics.map((x) => x.code).join(", ")}`);
        }
        return d;
    }

    codes(): string[] {
        return this.workload.diagnostics.map((d) => d.code);
    }

}
