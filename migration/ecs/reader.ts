import type { Cluster, Service } from "@aws-sdk/client-ecs";
import { readServiceAlarms } from "./alarms";
import { Aws } from "./aws";
import { distinct } from "./concurrency";
import { readDiscovery } from "./discovery";
import { readDistributions } from "./cloudfront";
import { readDnsRecords } from "./dns";
import { readFileSystems } from "./efs";
import { readRoles } from "./iam";
import { toJson } from "./json";
import { readLoadBalancing } from "./loadBalancing";
import { Progress, silentProgress } from "./progress";
import { readScaling, scalingResourceId } from "./scaling";
import { readScheduledTasks } from "./schedules";
import { readSecrets } from "./secrets";
import { readSecurityGroups } from "./securityGroups";
import { describeCluster, describeServices, describeTaskDefinitions } from "./services";
import { ClusterSnapshot, EcsSnapshot, SNAPSHOT_SCHEMA_VERSION, ServiceSnapshot, SnapshotDiagnostic, TaskDefinitionSnapshot } from "../../core/snapshot";
import { READER_NAME, READER_VERSION } from "./version";

export interface ReadOptions {
    /** Cluster names or ARNs. */
    readonly clusters: readonly string[];
    /** Only these services (names or ARNs); all when empty. */
    readonly services?: readonly string[];
    /** Calls in flight at once. Default 8. */
    readonly concurrency?: number;
    /** Record services whose task definition cannot be read as diagnostics instead of failing. */
    readonly skipUnreadable?: boolean;
    readonly progress?: Progress;
    /** The capture time; injectable so tests are repeatable. */
    readonly now?: () => Date;
}

export const DEFAULT_CONCURRENCY = 8;

function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
    return (a, b) => key(a).localeCompare(key(b));
}

/** Service names from names or ARNs (arn:...:service/<cluster>/<name> or the older service/<name>), each once. */
export function serviceNames(services: readonly string[]): string[] {
    return distinct(services.map((s) => (s.startsWith("arn:") ? (s.split("/").pop() ?? s) : s)));
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
    const seen = new Set<string>();
    return items.filter((item) => !seen.has(key(item)) && (seen.add(key(item)), true));
}

/** Everything a task definition references outside itself. */
function referencesOf(taskDefinitions: readonly TaskDefinitionSnapshot[]) {
    const containers = taskDefinitions.flatMap((td) => td.containerDefinitions ?? []);
    return {
        roleArns: taskDefinitions.map((td) => td.taskRoleArn),
        fileSystemIds: taskDefinitions.flatMap((td) => (td.volumes ?? []).map((v) => v.efsVolumeConfiguration?.fileSystemId)),
        secretRefs: [
            ...containers.flatMap((c) => (c.secrets ?? []).map((s) => s.valueFrom)),
            ...containers.flatMap((c) => (c.logConfiguration?.secretOptions ?? []).map((s) => s.valueFrom)),
            ...containers.map((c) => c.repositoryCredentials?.credentialsParameter),
        ],
    };
}

function serviceReferences(services: readonly Service[], clusters: readonly { serviceConnectDefaults?: { namespace?: string } }[]) {
    return {
        targetGroupArns: services.flatMap((s) => (s.loadBalancers ?? []).map((lb) => lb.targetGroupArn)),
        securityGroupIds: services.flatMap((s) => s.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? []),
        registryArns: new Set(distinct(services.flatMap((s) => (s.serviceRegistries ?? []).map((r) => r.registryArn)))),
        namespaces: new Set(
            distinct([
                ...services.flatMap((s) => (s.deployments ?? []).map((d) => d.serviceConnectConfiguration?.namespace)),
                ...clusters.map((c) => c.serviceConnectDefaults?.namespace),
            ]),
        ),
    };
}

/**
 * A service without what changes from minute to minute while nothing is
 * changed (the events log, task counts), so snapshots of a steady estate diff
 * empty. The configuration, deployments included, stays.
 */
function withoutStatusNoise(service: Service): ServiceSnapshot {
    const { events: _events, runningCount: _running, pendingCount: _pending, deployments, ...rest } = service;
    const steadyDeployments = (deployments ?? []).map(({ runningCount: _r, pendingCount: _p, failedTasks: _f, ...d }) => d);
    return toJson({ ...rest, deployments: steadyDeployments }) as ServiceSnapshot;
}

function clusterWithoutCounts(cluster: Cluster): Cluster {
    const { runningTasksCount: _r, pendingTasksCount: _p, activeServicesCount: _a, registeredContainerInstancesCount: _i, statistics: _s, ...rest } = cluster;
    return rest;
}

/**
 * Reads the ECS estate the migration needs into an EcsSnapshot: the clusters'
 * services and task definitions, and everything they point at. Calls are
 * batched where AWS allows and run with bounded concurrency. It never reads a
 * secret's value.
 */
export async function readEcsSnapshot(aws: Aws, options: ReadOptions): Promise<EcsSnapshot> {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    const progress = options.progress ?? silentProgress;
    const diagnostics: SnapshotDiagnostic[] = [];

    const clusterReads = [];
    const seenClusters = new Set<string>();
    for (const name of distinct(options.clusters)) {
        const cluster = await describeCluster(aws, name);
        const clusterArn = cluster.clusterArn ?? name;
        // One cluster given by name and by ARN is read once: twice would mean duplicate workloads.
        if (seenClusters.has(clusterArn)) {
            continue;
        }
        seenClusters.add(clusterArn);
        const [services, scheduledTasks] = await Promise.all([
            describeServices(aws, clusterArn, serviceNames(options.services ?? []), concurrency, progress),
            readScheduledTasks(aws, clusterArn, concurrency),
        ]);
        clusterReads.push({ cluster, services: uniqueBy(services, (s) => s.serviceArn ?? s.serviceName ?? ""), scheduledTasks });
    }

    const allServices = clusterReads.flatMap((c) => c.services);
    const read = await describeTaskDefinitions(
        aws,
        [...allServices.map((s) => s.taskDefinition), ...clusterReads.flatMap((c) => c.scheduledTasks.map((t) => t.taskDefinitionArn))].filter((a): a is string => !!a),
        concurrency,
        options.skipUnreadable ?? false,
        progress,
    );
    diagnostics.push(...read.diagnostics);
    const unreadable = new Set(read.unreadable);
    for (const c of clusterReads) {
        for (const s of c.services.filter((svc) => unreadable.has(svc.taskDefinition ?? ""))) {
            diagnostics.push({ code: "SERVICE_SKIPPED", severity: "error", resource: s.serviceArn ?? s.serviceName ?? "?", message: `not migrated: its task definition ${s.taskDefinition} could not be read` });
        }
        c.services = c.services.filter((svc) => !unreadable.has(svc.taskDefinition ?? ""));
    }

    const kept = clusterReads.flatMap((c) => c.services);
    const tdRefs = referencesOf(read.taskDefinitions);
    const svcRefs = serviceReferences(kept, clusterReads.map((c) => c.cluster));
    const scalingIds = clusterReads.flatMap((c) => c.services.map((s) => scalingResourceId(c.cluster.clusterName ?? "", s.serviceName ?? "")));
    // Schedules wear their own security groups and may run their tasks under another role.
    const scheduled = clusterReads.flatMap((c) => c.scheduledTasks);
    const scheduledGroups = scheduled.flatMap((t) => t.networkConfiguration?.awsvpcConfiguration?.SecurityGroups ?? []);

    progress.start("related resources", 9);
    const step = <T>(p: Promise<T>) => p.then((v) => (progress.advance("related resources", 1), v));
    const [scaling, loadBalancing, discovery, roles, fileSystems, secrets] = await Promise.all([
        step(readScaling(aws, scalingIds, concurrency)),
        step(readLoadBalancing(aws, distinct(svcRefs.targetGroupArns), concurrency)),
        step(readDiscovery(aws, svcRefs.namespaces, svcRefs.registryArns)),
        step(readRoles(aws, distinct([...tdRefs.roleArns, ...scheduled.map((t) => t.overrides?.taskRoleArn)]), concurrency)),
        step(readFileSystems(aws, distinct(tdRefs.fileSystemIds), concurrency)),
        step(readSecrets(aws, distinct(tdRefs.secretRefs), concurrency)),
    ]);
    const watched = clusterReads.flatMap((c) => c.services.map((s) => ({ cluster: c.cluster.clusterName ?? "", service: s.serviceName ?? "" })));
    const lbDnsNames = loadBalancing.loadBalancers.map((lb) => lb.DNSName ?? "").filter((n) => n.length > 0);
    const [securityGroups, dnsRecords, serviceAlarms, distributions] = await Promise.all([
        step(readSecurityGroups(aws, [...svcRefs.securityGroupIds, ...scheduledGroups, ...loadBalancing.loadBalancers.flatMap((lb) => lb.SecurityGroups ?? [])], concurrency)),
        step(readDnsRecords(aws, lbDnsNames, concurrency)),
        step(readServiceAlarms(aws, watched, distinct(svcRefs.targetGroupArns))),
        readDistributions(aws, lbDnsNames, concurrency),
    ]);

    for (const arn of roles.missing) {
        diagnostics.push({ code: "TASK_ROLE_NOT_FOUND", severity: "warning", resource: arn, message: "a task definition names this task role, but IAM has no such role; its permissions cannot be cloned" });
    }
    for (const id of fileSystems.missing) {
        diagnostics.push({ code: "FILE_SYSTEM_NOT_FOUND", severity: "warning", resource: id, message: "a task definition mounts this EFS file system, but it does not exist in this region" });
    }
    for (const s of secrets.filter((x) => !x.found)) {
        diagnostics.push({ code: "SECRET_NOT_FOUND", severity: "warning", resource: s.arn, message: `a container reads this ${s.source === "ssm" ? "SSM parameter" : "secret"}, but it does not exist (or is not visible to the reader)` });
    }

    const clusters: ClusterSnapshot[] = clusterReads
        .map((c) => ({
            cluster: toJson(clusterWithoutCounts(c.cluster)),
            services: c.services.map(withoutStatusNoise).sort(byKey((s) => s.serviceName ?? "")),
            scheduledTasks: [...c.scheduledTasks].sort(byKey((t) => `${t.source}/${t.name}`)),
        }))
        .sort(byKey((c) => c.cluster.clusterArn ?? ""));

    return {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        reader: { name: READER_NAME, version: READER_VERSION },
        capturedAt: (options.now ?? (() => new Date()))().toISOString(),
        region: aws.options.region,
        clusters,
        taskDefinitions: [...read.taskDefinitions].sort(byKey((t) => t.taskDefinitionArn ?? "")),
        scaling: {
            targets: toJson(scaling.targets).sort(byKey((t) => `${t.ResourceId}|${t.ScalableDimension}`)),
            policies: toJson(scaling.policies).sort(byKey((p) => p.PolicyARN ?? "")),
            scheduledActions: toJson(scaling.scheduledActions).sort(byKey((a) => a.ScheduledActionARN ?? "")),
            alarms: toJson(
                scaling.alarms.map(({ StateValue: _v, StateReason: _r, StateReasonData: _d, StateUpdatedTimestamp: _u, StateTransitionedTimestamp: _t, ...alarm }) => alarm),
            ).sort(byKey((a) => a.AlarmName ?? "")),
        },
        loadBalancing: {
            targetGroups: toJson(loadBalancing.targetGroups).sort(byKey((t) => t.TargetGroupArn ?? "")),
            loadBalancers: toJson(loadBalancing.loadBalancers).sort(byKey((l) => l.LoadBalancerArn ?? "")),
            listeners: toJson(loadBalancing.listeners).sort(byKey((l) => l.ListenerArn ?? "")),
            rules: loadBalancing.rules.map((r) => ({ listenerArn: r.listenerArn, rule: toJson(r.rule) })).sort(byKey((r) => r.rule.RuleArn ?? "")),
            dnsRecords: [...dnsRecords].sort(byKey((r) => `${r.zoneId}/${r.name}/${r.type}/${r.setIdentifier ?? ""}`)),
            distributions: [...distributions].sort(byKey((d) => d.id)),
        },
        serviceDiscovery: {
            namespaces: toJson(discovery.namespaces).sort(byKey((n) => n.Arn ?? "")),
            services: toJson(discovery.services).sort(byKey((s) => s.Arn ?? "")),
        },
        securityGroups: toJson(securityGroups).sort(byKey((g) => g.GroupId ?? "")),
        roles: [...roles.roles].sort(byKey((r) => r.arn)),
        fileSystems: {
            // SizeInBytes is metered continuously; it is not configuration.
            fileSystems: toJson(fileSystems.fileSystems.map(({ SizeInBytes: _size, ...f }) => f)).sort(byKey((f) => f.FileSystemId ?? "")),
            accessPoints: toJson(fileSystems.accessPoints).sort(byKey((a) => a.AccessPointId ?? "")),
        },
        secrets: [...secrets].sort(byKey((s) => s.arn)),
        alarms: toJson(
            serviceAlarms.map(({ StateValue: _v, StateReason: _r, StateReasonData: _d, StateUpdatedTimestamp: _u, StateTransitionedTimestamp: _t, AlarmConfigurationUpdatedTimestamp: _c, ...alarm }) => alarm),
        ).sort(byKey((a) => a.AlarmName ?? "")),
        diagnostics: diagnostics.sort(byKey((d) => `${d.resource}|${d.code}`)),
    };
}
