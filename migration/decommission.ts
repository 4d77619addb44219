/**
 * Is it safe to destroy the ECS stacks? Every check names what still ties
 * this stack to something the ECS stacks own, and how to cut the tie. Pure.
 */
import { StackConfig } from "../config";
import { planCutover } from "./cutover";
import { frontDoorsOf } from "./cutover/frontDoors";
import { planSecurityGroups } from "./cutover/securityGroups";
import { eksWeight } from "./cutover/weights";
import { DnsRecordSnapshot, EcsSnapshot } from "../core/snapshot";
import { MigrationPlan } from "./translate/types";

/** How a DNS record is named in migration:adopted: zone ID / name / type [/ set identifier]. */
export function dnsRecordKey(r: DnsRecordSnapshot): string {
    return `${r.zoneId}/${r.name.replace(/\.$/, "")}/${r.type}${r.setIdentifier ? `/${r.setIdentifier}` : ""}`;
}

export interface Check {
    readonly ok: boolean;
    readonly title: string;
    /** What was found. */
    readonly detail: string;
    /** How to clear it (when not ok). */
    readonly fix?: string;
}

function adoptedOrBlocked(title: string, owned: readonly string[], adopted: ReadonlySet<string>, what: string, fix: string): Check {
    const open = owned.filter((x) => !adopted.has(x));
    if (open.length === 0) {
        return { ok: true, title, detail: owned.length === 0 ? `none: no ${what}` : `${owned.length} ${what}, all in migration:adopted` };
    }
    return { ok: false, title, detail: `${open.length} still owned by the ECS stacks (${what}): ${open.join(", ")}`, fix };
}

export function decommissionChecks(config: StackConfig, stackFlag: string, snapshot: EcsSnapshot | undefined, plan: MigrationPlan | undefined, snapshotProblem?: string): Check[] {
    const m = config.migration;
    const checks: Check[] = [];
    const frozen = m.source === "snapshot" && snapshot !== undefined;
    checks.push(
        frozen
            ? { ok: true, title: "ECS state is frozen", detail: `migration:source is snapshot (${m.snapshotFile}, taken ${snapshot?.capturedAt})` }
            : {
                  ok: false,
                  title: "ECS state is frozen",
                  detail:
                      snapshotProblem ??
                      (m.source === "live"
                          ? // What blocks is what that read does once ECS is gone, not the read itself.
                            `migration:source is live: every preview and up reads the ECS cluster${m.clusters.length === 1 ? "" : "s"} ${m.clusters.join(", ")}; once the ECS stacks are destroyed that read fails, and the stack can no longer be previewed or updated`
                          : `migration:source is ${m.source}: there is no ECS snapshot to check`),
                  fix: `npx ecs2eks snapshot --cluster <cluster> --out ecs-snapshot.json, commit the file, then pulumi config set migration:source snapshot${stackFlag} and pulumi config set migration:snapshotFile ecs-snapshot.json${stackFlag}, and pulumi up`,
              },
    );
    if (!snapshot || !plan) {
        checks.push({ ok: false, title: "The rest of the checks", detail: "they need the snapshot", fix: "freeze the ECS state first (above)" });
        return checks;
    }
    const adopted = new Set(m.adopted);

    // Services and schedules alike: a schedule below 100 still runs on ECS (its CronJob is suspended).
    const services = plan.workloads;
    const behind = services.filter((w) => eksWeight(m.cutover, w.source.name) < 100);
    checks.push(
        behind.length === 0
            ? { ok: true, title: "All traffic is on EKS", detail: `all ${services.length} services and schedules at eksWeight 100` }
            : {
                  ok: false,
                  title: "All traffic is on EKS",
                  detail: `${behind.length} of ${services.length} services and schedules below eksWeight 100: ${behind.map((w) => `${w.source.name} ${eksWeight(m.cutover, w.source.name)}`).join(", ")}`,
                  fix: `move traffic in steps (docs/runbook.md), ending with pulumi config set --path 'migration:cutover.default.eksWeight' 100${stackFlag} and pulumi up`,
              },
    );

    const canaries = planCutover(plan, snapshot, m.cutover).canaries;
    const loadBalancers = [...new Set(canaries.map((c) => c.loadBalancerArn).filter((a) => a.length > 0))].sort();
    checks.push(
        adoptedOrBlocked(
            "Load balancers and listeners stay",
            loadBalancers,
            adopted,
            "load balancers carrying this stack's weighted rules",
            "in the ECS stack, take each load balancer and its listeners out of state (pulumi state delete <urn>, or retainOnDelete) so its destroy leaves them running; then list their ARNs in migration:adopted (or move traffic to a load balancer this stack owns)",
        ),
    );
    const lbDnsNames = new Set(snapshot.loadBalancing.loadBalancers.filter((lb) => loadBalancers.includes(lb.LoadBalancerArn ?? "")).map((lb) => (lb.DNSName ?? "").toLowerCase()));
    checks.push(
        adoptedOrBlocked(
            "DNS records stay",
            (snapshot.loadBalancing.dnsRecords ?? []).filter((r) => lbDnsNames.has(r.target)).map(dnsRecordKey),
            adopted,
            "Route 53 records pointing at those load balancers",
            "if the ECS stacks manage these records, take them out of their state (pulumi state delete <urn>) so the destroy leaves them, then list them in migration:adopted as <zone id>/<name>/<type>",
        ),
    );
    const stillForwarding = [...new Set(canaries.filter((c) => c.eksWeight < 100).map((c) => c.ecsTargetGroupArn))].sort();
    checks.push(
        stillForwarding.length === 0
            ? { ok: true, title: "No rule forwards to an ECS target group", detail: "at eksWeight 100 the rules forward to the EKS target groups only" }
            : { ok: false, title: "No rule forwards to an ECS target group", detail: `rules still forward to ${stillForwarding.join(", ")}`, fix: "set those services to eksWeight 100 and pulumi up" },
    );
    // Route 53 and CloudFront cutovers: what their front doors still take from the ECS stacks.
    const doors = frontDoorsOf(plan, snapshot, m.cutover).filter((d) => d.strategy !== "alb-weighted");
    if (doors.length > 0) {
        const fixes = [...new Set(doors.filter((d) => d.ecsOwned.some((x) => !adopted.has(x))).map((d) => `${d.strategy}: ${d.fix}`))];
        checks.push({
            ...adoptedOrBlocked("Front doors stay", [...new Set(doors.flatMap((d) => d.ecsOwned))].sort(), adopted, `front doors (${doors.map((d) => `${d.service} ${d.strategy}`).join(", ")})`, fixes.join("; ")),
        });
    }
    checks.push({ ok: true, title: "Task roles", detail: `${plan.workloads.filter((w) => w.role).length} roles are clones owned by this stack; none references an ECS task role` });
    const groups = planSecurityGroups(snapshot, plan.workloads);
    checks.push(
        adoptedOrBlocked(
            "Security groups",
            groups.referenced,
            adopted,
            "security groups referenced by the rules of this stack's copies",
            "take them out of the ECS stack's state along with the load balancer they belong to and list them in migration:adopted, or change the copied rules to CIDRs",
        ),
    );
    checks.push({ ok: true, title: "Cloud Map namespaces", detail: "callers on EKS use Kubernetes Services; this stack references no Cloud Map namespace" });
    const secrets = [...new Set([...plan.namespaces.flatMap((n) => [...n.secretArns, ...n.ssmParameters])])].sort();
    checks.push(
        adoptedOrBlocked(
            "Secrets and parameters stay",
            secrets,
            adopted,
            "secrets and parameters the ExternalSecrets read",
            "if the ECS stacks created them, take them out of their state (pulumi state delete <urn>) so the destroy leaves them, then list them in migration:adopted",
        ),
    );
    const fileSystems = [...new Set(plan.workloads.flatMap((w) => w.fileSystemIds))].sort();
    checks.push(
        adoptedOrBlocked(
            "File systems stay, with their data",
            fileSystems,
            adopted,
            "EFS file systems mounted by the migrated services",
            "in the ECS stack, set protect (pulumi state protect <urn>) or take each file system, its mount targets and access points out of state (pulumi state delete <urn>) before destroying; then list the file system IDs in migration:adopted",
        ),
    );
    return checks;
}

export function renderChecks(checks: readonly Check[], heading: string): string {
    const blockers = checks.filter((c) => !c.ok).length;
    const lines = [heading, ""];
    for (const c of checks) {
        lines.push(`  [${c.ok ? "x" : " "}] ${c.title}: ${c.detail}`);
        if (!c.ok && c.fix) {
            lines.push(`      to clear: ${c.fix}`);
        }
    }
    lines.push(
        "",
        blockers === 0
            ? "Safe: nothing this stack needs is owned by the ECS stacks any more. Destroy them with pulumi destroy, one stack at a time."
            : `Not safe: ${blockers} blocker${blockers === 1 ? "" : "s"}. Destroy the ECS stacks only when every line is checked.`,
    );
    return `${lines.join("\n")}\n`;
}
