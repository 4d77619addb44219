import * as fs from "fs";
import { ExpectedError } from "../../core/errors";
import { fileError, writeFileAtomic } from "./files";
import { stableStringify } from "./json";
import { anyObject, boolean, describe, formatProblem, integer, isObject, list, name, object, oneOf, optional, ordered, port, positive, string } from "./checks";
import { EcsSnapshot, SNAPSHOT_SCHEMA_VERSION } from "../../core/snapshot";
import { READER_VERSION } from "./version";

/** A snapshot file that cannot be read or does not hold a snapshot of this format: one line per problem. */
export class SnapshotError extends ExpectedError {}

const str = optional(string);
const strings = optional(list(string));
const count = integer(0);

/** ECS ranges: DescribeServices, RegisterTaskDefinition and the ELB/Application Auto Scaling API references. */
const HEALTH_CHECK = object({
    command: list(string),
    interval: optional(integer(5, 300)),
    timeout: optional(integer(2, 120)),
    retries: optional(integer(1, 10)),
    startPeriod: optional(integer(0, 300)),
});

const CONTAINER = object({
    name: name,
    image: name,
    cpu: optional(count),
    memory: optional(integer(1)),
    memoryReservation: optional(integer(1)),
    essential: optional(boolean),
    privileged: optional(boolean),
    readonlyRootFilesystem: optional(boolean),
    stopTimeout: optional(count),
    startTimeout: optional(count),
    user: str,
    workingDirectory: str,
    command: strings,
    entryPoint: strings,
    links: strings,
    portMappings: optional(
        list(object({ containerPort: optional(port), hostPort: optional(integer(0, 65535)), protocol: optional(oneOf("tcp", "udp")), name: str, appProtocol: str, containerPortRange: str })),
    ),
    environment: optional(list(object({ name: name, value: str }))),
    secrets: optional(list(object({ name: name, valueFrom: name }))),
    healthCheck: optional(HEALTH_CHECK),
    ulimits: optional(list(object({ name: name, softLimit: integer(-1), hardLimit: integer(-1) }))),
    mountPoints: optional(list(object({ sourceVolume: str, containerPath: str, readOnly: optional(boolean) }))),
    volumesFrom: optional(list(object({ sourceContainer: str, readOnly: optional(boolean) }))),
    dependsOn: optional(list(object({ containerName: name, condition: name }))),
    logConfiguration: optional(object({ logDriver: name, options: optional(anyObject), secretOptions: optional(list(object({ name: name, valueFrom: name }))) })),
    linuxParameters: optional(
        object({
            sharedMemorySize: optional(count),
            maxSwap: optional(count),
            swappiness: optional(integer(0, 100)),
            tmpfs: optional(list(object({ containerPath: name, size: integer(1) }))),
            capabilities: optional(object({ add: strings, drop: strings })),
        }),
    ),
});

const TASK_DEFINITION = object({
    taskDefinitionArn: name,
    family: name,
    // The API returns task cpu and memory as strings ("256", "1 vCPU").
    cpu: str,
    memory: str,
    networkMode: str,
    taskRoleArn: str,
    executionRoleArn: str,
    containerDefinitions: list(CONTAINER, "container", (c) => c.name),
    volumes: optional(
        list(object({ name: name, host: optional(object({ sourcePath: str })), efsVolumeConfiguration: optional(object({ fileSystemId: name, rootDirectory: str, transitEncryptionPort: optional(port) })) })),
    ),
    ephemeralStorage: optional(object({ sizeInGiB: integer(21, 200) })),
});

const SERVICE = object({
    serviceArn: name,
    serviceName: name,
    taskDefinition: name,
    launchType: str,
    desiredCount: count,
    healthCheckGracePeriodSeconds: optional(count),
    enableExecuteCommand: optional(boolean),
    deploymentConfiguration: optional(object({ maximumPercent: optional(count), minimumHealthyPercent: optional(integer(0, 100)) })),
    loadBalancers: optional(list(object({ targetGroupArn: str, loadBalancerName: str, containerName: str, containerPort: optional(port) }))),
    serviceRegistries: optional(list(object({ registryArn: str, containerName: str, containerPort: optional(port), port: optional(port) }))),
    capacityProviderStrategy: optional(list(object({ capacityProvider: name, weight: optional(integer(0, 1000)), base: optional(integer(0, 100000)) }))),
    networkConfiguration: optional(object({ awsvpcConfiguration: optional(object({ subnets: strings, securityGroups: strings })) })),
    deployments: optional(
        list(
            object({
                serviceConnectConfiguration: optional(
                    object({
                        enabled: optional(boolean),
                        namespace: str,
                        services: optional(list(object({ portName: name, discoveryName: str, clientAliases: optional(list(object({ port: port, dnsName: str }))) }))),
                    }),
                ),
            }),
        ),
    ),
    tags: optional(list(object({ key: name, value: str }))),
});

const SCHEDULED_TASK = object({ name: name, arn: str, scheduleExpression: name, taskDefinitionArn: name, taskCount: integer(1), state: str, timezone: str, input: str });

const CAPACITY = { MinCapacity: optional(count), MaxCapacity: optional(count) };

const SNAPSHOT = object({
    reader: object({ name: string, version: string }),
    capturedAt: string,
    region: name,
    clusters: list(
        object({
            cluster: object({ clusterArn: name, clusterName: name }),
            services: list(SERVICE, "service", (s) => s.serviceName),
            scheduledTasks: list(SCHEDULED_TASK, "scheduled task", (t) => t.name),
        }),
        "cluster",
        (c) => (isObject(c.cluster) ? c.cluster.clusterName : undefined),
    ),
    taskDefinitions: list(TASK_DEFINITION, "task definition", (t) => (typeof t.taskDefinitionArn === "string" ? t.taskDefinitionArn.split("/").pop() : undefined)),
    scaling: object({
        targets: list(object({ ResourceId: name, ScalableDimension: name, ...CAPACITY }, ordered("MinCapacity", "MaxCapacity")), "scalable target", (t) => t.ResourceId),
        policies: list(
            object({
                PolicyName: name,
                ResourceId: name,
                PolicyType: str,
                PolicyARN: str,
                TargetTrackingScalingPolicyConfiguration: optional(
                    object({ TargetValue: positive, ScaleInCooldown: optional(count), ScaleOutCooldown: optional(count), DisableScaleIn: optional(boolean) }),
                ),
            }),
            "scaling policy",
            (x) => x.PolicyName,
        ),
        scheduledActions: list(object({ ScheduledActionName: name, ResourceId: name, Schedule: name, ScalableTargetAction: optional(object(CAPACITY, ordered("MinCapacity", "MaxCapacity"))) }), "scheduled action", (a) => a.ScheduledActionName),
        alarms: optional(list(object({ AlarmName: name, AlarmActions: strings }))),
    }),
    loadBalancing: object({
        targetGroups: list(
            object({
                TargetGroupArn: name,
                Port: optional(port),
                Protocol: str,
                HealthCheckPort: str,
                HealthCheckPath: str,
                HealthCheckProtocol: str,
                HealthCheckIntervalSeconds: optional(integer(5, 300)),
                HealthCheckTimeoutSeconds: optional(integer(2, 120)),
                HealthyThresholdCount: optional(integer(2, 10)),
                UnhealthyThresholdCount: optional(integer(2, 10)),
                Matcher: optional(object({ HttpCode: str, GrpcCode: str })),
            }),
            "target group",
            (t) => t.TargetGroupName,
        ),
        loadBalancers: list(anyObject),
        listeners: list(anyObject),
        rules: list(object({ listenerArn: string, rule: anyObject })),
    }),
    serviceDiscovery: object({ namespaces: list(object({ Id: str, Name: str, Arn: str })), services: list(object({ Id: str, Name: str, Arn: str, NamespaceId: str })) }),
    securityGroups: list(anyObject),
    roles: list(object({ arn: name, name: name, attachedPolicies: list(object({ name: string, awsManaged: boolean, arn: str })), inlinePolicies: list(object({ name: string })) })),
    fileSystems: object({ fileSystems: list(anyObject), accessPoints: list(anyObject) }),
    secrets: list(object({ arn: name, source: oneOf("secretsmanager", "ssm"), name: string, found: boolean })),
    alarms: optional(
        list(
            object({
                AlarmName: name,
                AlarmArn: str,
                Namespace: str,
                MetricName: str,
                Statistic: str,
                ExtendedStatistic: str,
                Period: optional(integer(1)),
                EvaluationPeriods: optional(integer(1)),
                DatapointsToAlarm: optional(integer(1)),
                ComparisonOperator: str,
                TreatMissingData: str,
                Dimensions: optional(list(object({ Name: name, Value: name }))),
                AlarmActions: strings,
                OKActions: strings,
                InsufficientDataActions: strings,
                Metrics: optional(list(anyObject)),
            }),
            "alarm",
            (a) => a.AlarmName,
        ),
    ),
    diagnostics: list(object({ code: string, severity: oneOf("info", "warning", "error"), resource: string, message: string })),
});

/** How many problems to print; the rest are counted. */
const SHOWN = 10;

/** The version check comes first: a snapshot of another version fails every other check for one reason. */
function versionProblem(data: unknown): string | undefined {
    const version = isObject(data) ? data.schemaVersion : undefined;
    if (version === SNAPSHOT_SCHEMA_VERSION) {
        return undefined;
    }
    if (typeof version !== "number") {
        return `it has no schemaVersion, so it is not a snapshot ecs2eks wrote (found ${describe(isObject(data) ? version : data)} where the version should be); write one with npx ecs2eks snapshot`;
    }
    if (version > SNAPSHOT_SCHEMA_VERSION) {
        return `it is snapshot format ${version}, written by a newer ecs2eks; this ecs2eks (${READER_VERSION}) reads format ${SNAPSHOT_SCHEMA_VERSION}: upgrade ecs2eks`;
    }
    return `it is snapshot format ${version}, older than the format ${SNAPSHOT_SCHEMA_VERSION} this ecs2eks reads; take a new snapshot with npx ecs2eks snapshot`;
}

/** Checks parsed JSON is a snapshot this version reads; names the path of the first bad field. */
export function validateSnapshot(data: unknown, file: string): EcsSnapshot {
    const version = versionProblem(data);
    if (version) {
        throw new SnapshotError(`${file} is not a snapshot this ecs2eks reads: ${version}`);
    }
    const problems = SNAPSHOT(data, "$");
    if (problems.length > 0) {
        const more = problems.length > SHOWN ? [`... and ${problems.length - SHOWN} more`] : [];
        throw new SnapshotError([`${file} is not a valid ECS snapshot (${problems.length} problem${problems.length === 1 ? "" : "s"}; fix the snapshot, or take a new one with npx ecs2eks snapshot):`, ...problems.slice(0, SHOWN).map((m) => `  ${formatProblem(m)}`), ...more].join("\n"));
    }
    return data as EcsSnapshot;
}

export function parseSnapshot(text: string, file: string): EcsSnapshot {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        throw new SnapshotError(`${file} is not valid JSON (${(err as Error).message}); was it cut short or edited by hand? Take a new one with npx ecs2eks snapshot`);
    }
    return validateSnapshot(data, file);
}

export function readSnapshotFile(file: string): EcsSnapshot {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new SnapshotError(code === "ENOENT" ? `snapshot file ${file} does not exist; write it with npx ecs2eks snapshot --out ${file}` : fileError(err, "read the snapshot file", file).message);
    }
    return parseSnapshot(text, file);
}

export function serializeSnapshot(snapshot: EcsSnapshot): string {
    return stableStringify(snapshot);
}

/** Write then rename, so a failed run never leaves half a snapshot (or a temporary file) behind. */
export function writeSnapshotFile(file: string, snapshot: EcsSnapshot): void {
    writeFileAtomic(file, serializeSnapshot(snapshot));
}
