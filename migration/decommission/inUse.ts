/**
 * What this stack and its workloads still use of the ECS estate, by
 * kind-qualified identifier (stateResources.key), each with why: the
 * load balancers and listeners carrying this stack's weighted rules, the
 * target groups they still forward to, the security groups the copies'
 * rules reference, the secrets and parameters the ExternalSecrets read,
 * their KMS keys, the file systems and access points mounted, the log
 * groups the log pipeline keeps writing to, the DNS names of those load
 * balancers, the EBS snapshots migrated volumes are restored from, and
 * whatever migration:adopted lists. Pure.
 */
import { dnsRecordKey } from "./dnsRecordKey";
import { CanaryPlan } from "../cutover/canary";
import { planSecurityGroups } from "../cutover/securityGroups";
import { EcsSnapshot } from "../../core/snapshot";
import { MigrationPlan } from "../translate/types";
import { ebsDataSources } from "../ebsSources";
import { ResourceKind, key } from "./stateResources";

/** Identifier (kind-qualified) → why this stack needs it. */
export type InUse = ReadonlyMap<string, string>;

const AWS_MANAGED_KEY = /^(alias\/aws\/|arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\/)/;

export function inUse(snapshot: EcsSnapshot, plan: MigrationPlan, canaries: readonly CanaryPlan[], adopted: readonly string[]): InUse {
    const used = new Map<string, string>();
    const add = (kind: ResourceKind, id: string | undefined, why: string) => {
        if (id && !used.has(key(kind, id))) {
            used.set(key(kind, id), why);
        }
    };
    const servicesOn = (pick: (c: CanaryPlan) => string) => (id: string) =>
        [...new Set(canaries.filter((c) => pick(c) === id).map((c) => c.ecsService))].sort().join(", ");

    const lbServices = servicesOn((c) => c.loadBalancerArn);
    const loadBalancers = new Set(canaries.map((c) => c.loadBalancerArn).filter((a) => a.length > 0));
    for (const lb of [...loadBalancers].sort()) {
        add("loadBalancer", lb, `carries this stack's weighted rules for ${lbServices(lb)}`);
    }
    const listenerServices = servicesOn((c) => c.listenerArn);
    for (const c of canaries) {
        add("listener", c.listenerArn, `holds this stack's weighted rules for ${listenerServices(c.listenerArn)}`);
    }
    for (const l of snapshot.loadBalancing.listeners.filter((x) => loadBalancers.has(x.LoadBalancerArn ?? ""))) {
        add("listener", l.ListenerArn, "a listener of a load balancer this stack keeps using");
    }
    const forwarding = canaries.filter((c) => c.eksWeight < 100);
    for (const c of forwarding) {
        add("targetGroup", c.ecsTargetGroupArn, `${c.ecsService} still sends ${c.ecsWeight}% of its traffic to it`);
    }
    const stillForwarded = new Set(forwarding.map((c) => c.ecsTargetGroupArn));
    for (const r of snapshot.loadBalancing.rules) {
        const targets = (r.rule.Actions ?? []).flatMap((a) => [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)]);
        if (targets.some((t) => t && stillForwarded.has(t))) {
            add("listenerRule", r.rule.RuleArn, "still forwards to an ECS target group that takes traffic");
        }
    }
    for (const lb of snapshot.loadBalancing.loadBalancers.filter((x) => loadBalancers.has(x.LoadBalancerArn ?? ""))) {
        for (const sg of lb.SecurityGroups ?? []) {
            add("securityGroup", sg, `guards load balancer ${lb.LoadBalancerName}`);
        }
        // The load balancer lives in them, and this stack's target groups sit in its VPC.
        add("vpc", lb.VpcId, `holds load balancer ${lb.LoadBalancerName} and this stack's target groups for it`);
        for (const az of lb.AvailabilityZones ?? []) {
            add("subnet", az.SubnetId, `a subnet of load balancer ${lb.LoadBalancerName}`);
        }
    }
    for (const sg of planSecurityGroups(snapshot, plan.workloads).referenced) {
        add("securityGroup", sg, "referenced by the rules of this stack's security group copies");
    }
    const dnsNames = new Set(snapshot.loadBalancing.loadBalancers.filter((lb) => loadBalancers.has(lb.LoadBalancerArn ?? "")).map((lb) => (lb.DNSName ?? "").toLowerCase()));
    for (const r of snapshot.loadBalancing.dnsRecords ?? []) {
        if (dnsNames.has(r.target)) {
            add("dnsRecord", dnsRecordKey(r), `points at load balancer ${r.target}`);
        }
    }

    for (const n of plan.namespaces) {
        for (const arn of n.secretArns) {
            add("secret", arn, `read by the ExternalSecrets of namespace ${n.name}`);
        }
        for (const p of n.ssmParameters) {
            add("parameter", p, `read by the ExternalSecrets of namespace ${n.name}`);
        }
    }
    for (const s of snapshot.secrets) {
        if (s.kmsKeyId && !AWS_MANAGED_KEY.test(s.kmsKeyId)) {
            add("kmsKey", s.kmsKeyId, `encrypts ${s.name}, which this stack reads`);
        }
    }

    const migrated = new Set(plan.workloads.map((w) => w.source.taskDefinitionArn));
    const taskDefinitions = snapshot.taskDefinitions.filter((t) => migrated.has(t.taskDefinitionArn ?? ""));
    for (const w of plan.workloads) {
        for (const fs of w.fileSystemIds) {
            add("fileSystem", fs, `mounted by ${w.name}`);
        }
    }
    for (const t of taskDefinitions) {
        const family = t.family ?? "";
        for (const v of t.volumes ?? []) {
            add("accessPoint", v.efsVolumeConfiguration?.authorizationConfig?.accessPointId, `the access point ${family} mounts`);
        }
        for (const c of t.containerDefinitions ?? []) {
            const options = c.logConfiguration?.options ?? {};
            // awslogs names the group; FireLens' cloudwatch_logs output names it log_group_name. The cluster's pipeline keeps both names.
            add("logGroup", options["awslogs-group"] ?? options.log_group_name, `where ${family}/${c.name} logs, and the cluster's log pipeline keeps writing`);
        }
    }
    for (const f of snapshot.fileSystems.fileSystems) {
        if (f.KmsKeyId && f.FileSystemId && used.has(key("fileSystem", f.FileSystemId)) && !AWS_MANAGED_KEY.test(f.KmsKeyId)) {
            add("kmsKey", f.KmsKeyId, `encrypts file system ${f.FileSystemId}, which this stack mounts`);
        }
    }

    // Every new claim or per-pod volume is restored from these: an ECS destroy that deletes one breaks the next pod.
    for (const source of ebsDataSources(plan)) {
        add("ebsSnapshot", source.id, `the migrated volumes of ${source.workloads.join(", ")} are restored from it`);
    }

    // Adopted: whatever it names, of whichever kind, is this stack's now.
    const kinds: ResourceKind[] = ["vpc", "subnet", "loadBalancer", "listener", "listenerRule", "targetGroup", "securityGroup", "secret", "parameter", "kmsKey", "fileSystem", "accessPoint", "logGroup", "dnsRecord", "ebsSnapshot", "cloudMapNamespace", "cloudMapService"];
    for (const a of adopted) {
        for (const k of kinds) {
            add(k, a, "listed in migration:adopted");
        }
    }
    return used;
}
