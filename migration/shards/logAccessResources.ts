/**
 * Declares a migration shard's grant on the platform's log pipeline role
 * (planned by logAccess.ts): an inline policy for a small shard, a managed
 * policy and its attachment for a larger one. Each is named for the shard and
 * parented to its migration, so destroying the shard removes only its own grant.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NO_LOGS } from "../translate/logging";
import { MigrationPlan } from "../translate/types";
import { ShardLogAccess, parseRoleArn, planShardLogAccess } from "./logAccess";

/**
 * What the shard grants, from the platform's logPipelineRoleArn output. An
 * older platform stack or one with addons:logPipeline off exports none: the
 * shard then grants nothing and says so, rather than failing, since a
 * platform without the pipeline is a valid choice. What cannot be shipped
 * for the shard is warned about here, at preview.
 */
export function shardLogAccessFor(pipelineRoleArn: string | undefined, plan: MigrationPlan, region: string, platformStack: string): { readonly access: ShardLogAccess; readonly roleName: string } | undefined {
    const logs = plan.logs ?? NO_LOGS;
    if (pipelineRoleArn === undefined) {
        if (logs.groups.length > 0) {
            void pulumi.log.warn(
                `platform stack ${platformStack} exports no logPipelineRoleArn: addons:logPipeline is off there, or its last update predates shard log access; this shard grants no log pipeline access to its ${logs.groups.length} log groups (${logs.groups[0].name}, …). If the platform runs the log pipeline, run \`pulumi up\` on it with this version of ecs2eks, then on this shard`,
            );
        }
        return undefined;
    }
    const role = parseRoleArn(pipelineRoleArn);
    if (!role) {
        throw new pulumi.RunError(`platform stack ${platformStack} output logPipelineRoleArn is ${JSON.stringify(pipelineRoleArn)}, not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>); run \`pulumi up\` on the platform stack with this version of ecs2eks`);
    }
    const access = planShardLogAccess(logs, plan.workloads, { partition: role.partition, account: role.account, region }, platformStack);
    for (const d of access.diagnostics) {
        void pulumi.log.warn(`${d.service ? `${d.service}: ` : ""}${d.message}; ${d.suggestion}`);
    }
    return { access, roleName: role.roleName };
}

export interface ShardLogAccessTarget {
    /** The platform's pipeline role (addons-logPipeline). */
    readonly roleName: string;
    /** shardPolicyName(project, stack). */
    readonly policyName: string;
    readonly platformStack: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** The shard's grant, or nothing when it has no log group in the platform's region. */
export function declareShardLogAccess(access: ShardLogAccess, target: ShardLogAccessTarget, parent: pulumi.Resource): void {
    if (!access.document) {
        return;
    }
    const document = JSON.stringify(access.document);
    if (access.kind === "inline") {
        new aws.iam.RolePolicy("shard-log-access", { role: target.roleName, name: target.policyName, policy: document }, { parent });
        return;
    }
    const managed = new aws.iam.Policy(
        "shard-log-access",
        {
            name: target.policyName,
            path: "/ecs2eks/",
            description: `Log pipeline of ${target.platformStack}: write the log groups of migration shard ${target.policyName.replace(/^ecs2eks-shard\./, "")}`,
            policy: document,
            tags: { ...target.tags },
        },
        { parent },
    );
    new aws.iam.RolePolicyAttachment("shard-log-access", { role: target.roleName, policyArn: managed.arn }, { parent });
}
