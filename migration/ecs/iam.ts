import {
    GetAccountAuthorizationDetailsCommand,
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetRolePolicyCommand,
    ListAttachedRolePoliciesCommand,
    ListRolePoliciesCommand,
    ManagedPolicyDetail,
    RoleDetail,
} from "@aws-sdk/client-iam";
import { Aws } from "./aws";
import { allPages, distinct, mapLimit } from "./concurrency";
import { PolicySnapshot, RoleSnapshot } from "../../core/snapshot";

/** Above this many roles one account-wide sweep costs fewer calls than asking role by role. */
export const ROLE_BY_ROLE_LIMIT = 5;

/** IAM returns policy documents URL-encoded. */
function decodeDocument(document: string | undefined): unknown {
    return document === undefined ? undefined : JSON.parse(decodeURIComponent(document));
}

function isAwsManaged(arn: string): boolean {
    return /^arn:aws[\w-]*:iam::aws:policy\//.test(arn);
}

export function roleNameOf(arn: string): string {
    return arn.split("/").pop() ?? arn;
}

async function readRole(aws: Aws, arn: string): Promise<RoleSnapshot | undefined> {
    const name = roleNameOf(arn);
    let role;
    try {
        role = (await aws.call("iam", "GetRole", arn, () => aws.iam.send(new GetRoleCommand({ RoleName: name })))).Role;
    } catch (err) {
        if ((err as { name?: string }).name === "NoSuchEntityException" || (err as { name?: string }).name === "NoSuchEntity") {
            return undefined;
        }
        throw err;
    }
    const [attached, inlineNames] = await Promise.all([
        allPages(
            (Marker) => aws.call("iam", "ListAttachedRolePolicies", arn, () => aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker }))),
            (p) => p.AttachedPolicies,
            (p) => (p.IsTruncated ? p.Marker : undefined),
        ),
        allPages(
            (Marker) => aws.call("iam", "ListRolePolicies", arn, () => aws.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker }))),
            (p) => p.PolicyNames,
            (p) => (p.IsTruncated ? p.Marker : undefined),
        ),
    ]);
    const attachedPolicies = await Promise.all(
        attached.map(async (p): Promise<PolicySnapshot> => {
            const policyArn = p.PolicyArn ?? "";
            if (isAwsManaged(policyArn)) {
                return { name: p.PolicyName ?? "", arn: policyArn, awsManaged: true };
            }
            const policy = (await aws.call("iam", "GetPolicy", policyArn, () => aws.iam.send(new GetPolicyCommand({ PolicyArn: policyArn })))).Policy;
            const version = await aws.call("iam", "GetPolicyVersion", policyArn, () =>
                aws.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy?.DefaultVersionId })),
            );
            return { name: p.PolicyName ?? "", arn: policyArn, awsManaged: false, document: decodeDocument(version.PolicyVersion?.Document) };
        }),
    );
    const inlinePolicies = await Promise.all(
        inlineNames.map(async (policyName): Promise<PolicySnapshot> => {
            const out = await aws.call("iam", "GetRolePolicy", arn, () => aws.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
            return { name: policyName, awsManaged: false, document: decodeDocument(out.PolicyDocument) };
        }),
    );
    return {
        arn,
        name,
        path: role?.Path ?? "/",
        assumeRolePolicy: decodeDocument(role?.AssumeRolePolicyDocument),
        attachedPolicies,
        inlinePolicies,
        ...(role?.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundaryArn: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    };
}

async function readRolesInOneSweep(aws: Aws, arns: readonly string[]): Promise<(RoleSnapshot | undefined)[]> {
    const roles: RoleDetail[] = [];
    const policies: ManagedPolicyDetail[] = [];
    let Marker: string | undefined;
    do {
        const page = await aws.call("iam", "GetAccountAuthorizationDetails", "*", () =>
            aws.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["Role", "LocalManagedPolicy"], Marker, MaxItems: 1000 })),
        );
        roles.push(...(page.RoleDetailList ?? []));
        policies.push(...(page.Policies ?? []));
        Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    const byArn = new Map(roles.map((r) => [r.Arn ?? "", r]));
    const policyByArn = new Map(policies.map((p) => [p.Arn ?? "", p]));
    return arns.map((arn) => {
        const role = byArn.get(arn);
        if (!role) {
            return undefined;
        }
        return {
            arn,
            name: roleNameOf(arn),
            path: role.Path ?? "/",
            assumeRolePolicy: decodeDocument(role.AssumeRolePolicyDocument),
            attachedPolicies: (role.AttachedManagedPolicies ?? []).map((p): PolicySnapshot => {
                const policyArn = p.PolicyArn ?? "";
                if (isAwsManaged(policyArn)) {
                    return { name: p.PolicyName ?? "", arn: policyArn, awsManaged: true };
                }
                const detail = policyByArn.get(policyArn);
                const version = detail?.PolicyVersionList?.find((v) => v.IsDefaultVersion);
                return { name: p.PolicyName ?? "", arn: policyArn, awsManaged: false, document: decodeDocument(version?.Document) };
            }),
            inlinePolicies: (role.RolePolicyList ?? []).map((p) => ({ name: p.PolicyName ?? "", awsManaged: false, document: decodeDocument(p.PolicyDocument) })),
            ...(role.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundaryArn: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
        };
    });
}

/**
 * The task roles with their trust and every permission they grant, so EKS
 * can get a clone the ECS stack does not own. Roles that no longer exist are
 * returned as missing.
 */
export async function readRoles(aws: Aws, roleArns: readonly string[], concurrency: number): Promise<{ roles: RoleSnapshot[]; missing: string[] }> {
    const arns = distinct(roleArns);
    const read = arns.length > ROLE_BY_ROLE_LIMIT ? await readRolesInOneSweep(aws, arns) : await mapLimit(arns, concurrency, (arn) => readRole(aws, arn));
    return {
        roles: read.filter((r): r is RoleSnapshot => r !== undefined),
        missing: arns.filter((_, i) => read[i] === undefined),
    };
}
