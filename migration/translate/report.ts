/** The plan as a report a person reads before migrating: per workload what was mapped, every warning with its suggestion, what is left to do. Pure. */
import { credentialsSecretName } from "./credentials";
import { Diagnostic, MigrationPlan, WorkloadPlan } from "./types";

const ICON: Readonly<Record<Diagnostic["severity"], string>> = { error: "✗ error", warning: "⚠ warning", info: "ℹ info" };

function diagnosticLines(list: readonly Diagnostic[]): string[] {
    const order = { error: 0, warning: 1, info: 2 };
    return [...list]
        .sort((a, b) => order[a.severity] - order[b.severity] || a.code.localeCompare(b.code))
        .map((d) => `- ${ICON[d.severity]} \`${d.code}\`${d.container ? ` (${d.container})` : ""} \`${d.field}\`: ${d.message}. **Do:** ${d.suggestion}.`);
}

function manualSteps(w: WorkloadPlan): string[] {
    const steps: string[] = [];
    if (w.role) {
        steps.push(`IAM role for service account ${w.namespace}/${w.role.serviceAccount} with the ${w.role.policies.length} policies of ${w.role.sourceRoleArn} (the EcsMigration component creates it; with raw manifests, create it and annotate the ServiceAccount with its ARN (IRSA) or give the ServiceAccount an EKS Pod Identity association)`);
    }
    if (w.securityGroupIds.length > 0) {
        steps.push(`security groups ${w.securityGroupIds.join(", ")} belong to the ECS stack: the component clones them; with raw manifests, put clone IDs in the SecurityGroupPolicy`);
    }
    for (const lb of w.loadBalancers) {
        steps.push(`canary traffic: a new ip target group bound to Service ${lb.serviceName}:${lb.servicePort}, weighted next to ${lb.ecsTargetGroupArn} (migration:cutover)`);
    }
    for (const fs of w.fileSystemIds) {
        steps.push(`file system ${fs} is referenced, not owned: keep it out of the ECS stack's destroy (see the decommission check)`);
    }
    const credentials = w.plaintextCredentials ?? [];
    if (credentials.length > 0) {
        const secret = credentialsSecretName(w.name);
        steps.push(
            `credentials in plain environment values (${credentials.map((c) => `${c.container}/${c.name}`).join(", ")}): move each into Secrets Manager and reference it from the task definition's \`secrets\` (see its PLAINTEXT_CREDENTIAL warning), then take a new snapshot; until then the EcsMigration component fills Secret ${w.namespace}/${secret} from the snapshot as Pulumi secrets; with raw manifests, fill it before the pods start (kubectl -n ${w.namespace} create secret generic ${secret} ${credentials.map((c) => `--from-file=${c.key}=<file>`).join(" ")} --dry-run=client -o yaml | kubectl apply -f -)`,
        );
    }
    if (w.source.kind === "scheduledTask") {
        steps.push(`disable ${w.source.name} on ECS when the CronJob takes over, or both run`);
    }
    return steps;
}

export function renderReport(plan: MigrationPlan): string {
    const all = [...plan.diagnostics, ...plan.workloads.flatMap((w) => w.diagnostics)];
    const count = (s: Diagnostic["severity"]) => all.filter((d) => d.severity === s).length;
    const lines = [
        "# ECS → EKS migration report",
        "",
        `Snapshot of ${plan.source.clusters.join(", ")} in ${plan.source.region}, taken ${plan.source.capturedAt}.`,
        "",
        `${plan.workloads.length} workloads in ${plan.namespaces.length} namespaces: ${count("error")} errors, ${count("warning")} warnings, ${count("info")} notes.`,
        "",
        `Coverage: of the ECS fields set in this estate, ${plan.coverage.mapped} were mapped, ${plan.coverage.reported} reported with a suggestion, ${plan.coverage.notApplicable} are not applicable (status, identifiers), ${plan.coverage.unaccounted} unaccounted for (the ledger says they are carried over, but the translator recorded neither reading nor reporting them); the field ledger classifies all ${plan.coverage.ledgerMembers} members of the ECS TaskDefinition and Service shapes.`,
        "",
        "| workload | from | namespace | objects | Pod Security | errors | warnings |",
        "|---|---|---|---|---|---:|---:|",
        ...plan.workloads.map(
            (w) =>
                `| ${w.name} | ${w.source.kind === "service" ? "service" : "schedule"} ${w.source.name} | ${w.namespace} | ${w.objects.map((o) => o.kind).join(", ") || "none"} | ${w.podSecurity} | ${w.diagnostics.filter((d) => d.severity === "error").length} | ${w.diagnostics.filter((d) => d.severity === "warning").length} |`,
        ),
        "",
    ];
    if (plan.diagnostics.length > 0) {
        lines.push("## The estate", "", ...diagnosticLines(plan.diagnostics), "");
    }
    for (const w of plan.workloads) {
        lines.push(`## ${w.name}`, "", `From ECS ${w.source.kind === "service" ? "service" : "scheduled task"} \`${w.source.name}\` (${w.source.arn}), task definition \`${w.source.taskDefinitionArn}\`.`, "");
        lines.push(`Objects: ${w.objects.map((o) => `${o.kind} ${o.metadata.name}`).join(", ") || "none"}.`, "");
        if (w.mapped.length > 0) {
            lines.push(`Mapped: ${w.mapped.map((f) => `\`${f}\``).join(", ")}.`, "");
        }
        if (w.diagnostics.length > 0) {
            lines.push("Diagnostics:", "", ...diagnosticLines(w.diagnostics), "");
        }
        const steps = manualSteps(w);
        if (steps.length > 0) {
            lines.push("Left to do:", "", ...steps.map((s) => `- [ ] ${s}`), "");
        }
    }
    return `${lines.join("\n")}\n`;
}
