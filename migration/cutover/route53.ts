/**
 * route53-weighted: each Route 53 record that points at an ECS load balancer
 * becomes a pair of weighted records of the same name, `ecs` (the existing
 * record, adopted) and `eks` (the EKS ALB), with a health check on the EKS
 * side and the TTL lowered while both serve. Pure.
 */
import type { CutoverConfig } from "../../config/types";
import { forwardTargets } from "../../core/listenerActions";
import type { DnsRecordSnapshot, EcsSnapshot } from "../../core/snapshot";
import type { FrontDoorService } from "./strategy";
import { frontDoorConfig } from "./weights";

/** The TTL of weighted CNAMEs while both sides serve, unless migration:cutover says otherwise. */
export const DEFAULT_CUTOVER_TTL = 60;
/** Restored at 100 for records the snapshot has no TTL of (those read before TTLs were). */
export const DEFAULT_RESTORED_TTL = 300;
export const ECS_SET_IDENTIFIER = "ecs";
export const EKS_SET_IDENTIFIER = "eks";

export type RecordTarget<T> = { readonly alias: { readonly name: T; readonly zoneId: T; readonly evaluateTargetHealth: boolean } } | { readonly cname: T };

export interface WeightedRecord<T> {
    readonly setIdentifier: string;
    readonly weight: number;
    readonly target: RecordTarget<T>;
    /** CNAMEs only: alias records answer with the load balancer's own TTL (60 s). */
    readonly ttl?: number;
}

export interface WeightedRecordPlan {
    readonly zoneId: string;
    readonly name: string;
    readonly type: string;
    readonly services: readonly string[];
    readonly ingressGroup: string;
    readonly eksWeight: number;
    /** The ECS side; none at 100, so nothing of this stack points at the ECS load balancer any more. */
    readonly ecs?: WeightedRecord<string> & {
        /** `pulumi import` / the import resource option: zone_name_type_setIdentifier. */
        readonly importId: string;
    };
    /** The EKS side, pointing at the IngressGroup's ALB (its name and zone exist once the controller made it). */
    readonly eks: Omit<WeightedRecord<string>, "target"> & { readonly targetKind: "alias" | "cname" };
    /** The EKS side's health check: the ECS target group's path on the listener's port. */
    readonly healthCheck: { readonly type: "HTTP" | "HTTPS"; readonly port: number; readonly resourcePath: string; readonly failureThreshold: number; readonly requestInterval: 10 | 30 };
    /**
     * The one-time change that turns a plain (unweighted) record into the
     * `ecs` weighted record in a single atomic batch, before the first
     * pulumi up adopts it; none when the record was weighted already.
     */
    readonly conversion?: { readonly changeBatch: unknown; readonly command: string };
    /** What the ECS stacks may own: the record as the snapshot found it (zone/name/type[/set]), for decommission-check. */
    readonly ecsOwnedKey: string;
}

const dotless = (name: string) => name.replace(/\.$/, "");

function recordKey(r: DnsRecordSnapshot): string {
    return `${r.zoneId}/${dotless(r.name)}/${r.type}${r.setIdentifier ? `/${r.setIdentifier}` : ""}`;
}

/** The ECS record's answer as Route 53 spells it, for the conversion batch. */
function recordSet(name: string, type: string, setIdentifier: string, weight: number, target: RecordTarget<string>, ttl: number | undefined): Record<string, unknown> {
    return {
        Name: name,
        Type: type,
        SetIdentifier: setIdentifier,
        Weight: weight,
        ...("alias" in target ? { AliasTarget: { DNSName: target.alias.name, HostedZoneId: target.alias.zoneId, EvaluateTargetHealth: target.alias.evaluateTargetHealth } } : { TTL: ttl, ResourceRecords: [{ Value: target.cname }] }),
    };
}

export function planWeightedRecords(snapshot: EcsSnapshot, services: readonly FrontDoorService[], cutover: CutoverConfig): WeightedRecordPlan[] {
    const byLb = new Map<string, FrontDoorService[]>();
    for (const s of services.filter((x) => x.strategy === "route53-weighted")) {
        byLb.set(s.loadBalancerDnsName, [...(byLb.get(s.loadBalancerDnsName) ?? []), s]);
    }
    const plans: WeightedRecordPlan[] = [];
    for (const [dns, behind] of [...byLb.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const first = behind[0];
        // Every service behind one load balancer moves alike (strategy.ts refuses anything else).
        const weight = first.eksWeight;
        const door = frontDoorConfig(cutover, first.ecsService);
        const listener = snapshot.loadBalancing.listeners.filter((l) => l.LoadBalancerArn === first.loadBalancerArn).sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0))[0];
        // The health check asks what a request to the bare name reaches: the listener's default action's target group.
        const catchAll = forwardTargets(listener?.DefaultActions)[0];
        const tg =
            snapshot.loadBalancing.targetGroups.find((t) => t.TargetGroupArn === catchAll) ??
            snapshot.loadBalancing.targetGroups.find((t) => (t.LoadBalancerArns ?? []).includes(first.loadBalancerArn));
        const records = (snapshot.loadBalancing.dnsRecords ?? []).filter((r) => r.target === dns && r.setIdentifier !== EKS_SET_IDENTIFIER);
        for (const r of records) {
            const isAlias = r.alias !== undefined;
            const restored = r.ttl ?? DEFAULT_RESTORED_TTL;
            const ttl = isAlias ? undefined : weight >= 100 ? restored : Math.min(door.ttl ?? DEFAULT_CUTOVER_TTL, restored);
            const setIdentifier = r.setIdentifier ?? ECS_SET_IDENTIFIER;
            const ecsTarget: RecordTarget<string> = r.alias ? { alias: { name: r.alias.dnsName, zoneId: r.alias.hostedZoneId, evaluateTargetHealth: r.alias.evaluateTargetHealth } } : { cname: r.target };
            const ecs = weight >= 100 ? undefined : { setIdentifier, weight: 100 - weight, target: ecsTarget, ...(ttl !== undefined ? { ttl } : {}), importId: `${r.zoneId}_${dotless(r.name)}_${r.type}_${setIdentifier}` };
            const conversion =
                r.setIdentifier === undefined && ecs
                    ? (() => {
                          const changeBatch = {
                              Comment: `ecs2eks: ${dotless(r.name)} becomes the weighted record ${ECS_SET_IDENTIFIER} before the cutover`,
                              Changes: [
                                  { Action: "DELETE", ResourceRecordSet: { Name: r.name, Type: r.type, ...(r.alias ? { AliasTarget: { DNSName: r.alias.dnsName, HostedZoneId: r.alias.hostedZoneId, EvaluateTargetHealth: r.alias.evaluateTargetHealth } } : { TTL: r.ttl, ResourceRecords: [{ Value: r.target }] }) } },
                                  { Action: "CREATE", ResourceRecordSet: recordSet(r.name, r.type, setIdentifier, ecs.weight, ecsTarget, ttl) },
                              ],
                          };
                          return { changeBatch, command: `aws route53 change-resource-record-sets --hosted-zone-id ${r.zoneId} --change-batch '${JSON.stringify(changeBatch)}'` };
                      })()
                    : undefined;
            const protocol = listener?.Protocol === "HTTPS" ? "HTTPS" : "HTTP";
            plans.push({
                zoneId: r.zoneId,
                name: dotless(r.name),
                type: r.type,
                services: behind.map((s) => s.ecsService).sort(),
                ingressGroup: first.ingressGroup,
                eksWeight: weight,
                ...(ecs ? { ecs } : {}),
                eks: { setIdentifier: EKS_SET_IDENTIFIER, weight: weight >= 100 ? 100 : weight, targetKind: isAlias ? "alias" : "cname", ...(ttl !== undefined ? { ttl } : {}) },
                healthCheck: {
                    type: protocol,
                    port: listener?.Port ?? (protocol === "HTTPS" ? 443 : 80),
                    resourcePath: tg?.HealthCheckPath ?? "/",
                    failureThreshold: Math.min(10, Math.max(1, tg?.UnhealthyThresholdCount ?? 3)),
                    requestInterval: (tg?.HealthCheckIntervalSeconds ?? 30) <= 10 ? 10 : 30,
                },
                ...(conversion ? { conversion } : {}),
                ecsOwnedKey: recordKey(r),
            });
        }
    }
    return plans;
}
