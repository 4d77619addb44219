/** Rules on IAM: what roles we create may do, and who may assume them. */
import { BROAD_IAM_ALLOWED_TAG } from "../core/allowances";
import { POD_IDENTITY_PRINCIPAL, POD_IDENTITY_REQUEST_TAGS } from "../core/iam/trustPolicy";
import { Obj, obj, parse, statements, strings } from "./props";
import { Rule } from "./rule";

const ROLE = "aws:iam/role:Role";
/** AWS-managed policies that amount to administering the account (or its IAM). */
const ADMIN_POLICY = /^arn:aws[\w-]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const WILDCARD = /[*?]/;
const ACCOUNT = /^\d{12}$/;
const EKS_CLUSTER_ARN = /^arn:aws[\w-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[\w-]+$/;

/** Whether an IAM action pattern (case-insensitive, * and ? wildcards) covers an action. */
function covers(pattern: string, action: string): boolean {
    const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${regex}$`, "i").test(action);
}

/** What an identity policy document allows that no reviewer would sign without a reason. */
function broadGrants(document: unknown): string[] {
    const found: string[] = [];
    for (const st of statements(document)) {
        if (st.Effect !== "Allow") {
            continue;
        }
        if (st.NotAction !== undefined) {
            found.push(`NotAction ${JSON.stringify(st.NotAction)} allows every other action`);
            continue;
        }
        const anyResource = strings(st.Resource).includes("*") || st.NotResource !== undefined;
        for (const action of strings(st.Action)) {
            if (action === "*" || action === "*:*") {
                found.push(`"${action}" allows every action`);
            } else if (/^iam:\*$/i.test(action)) {
                found.push(`"${action}" allows every IAM action`);
            } else if (anyResource && covers(action, "iam:PassRole")) {
                found.push(`"${action}" passes any role (Resource "*")`);
            }
        }
    }
    return found;
}

function trustStatements(props: Obj): Obj[] {
    return statements(parse(props.assumeRolePolicy)).filter((st) => st.Effect === "Allow");
}

/** One value, no wildcard or policy variable: what the conditions of a trust must pin. */
function exact(value: unknown, shape?: RegExp): string | undefined {
    const values = strings(value);
    return values.length === 1 && !WILDCARD.test(values[0]) && !values[0].includes("${") && (!shape || shape.test(values[0])) ? values[0] : undefined;
}

export const IAM_RULES: readonly Rule[] = [
    {
        name: "no-broad-iam",
        description:
            'No role we create (cloned task roles included) gets "*" actions, iam:*, iam:PassRole on "*", or AdministratorAccess, PowerUserAccess or IAMFullAccess, unless its ECS service is listed in migration:allowBroadIam.',
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            const fix = "grant the actions and resources the service uses";
            const check = (what: string, document: unknown, allowance: string) => {
                for (const grant of broadGrants(parse(document))) {
                    report(`${what}: ${grant}; ${fix}${allowance}`);
                }
            };
            const admin = (arn: unknown, allowance: string) => {
                if (typeof arn === "string" && ADMIN_POLICY.test(arn)) {
                    report(`attaches ${arn}; ${fix}${allowance}`);
                }
            };
            if (type === ROLE) {
                if (obj(props.tags)[BROAD_IAM_ALLOWED_TAG] === "true") {
                    return;
                }
                const allowance = ", or, after review, list the ECS service in migration:allowBroadIam";
                for (const p of Array.isArray(props.inlinePolicies) ? props.inlinePolicies.map(obj) : []) {
                    check(`inline policy ${String(p.name)}`, p.policy, allowance);
                }
                for (const arn of strings(props.managedPolicyArns)) {
                    admin(arn, allowance);
                }
            } else if (type === "aws:iam/rolePolicy:RolePolicy" || type === "aws:iam/policy:Policy") {
                check(`policy ${String(props.name ?? "")}`.trim(), props.policy, "");
            } else if (type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" || type === "aws:iam/policyAttachment:PolicyAttachment") {
                admin(props.policyArn, "");
            }
        },
    },
    {
        name: "irsa-trust-exact",
        description: "Roles trusted by an OIDC provider name exactly one service account (sub) and audience (aud) with StringEquals.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== ROLE) {
                return;
            }
            const subjects: string[] = [];
            let malformed = false;
            for (const st of trustStatements(props).filter((s) => obj(s.Principal).Federated !== undefined)) {
                const conditions = obj(st.Condition);
                const equals = obj(conditions.StringEquals);
                const subKeys = Object.keys(equals).filter((k) => k.endsWith(":sub"));
                const aud = Object.entries(equals).find(([k]) => k.endsWith(":aud"));
                const otherOperators = Object.entries(conditions).filter(([op]) => op !== "StringEquals");
                const values = subKeys.flatMap((k) => strings(equals[k]));
                subjects.push(...values);
                malformed ||=
                    subKeys.length !== 1 ||
                    values.length === 0 ||
                    values.some((v) => WILDCARD.test(v)) ||
                    exact(aud?.[1]) !== "sts.amazonaws.com" ||
                    otherOperators.some(([, keys]) => Object.keys(obj(keys)).some((k) => k.endsWith(":sub") || k.endsWith(":aud")));
            }
            if (malformed) {
                report("a web identity trust must use StringEquals on <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud = sts.amazonaws.com, without wildcards");
            }
            if (subjects.length > 1) {
                report(`the trust names ${subjects.length} service accounts (${subjects.join(", ")}); give each service account a role of its own`);
            }
        },
    },
    {
        name: "pod-identity-trust-conditioned",
        description: `Roles trusted by ${POD_IDENTITY_PRINCIPAL} pin, with StringEquals on exact values, the source account, the cluster, and the namespace and service account.`,
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== ROLE) {
                return;
            }
            for (const st of trustStatements(props).filter((s) => strings(obj(s.Principal).Service).includes(POD_IDENTITY_PRINCIPAL))) {
                const equals = obj(obj(st.Condition).StringEquals);
                const missing = [
                    exact(equals["aws:SourceAccount"], ACCOUNT) ? undefined : "aws:SourceAccount",
                    exact(equals[POD_IDENTITY_REQUEST_TAGS.clusterArn], EKS_CLUSTER_ARN) ? undefined : POD_IDENTITY_REQUEST_TAGS.clusterArn,
                    exact(equals[POD_IDENTITY_REQUEST_TAGS.namespace]) ? undefined : POD_IDENTITY_REQUEST_TAGS.namespace,
                    exact(equals[POD_IDENTITY_REQUEST_TAGS.serviceAccount]) ? undefined : POD_IDENTITY_REQUEST_TAGS.serviceAccount,
                ].filter((m): m is string => m !== undefined);
                if (missing.length > 0) {
                    report(
                        `the Pod Identity trust does not pin ${missing.join(", ")}: any Pod Identity association in the account could bind the role; build it with podIdentityTrustPolicy (core/iam/trustPolicy.ts)`,
                    );
                }
            }
        },
    },
    {
        name: "service-trust-source-account",
        description: "Roles an AWS service assumes (the cluster's, the nodes') carry an aws:SourceAccount (or aws:SourceArn) condition.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== ROLE) {
                return;
            }
            for (const st of trustStatements(props)) {
                const services = strings(obj(st.Principal).Service).filter((s) => s !== POD_IDENTITY_PRINCIPAL);
                if (services.length === 0) {
                    continue;
                }
                const conditions = obj(st.Condition);
                const account = ["StringEquals", "StringEqualsIfExists"].some((op) => exact(obj(conditions[op])["aws:SourceAccount"], ACCOUNT));
                const sourceArn = ["ArnEquals", "ArnLike", "ArnEqualsIfExists", "ArnLikeIfExists"].some((op) => strings(obj(conditions[op])["aws:SourceArn"]).length > 0);
                if (!account && !sourceArn) {
                    report(`the trust of ${services.join(", ")} has no aws:SourceAccount condition; build it with serviceTrustPolicy (core/iam/trustPolicy.ts)`);
                }
            }
        },
    },
];
