/**
 * Canary routing for load-balanced services: a new ip target group per
 * service, bound to its Kubernetes Service, and a listener rule of this
 * stack that splits traffic between the ECS and EKS target groups by weight.
 * The ECS stack's own rules are left as they are; ours takes precedence.
 * Pure: the component declares what this decides.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { forwardTargets } from "../../core/listenerActions";
import { shortHash } from "../translate/names";
import { Diagnostic, MigrationPlan } from "../translate/types";
import { CutoverConfig } from "../../config/types";
import { ForwardPlan, eksWeight, forwardPlan, frontDoorConfig } from "./weights";

/** ALB rule priorities run 1 (first) to 50000 (last before the default action). */
export const MAX_PRIORITY = 50000;

export interface CanaryPlan {
    readonly workload: string;
    readonly namespace: string;
    readonly ecsService: string;
    readonly ecsTargetGroupArn: string;
    readonly listenerArn: string;
    readonly loadBalancerArn: string;
    readonly priority: number;
    /** The ECS rule's conditions (or match-all for the default action). */
    readonly conditions: readonly unknown[];
    /** Shares of the traffic in percent, and the rule's forward that splits it so. */
    readonly ecsWeight: number;
    readonly eksWeight: number;
    readonly forward: ForwardPlan;
    /** The new target group: same port, protocol and health check, in the load balancer's VPC. */
    readonly targetGroup: {
        readonly name: string;
        readonly port: number;
        readonly protocol: string;
        readonly protocolVersion?: string;
        readonly vpcId: string;
        readonly healthCheck: Record<string, unknown>;
    };
    readonly serviceName: string;
    readonly servicePort: number;
}

/** A problem of the cutover, with the workload it is about. */
export interface CutoverDiagnostic {
    readonly namespace: string;
    readonly workload: string;
    readonly diagnostic: Diagnostic;
}

export interface CanaryResult {
    readonly canaries: readonly CanaryPlan[];
    readonly diagnostics: readonly CutoverDiagnostic[];
}

/** The free priority just before `before` and after every other rule before it. */
export function priorityBefore(taken: ReadonlySet<number>, before: number): number | undefined {
    const below = [...taken].filter((p) => p < before);
    const floor = below.length > 0 ? Math.max(...below) : 0;
    for (let p = before - 1; p > floor; p--) {
        if (!taken.has(p)) {
            return p;
        }
    }
    return undefined;
}

export function planCanaries(plan: MigrationPlan, snapshot: EcsSnapshot, cutover: CutoverConfig): CanaryResult {
    const canaries: CanaryPlan[] = [];
    const diagnostics: CutoverDiagnostic[] = [];
    const taken = new Map<string, Set<number>>();
    for (const r of snapshot.loadBalancing.rules) {
        const set = taken.get(r.listenerArn) ?? new Set<number>();
        if (r.rule.Priority && r.rule.Priority !== "default") {
            set.add(Number(r.rule.Priority));
        }
        taken.set(r.listenerArn, set);
    }
    for (const w of plan.workloads) {
        // Route 53 and CloudFront move these; the EKS side has its own load balancer, not a rule on the ECS one.
        if (frontDoorConfig(cutover, w.source.name).strategy !== "alb-weighted") {
            continue;
        }
        for (const lb of w.loadBalancers) {
            const tg = snapshot.loadBalancing.targetGroups.find((t) => t.TargetGroupArn === lb.ecsTargetGroupArn);
            const rules = snapshot.loadBalancing.rules.filter((r) => forwardTargets(r.rule.Actions).includes(lb.ecsTargetGroupArn));
            const warn = (code: string, message: string, suggestion: string) =>
                diagnostics.push({ namespace: w.namespace, workload: w.name, diagnostic: { code, severity: "warning", service: w.source.name, field: "loadBalancers", message, suggestion } });
            if (!tg) {
                warn("CANARY_NO_TARGET_GROUP", `target group ${lb.ecsTargetGroupArn} is not in the snapshot`, "take a new snapshot; no canary routing was made");
                continue;
            }
            if (rules.length === 0) {
                warn("CANARY_NO_RULE", `no listener rule forwards to ${tg.TargetGroupName}`, "route to the EKS target group by hand; the target group and binding were still made");
            }
            for (const r of rules) {
                const listener = snapshot.loadBalancing.listeners.find((l) => l.ListenerArn === r.listenerArn);
                const isDefault = r.rule.IsDefault === true || r.rule.Priority === "default";
                const used = taken.get(r.listenerArn) ?? new Set<number>();
                const priority = priorityBefore(used, isDefault ? MAX_PRIORITY + 1 : Number(r.rule.Priority));
                if (priority === undefined) {
                    warn("CANARY_NO_PRIORITY", `no free rule priority on ${r.listenerArn} just before ${r.rule.Priority}`, "renumber the ECS stack's rules to leave a gap before this one");
                    continue;
                }
                used.add(priority);
                taken.set(r.listenerArn, used);
                const weight = eksWeight(cutover, w.source.name);
                const name = `eks-${w.name}`.slice(0, 25) + `-${shortHash(lb.ecsTargetGroupArn, 6)}`;
                canaries.push({
                    workload: w.name,
                    namespace: w.namespace,
                    ecsService: w.source.name,
                    ecsTargetGroupArn: lb.ecsTargetGroupArn,
                    listenerArn: r.listenerArn,
                    loadBalancerArn: listener?.LoadBalancerArn ?? "",
                    priority,
                    conditions: isDefault ? [{ pathPattern: { values: ["/*"] } }] : (r.rule.Conditions ?? []).map(toPulumiCondition),
                    ecsWeight: 100 - weight,
                    eksWeight: weight,
                    forward: forwardPlan(weight, lb.ecsTargetGroupArn, name),
                    targetGroup: {
                        name,
                        port: tg.Port ?? lb.containerPort,
                        protocol: tg.Protocol ?? "HTTP",
                        ...(tg.ProtocolVersion ? { protocolVersion: tg.ProtocolVersion } : {}),
                        vpcId: tg.VpcId ?? "",
                        healthCheck: {
                            enabled: tg.HealthCheckEnabled ?? true,
                            path: tg.HealthCheckPath,
                            port: tg.HealthCheckPort ?? "traffic-port",
                            protocol: tg.HealthCheckProtocol ?? tg.Protocol,
                            interval: tg.HealthCheckIntervalSeconds,
                            timeout: tg.HealthCheckTimeoutSeconds,
                            healthyThreshold: tg.HealthyThresholdCount,
                            unhealthyThreshold: tg.UnhealthyThresholdCount,
                            // gRPC target groups match gRPC codes; without them a new target group would expect 12.
                            ...((tg.Matcher?.HttpCode ?? tg.Matcher?.GrpcCode) ? { matcher: tg.Matcher?.HttpCode ?? tg.Matcher?.GrpcCode } : {}),
                        },
                    },
                    serviceName: lb.serviceName,
                    servicePort: lb.servicePort,
                });
            }
        }
    }
    return { canaries, diagnostics };
}

/** An ELBv2 rule condition as the Pulumi AWS provider spells it. */
function toPulumiCondition(c: { Field?: string; Values?: string[]; PathPatternConfig?: { Values?: string[] }; HostHeaderConfig?: { Values?: string[] }; HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] }; HttpRequestMethodConfig?: { Values?: string[] }; QueryStringConfig?: { Values?: { Key?: string; Value?: string }[] }; SourceIpConfig?: { Values?: string[] } }): unknown {
    switch (c.Field) {
        case "path-pattern":
            return { pathPattern: { values: c.PathPatternConfig?.Values ?? c.Values ?? [] } };
        case "host-header":
            return { hostHeader: { values: c.HostHeaderConfig?.Values ?? c.Values ?? [] } };
        case "http-header":
            return { httpHeader: { httpHeaderName: c.HttpHeaderConfig?.HttpHeaderName, values: c.HttpHeaderConfig?.Values ?? [] } };
        case "http-request-method":
            return { httpRequestMethod: { values: c.HttpRequestMethodConfig?.Values ?? [] } };
        case "query-string":
            return { queryStrings: (c.QueryStringConfig?.Values ?? []).map((v) => ({ key: v.Key, value: v.Value })) };
        case "source-ip":
            return { sourceIp: { values: c.SourceIpConfig?.Values ?? [] } };
        default:
            return { pathPattern: { values: c.Values ?? ["/*"] } };
    }
}
