/**
 * Credentials written as literal environment values: where the translator
 * delivers them (a Secret per workload), how it tells the user to move them,
 * and where the snapshot holds them. What is a credential is decided once,
 * in core/credentialDetection.ts. Pure (no Pulumi, no SDK client, no I/O).
 */
import { detectCredential } from "../../core/credentialDetection";
import type { EcsSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { dns1123Label } from "./names";
import type { WorkloadPlan } from "./types";

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
