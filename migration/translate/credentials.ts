/**
 * Credentials written as literal environment values: found by the variable's
 * name and by the value's shape. Pure (no Pulumi, no SDK client, no I/O).
 * The translator, the policy pack and the snapshot command share it, so one
 * definition decides what is a credential everywhere. The reasons it gives
 * name the rule that matched, never the value.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { dns1123Label } from "./names";
import type { WorkloadPlan } from "./types";

export interface CredentialFinding {
    /** Found by the variable's name or by the shape of its value. */
    readonly by: "name" | "value";
    /** Why, for a person: the rule that matched; never the value. */
    readonly reason: string;
}

/** Last words of a name that make it a credential: DB_PASS, GITHUB_TOKEN, STRIPE_SK, BASIC_AUTH. */
const SECRET_WORDS = new Set(["PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "SK", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY", "CREDENTIALS", "CREDENTIAL", "CREDS", "AUTH", "AUTHORIZATION", "SALT"]);
/** Words before a final KEY that make it a credential: API_KEY, AWS_SECRET_ACCESS_KEY; not CACHE_KEY or S3_KEY. */
const KEY_QUALIFIERS = new Set(["API", "PRIVATE", "ACCESS", "SECRET", "SIGNING", "ENCRYPTION", "MASTER", "LICENSE", "HMAC", "APP"]);
/** Long secret words recognised at the end of a run-together name: PGPASSWORD, SLACKTOKEN. */
const SECRET_SUFFIXES = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIALS"];
/** Well-known names the word rules miss (SECRET_KEY_BASE) or would wrongly take (PWD is the working directory). */
const SECRET_NAMES = new Set(["SECRET_KEY_BASE"]);
const NOT_SECRET_NAMES = new Set(["PWD", "OLDPWD", "GOOGLE_APPLICATION_CREDENTIALS"]);

/**
 * Value shapes that are credentials whatever the variable is called. Sources:
 * the providers' documented formats (AWS access key IDs, Stripe, GitHub,
 * Slack, Google API keys, GitLab, npm, SendGrid), RFC 3986 userinfo, RFC 7519.
 */
const VALUE_SHAPES: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
    { pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/@]+@/i, reason: "its value is a URL with a password in it (scheme://user:password@host)" },
    { pattern: /(?:^|[?&;\s])(?:password|passwd|pwd)\s*=\s*[^&;\s]/i, reason: "its value sets a password (password=… in a connection string)" },
    { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, reason: "its value is a PEM private key" },
    { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, reason: "its value has the shape of an AWS access key ID (AKIA…/ASIA…)" },
    { pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/, reason: "its value has the shape of a Stripe secret or restricted key (sk_live_…, rk_live_…)" },
    { pattern: /\bwhsec_[A-Za-z0-9]{16,}/, reason: "its value has the shape of a Stripe webhook secret (whsec_…)" },
    { pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/, reason: "its value has the shape of a GitHub token (ghp_…, github_pat_…)" },
    { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/, reason: "its value has the shape of a GitLab token (glpat-…)" },
    { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, reason: "its value has the shape of a Slack token (xoxb-…)" },
    { pattern: /\bAIza[0-9A-Za-z_-]{35}/, reason: "its value has the shape of a Google API key (AIza…)" },
    { pattern: /\bnpm_[A-Za-z0-9]{36}\b/, reason: "its value has the shape of an npm token (npm_…)" },
    { pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, reason: "its value has the shape of a SendGrid API key (SG.…)" },
    { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/, reason: "its value has the shape of a JSON Web Token (eyJ….eyJ….…)" },
    { pattern: /^(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}$/, reason: "its value is an HTTP Authorization header (Bearer/Basic …)" },
];

/** Values that a variable named like a secret holds when it is a switch or a pointer, not the secret itself. */
const NOT_SECRET_VALUES: readonly RegExp[] = [
    /^(?:true|false|yes|no|on|off|enabled|disabled|none|null)$/i,
    /^arn:aws[a-z-]*:/,
    // A URL without a password is an endpoint (a token service, an auth server).
    /^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/i,
    // A file the secret is read from: /var/run/secrets/db/password.txt.
    /^\/(?:[\w.-]+\/)*[\w-]+\.[A-Za-z0-9]{1,5}$/,
];

/** The words of a name, upper case: dbPassword → DB PASSWORD; DB_PASSWORD_2 → DB PASSWORD. */
function words(name: string): string[] {
    const list = name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter((w) => w.length > 0);
    while (list.length > 1 && /^\d+$/.test(list[list.length - 1])) {
        list.pop();
    }
    if (list.length > 0) {
        list[list.length - 1] = list[list.length - 1].replace(/(\D)\d+$/, "$1");
    }
    return list;
}

/** Why a variable's name says it holds a credential, or undefined. */
function secretNameReason(name: string): string | undefined {
    const upper = name.toUpperCase();
    if (NOT_SECRET_NAMES.has(upper)) {
        return undefined;
    }
    if (SECRET_NAMES.has(upper)) {
        return `its name is ${upper}, a well-known secret`;
    }
    const w = words(name);
    const last = w[w.length - 1] ?? "";
    const before = w[w.length - 2] ?? "";
    if (SECRET_WORDS.has(last)) {
        return `its name ends in ${last}`;
    }
    if (last === "KEY" && KEY_QUALIFIERS.has(before)) {
        return `its name ends in ${before}_KEY`;
    }
    const suffix = SECRET_SUFFIXES.find((s) => last.length > s.length && last.endsWith(s));
    return suffix ? `its name ends in ${suffix}` : undefined;
}

/** Why a value has the shape of a credential, or undefined. */
function secretValueReason(value: string): string | undefined {
    return VALUE_SHAPES.find((s) => s.pattern.test(value))?.reason;
}

/**
 * Whether an environment variable holds a credential, and why. The value's
 * shape decides first (a password in a URL is one whatever the name); a
 * secret-sounding name decides unless the value is empty, a switch (true),
 * an ARN, an endpoint URL or a file path: SECRET_NAME, TOKEN_URL,
 * PASSWORD_MIN_LENGTH, DB_PASSWORD_FILE, *_ARN never match by name.
 */
export function detectCredential(name: string, value: string | undefined): CredentialFinding | undefined {
    const text = value ?? "";
    const byValue = secretValueReason(text);
    if (byValue) {
        return { by: "value", reason: byValue };
    }
    const byName = secretNameReason(name);
    if (!byName || text.trim() === "" || NOT_SECRET_VALUES.some((p) => p.test(text.trim()))) {
        return undefined;
    }
    return { by: "name", reason: byName };
}

/** The Kubernetes Secret a workload's plain-text credentials are delivered through. */
export function credentialsSecretName(workload: string): string {
    return dns1123Label(`${workload}-env-credentials`);
}

/** The annotation on that Secret saying where each key's value comes from (the plan never holds the value). */
export const VALUES_FROM_ANNOTATION = "ecs2eks.io/values-from";

/** How to move one credential into Secrets Manager, for the diagnostic and the report: commands with placeholders, never the value. */
export function secretsManagerSteps(service: string, variable: string): string {
    return (
        `move it into Secrets Manager: write the value to a file and run aws secretsmanager create-secret --name ${service}/${variable} --secret-string file://<that file>` +
        `, then in the task definition replace the environment entry with "secrets": [{"name": "${variable}", "valueFrom": "<the secret's ARN>"}]` +
        ` and take a new snapshot: ecs2eks maps it to an ExternalSecret, and the value leaves the task definition and the snapshot`
    );
}

/**
 * The values of a workload's plain-text credentials, from the snapshot's
 * task definition: what the component puts into the Secret as Pulumi
 * secrets. Keyed like the Secret; an entry whose variable is gone is "".
 */
export function credentialValues(snapshot: EcsSnapshot, workload: WorkloadPlan): Record<string, string> {
    const td = snapshot.taskDefinitions.find((t) => t.taskDefinitionArn === workload.source.taskDefinitionArn);
    const containers = td?.containerDefinitions ?? [];
    const values: Record<string, string> = {};
    for (const c of workload.plaintextCredentials ?? []) {
        const container = containers.find((x, i) => (x.name ?? `container-${i}`) === c.container);
        // Docker takes the last of repeated names; so does this.
        const entry = [...(container?.environment ?? [])].reverse().find((e) => e.name === c.name);
        values[c.key] = entry?.value ?? "";
    }
    return values;
}

/**
 * Whether a scheduled task's RunTask environment override may reach the
 * CronJob. A credential is left out with an error rather than written into
 * the CronJob as a literal: the job keeps the task definition's value (or
 * none) until the override is moved into Secrets Manager.
 */
export function keepOverrideVariable(e: { readonly name?: string; readonly value?: string }, container: string | undefined, d: Diagnostics): boolean {
    const found = e.name ? detectCredential(e.name, e.value) : undefined;
    if (!found) {
        return true;
    }
    d.error(
        "PLAINTEXT_CREDENTIAL_OVERRIDE",
        `input.containerOverrides[${container}].environment[${e.name}]`,
        `the schedule's input overrides ${e.name} with a credential in plain text (${found.reason}); it is left out of the CronJob, which gets the task definition's value instead, if any`,
        `${secretsManagerSteps(d.service, e.name ?? "")}; put the reference in the task definition the schedule runs, and drop the override from the schedule's input`,
        container,
    );
    return false;
}

/** One credential found in a snapshot: where it is, never what it is. */
interface SnapshotCredential {
    /** The services and schedules that run the task definition. */
    readonly usedBy: readonly string[];
    readonly taskDefinition: string;
    readonly container: string;
    readonly variable: string;
}

/** Every plain-text credential in a snapshot's task definitions, by where it is. */
function snapshotCredentials(snapshot: EcsSnapshot): SnapshotCredential[] {
    const users = new Map<string, string[]>();
    const use = (arn: string | undefined, who: string) => users.set(arn ?? "", [...(users.get(arn ?? "") ?? []), who]);
    for (const c of snapshot.clusters) {
        const cluster = c.cluster.clusterName ?? "";
        c.services.forEach((s) => use(s.taskDefinition, `${cluster}/${s.serviceName}`));
        c.scheduledTasks.forEach((t) => use(t.taskDefinitionArn, `${cluster}/${t.name}`));
    }
    const found: SnapshotCredential[] = [];
    for (const td of snapshot.taskDefinitions) {
        (td.containerDefinitions ?? []).forEach((c, i) => {
            for (const e of c.environment ?? []) {
                if (e.name && detectCredential(e.name, e.value)) {
                    found.push({ usedBy: users.get(td.taskDefinitionArn ?? "") ?? [], taskDefinition: td.taskDefinitionArn ?? "", container: c.name ?? `container-${i}`, variable: e.name });
                }
            }
        });
    }
    for (const c of snapshot.clusters) {
        for (const t of c.scheduledTasks) {
            for (const o of parseOverrides(t.input)) {
                for (const e of o.environment ?? []) {
                    if (e.name && detectCredential(e.name, e.value)) {
                        found.push({ usedBy: [`${c.cluster.clusterName ?? ""}/${t.name}`], taskDefinition: t.taskDefinitionArn, container: `${o.name ?? "?"} (schedule input)`, variable: e.name });
                    }
                }
            }
        }
    }
    return found;
}

function parseOverrides(input: string | undefined): { name?: string; environment?: { name?: string; value?: string }[] }[] {
    try {
        const parsed = JSON.parse(input ?? "{}") as { containerOverrides?: unknown };
        return Array.isArray(parsed.containerOverrides) ? parsed.containerOverrides : [];
    } catch {
        return [];
    }
}

/** The warning line `ecs2eks snapshot` prints when the file it wrote holds credentials; "" when it holds none. Names only, never values. */
export function snapshotCredentialWarning(snapshot: EcsSnapshot, file: string): string {
    const found = snapshotCredentials(snapshot);
    if (found.length === 0) {
        return "";
    }
    const where = found.map((f) => `${f.usedBy.length > 0 ? f.usedBy.join("+") : f.taskDefinition.split("/").pop()} ${f.container} ${f.variable}`).join(", ");
    return `warning: ${file} holds ${found.length} credential(s) in plain environment values (${where}); do not commit it: move them to Secrets Manager first or keep the file out of git (docs/runbook.md, "Credentials in environment values")\n`;
}
