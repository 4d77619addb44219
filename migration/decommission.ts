/**
 * Is it safe to destroy the ECS stacks? Every check names what still ties
 * this stack to something the ECS stacks own, and how to cut the tie. Pure.
 */
import { StackConfig } from "../config";
import { planCutover } from "./cutover";
import { frontDoorsOf } from "./cutover/frontDoors";
import { planSecurityGroups } from "./cutover/securityGroups";
import { eksWeight } from "./cutover/weights";
import { EcsSnapshot } from "../core/snapshot";
import { ecsLogGroups } from "./translate/logging";
import { ebsDataSources } from "./ebsSources";
import { MigrationPlan } from "./translate/types";
import { BackupEvidence, backupChecks } from "./decommission/backupCheck";
import { dnsRecordKey } from "./decommission/dnsRecordKey";
import { StackVerdict, WayOutContext, judgeStack, withReferences } from "./decommission/evidence";
import { inUse } from "./decommission/inUse";
import { StateFormat, StateResource } from "./decommission/stateResources";

export { dnsRecordKey };

/** How a resource leaves an ECS stack without being deleted, per tool; never pulumi state delete, which leaves it managed by nobody. */
const MOVE_HINT = "pulumi state move into this stack, terraform state rm and pulumi import here, or DeletionPolicy: Retain in CloudFormation";

/** One ECS stack's state as read: an --ecs-state file or an --ecs-cfn-stack. */
export interface EcsState {
    /** The file, or the CloudFormation stack name. */
    readonly source: string;
    readonly format: StateFormat;
    readonly resources: readonly StateResource[];
    /** The Pulumi stack as the user named it (org/project/stack), for the way-out lines. */
    readonly stackName?: string;
    /** The file's parsed document (a state file, not a CloudFormation stack): --adopt-out copies inputs from a Pulumi export. */
    readonly document?: unknown;
}

/** The ECS stacks' state, when given: it replaces migration:adopted as the evidence of who owns what. */
export interface EcsStateEvidence {
    readonly states: readonly EcsState[];
    readonly context: WayOutContext;
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

/** The checks, and with ECS state given, the verdict on each ECS stack. */
export interface DecommissionResult {
    readonly checks: Check[];
    readonly ecsStacks: StackVerdict[];
}

export function decommissionChecks(config: StackConfig, stackFlag: string, snapshot: EcsSnapshot | undefined, plan: MigrationPlan | undefined, snapshotProblem?: string): Check[] {
    return decommission(config, stackFlag, snapshot, plan, snapshotProblem).checks;
}

function stackCheck(v: StackVerdict): Check {
    const title = `Destroying ${v.format === "cloudformation" ? "CloudFormation stack" : v.format === "terraform" ? "Terraform state" : "Pulumi stack"} ${v.stack} deletes nothing in use`;
    const kept = v.retained.map((r) => `\nused here, but left by the destroy (${r.retained}): ${r.address} (${r.physicalId})`).join("");
    if (v.blockers.length === 0) {
        return { ok: true, title, detail: `${v.deletes} resources deleted, none used here${kept}` };
    }
    // A moved resource the destination program does not declare is deleted by the next pulumi up there.
    const declare = v.format === "cloudformation" ? [] : ["then declare each one in this stack's program (same type, name and inputs) before its next pulumi up, which otherwise deletes what it does not declare"];
    if (v.format === "pulumi") {
        // The program declares the moved resources from the file the check writes (migration/adoptedResources.ts).
        declare.push("for the moved ones: run this check again with --adopt-out adopted.json before the moves, then pulumi config set migration:adoptedResources adopted.json");
    }
    return {
        ok: false,
        title,
        detail: `${v.blockers.length} of the ${v.deletes} resources it deletes are used here:${v.blockers.map((b) => `\n${b.address} (${b.physicalId}): ${b.why}`).join("")}${kept}`,
        fix: [...v.blockers.flatMap((b) => b.wayOut), ...declare].join("\n"),
    };
}

export function decommission(
    config: StackConfig,
    stackFlag: string,
    snapshot: EcsSnapshot | undefined,
    plan: MigrationPlan | undefined,
    snapshotProblem?: string,
    evidence?: EcsStateEvidence,
    /** Velero's Backups as read through a kubeconfig; without, the backup check is a manual one. */
    backups?: BackupEvidence,
): DecommissionResult {
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
    checks.push(...backupChecks(config, backups, plan?.namespaces.map((n) => n.name).sort()));
    if (!snapshot || !plan) {
        checks.push({ ok: false, title: "The rest of the checks", detail: "they need the snapshot", fix: "freeze the ECS state first (above)" });
        return { checks, ecsStacks: [] };
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
    if (evidence) {
        return withStateEvidence(checks, config, snapshot, plan, canaries, evidence);
    }
    const loadBalancers = [...new Set(canaries.map((c) => c.loadBalancerArn).filter((a) => a.length > 0))].sort();
    checks.push(
        adoptedOrBlocked(
            "Load balancers and listeners stay",
            loadBalancers,
            adopted,
            "load balancers carrying this stack's weighted rules",
            `run the check with the ECS stacks' state (--ecs-state, --ecs-cfn-stack) for the exact way out per resource; once the load balancers and their listeners are out of the ECS stacks (${MOVE_HINT}), list their ARNs in migration:adopted (or move traffic to a load balancer this stack owns)`,
        ),
    );
    const lbDnsNames = new Set(snapshot.loadBalancing.loadBalancers.filter((lb) => loadBalancers.includes(lb.LoadBalancerArn ?? "")).map((lb) => (lb.DNSName ?? "").toLowerCase()));
    checks.push(
        adoptedOrBlocked(
            "DNS records stay",
            (snapshot.loadBalancing.dnsRecords ?? []).filter((r) => lbDnsNames.has(r.target)).map(dnsRecordKey),
            adopted,
            "Route 53 records pointing at those load balancers",
            `if the ECS stacks manage these records, take them out (${MOVE_HINT}; --ecs-state names each), then list them in migration:adopted as <zone id>/<name>/<type>`,
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
            `if the ECS stacks created them, take them out (${MOVE_HINT}; --ecs-state names each), then list them in migration:adopted`,
        ),
    );
    const fileSystems = [...new Set(plan.workloads.flatMap((w) => w.fileSystemIds))].sort();
    checks.push(
        adoptedOrBlocked(
            "File systems stay, with their data",
            fileSystems,
            adopted,
            "EFS file systems mounted by the migrated services",
            `take each file system, its mount targets and access points out of the ECS stack before destroying it (${MOVE_HINT}; --ecs-state names each), then list the file system IDs in migration:adopted`,
        ),
    );
    checks.push(
        adoptedOrBlocked(
            "Log groups stay, with their history",
            ecsLogGroups(snapshot),
            adopted,
            "log groups the ECS task definitions write to, where the migrated containers' logs now land too",
            `if the ECS stacks created them, take them out (${MOVE_HINT}; --ecs-state names each) or set retainOnDelete on them there, so the destroy leaves them and their logs; then list their names in migration:adopted`,
        ),
    );
    const ebsSources = ebsDataSources(plan);
    checks.push(
        adoptedOrBlocked(
            "EBS restores do not depend on the ECS stacks",
            ebsSources.map((s) => s.id),
            adopted,
            `EBS snapshots or volumes the migrated volumes are restored from${ebsSources.length > 0 ? ` (${ebsSources.map((s) => `${s.id}: ${s.workloads.join(", ")}`).join("; ")})` : ""}`,
            "take the cutover snapshot yourself, outside the ECS stacks, and restore from it with migration:workloads.<service>.snapshots (docs/runbook.md, \"Stateful services\"); or take the snapshot out of the ECS stack (${MOVE_HINT}); then list the snapshot IDs in migration:adopted",
        ),
    );
    return { checks, ecsStacks: [] };
}

/**
 * With the ECS stacks' state in hand, who owns what is no longer taken on
 * trust: one check per ECS stack says what its destroy would delete that
 * this stack uses. migration:adopted still counts as in use (an adopted
 * resource still in an ECS state is a blocker).
 */
function withStateEvidence(
    checks: Check[],
    config: StackConfig,
    snapshot: EcsSnapshot,
    plan: MigrationPlan,
    canaries: ReturnType<typeof planCutover>["canaries"],
    evidence: EcsStateEvidence,
): DecommissionResult {
    const m = config.migration;
    const stillForwarding = [...new Set(canaries.filter((c) => c.eksWeight < 100).map((c) => c.ecsTargetGroupArn))].sort();
    checks.push(
        stillForwarding.length === 0
            ? { ok: true, title: "No rule forwards to an ECS target group", detail: "at eksWeight 100 the rules forward to the EKS target groups only" }
            : { ok: false, title: "No rule forwards to an ECS target group", detail: `rules still forward to ${stillForwarding.join(", ")}`, fix: "set those services to eksWeight 100 and pulumi up" },
    );
    const all = evidence.states.flatMap((s) => s.resources);
    const used = withReferences(inUse(snapshot, plan, canaries, m.adopted), all);
    const ecsStacks = evidence.states.flatMap((s) => judgeStack(s.source, s.format, s.resources, used, s.stackName ? { ...evidence.context, pulumiSource: s.stackName } : evidence.context));
    checks.push(...ecsStacks.map(stackCheck));
    const found = new Set(all.flatMap((r) => r.keys));
    const elsewhere = [...used.keys()].filter((k) => !found.has(k) && !k.startsWith("kmsKey:") && used.get(k) !== "listed in migration:adopted");
    checks.push({
        ok: true,
        title: "In use and in no given ECS stack",
        detail: elsewhere.length === 0 ? "none" : `${elsewhere.length}, owned elsewhere (this stack, or none of the stacks given): ${elsewhere.map((k) => k.slice(k.indexOf(":") + 1)).join(", ")}`,
    });
    return { checks, ecsStacks };
}

export function renderChecks(checks: readonly Check[], heading: string): string {
    const blockers = checks.filter((c) => !c.ok).length;
    const lines = [heading, ""];
    for (const c of checks) {
        // Multi-line details and fixes (one line per resource, per command) stay under their check.
        lines.push(`  [${c.ok ? "x" : " "}] ${c.title}: ${c.detail.split("\n").join("\n        ")}`);
        if (!c.ok && c.fix) {
            lines.push(`      to clear: ${c.fix.split("\n").join("\n        ")}`);
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
