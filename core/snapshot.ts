/**
 * EcsSnapshot: everything the migration knows about a running ECS estate, as
 * plain JSON. Versioned, and written with sorted keys and sorted resource
 * lists so two snapshots of the same estate are byte-identical and a change
 * in ECS shows as a small diff in git. It never holds a secret value.
 */
import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { AccessPointDescription, FileSystemDescription } from "@aws-sdk/client-efs";
import type { SecurityGroup } from "@aws-sdk/client-ec2";
import type { Cluster, Service, Tag, TaskDefinition, TaskOverride } from "@aws-sdk/client-ecs";
import type { NetworkConfiguration } from "@aws-sdk/client-eventbridge";
import type { Listener, LoadBalancer, Rule, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ScalableTarget, ScalingPolicy, ScheduledAction } from "@aws-sdk/client-application-auto-scaling";
import type { NamespaceSummary, ServiceSummary } from "@aws-sdk/client-servicediscovery";

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** An SDK shape as it reads back from JSON: dates become ISO strings. */
export type Json<T> = T extends Date
    ? string
    : T extends readonly (infer U)[]
      ? Json<U>[]
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

/**
 * A service as DescribeServices returns it, less what changes while nothing
 * is changed: `events` (a rolling status log) and the task counts.
 */
export type ServiceSnapshot = Json<Omit<Service, "events" | "runningCount" | "pendingCount">>;

export type TaskDefinitionSnapshot = Json<TaskDefinition> & { tags?: Json<Tag>[] };

export interface ListenerRuleSnapshot {
    readonly listenerArn: string;
    readonly rule: Json<Rule>;
}

export interface PolicySnapshot {
    readonly name: string;
    /** Managed policies: their ARN; AWS-managed ones are attached again by ARN, not cloned. */
    readonly arn?: string;
    readonly awsManaged: boolean;
    /** The policy document (default version for managed policies; absent for AWS-managed). */
    readonly document?: unknown;
}

export interface RoleSnapshot {
    readonly arn: string;
    readonly name: string;
    readonly path: string;
    readonly assumeRolePolicy: unknown;
    readonly attachedPolicies: PolicySnapshot[];
    readonly inlinePolicies: PolicySnapshot[];
    readonly permissionsBoundaryArn?: string;
}

/** Metadata only: never a value. */
export interface SecretSnapshot {
    /** The reference as the task definition writes it (ARN, possibly with :json-key:stage:id, or an SSM name). */
    readonly arn: string;
    readonly source: "secretsmanager" | "ssm";
    readonly name: string;
    readonly found: boolean;
    readonly kmsKeyId?: string;
    /** SSM: String, StringList or SecureString. */
    readonly type?: string;
}

export interface ScheduledTaskSnapshot {
    readonly source: "eventbridge" | "scheduler";
    readonly name: string;
    readonly arn: string;
    /** cron(...) or rate(...) as AWS stores it. */
    readonly scheduleExpression: string;
    readonly timezone?: string;
    readonly state: string;
    readonly clusterArn: string;
    readonly taskDefinitionArn: string;
    readonly taskCount: number;
    readonly launchType?: string;
    /** The target's awsvpc subnets, security groups and public IP (EventBridge and Scheduler spell it alike). */
    readonly networkConfiguration?: Json<NetworkConfiguration>;
    /** The RunTask overrides the target passes as its input (containerOverrides, cpu, memory, taskRoleArn, ...). */
    readonly overrides?: Json<TaskOverride>;
    /**
     * The target's input as AWS stores it, when it is not an overrides object
     * (and in snapshots written before `overrides` was read).
     */
    readonly input?: string;
}

/** A target's input as RunTask overrides: a JSON object, or undefined when it is not one. */
export function runTaskOverrides(input: string): Json<TaskOverride> | undefined {
    try {
        const parsed: unknown = JSON.parse(input);
        return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Json<TaskOverride>) : undefined;
    } catch {
        return undefined;
    }
}

/** A Route 53 record that points at one of the services' load balancers. */
export interface DnsRecordSnapshot {
    readonly zoneId: string;
    readonly zoneName: string;
    readonly name: string;
    readonly type: string;
    /** The load balancer DNS name it points at. */
    readonly target: string;
    readonly setIdentifier?: string;
    /** CNAMEs (and other non-alias records): their TTL, restored when a weighted cutover ends. */
    readonly ttl?: number;
    /** Alias records: the alias target's hosted zone and whether Route 53 follows the load balancer's health. */
    readonly alias?: { readonly dnsName: string; readonly hostedZoneId: string; readonly evaluateTargetHealth: boolean };
    /** Weighted records: their weight. */
    readonly weight?: number;
}

/**
 * A CloudFront distribution with an origin at one of the services' load
 * balancers: its whole configuration (GetDistributionConfig), which a
 * staging distribution copies.
 */
export interface DistributionSnapshot {
    readonly id: string;
    readonly arn: string;
    readonly domainName: string;
    /** The load balancer DNS names among its origins. */
    readonly loadBalancerOrigins: string[];
    readonly config: Json<DistributionConfig>;
}

export interface SnapshotDiagnostic {
    readonly code: string;
    readonly severity: "info" | "warning" | "error";
    /** ARN or name of what it is about. */
    readonly resource: string;
    readonly message: string;
}

export interface ClusterSnapshot {
    /** Without the task and service counts, which change while nothing is changed. */
    readonly cluster: Json<Omit<Cluster, "runningTasksCount" | "pendingTasksCount" | "activeServicesCount" | "registeredContainerInstancesCount" | "statistics">>;
    readonly services: ServiceSnapshot[];
    readonly scheduledTasks: ScheduledTaskSnapshot[];
}

export interface EcsSnapshot {
    readonly schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
    readonly reader: { readonly name: string; readonly version: string };
    readonly capturedAt: string;
    readonly region: string;
    readonly clusters: ClusterSnapshot[];
    readonly taskDefinitions: TaskDefinitionSnapshot[];
    readonly scaling: {
        readonly targets: Json<ScalableTarget>[];
        readonly policies: Json<ScalingPolicy>[];
        readonly scheduledActions: Json<ScheduledAction>[];
        /** Alarms that trigger step scaling policies, without their changing state. */
        readonly alarms?: Json<Omit<MetricAlarm, "StateValue" | "StateReason" | "StateReasonData" | "StateUpdatedTimestamp" | "StateTransitionedTimestamp">>[];
    };
    readonly loadBalancing: {
        readonly targetGroups: Json<TargetGroup>[];
        readonly loadBalancers: Json<LoadBalancer>[];
        readonly listeners: Json<Listener>[];
        readonly rules: ListenerRuleSnapshot[];
        /** Route 53 records (alias or CNAME) pointing at those load balancers. */
        readonly dnsRecords?: DnsRecordSnapshot[];
        /** CloudFront distributions with an origin at those load balancers (absent in snapshots taken before they were read). */
        readonly distributions?: DistributionSnapshot[];
    };
    readonly serviceDiscovery: {
        readonly namespaces: Json<NamespaceSummary>[];
        readonly services: Json<ServiceSummary>[];
    };
    readonly securityGroups: Json<SecurityGroup>[];
    readonly roles: RoleSnapshot[];
    readonly fileSystems: {
        readonly fileSystems: Json<Omit<FileSystemDescription, "SizeInBytes">>[];
        readonly accessPoints: Json<AccessPointDescription>[];
    };
    readonly secrets: SecretSnapshot[];
    /**
     * CloudWatch alarms on the services' ECS metrics and on their target
     * groups, without their changing state. Absent in snapshots written
     * before alarms were read.
     */
    readonly alarms?: AlarmSnapshot[];
    readonly diagnostics: SnapshotDiagnostic[];
}

/** A metric alarm as DescribeAlarms returns it, less its state and when it last changed. */
export type AlarmSnapshot = Json<Omit<MetricAlarm, "StateValue" | "StateReason" | "StateReasonData" | "StateUpdatedTimestamp" | "StateTransitionedTimestamp" | "AlarmConfigurationUpdatedTimestamp">>;
