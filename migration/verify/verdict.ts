/**
 * The verdict on one service's EKS side, from its target health, its
 * CloudWatch figures next to the ECS side's over the same window, and the
 * Kubernetes checks. Pure: the figures are fetched elsewhere.
 */

export type Verdict = "ready" | "hold" | "rollback";

/** How much worse than ECS the EKS side may be (flags of `verify`; README lists the defaults). */
export interface Tolerances {
    /** Fewer EKS requests than this in the window: too little traffic to tell (hold). */
    readonly minRequests: number;
    /** Percentage points of 5xx the EKS side may have above ECS's rate. */
    readonly max5xxIncrease: number;
    /** Percent by which EKS's p90 and average response time may exceed ECS's. */
    readonly maxLatencyIncrease: number;
}

export const DEFAULT_TOLERANCES: Tolerances = Object.freeze({ minRequests: 100, max5xxIncrease: 0.5, maxLatencyIncrease: 20 });

/** One target group over the window. Errors: target 5xx plus connections to targets that failed (the load balancer answers those with 502/503). */
export interface SideFigures {
    readonly requests: number;
    readonly errors5xx: number;
    /** Seconds; undefined when CloudWatch has no data point (no requests) or no percentile. */
    readonly p90?: number;
    readonly average?: number;
}

export interface TargetHealthFigures {
    readonly healthy: number;
    readonly unhealthy: number;
    readonly desired: number;
}

/** One finding that decides (or not) the verdict. */
export interface Finding {
    readonly verdict: Verdict;
    readonly check: string;
    readonly detail: string;
}

export const ratePercent = (s: SideFigures) => (s.requests > 0 ? (100 * s.errors5xx) / s.requests : 0);
const ms = (seconds: number | undefined) => (seconds === undefined ? "n/a" : `${Math.round(seconds * 1000)} ms`);

/** Findings from target health and metrics; `eks` undefined when the EKS target group does not exist yet. */
export function metricFindings(health: TargetHealthFigures | undefined, ecs: SideFigures, eks: SideFigures | undefined, eksWeight: number, t: Tolerances): Finding[] {
    if (!health || !eks) {
        return [{ verdict: "hold", check: "target group", detail: "the EKS target group does not exist yet; run pulumi up with the stack's migration" }];
    }
    const findings: Finding[] = [];
    const healthDetail = `${health.healthy} healthy of ${health.desired} desired${health.unhealthy > 0 ? `, ${health.unhealthy} not healthy` : ""}`;
    if (health.healthy === 0 && eksWeight > 0) {
        findings.push({ verdict: "rollback", check: "target health", detail: `${healthDetail}, while ${eksWeight}% of the traffic goes to EKS` });
    } else if (health.healthy < health.desired) {
        findings.push({ verdict: "hold", check: "target health", detail: healthDetail });
    } else {
        findings.push({ verdict: "ready", check: "target health", detail: healthDetail });
    }
    const eksRate = ratePercent(eks);
    const ecsRate = ratePercent(ecs);
    const rateDetail = `EKS ${eksRate.toFixed(2)}% (${eks.errors5xx}/${eks.requests}), ECS ${ecsRate.toFixed(2)}% (${ecs.errors5xx}/${ecs.requests}); tolerance +${t.max5xxIncrease} points`;
    if (eks.requests > 0 && eksRate > ecsRate + t.max5xxIncrease) {
        // Worse is worse even on little traffic: errors do not need a large sample to hurt.
        findings.push({ verdict: "rollback", check: "5xx rate", detail: rateDetail });
    } else if (eks.requests < t.minRequests) {
        findings.push({ verdict: "hold", check: "traffic", detail: `${eks.requests} EKS request(s) in the window, fewer than the ${t.minRequests} needed to tell; send more (ecs2eks loadtest) or widen --window` });
    } else {
        findings.push({ verdict: "ready", check: "5xx rate", detail: rateDetail });
    }
    if (eks.requests >= t.minRequests) {
        for (const [label, e, c] of [["p90 response time", eks.p90, ecs.p90], ["average response time", eks.average, ecs.average]] as const) {
            const detail = `EKS ${ms(e)}, ECS ${ms(c)}; tolerance +${t.maxLatencyIncrease}%`;
            if (e !== undefined && c !== undefined && c > 0 && e > c * (1 + t.maxLatencyIncrease / 100)) {
                findings.push({ verdict: "rollback", check: label, detail });
            } else {
                findings.push({ verdict: "ready", check: label, detail: e === undefined || c === undefined ? `${detail} (not compared: no data point)` : detail });
            }
        }
    }
    return findings;
}

/** The worst verdict: one rollback outweighs everything, a hold outweighs ready. */
export function overall(findings: readonly Finding[]): Verdict {
    return findings.some((f) => f.verdict === "rollback") ? "rollback" : findings.some((f) => f.verdict === "hold") ? "hold" : "ready";
}
