/**
 * translate(snapshot) → MigrationPlan. Pure: no Pulumi, no I/O, no clock.
 * Everything the migration decides is decided here; the same snapshot
 * always gives the same plan, names and objects.
 */
import type { EcsSnapshot, ScheduledTaskSnapshot, ServiceSnapshot } from "../../core/snapshot";
import { secretLocation } from "../../core/secretReference";
import { NO_COVERAGE, addCoverage, workloadCoverage } from "./coverage";
import { LEDGER } from "./ledger";
import { planLogs } from "./logging";
import { NameScope, dns1123Label } from "./names";
import { planNetworkPolicies, withNetworkPolicy } from "./networkPolicy";
import { presentMembers } from "./shapes";
import { SECRET_READER_SERVICE_ACCOUNT, SecretHome, routeSecrets, secretStores, storesFor } from "./secrets";
import { nameClashes, uniqueServiceNames } from "./serviceNames";
import { checkNodeDisk } from "./sizes";
import { Coverage, Diagnostic, K8sObject, MigrationPlan, NamespacePlan, PodSecurityLevel, TranslateOptions, WorkloadPlan } from "./types";
import { MANAGED_BY, translateScheduledTask, translateService } from "./workload";

/** Room for the suffixes derived names get (-secrets, -parameters, -registry-0). */
const MAX_WORKLOAD_NAME = 40;
const LEVELS: readonly PodSecurityLevel[] = ["restricted", "baseline", "privileged"];

function emptyWorkload(kind: "service" | "scheduledTask", name: string, arn: string, cluster: string, taskDefinitionArn: string, namespace: string, workload: string, diagnostic: Diagnostic): WorkloadPlan {
    return {
        source: { kind, name, arn, cluster, taskDefinitionArn },
        namespace,
        name: workload,
        objects: [],
        secretArns: [],
        ssmParameters: [],
        securityGroupIds: [],
        loadBalancers: [],
        fileSystemIds: [],
        podSecurity: "restricted",
        mapped: [],
        diagnostics: [diagnostic],
    };
}

/** Ledger diagnostics for fields that are always reported, where no more specific one was given. */
function ledgerDiagnostics(present: ReadonlySet<string>, given: readonly Diagnostic[], service: string): Diagnostic[] {
    const codes = new Set(given.map((d) => d.code));
    const added: Diagnostic[] = [];
    for (const member of [...present].sort()) {
        const entry = LEDGER[member];
        if (entry?.status === "reported" && !codes.has(entry.code)) {
            codes.add(entry.code);
            added.push({ code: entry.code, severity: entry.severity, service, field: member, message: entry.message, suggestion: entry.suggestion });
        }
    }
    return added;
}

function guarded(make: () => WorkloadPlan, fallback: () => WorkloadPlan): WorkloadPlan {
    try {
        return make();
    } catch (err) {
        // Never throw on surprising input: say so, and go on with the rest of the estate.
        const plan = fallback();
        return { ...plan, diagnostics: [{ ...plan.diagnostics[0], message: `${plan.diagnostics[0].message}: ${err instanceof Error ? err.message : String(err)}` }] };
    }
}

export function translate(snapshot: EcsSnapshot, options: TranslateOptions = {}): MigrationPlan {
    const taskDefinitions = new Map(snapshot.taskDefinitions.map((td) => [td.taskDefinitionArn ?? "", td]));
    const workloads: WorkloadPlan[] = [];
    let covered = NO_COVERAGE;
    /** Counts what the translator did with the fields set, once the workload is translated. */
    const counted = (members: ReadonlySet<string>, plan: WorkloadPlan): WorkloadPlan => {
        covered = addCoverage(covered, workloadCoverage(members, plan));
        return plan;
    };
    const namespaces = new Map<string, string>();

    for (const c of snapshot.clusters) {
        const clusterName = c.cluster.clusterName ?? c.cluster.clusterArn?.split("/").pop() ?? "ecs";
        const namespace = options.namespaceFor?.(clusterName) ?? dns1123Label(clusterName);
        namespaces.set(namespace, clusterName);
        const names = new NameScope((t) => dns1123Label(t, MAX_WORKLOAD_NAME));
        for (const service of c.services) {
            const serviceName = service.serviceName ?? "service";
            const name = names.claim(serviceName);
            const td = taskDefinitions.get(service.taskDefinition ?? "");
            const fail = (code: string, message: string, suggestion: string) => () =>
                emptyWorkload("service", serviceName, service.serviceArn ?? "", clusterName, service.taskDefinition ?? "", namespace, name, {
                    code,
                    severity: "error",
                    service: serviceName,
                    field: "taskDefinition",
                    message,
                    suggestion,
                });
            if (!td) {
                workloads.push(fail("TASK_DEFINITION_MISSING", `task definition ${service.taskDefinition} is not in the snapshot`, "take a new snapshot; nothing was made for this service")());
                continue;
            }
            const members = new Set([...presentMembers(td, "TaskDefinition"), ...presentMembers(service, "Service")]);
            workloads.push(
                counted(
                    members,
                    guarded(
                        () => withLedger(isolatePrivileged((ns) => translateService(service as ServiceSnapshot, td, clusterName, ns, name, snapshot, options.workloads?.[serviceName]), namespace, namespaces, clusterName), members),
                        fail("INTERNAL_ERROR", `ecs2eks could not translate service ${serviceName}`, "report this with the service's snapshot; nothing was made for it"),
                    ),
                ),
            );
        }
        for (const task of c.scheduledTasks as ScheduledTaskSnapshot[]) {
            const name = names.claim(task.name.replace(/^default\//, ""));
            const td = taskDefinitions.get(task.taskDefinitionArn);
            const fail = (code: string, message: string, suggestion: string) => () =>
                emptyWorkload("scheduledTask", task.name, task.arn, clusterName, task.taskDefinitionArn, namespace, name, { code, severity: "error", service: task.name, field: "taskDefinitionArn", message, suggestion });
            if (!td) {
                workloads.push(fail("TASK_DEFINITION_MISSING", `task definition ${task.taskDefinitionArn} is not in the snapshot`, "take a new snapshot; nothing was made for this schedule")());
                continue;
            }
            const members = presentMembers(td, "TaskDefinition");
            workloads.push(
                counted(
                    members,
                    guarded(
                        () => withLedger(isolatePrivileged((ns) => translateScheduledTask(task, td, clusterName, ns, name, snapshot), namespace, namespaces, clusterName), members),
                        fail("INTERNAL_ERROR", `ecs2eks could not translate scheduled task ${task.name}`, "report this with the snapshot; nothing was made for it"),
                    ),
                ),
            );
        }
    }

    const planned = uniqueServiceNames(workloads).map((w) => routeSecrets(w, homeOf(w, snapshot)));
    const network = planNetworkPolicies(snapshot, planned, namespaces);
    const diagnostics: Diagnostic[] = [...network.diagnostics];
    const namespacePlans: NamespacePlan[] = [...namespaces.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, cluster]) => {
            const own = planned.filter((w) => w.namespace === name);
            const level = LEVELS[Math.max(0, ...own.map((w) => LEVELS.indexOf(w.podSecurity)))];
            if (level !== "restricted") {
                diagnostics.push({
                    code: "POD_SECURITY",
                    severity: "warning",
                    service: "",
                    field: `namespace ${name}`,
                    message: `namespace ${name} enforces Pod Security ${level} because of ${own.filter((w) => w.podSecurity === level).map((w) => w.name).join(", ")}`,
                    suggestion: "fix those workloads (non-root user, no host access) and the namespace can enforce restricted; it warns and audits at restricted meanwhile",
                });
            }
            const secretArns = [...new Set(own.flatMap((w) => w.secretArns))].sort();
            const ssmParameters = [...new Set(own.flatMap((w) => w.ssmParameters))].sort();
            const labels = { "app.kubernetes.io/part-of": dns1123Label(cluster), "app.kubernetes.io/managed-by": MANAGED_BY };
            const objects: K8sObject[] = [
                {
                    apiVersion: "v1",
                    kind: "Namespace",
                    metadata: {
                        name,
                        labels: {
                            ...labels,
                            "pod-security.kubernetes.io/enforce": level,
                            "pod-security.kubernetes.io/warn": "restricted",
                            "pod-security.kubernetes.io/audit": "restricted",
                        },
                    },
                },
                ...(network.namespaces.get(name) ?? []),
            ];
            if (secretArns.length > 0 || ssmParameters.length > 0) {
                objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: SECRET_READER_SERVICE_ACCOUNT, namespace: name, labels } });
                const home = { region: snapshot.region };
                objects.push(...secretStores(name, home, labels, storesFor(secretArns, ssmParameters, home)));
            }
            return { name, cluster, podSecurity: level, objects, secretArns, ssmParameters };
        });

    diagnostics.push(...nameClashes(namespacePlans.flatMap((n) => n.objects), planned));

    const coverage: Coverage = { ...covered, ledgerMembers: Object.keys(LEDGER).length };
    return {
        planVersion: 1,
        source: { capturedAt: snapshot.capturedAt, region: snapshot.region, clusters: snapshot.clusters.map((c) => c.cluster.clusterName ?? c.cluster.clusterArn ?? "") },
        namespaces: namespacePlans,
        workloads: planned.map((w) => checkNodeDisk(withNetworkPolicy(w, network), options.nodeDiskGiB)),
        diagnostics,
        coverage,
        logs: planLogs(snapshot, planned),
    };
}

/**
 * Workloads that need host access go to a namespace of their own, so one
 * node agent does not lower Pod Security for every service of the cluster.
 */
function isolatePrivileged(make: (namespace: string) => WorkloadPlan, namespace: string, namespaces: Map<string, string>, cluster: string): WorkloadPlan {
    const plan = make(namespace);
    if (plan.podSecurity !== "privileged") {
        return plan;
    }
    const privileged = dns1123Label(`${namespace}-privileged`);
    namespaces.set(privileged, cluster);
    const moved = make(privileged);
    return {
        ...moved,
        diagnostics: [
            ...moved.diagnostics,
            {
                code: "PRIVILEGED_NAMESPACE",
                severity: "warning",
                service: moved.source.name,
                field: "namespace",
                message: `${moved.name} needs host access, so it runs in namespace ${privileged}, which enforces Pod Security privileged; ${namespace} stays stricter`,
                suggestion: `callers reach its Services as <name>.${privileged}; if it is a node agent (logs, metrics), a cluster add-on may replace it`,
            },
        ],
    };
}

/** The task's region (the snapshot's), and the account and partition of its task definition: where a bare SSM name lives. */
function homeOf(w: WorkloadPlan, snapshot: EcsSnapshot): SecretHome {
    const at = secretLocation(w.source.taskDefinitionArn);
    return { region: snapshot.region, ...(at ? { account: at.account, partition: at.partition } : {}) };
}

function withLedger(plan: WorkloadPlan, members: ReadonlySet<string>): WorkloadPlan {
    return { ...plan, diagnostics: [...plan.diagnostics, ...ledgerDiagnostics(members, plan.diagnostics, plan.source.name)] };
}
