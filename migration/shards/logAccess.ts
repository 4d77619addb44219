/**
 * What a migration shard grants the platform's log pipeline. The pipeline
 * (components/addons/logPipeline.ts) is one Fluent Bit DaemonSet of the
 * platform stack with one role, allowed to write exactly the log groups of the
 * platform's own plan; a shard's containers name their own ECS log groups, so
 * each shard puts the grant for its groups on that role: the same statements
 * (logWriteStatements), in a policy of its own that only it declares and
 * removes. Pure: the shard program (shardProgram.ts) declares the result.
 *
 * IAM limits shape it (AWS IAM User Guide, "IAM and AWS STS quotas"; the
 * knowledge-center article "iam-increase-policy-size"), all counted in
 * characters without whitespace, which is how JSON.stringify writes:
 * - inline policies of one role: 10,240 characters together;
 * - a managed policy: 6,144 characters; 10 attached to a role by default,
 *   20 after a quota increase.
 * A log group costs about 150 characters (its ARN and its streams' ARN), so
 * the inline total holds some 65 groups for all shards together, and no
 * number of managed policies holds 20 shards x 100 groups exactly (300,000
 * characters against 20 x 6,144 = 122,880). So: a small shard's grant
 * (under INLINE_SHARE_CHARS, about 6 groups) is an inline policy, and nine of
 * them fit beside the platform's own; a larger one is a managed policy of its
 * own, one attachment per shard; and a shard whose groups exceed one managed
 * policy is granted the groups' longest shared name prefixes instead, as few
 * as make it fit, with a warning naming each. With ECS's usual
 * `/ecs/<cluster>/<service>` names a shard of whole clusters needs one prefix
 * per cluster, so 20 shards of 100 groups take 20 attachments (the raised
 * quota) of well under 6,144 characters each.
 */
import { PolicyDocument, policy } from "../../core/iam/policyDocument";
import { LogAccount, LogGroupGrant, logWriteStatements } from "../../components/addons/logPipeline";
import { LogPlan } from "../translate/logging";
import { Diagnostic, WorkloadPlan } from "../translate/types";

/** The aggregate of a role's inline policies (not adjustable). */
export const ROLE_INLINE_CHARS = 10_240;
/** One managed policy (not adjustable). */
export const MANAGED_POLICY_CHARS = 6_144;
/**
 * A shard's share of the role's inline total: a tenth, so the platform's own
 * policy (about 350 characters for a platform that migrates nothing) and nine
 * small shards fit together.
 */
export const INLINE_SHARE_CHARS = 1_024;

/** Where the platform's pipeline runs and the account its role is in. */
export interface PipelineScope extends LogAccount {
    /** The platform's region: its Fluent Bit writes CloudWatch Logs there and nowhere else for a shard. */
    readonly region: string;
}

/** Several groups granted through one name prefix because all of them did not fit. */
export interface CollapsedGroups {
    readonly prefix: string;
    readonly region: string;
    readonly groups: readonly string[];
}

export interface ShardLogAccess {
    /** inline: a RolePolicy; managed: a Policy and its attachment; none: nothing to grant. */
    readonly kind: "inline" | "managed" | "none";
    readonly document?: PolicyDocument;
    /** The document's size as IAM counts it. */
    readonly chars: number;
    /** The log groups granted, by name, exactly or through a prefix. */
    readonly groups: readonly string[];
    readonly collapsed: readonly CollapsedGroups[];
    /** Groups left out because even their prefixes do not fit: their containers' logs are refused. */
    readonly refused: readonly string[];
    readonly diagnostics: readonly Diagnostic[];
}

const sizeOf = (doc: PolicyDocument) => JSON.stringify(doc).length;
const documentFor = (s: PipelineScope, grants: readonly LogGroupGrant[]) => policy(...logWriteStatements(s, grants, []));

/** Characters a prefix may end with to count as a boundary of a log group's name (CloudWatch allows . - _ / # and alphanumerics). */
const BOUNDARY = /[/\-_.#]/;

/**
 * The longest prefix shared by two or more of the grants, ending at a
 * name boundary when `boundary` (else anywhere); ties go to the prefix that
 * covers most, then to the first by name, so the result is the same every run.
 */
function bestPrefix(grants: readonly LogGroupGrant[], boundary: boolean): string | undefined {
    const counts = new Map<string, number>();
    for (const g of grants) {
        const seen = new Set<string>();
        const limit = g.prefix ? g.name.length : g.name.length - 1;
        for (let i = 1; i <= limit; i++) {
            const p = g.name.slice(0, i);
            // A prefix of separators alone ("/") would grant nearly every group of the account.
            if ((!boundary || BOUNDARY.test(p[p.length - 1])) && /[A-Za-z0-9]/.test(p) && !seen.has(p)) {
                seen.add(p);
                counts.set(p, (counts.get(p) ?? 0) + 1);
            }
        }
    }
    const candidates = [...counts].filter(([, n]) => n >= 2);
    candidates.sort(([a, n], [b, m]) => b.length - a.length || m - n || (a < b ? -1 : a > b ? 1 : 0));
    return candidates[0]?.[0];
}

/** Replaces every grant under the prefix with the prefix; create where any covered group was creatable. */
function collapse(grants: readonly LogGroupGrant[], prefix: string, region: string): LogGroupGrant[] {
    const under = grants.filter((g) => g.name.startsWith(prefix));
    const rest = grants.filter((g) => !g.name.startsWith(prefix));
    return [...rest, { name: prefix, region, create: under.some((g) => g.create), prefix: true }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The service (ECS name) of each workload, by namespace/name, for diagnostics. */
function servicesOf(workloads: readonly WorkloadPlan[]): Map<string, string> {
    return new Map(workloads.map((w) => [`${w.namespace}/${w.name}`, w.source.name]));
}

/**
 * Containers whose logs the platform's pipeline cannot deliver for a shard:
 * a CloudWatch group in another region, a Firehose or Kinesis stream. Each
 * needs an output in the platform's Fluent Bit config, which only the
 * platform's own plan shapes (routeOutputs); without it the records are
 * retagged for an output that does not exist and dropped.
 */
function unroutable(logs: LogPlan, s: PipelineScope, services: Map<string, string>, platformStack: string): Diagnostic[] {
    return logs.destinations
        .filter((d) => d.route !== undefined || (d.logGroup !== undefined && d.region !== s.region))
        .map((d) => {
            const service = services.get(`${d.namespace}/${d.workload}`) ?? d.workload;
            const what = d.logGroup ? `log group ${d.logGroup} in ${d.region}` : `${d.output === "firehose" ? "Firehose delivery stream" : "Kinesis stream"} ${d.deliveryStream ?? d.stream} in ${d.region}`;
            return {
                code: "SHARD_LOG_UNROUTED",
                severity: "warning" as const,
                service,
                container: d.container,
                field: `containerDefinitions[${d.container}].logConfiguration`,
                message: `container ${d.container} of service ${service} logs to ${what}; the log pipeline of platform stack ${platformStack} writes only CloudWatch Logs in ${s.region}, and a migration shard cannot add an output to it, so these logs would be dropped`,
                suggestion: d.logGroup
                    ? `send them to a log group in ${s.region} (awslogs-region ${s.region} in the task definition, and a subscription or export if the old region must keep them), or migrate ${service} in a stack whose own plan configures the pipeline (the platform stack)`
                    : `migrate ${service} in a stack whose own plan configures the pipeline (the platform stack), which adds the ${d.output} output, or send its logs to CloudWatch Logs in ${s.region}`,
            };
        });
}

/**
 * The grant a shard puts on the platform's pipeline role for its plan's log
 * groups in the platform's region, and what it cannot carry over.
 */
export function planShardLogAccess(logs: LogPlan, workloads: readonly WorkloadPlan[], s: PipelineScope, platformStack: string): ShardLogAccess {
    const diagnostics = unroutable(logs, s, servicesOf(workloads), platformStack);
    let grants: LogGroupGrant[] = logs.groups.filter((g) => g.region === s.region).map((g) => ({ ...g }));
    if (grants.length === 0) {
        return { kind: "none", chars: 0, groups: [], collapsed: [], refused: [], diagnostics };
    }
    const names = grants.map((g) => g.name);
    const exact = documentFor(s, grants);
    if (sizeOf(exact) <= MANAGED_POLICY_CHARS) {
        return { kind: sizeOf(exact) <= INLINE_SHARE_CHARS ? "inline" : "managed", document: exact, chars: sizeOf(exact), groups: names, collapsed: [], refused: [], diagnostics };
    }
    // Too many for one policy: the most specific shared prefixes first, at name boundaries, then anywhere.
    const exactChars = sizeOf(exact);
    for (const boundary of [true, false]) {
        for (let p = bestPrefix(grants, boundary); p !== undefined && sizeOf(documentFor(s, grants)) > MANAGED_POLICY_CHARS; p = bestPrefix(grants, boundary)) {
            grants = collapse(grants, p, s.region);
        }
    }
    const refused: string[] = [];
    while (sizeOf(documentFor(s, grants)) > MANAGED_POLICY_CHARS && grants.length > 0) {
        const last = grants[grants.length - 1];
        refused.unshift(...names.filter((n) => (last.prefix ? n.startsWith(last.name) : n === last.name)));
        grants = grants.slice(0, -1);
    }
    const collapsed = grants.filter((g) => g.prefix).map((g) => ({ prefix: g.name, region: s.region, groups: names.filter((n) => n.startsWith(g.name)) }));
    for (const c of collapsed) {
        diagnostics.push({
            code: "SHARD_LOG_PREFIX",
            severity: "warning",
            service: "",
            field: "logConfiguration.options.awslogs-group",
            message: `this shard's ${names.length} log groups need ${exactChars} characters of IAM policy, more than one managed policy holds (${MANAGED_POLICY_CHARS}); the log pipeline is granted ${c.prefix}* in ${c.region} for ${c.groups.length} of them (${c.groups.slice(0, 3).join(", ")}${c.groups.length > 3 ? ", …" : ""}), which also lets it write any other group whose name starts so`,
            suggestion: "accept the prefix, or split the shard (npx ecs2eks shards --by count:<n>) so each shard's groups fit one policy",
        });
    }
    if (refused.length > 0) {
        diagnostics.push({
            code: "SHARD_LOG_REFUSED",
            severity: "warning",
            service: "",
            field: "logConfiguration.options.awslogs-group",
            message: `${refused.length} log groups share no name prefix with the others and do not fit the shard's managed policy (${MANAGED_POLICY_CHARS} characters): the log pipeline is refused for ${refused.slice(0, 3).join(", ")}${refused.length > 3 ? ", …" : ""}`,
            suggestion: "split the shard (npx ecs2eks shards --by count:<n>), or give the services' log groups a shared prefix such as /ecs/<cluster>/",
        });
    }
    const document = documentFor(s, grants);
    return { kind: "managed", document, chars: sizeOf(document), groups: names.filter((n) => !refused.includes(n)), collapsed, refused, diagnostics };
}

/** The shard's policy name on the platform's role: unique per project and stack, within IAM's name rules. */
export function shardPolicyName(project: string, stack: string): string {
    const name = `ecs2eks-shard.${project}.${stack}`.replace(/[^\w+=,.@-]/g, "-");
    return name.length <= 128 ? name : name.slice(0, 128);
}

/** The role name in a role ARN (arn:<partition>:iam::<account>:role/<path/>name), and its partition and account. */
export function parseRoleArn(arn: string): { readonly partition: string; readonly account: string; readonly roleName: string } | undefined {
    const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(arn);
    return m ? { partition: m[1], account: m[2], roleName: m[3] } : undefined;
}
