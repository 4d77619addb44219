/**
 * Which front door moves each load-balanced service (migration:cutover
 * strategy), and the EKS side's own load balancer where the strategy needs
 * one: an Ingress per service rule, all the services of one ECS load
 * balancer in one IngressGroup, so the EKS ALB routes as the ECS one does.
 * Pure: the component declares what this decides.
 */
import type { CutoverConfig, CutoverStrategy } from "../../config/types";
import { forwardTargets } from "../../core/listenerActions";
import type { EcsSnapshot } from "../../core/snapshot";
import { apiVersionOf } from "../translate/kinds";
import type { K8sObject, MigrationPlan } from "../translate/types";
import { eksWeight, frontDoorConfig } from "./weights";

/** A service moved by a front door other than the shared listener. */
export interface FrontDoorService {
    readonly workload: string;
    readonly namespace: string;
    readonly ecsService: string;
    readonly strategy: Exclude<CutoverStrategy, "alb-weighted">;
    readonly eksWeight: number;
    readonly loadBalancerArn: string;
    /** The ECS load balancer's DNS name, lower case: what records and origins point at. */
    readonly loadBalancerDnsName: string;
    /** The IngressGroup whose ALB is the EKS side of this load balancer. */
    readonly ingressGroup: string;
}

export interface IngressPlan {
    readonly workload: string;
    readonly namespace: string;
    readonly ecsService: string;
    readonly group: string;
    readonly object: K8sObject;
}

export interface StrategyResult {
    readonly services: readonly FrontDoorService[];
    readonly ingresses: readonly IngressPlan[];
    /** Config the snapshot cannot carry out; each names the service, the value and the fix. */
    readonly errors: readonly string[];
}

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, "").replace(/^dualstack\./, "");

/** An IngressGroup name (lower-case alphanumerics and "-", at most 63): one EKS ALB per ECS load balancer. */
export function ingressGroupName(loadBalancerName: string): string {
    return `ecs2eks-${loadBalancerName.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 63).replace(/-+$/, "");
}

type Condition = { Field?: string; Values?: string[]; PathPatternConfig?: { Values?: string[] }; HostHeaderConfig?: { Values?: string[] } };

/**
 * The Ingress of one service on the EKS ALB: the ECS listener's scheme,
 * ports and certificates, the target group's health check, and the rule's
 * host and path conditions (the controller's annotations:
 * aws-load-balancer-controller v2.13.4, docs/guide/ingress/annotations.md).
 */
function ingressFor(snapshot: EcsSnapshot, s: FrontDoorService, name: string, targetGroupArn: string, serviceName: string, servicePort: number, unsupported: (what: string) => void): K8sObject {
    const lb = snapshot.loadBalancing.loadBalancers.find((l) => l.LoadBalancerArn === s.loadBalancerArn);
    const tg = snapshot.loadBalancing.targetGroups.find((t) => t.TargetGroupArn === targetGroupArn);
    const rules = snapshot.loadBalancing.rules.filter((r) => forwardTargets(r.rule.Actions).includes(targetGroupArn));
    const listeners = snapshot.loadBalancing.listeners.filter((l) => rules.some((r) => r.listenerArn === l.ListenerArn));
    const ports = [...new Map(listeners.map((l) => [`${l.Protocol}:${l.Port}`, { [l.Protocol ?? "HTTP"]: l.Port ?? 80 }])).values()];
    const certificates = [...new Set(listeners.flatMap((l) => (l.Certificates ?? []).map((c) => c.CertificateArn ?? "")).filter((a) => a.length > 0))].sort();
    const sslPolicy = listeners.find((l) => l.SslPolicy && l.Protocol === "HTTPS")?.SslPolicy;
    const hc = tg ?? {};
    const annotations: Record<string, string> = {
        "alb.ingress.kubernetes.io/group.name": s.ingressGroup,
        "alb.ingress.kubernetes.io/scheme": lb?.Scheme ?? "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify(ports.length > 0 ? ports : [{ HTTP: 80 }]),
        ...(certificates.length > 0 ? { "alb.ingress.kubernetes.io/certificate-arn": certificates.join(",") } : {}),
        ...(sslPolicy ? { "alb.ingress.kubernetes.io/ssl-policy": sslPolicy } : {}),
        ...(tg?.Protocol ? { "alb.ingress.kubernetes.io/backend-protocol": tg.Protocol } : {}),
        ...(hc.HealthCheckPath ? { "alb.ingress.kubernetes.io/healthcheck-path": hc.HealthCheckPath } : {}),
        ...(hc.HealthCheckProtocol ? { "alb.ingress.kubernetes.io/healthcheck-protocol": hc.HealthCheckProtocol } : {}),
        ...(hc.HealthCheckPort ? { "alb.ingress.kubernetes.io/healthcheck-port": hc.HealthCheckPort } : {}),
        ...(hc.HealthCheckIntervalSeconds ? { "alb.ingress.kubernetes.io/healthcheck-interval-seconds": String(hc.HealthCheckIntervalSeconds) } : {}),
        ...(hc.HealthCheckTimeoutSeconds ? { "alb.ingress.kubernetes.io/healthcheck-timeout-seconds": String(hc.HealthCheckTimeoutSeconds) } : {}),
        ...(hc.HealthyThresholdCount ? { "alb.ingress.kubernetes.io/healthy-threshold-count": String(hc.HealthyThresholdCount) } : {}),
        ...(hc.UnhealthyThresholdCount ? { "alb.ingress.kubernetes.io/unhealthy-threshold-count": String(hc.UnhealthyThresholdCount) } : {}),
        ...(hc.Matcher?.HttpCode ? { "alb.ingress.kubernetes.io/success-codes": hc.Matcher.HttpCode } : {}),
    };
    const backend = { service: { name: serviceName, port: { number: servicePort } } };
    const isDefault = (r: (typeof rules)[number]) => r.rule.IsDefault === true || r.rule.Priority === "default";
    const httpRules = rules.flatMap((r) => {
        const conditions = (r.rule.Conditions ?? []) as Condition[];
        for (const c of conditions.filter((x) => x.Field !== "host-header" && x.Field !== "path-pattern")) {
            unsupported(`${c.Field ?? "?"} condition of rule ${r.rule.RuleArn ?? ""}`);
        }
        const hosts = conditions.filter((c) => c.Field === "host-header").flatMap((c) => c.HostHeaderConfig?.Values ?? c.Values ?? []);
        const patterns = conditions.filter((c) => c.Field === "path-pattern").flatMap((c) => c.PathPatternConfig?.Values ?? c.Values ?? []);
        // ALB path patterns keep their wildcards with ImplementationSpecific; the default action matches every path.
        const paths = isDefault(r) || patterns.length === 0 ? [{ path: "/", pathType: "Prefix", backend }] : patterns.map((p) => ({ path: p, pathType: "ImplementationSpecific", backend }));
        return (hosts.length > 0 ? hosts : [undefined]).map((host) => ({ ...(host ? { host } : {}), http: { paths } }));
    });
    // The catch-all last in the group, the ECS rules in their priority order before it.
    const priorities = rules.filter((r) => !isDefault(r)).map((r) => Number(r.rule.Priority));
    const order = priorities.length > 0 ? Math.min(999, ...priorities) : 1000;
    return {
        apiVersion: apiVersionOf("Ingress"),
        kind: "Ingress",
        metadata: { name, namespace: s.namespace, annotations: { ...annotations, "alb.ingress.kubernetes.io/group.order": String(order) } },
        spec: { ingressClassName: "alb", rules: httpRules },
    };
}

/** Each service's front door; the IngressGroups of those that need an EKS load balancer; and what cannot work. */
export function planStrategies(plan: MigrationPlan, snapshot: EcsSnapshot, cutover: CutoverConfig): StrategyResult {
    const services: FrontDoorService[] = [];
    const ingresses: IngressPlan[] = [];
    const errors: string[] = [];
    const lbOf = (tgArn: string) => snapshot.loadBalancing.targetGroups.find((t) => t.TargetGroupArn === tgArn)?.LoadBalancerArns?.[0];
    for (const w of plan.workloads) {
        const door = frontDoorConfig(cutover, w.source.name);
        if (door.strategy === "alb-weighted") {
            continue;
        }
        const at = `migration:cutover.services.${w.source.name}.strategy ${door.strategy}`;
        if (w.loadBalancers.length === 0) {
            if (cutover.strategies?.[w.source.name]) {
                errors.push(`${at}: ${w.source.name} has no load balancer, so no front door to move; drop its strategy`);
            }
            continue;
        }
        for (const [index, lbPlan] of w.loadBalancers.entries()) {
            const lbArn = lbOf(lbPlan.ecsTargetGroupArn);
            const lb = snapshot.loadBalancing.loadBalancers.find((l) => l.LoadBalancerArn === lbArn);
            if (!lb) {
                errors.push(`${at}: the load balancer of target group ${lbPlan.ecsTargetGroupArn} is not in the snapshot; take a new snapshot, or use alb-weighted`);
                continue;
            }
            const s: FrontDoorService = {
                workload: w.name,
                namespace: w.namespace,
                ecsService: w.source.name,
                strategy: door.strategy,
                eksWeight: eksWeight(cutover, w.source.name),
                loadBalancerArn: lb.LoadBalancerArn ?? "",
                loadBalancerDnsName: normalize(lb.DNSName ?? ""),
                ingressGroup: ingressGroupName(lb.LoadBalancerName ?? ""),
            };
            const dns = s.loadBalancerDnsName;
            if (door.strategy === "route53-weighted" && !(snapshot.loadBalancing.dnsRecords ?? []).some((r) => r.target === dns)) {
                errors.push(`${at}: no Route 53 record in the snapshot points at ${lb.LoadBalancerName} (${dns}); take a new snapshot (ecs2eks snapshot reads the hosted zones), or use alb-weighted`);
                continue;
            }
            if (door.strategy === "cloudfront-staging" && !(snapshot.loadBalancing.distributions ?? []).some((d) => d.loadBalancerOrigins.includes(dns))) {
                errors.push(
                    `${at}: no CloudFront distribution in the snapshot has an origin at ${lb.LoadBalancerName} (${dns})${snapshot.loadBalancing.distributions === undefined ? " (the snapshot predates reading CloudFront: take a new one)" : ""}; use route53-weighted or alb-weighted`,
                );
                continue;
            }
            services.push(s);
            ingresses.push({
                workload: w.name,
                namespace: w.namespace,
                ecsService: w.source.name,
                group: s.ingressGroup,
                object: ingressFor(snapshot, s, index === 0 ? w.name : `${w.name}-${index}`, lbPlan.ecsTargetGroupArn, lbPlan.serviceName, lbPlan.servicePort, (what) =>
                    errors.push(`${at}: the EKS Ingress cannot carry the ${what}; use alb-weighted for ${w.source.name}, whose weighted rule keeps every condition`),
                ),
            });
        }
    }
    // A record or an origin moves every request to its load balancer: every service behind it must move alike.
    const byLb = new Map<string, string[]>();
    for (const w of plan.workloads) {
        for (const lbPlan of w.loadBalancers) {
            const arn = lbOf(lbPlan.ecsTargetGroupArn) ?? "";
            byLb.set(arn, [...new Set([...(byLb.get(arn) ?? []), w.source.name])]);
        }
    }
    for (const s of services) {
        for (const other of byLb.get(s.loadBalancerArn) ?? []) {
            const door = frontDoorConfig(cutover, other);
            const weight = eksWeight(cutover, other);
            if (other !== s.ecsService && (door.strategy !== s.strategy || weight !== s.eksWeight)) {
                errors.push(
                    `migration:cutover.services.${s.ecsService}: ${s.strategy} at eksWeight ${s.eksWeight} moves every request to ${s.loadBalancerDnsName}, which also serves ${other} (${door.strategy} at eksWeight ${weight}); give ${other} the same strategy and eksWeight, or use alb-weighted for both`,
                );
            }
        }
    }
    const key = (x: { namespace: string; workload: string }) => `${x.namespace}/${x.workload}`;
    return { services: dedupe(services, (s) => `${key(s)}/${s.loadBalancerArn}`), ingresses, errors: [...new Set(errors)] };
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
    const seen = new Set<string>();
    return items.filter((t) => !seen.has(key(t)) && (seen.add(key(t)), true));
}
