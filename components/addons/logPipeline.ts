/**
 * The cluster's log pipeline: AWS for Fluent Bit on every node, shipping each
 * container's stdout to where its ECS task definition sent it. The pods carry
 * their containers' destinations as annotations (migration/translate/
 * logging.ts); a Lua filter reads them into the record, and the CloudWatch
 * Logs output names group and stream from the record, so the config does not
 * change when a service does. Containers without annotations (add-ons, pods
 * not migrated) go to the cluster's own group.
 *
 * The chart is aws/eks-charts stable/aws-for-fluent-bit, version 0.2.0 (AWS for
 * Fluent Bit 3.2.1, Fluent Bit 4.2.2), read at aws/eks-charts tag v0.0.242;
 * the values below were checked in its values.yaml and templates/configmap.yaml
 * (cloudWatchLogs.logGroupTemplate / logStreamTemplate render as
 * log_group_template / log_stream_template of the cloudwatch_logs output,
 * additionalFilters and additionalOutputs verbatim). Its DaemonSet mounts
 * /var/log from the host, so it runs in kube-system, which no Pod Security
 * level is enforced on, rather than a namespace of its own.
 */
import { policy, PolicyDocument, PolicyStatement } from "../../core/iam/policyDocument";
import { LOG_ANNOTATION_PREFIX, LogPlan, LogRoute } from "../../migration/translate/logging";
import { AddonEnv, AwsScope, addon } from "./types";

const SERVICE_ACCOUNT = "aws-for-fluent-bit";
const NAMESPACE = "kube-system";

/** How long the cluster's own group keeps logs, in days. */
export const CLUSTER_LOG_RETENTION_DAYS = 90;

/** The per-cluster group for containers no ECS destination was given for. */
export function clusterLogGroup(clusterName: string): string {
    return `/aws/eks/${clusterName}/containers`;
}

/** The account a policy's ARNs are in: what the platform's add-on scope and a shard both know. */
export interface LogAccount {
    readonly partition: string;
    readonly account: string;
}

const logGroupArn = (s: LogAccount, region: string, name: string) => `arn:${s.partition}:logs:${region}:${s.account}:log-group:${name}`;

/**
 * A log group the pipeline may write to. With prefix, every group whose name
 * starts with the name: what a migration shard grants when its groups do not
 * fit one IAM policy (migration/shards/logAccess.ts).
 */
export interface LogGroupGrant {
    readonly name: string;
    readonly region: string;
    /** awslogs-create-group / auto_create_group: the pipeline may create it. */
    readonly create: boolean;
    readonly prefix?: boolean;
}

/**
 * What the pipeline may do for some log groups and FireLens routes: write
 * streams of the groups, create a group only where the ECS task allowed it
 * (awslogs-create-group), and put records to the Firehose and Kinesis
 * streams FireLens sent to. Nothing else. The platform stack's role and each
 * migration shard's policy on that role are built from these statements.
 */
export function logWriteStatements(s: LogAccount, groups: readonly LogGroupGrant[], routes: readonly LogRoute[]): PolicyStatement[] {
    // A group's own ARN (DescribeLogStreams, CreateLogGroup) and its streams' (`:*`); a prefix's `*` covers both.
    const arns = (list: readonly LogGroupGrant[]) => list.flatMap((g) => (g.prefix ? [`${logGroupArn(s, g.region, g.name)}*`] : [logGroupArn(s, g.region, g.name), `${logGroupArn(s, g.region, g.name)}:*`]));
    const statements: PolicyStatement[] = [{ Sid: "WriteLogStreams", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: arns(groups) }];
    const creatable = groups.filter((g) => g.create);
    if (creatable.length > 0) {
        statements.push({ Sid: "CreateGroupsEcsMayCreate", Effect: "Allow", Action: "logs:CreateLogGroup", Resource: arns(creatable) });
    }
    const firehose = routes.filter((r) => r.output === "firehose");
    if (firehose.length > 0) {
        statements.push({ Sid: "FireLensFirehose", Effect: "Allow", Action: "firehose:PutRecordBatch", Resource: firehose.map((r) => `arn:${s.partition}:firehose:${r.region}:${s.account}:deliverystream/${r.deliveryStream}`) });
    }
    const kinesis = routes.filter((r) => r.output === "kinesis_streams");
    if (kinesis.length > 0) {
        statements.push({ Sid: "FireLensKinesis", Effect: "Allow", Action: "kinesis:PutRecords", Resource: kinesis.map((r) => `arn:${s.partition}:kinesis:${r.region}:${s.account}:stream/${r.stream}`) });
    }
    return statements;
}

/** The platform's role: the groups and routes of the stack's own plan, and the cluster's group. */
export function logPipelinePolicy(s: AwsScope, logs: LogPlan): PolicyDocument {
    return policy(...logWriteStatements(s, [{ name: clusterLogGroup(s.clusterName), region: s.region, create: false }, ...logs.groups], logs.routes));
}

/** The cluster group's key: the account administers it, CloudWatch Logs uses it for that group only. */
export function clusterLogKeyPolicy(s: AwsScope): PolicyDocument {
    return policy(
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${s.partition}:iam::${s.account}:root` }, Action: "kms:*", Resource: "*" },
        {
            Sid: "CloudWatchLogsEncrypts",
            Effect: "Allow",
            Principal: { Service: `logs.${s.region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn(s, s.region, clusterLogGroup(s.clusterName)) } },
        },
    );
}

/**
 * Reads each container's destination from its pod's annotations into the
 * record: ecs2eks_group, ecs2eks_stream (`<stream prefix>/<pod>`, as ECS
 * named streams `<prefix>/<container>/<task id>`) and, for another region or
 * a Firehose or Kinesis output, ecs2eks_route.
 */
export function routingLua(clusterGroup: string): string {
    const p = LOG_ANNOTATION_PREFIX;
    return [
        "function ecs2eks_route(tag, ts, record)",
        '  local k = record["kubernetes"]',
        "  if k == nil then return 0, ts, record end",
        '  local a = k["annotations"] or {}',
        '  local c = k["container_name"] or ""',
        '  local pod = k["pod_name"] or ""',
        `  local group = a["${p}/group." .. c]`,
        "  if group == nil then",
        `    record["ecs2eks_group"] = "${clusterGroup}"`,
        '    record["ecs2eks_stream"] = (k["namespace_name"] or "") .. "/" .. pod .. "/" .. c',
        "  else",
        '    record["ecs2eks_group"] = group',
        `    record["ecs2eks_stream"] = (a["${p}/stream." .. c] or c) .. "/" .. pod`,
        "  end",
        `  local route = a["${p}/route." .. c]`,
        '  if route ~= nil then record["ecs2eks_route"] = route end',
        "  return 2, ts, record",
        "end",
    ].join(" ");
}

/** The filters after the chart's kubernetes filter: routing, then the retag that sends routed records to their outputs. */
export function routingFilters(clusterGroup: string): string {
    return [
        "[FILTER]",
        "    Name   lua",
        "    Match  kube.*",
        "    call   ecs2eks_route",
        `    code   ${routingLua(clusterGroup)}`,
        "[FILTER]",
        "    Name   rewrite_tag",
        "    Match  kube.*",
        "    Rule   $ecs2eks_route ^(.+)$ routed.$1 false",
    ].join("\n");
}

/** One output per route: another region's CloudWatch Logs, a Firehose delivery stream, a Kinesis stream. */
export function routeOutputs(routes: readonly LogRoute[], clusterGroup: string): string {
    return routes
        .flatMap((r) => {
            const head = ["[OUTPUT]", `    Name   ${r.output}`, `    Match  routed.${r.id}`, `    region ${r.region}`];
            if (r.output === "cloudwatch_logs") {
                return [...head, `    log_group_name      ${clusterGroup}`, "    log_group_template  $ecs2eks_group", "    log_stream_prefix   unrouted-", "    log_stream_template $ecs2eks_stream", "    log_key             log"];
            }
            return [...head, r.output === "firehose" ? `    delivery_stream ${r.deliveryStream}` : `    stream ${r.stream}`];
        })
        .join("\n");
}

/** The chart's values for this cluster and plan. */
export function logPipelineValues(env: AddonEnv): Record<string, unknown> {
    const group = clusterLogGroup(env.clusterName);
    const logs = env.logs;
    return {
        serviceAccount: { create: false, name: SERVICE_ACCOUNT },
        cloudWatchLogs: {
            enabled: true,
            // Routed records went to their own outputs; everything else from the containers comes here.
            match: "kube.*",
            region: env.region,
            logGroupName: group,
            logGroupTemplate: "$ecs2eks_group",
            logStreamPrefix: "unrouted-",
            logStreamTemplate: "$ecs2eks_stream",
            // The line as the container wrote it, as awslogs sent it: metric filters and subscriptions match the same text.
            logKey: "log",
            // Fluent Bit creates a missing group only where its role allows it: where ECS had awslogs-create-group.
            autoCreateGroup: logs.groups.some((g) => g.create),
        },
        additionalFilters: routingFilters(group),
        ...(logs.routes.length > 0 ? { additionalOutputs: routeOutputs(logs.routes, group) } : {}),
    };
}

/** Ships container logs to the log groups the ECS task definitions named. */
export const logPipeline = addon({
    key: "logPipeline",
    title: "AWS for Fluent Bit (log pipeline)",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "helm", chart: "aws-for-fluent-bit", namespace: NAMESPACE },
    identity: {
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        createdBy: "ecs2eks",
        policy: (scope) => logPipelinePolicy(scope, scope.logs),
        description: "AWS for Fluent Bit: writes container logs to their ECS log groups and the cluster's group",
        permits: "`logs:CreateLogStream`, `logs:PutLogEvents`, `logs:DescribeLogStreams` on the migrated containers' log groups and the cluster's group; `logs:CreateLogGroup` only where ECS had `awslogs-create-group`; `firehose:PutRecordBatch` / `kinesis:PutRecords` on FireLens streams",
    },
    about: `every container's stdout to its ECS log group and stream prefix (pod annotations \`${LOG_ANNOTATION_PREFIX}/*\`); other pods to \`/aws/eks/<cluster>/containers\` (KMS, ${CLUSTER_LOG_RETENTION_DAYS} days); FireLens CloudWatch, Firehose and Kinesis outputs carried over`,
    deploy(ctx) {
        const group = ctx.logGroup({ name: clusterLogGroup(ctx.env.clusterName), retentionInDays: CLUSTER_LOG_RETENTION_DAYS, keyPolicy: clusterLogKeyPolicy });
        const role = ctx.role();
        ctx.helmRelease(logPipelineValues(ctx.env), [group, ...(role.serviceAccount ? [role.serviceAccount] : [])]);
    },
});
