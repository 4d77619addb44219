/**
 * Copies of the ECS services' security groups for the pods that replace
 * them: the ECS stack owns the originals and deletes them with itself. Pure.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { ListeningPort, admits, groupsWorn, listeningPorts, podSpecOf, probePorts } from "../translate/podTraffic";
import type { WorkloadPlan } from "../translate/types";

export interface RulePlan {
    readonly direction: "ingress" | "egress";
    readonly protocol: string;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly cidrIpv4?: string;
    readonly cidrIpv6?: string;
    readonly prefixListId?: string;
    /** Another group: one of ours (a clone) or one the rule keeps pointing at. */
    readonly group?: { readonly cloneOf: string } | { readonly id: string };
    readonly description?: string;
}

/** One port the node security group may reach on the pods that wear a copy, and why. */
export interface NodeRulePlan {
    readonly protocol: "tcp" | "udp" | "sctp";
    readonly port: number;
    readonly description: string;
}

export interface SecurityGroupClone {
    readonly sourceId: string;
    readonly name: string;
    readonly description: string;
    readonly rules: readonly RulePlan[];
    /** Ingress from the node (cluster) security group: ports the wearers listen on that the kubelet or pods without a copy must reach. */
    readonly fromNodes: readonly NodeRulePlan[];
}

export interface SecurityGroupPlan {
    readonly clones: readonly SecurityGroupClone[];
    /** Groups the clones' rules still reference (a load balancer's, say): owned by ECS until adopted. */
    readonly referenced: readonly string[];
}

/**
 * What the node security group must reach on the pods wearing a copy of
 * `groupId`, and nothing more. Every pod without a SecurityGroupPolicy and
 * every node agent sends from the node group, so each port is one the
 * wearers listen on and one of: a kubelet probe's port (the VPC CNI's
 * strict mode enforces the pod's groups on the node's own probes), or a
 * port the ECS group admitted from a group whose tasks now run without a
 * copy of it (scheduled tasks: their CronJobs' pods get no
 * SecurityGroupPolicy). The load balancer needs none: it sends from its
 * own group, which the copy keeps referencing.
 */
function nodeRules(snapshot: EcsSnapshot, groupId: string, workloads: readonly WorkloadPlan[]): NodeRulePlan[] {
    const own = workloads.filter((w) => w.securityGroupIds.includes(groupId));
    const listening = own.flatMap(listeningPorts);
    const reasons = new Map<string, { port: ListeningPort; why: Set<string> }>();
    const add = (port: ListeningPort, why: string) => {
        const key = `${port.protocol}/${port.port}`;
        const entry = reasons.get(key) ?? { port, why: new Set<string>() };
        entry.why.add(why);
        reasons.set(key, entry);
    };
    for (const port of own.flatMap(probePorts)) {
        add(port, "kubelet probes");
    }
    const withoutCopy = (other: string) => workloads.filter((w) => podSpecOf(w) !== undefined && !w.securityGroupIds.includes(other) && groupsWorn(w, snapshot).includes(other)).map((w) => w.name);
    const sg = snapshot.securityGroups.find((g) => g.GroupId === groupId);
    for (const p of sg?.IpPermissions ?? []) {
        const callers = [...new Set((p.UserIdGroupPairs ?? []).flatMap((pair) => withoutCopy(pair.GroupId ?? "")))].sort();
        if (callers.length > 0) {
            for (const port of listening.filter((l) => admits(p, l))) {
                add(port, `pods of ${callers.join(" ")}`);
            }
        }
    }
    return [...reasons.values()]
        .sort((a, b) => a.port.protocol.localeCompare(b.port.protocol) || a.port.port - b.port.port)
        .map(({ port, why }) => ({
            protocol: port.protocol.toLowerCase() as NodeRulePlan["protocol"],
            port: port.port,
            // EC2 allows letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* in rule descriptions.
            description: `From EKS nodes: ${[...why].join(", ")}`.slice(0, 255),
        }));
}

/**
 * Clones each group the workloads' pods wear, with every rule; a rule that
 * points at another cloned group points at its clone. Groups the pods do
 * not wear (the load balancer's) stay referenced as they are: traffic still
 * comes from them. The node group gets only the ports `nodeRules` finds.
 */
export function planSecurityGroups(snapshot: EcsSnapshot, workloads: readonly WorkloadPlan[]): SecurityGroupPlan {
    const cloned = new Set(workloads.flatMap((w) => w.securityGroupIds));
    const referenced = new Set<string>();
    const clones = [...cloned].sort().map((id): SecurityGroupClone => {
        const sg = snapshot.securityGroups.find((g) => g.GroupId === id);
        const rules: RulePlan[] = [];
        const add = (direction: RulePlan["direction"], perms: typeof sg extends undefined ? never : NonNullable<NonNullable<typeof sg>["IpPermissions"]>) => {
            for (const p of perms) {
                const base = {
                    direction,
                    protocol: p.IpProtocol ?? "-1",
                    ...(p.IpProtocol !== "-1" && p.FromPort !== undefined ? { fromPort: p.FromPort } : {}),
                    ...(p.IpProtocol !== "-1" && p.ToPort !== undefined ? { toPort: p.ToPort } : {}),
                };
                for (const r of p.IpRanges ?? []) {
                    rules.push({ ...base, cidrIpv4: r.CidrIp, ...(r.Description ? { description: r.Description } : {}) });
                }
                for (const r of p.Ipv6Ranges ?? []) {
                    rules.push({ ...base, cidrIpv6: r.CidrIpv6, ...(r.Description ? { description: r.Description } : {}) });
                }
                for (const r of p.PrefixListIds ?? []) {
                    rules.push({ ...base, prefixListId: r.PrefixListId, ...(r.Description ? { description: r.Description } : {}) });
                }
                for (const g of p.UserIdGroupPairs ?? []) {
                    const other = g.GroupId ?? "";
                    if (!cloned.has(other)) {
                        referenced.add(other);
                    }
                    rules.push({ ...base, group: cloned.has(other) ? { cloneOf: other } : { id: other }, ...(g.Description ? { description: g.Description } : {}) });
                }
            }
        };
        add("ingress", sg?.IpPermissions ?? []);
        add("egress", sg?.IpPermissionsEgress ?? []);
        return {
            sourceId: id,
            name: `eks-${sg?.GroupName ?? id}`,
            description: `EKS copy of ${id}${sg?.GroupName ? ` (${sg.GroupName})` : ""}: ${sg?.Description ?? ""}`.slice(0, 255),
            rules,
            fromNodes: nodeRules(snapshot, id, workloads),
        };
    });
    return { clones, referenced: [...referenced].sort() };
}
