import type { HealthCheck } from "@aws-sdk/client-ecs";
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Json } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";

/** ECS healthCheck defaults (seconds), as ECS applies them. */
export const HEALTH_DEFAULTS = { interval: 30, timeout: 5, retries: 3 } as const;

export interface Probe {
    readonly exec?: { readonly command: string[] };
    readonly httpGet?: { readonly path: string; readonly port: number | string; readonly scheme: "HTTP" | "HTTPS" };
    readonly tcpSocket?: { readonly port: number };
    readonly grpc?: { readonly port: number };
    readonly periodSeconds: number;
    readonly timeoutSeconds: number;
    readonly failureThreshold: number;
    readonly successThreshold?: number;
    readonly initialDelaySeconds?: number;
}

/**
 * The command of an ECS health check as an exec probe command.
 * CMD-SHELL keeps its shell: `curl … || exit 1` only works through one.
 */
export function execCommand(command: readonly string[] | undefined): string[] | undefined {
    if (!command || command.length < 2) {
        return undefined;
    }
    const [kind, ...rest] = command;
    if (kind === "CMD-SHELL") {
        return ["/bin/sh", "-c", rest.join(" ")];
    }
    if (kind === "CMD") {
        return [...rest];
    }
    return undefined;
}

/** A target group that health-checks a container, and the port it sends traffic to. */
export interface TargetGroupTarget {
    readonly tg: Json<TargetGroup>;
    readonly containerPort: number;
}

/**
 * The target group a container's readiness probe follows, and the others the
 * container is registered in (two ports, two load balancers): Kubernetes
 * allows one readiness probe per container.
 */
export interface TargetGroupCheck extends TargetGroupTarget {
    readonly others?: readonly TargetGroupTarget[];
}

/** What the Kubelet can check of the standard gRPC health service (grpc.health.v1): Check, with the empty service name. */
const GRPC_HEALTH_CHECK = "/grpc.health.v1.Health/Check";
/** Kubernetes' httpGet probe succeeds on 200-399, whatever the target group's matcher says. */
const K8S_HTTP_OK = { from: 200, to: 399 };

/** A matcher ("200", "200,302", "200-299", "0-99") as the set of codes it accepts; undefined when it does not parse. */
export function matcherCodes(matcher: string): Set<number> | undefined {
    const codes = new Set<number>();
    for (const part of matcher.split(",").map((p) => p.trim())) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!m) {
            return undefined;
        }
        const from = Number(m[1]);
        const to = m[2] !== undefined ? Number(m[2]) : from;
        if (to < from || to - from > 1000) {
            return undefined;
        }
        for (let c = from; c <= to; c++) {
            codes.add(c);
        }
    }
    return codes;
}

/** Codes as the shortest list of ranges: 200-299,302. */
function ranges(codes: readonly number[]): string {
    const sorted = [...codes].sort((a, b) => a - b);
    const out: string[] = [];
    for (let i = 0; i < sorted.length; ) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) {
            j++;
        }
        out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
        i = j + 1;
    }
    return out.join(",");
}

type CheckKind = "grpc" | "http" | "tcp";

/** What a target group's health check can become on Kubernetes: a gRPC, HTTP or (when neither fits) TCP probe. */
function checkKind(tg: Json<TargetGroup>): CheckKind {
    const protocol = tg.HealthCheckProtocol ?? tg.Protocol;
    if (tg.ProtocolVersion === "GRPC") {
        const codes = matcherCodes(tg.Matcher?.GrpcCode ?? "12");
        return tg.HealthCheckPath === GRPC_HEALTH_CHECK && codes?.has(0) && protocol !== "HTTPS" ? "grpc" : "tcp";
    }
    if (protocol === "HTTP" || protocol === "HTTPS") {
        const codes = matcherCodes(tg.Matcher?.HttpCode ?? "200");
        return !codes || [...codes].some((c) => c >= K8S_HTTP_OK.from && c <= K8S_HTTP_OK.to) ? "http" : "tcp";
    }
    return "tcp";
}

const RANK: Readonly<Record<CheckKind, number>> = { grpc: 2, http: 2, tcp: 1 };

/**
 * The target group a container's readiness follows when it is in several:
 * an application-level check (gRPC, HTTP) before a TCP connect, then the
 * order of the service's loadBalancers.
 */
export function chooseTargetGroup(targets: readonly TargetGroupTarget[]): TargetGroupCheck | undefined {
    const ordered = targets.map((t, i) => ({ t, i })).sort((a, b) => RANK[checkKind(b.t.tg)] - RANK[checkKind(a.t.tg)] || a.i - b.i);
    if (ordered.length === 0) {
        return undefined;
    }
    const [first, ...rest] = ordered;
    return rest.length > 0 ? { ...first.t, others: rest.map((r) => r.t) } : first.t;
}

function targetGroupName(tg: Json<TargetGroup>): string {
    return tg.TargetGroupName ?? tg.TargetGroupArn?.split("/")[1] ?? tg.TargetGroupArn ?? "target group";
}

function healthPort(target: TargetGroupTarget): number {
    const port = target.tg.HealthCheckPort;
    return port && port !== "traffic-port" && /^\d+$/.test(port) ? Number(port) : target.containerPort;
}

/** The target group's schedule and thresholds; a plain TCP target group (NLB) keeps Kubernetes' one success, as before. */
function timing(tg: Json<TargetGroup>, defaultTimeout: number, counted = true): Pick<Probe, "periodSeconds" | "timeoutSeconds" | "failureThreshold" | "successThreshold"> {
    const period = tg.HealthCheckIntervalSeconds ?? 30;
    return {
        periodSeconds: period,
        timeoutSeconds: Math.min(tg.HealthCheckTimeoutSeconds ?? defaultTimeout, period),
        failureThreshold: tg.UnhealthyThresholdCount ?? 2,
        ...(counted ? { successThreshold: tg.HealthyThresholdCount ?? 5 } : {}),
    };
}

/** The readiness probe of one target group's health check, with what Kubernetes cannot check the same way reported. */
export function targetGroupProbe(target: TargetGroupTarget, d: Diagnostics, container: string): Probe {
    const tg = target.tg;
    const port = healthPort(target);
    const protocol = tg.HealthCheckProtocol ?? tg.Protocol;
    const name = targetGroupName(tg);
    if (tg.ProtocolVersion === "GRPC") {
        const matcher = tg.Matcher?.GrpcCode ?? "12";
        const path = tg.HealthCheckPath ?? "/AWS.ALB/healthcheck";
        const codes = matcherCodes(matcher);
        if (checkKind(tg) === "grpc") {
            d.info(
                "HEALTH_GRPC",
                "targetGroup.Matcher.GrpcCode",
                `readiness calls ${GRPC_HEALTH_CHECK} on port ${port} like target group ${name}; Kubernetes counts only the answer SERVING as ready, where the target group counted gRPC code ${matcher}`,
                "make the server answer NOT_SERVING (not an error) while it cannot take traffic, as the target group's check did not look at the status",
                container,
            );
            return { grpc: { port }, ...timing(tg, 5) };
        }
        const why =
            protocol === "HTTPS"
                ? `the targets answer gRPC over TLS, and Kubernetes' grpc probe does not speak TLS`
                : path !== GRPC_HEALTH_CHECK
                  ? `it calls ${path} and counts gRPC code ${matcher} as healthy, and Kubernetes' grpc probe can only call ${GRPC_HEALTH_CHECK}`
                  : `its matcher ${matcher} does not count code 0 (OK) as healthy${codes ? "" : " (or does not parse)"}`;
        d.warn(
            "HEALTH_GRPC",
            "targetGroup.HealthCheckPath",
            `target group ${name} checks gRPC health, but ${why}; readiness is a TCP connect to port ${port} instead`,
            protocol === "HTTPS"
                ? "serve the standard gRPC health service on a plaintext port and probe that port with grpc, or keep the TCP probe"
                : `implement the standard gRPC health service (grpc.health.v1) and set the target group's check to ${GRPC_HEALTH_CHECK} with GrpcCode 0; then readiness becomes a grpc probe`,
            container,
        );
        return { tcpSocket: { port }, ...timing(tg, 5) };
    }
    if (protocol === "HTTP" || protocol === "HTTPS") {
        const matcher = tg.Matcher?.HttpCode ?? "200";
        const codes = matcherCodes(matcher);
        const inside = codes ? [...codes].filter((c) => c >= K8S_HTTP_OK.from && c <= K8S_HTTP_OK.to) : [];
        const outside = codes ? [...codes].filter((c) => c < K8S_HTTP_OK.from || c > K8S_HTTP_OK.to) : [];
        const path = tg.HealthCheckPath ?? "/";
        if (codes && inside.length === 0) {
            d.warn(
                "HEALTH_MATCHER",
                "targetGroup.Matcher.HttpCode",
                `target group ${name} counts only HTTP ${matcher} from ${path} as healthy; Kubernetes' httpGet counts 200-399, so that check would never pass: readiness is a TCP connect to port ${port} instead`,
                `give the service a health endpoint that answers 2xx when healthy, and point the target group at it`,
                container,
            );
            return { tcpSocket: { port }, ...timing(tg, 5) };
        }
        if (!codes) {
            d.warn("HEALTH_MATCHER", "targetGroup.Matcher.HttpCode", `target group ${name}'s matcher ${JSON.stringify(matcher)} does not parse; readiness counts 200-399 from ${path}`, "check the readiness probe by hand", container);
        } else if (outside.length > 0) {
            d.warn(
                "HEALTH_MATCHER",
                "targetGroup.Matcher.HttpCode",
                `target group ${name} counts HTTP ${matcher} from ${path} as healthy; Kubernetes counts 200-399, so a pod answering ${ranges(outside)} stays unready`,
                `make ${path} answer 2xx when healthy (or probe an endpoint that does)`,
                container,
            );
        } else if (inside.length < K8S_HTTP_OK.to - K8S_HTTP_OK.from + 1 && matcher !== "200") {
            // "200" is the ALB default, and a health endpoint that answers a redirect is rare: only a chosen matcher is reported.
            d.info(
                "HEALTH_MATCHER",
                "targetGroup.Matcher.HttpCode",
                `target group ${name} counts HTTP ${matcher} from ${path} as healthy; Kubernetes counts any of 200-399, so a pod answering ${ranges(Array.from({ length: 200 }, (_, k) => k + 200).filter((c) => !codes.has(c)))} is ready on EKS but was unhealthy on ECS`,
                "nothing to do unless the endpoint answers those codes when unhealthy",
                container,
            );
        }
        return { httpGet: { path, port, scheme: protocol }, ...timing(tg, 5) };
    }
    return { tcpSocket: { port }, ...timing(tg, 10, false) };
}

function describeCheck(target: TargetGroupTarget, probe: Probe): string {
    const what = probe.grpc ? `gRPC health on port ${probe.grpc.port}` : probe.httpGet ? `HTTP ${probe.httpGet.path} on port ${probe.httpGet.port}` : `TCP port ${probe.tcpSocket?.port}`;
    return `${targetGroupName(target.tg)} (${what})`;
}

/** A container in several target groups keeps one readiness probe; say which, and what the others checked. */
function reportOtherTargetGroups(chosen: TargetGroupCheck, probe: Probe, d: Diagnostics, container: string): void {
    const quiet = new Diagnostics("");
    const others = (chosen.others ?? []).map((o) => ({ o, probe: targetGroupProbe(o, quiet, container) }));
    const differ = others.filter((x) => JSON.stringify(x.probe) !== JSON.stringify(probe));
    const all = [describeCheck(chosen, probe), ...others.map((x) => describeCheck(x.o, x.probe))].join(", ");
    if (differ.length === 0) {
        d.info("HEALTH_SEVERAL_TARGET_GROUPS", "loadBalancers", `${container} is in target groups ${all}; they check the same, so one readiness probe covers them`, "nothing to do", container);
        return;
    }
    d.warn(
        "HEALTH_SEVERAL_TARGET_GROUPS",
        "loadBalancers",
        `${container} is in target groups ${all}; Kubernetes allows one readiness probe per container, which follows ${targetGroupName(chosen.tg)}: ${differ.map((x) => describeCheck(x.o, x.probe)).join(", ")} is not checked by the kubelet`,
        `each target group still gets its canary target group with the same health check, so the load balancers keep checking; if ${differ.map((x) => targetGroupName(x.o.tg)).join(", ")} can fail alone, make one endpoint report both, or split the container's roles`,
        container,
    );
}

export interface ContainerProbes {
    readonly livenessProbe?: Probe;
    readonly readinessProbe?: Probe;
    readonly startupProbe?: Probe;
}

/**
 * Probes for one container from its ECS health check, the service's grace
 * period, and the target group's HTTP check when the container is behind one.
 */
export function probesFor(
    health: Json<HealthCheck> | undefined,
    gracePeriodSeconds: number | undefined,
    targetGroup: TargetGroupCheck | undefined,
    d: Diagnostics,
    container: string,
    field: string,
): ContainerProbes {
    const probes: { livenessProbe?: Probe; readinessProbe?: Probe; startupProbe?: Probe } = {};
    let exec: Probe | undefined;
    if (health) {
        const command = execCommand(health.command);
        if (!command) {
            d.error(
                "HEALTH_CHECK_COMMAND",
                `${field}.healthCheck.command`,
                `health check command ${JSON.stringify(health.command)} does not start with CMD or CMD-SHELL`,
                'write it as ["CMD-SHELL", "<command>"] or ["CMD", "<exe>", "<args>..."]; no probe was made',
                container,
            );
        } else {
            const period = health.interval ?? HEALTH_DEFAULTS.interval;
            const timeout = Math.min(health.timeout ?? HEALTH_DEFAULTS.timeout, period);
            exec = { exec: { command }, periodSeconds: period, timeoutSeconds: timeout, failureThreshold: health.retries ?? HEALTH_DEFAULTS.retries };
            probes.livenessProbe = exec;
            d.map(`${field}.healthCheck`);
        }
    }
    // Starting containers get the ECS start period (or the service's grace period) before liveness counts.
    const budget = Math.max(health?.startPeriod ?? 0, gracePeriodSeconds ?? 0);
    if (exec && budget > 0) {
        const period = Math.min(exec.periodSeconds, 10);
        probes.startupProbe = { ...exec, periodSeconds: period, timeoutSeconds: Math.min(exec.timeoutSeconds, period), failureThreshold: Math.ceil(budget / period) + exec.failureThreshold };
        if (health?.startPeriod) {
            d.map(`${field}.healthCheck.startPeriod`);
        }
    }
    if (targetGroup) {
        probes.readinessProbe = targetGroupProbe(targetGroup, d, container);
        if (targetGroup.others && targetGroup.others.length > 0) {
            reportOtherTargetGroups(targetGroup, probes.readinessProbe, d, container);
        }
        d.map("targetGroup.healthCheck");
    } else if (exec) {
        // ECS only sends traffic (Service Connect, Cloud Map) to healthy tasks.
        probes.readinessProbe = exec;
    }
    return probes;
}
