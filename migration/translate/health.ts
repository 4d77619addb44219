import type { HealthCheck } from "@aws-sdk/client-ecs";
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Json } from "../ecs/snapshot";
import { Diagnostics } from "./diagnostics";

/** ECS healthCheck defaults (seconds), as ECS applies them. */
export const HEALTH_DEFAULTS = { interval: 30, timeout: 5, retries: 3 } as const;

export interface Probe {
    readonly exec?: { readonly command: string[] };
    readonly httpGet?: { readonly path: string; readonly port: number | string; readonly scheme: "HTTP" | "HTTPS" };
    readonly tcpSocket?: { readonly port: number };
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
    targetGroup: { readonly tg: Json<TargetGroup>; readonly containerPort: number } | undefined,
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
        const tg = targetGroup.tg;
        const protocol = tg.HealthCheckProtocol ?? tg.Protocol;
        if (protocol === "HTTP" || protocol === "HTTPS") {
            const port = tg.HealthCheckPort && tg.HealthCheckPort !== "traffic-port" ? Number(tg.HealthCheckPort) : targetGroup.containerPort;
            probes.readinessProbe = {
                httpGet: { path: tg.HealthCheckPath ?? "/", port, scheme: protocol },
                periodSeconds: tg.HealthCheckIntervalSeconds ?? 30,
                timeoutSeconds: Math.min(tg.HealthCheckTimeoutSeconds ?? 5, tg.HealthCheckIntervalSeconds ?? 30),
                failureThreshold: tg.UnhealthyThresholdCount ?? 2,
                successThreshold: tg.HealthyThresholdCount ?? 5,
            };
            const matcher = tg.Matcher?.HttpCode;
            if (matcher && !/^200(-[23]99)?$/.test(matcher)) {
                d.warn(
                    "HEALTH_MATCHER",
                    "targetGroup.Matcher.HttpCode",
                    `the target group counts HTTP ${matcher} as healthy; Kubernetes counts 200-399`,
                    "make the health endpoint answer 2xx when healthy, or probe an endpoint that does",
                    container,
                );
            }
        } else {
            probes.readinessProbe = {
                tcpSocket: { port: targetGroup.containerPort },
                periodSeconds: tg.HealthCheckIntervalSeconds ?? 30,
                timeoutSeconds: Math.min(tg.HealthCheckTimeoutSeconds ?? 10, tg.HealthCheckIntervalSeconds ?? 30),
                failureThreshold: tg.UnhealthyThresholdCount ?? 2,
            };
        }
        d.map("targetGroup.healthCheck");
    } else if (exec) {
        // ECS only sends traffic (Service Connect, Cloud Map) to healthy tasks.
        probes.readinessProbe = exec;
    }
    return probes;
}
