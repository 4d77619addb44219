/**
 * Copies of the ECS services' security groups for the pods that replace
 * them: the ECS stack owns the originals and deletes them with itself. Pure.
 */
import type { EcsSnapshot } from "../ecs/snapshot";

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

export interface SecurityGroupClone {
    readonly sourceId: string;
    readonly name: string;
    readonly description: string;
    readonly rules: readonly RulePlan[];
}

export interface SecurityGroupPlan {
    readonly clones: readonly SecurityGroupClone[];
    /** Groups the clones' rules still reference (a load balancer's, say): owned by ECS until adopted. */
    readonly referenced: readonly string[];
}

/**
 * Clones each group the workloads use, with every rule; a rule that points
 * at another cloned group points at its clone. Groups the pods do not wear
 * (the load balancer's) stay referenced as they are: traffic still comes from them.
 */
export function planSecurityGroups(snapshot: EcsSnapshot, groupIds: readonly string[]): SecurityGroupPlan {
    const cloned = new Set(groupIds);
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
        };
    });
    return { clones, referenced: [...referenced].sort() };
}
