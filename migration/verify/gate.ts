/**
 * The canary gate: which services a `pulumi up` would give more EKS weight
 * than is deployed, and whether each may have it. A raise needs a `ready`
 * verdict; lowering a weight (a rollback) or keeping it is never blocked.
 * Pure: the deployed routing and the verdicts are read elsewhere.
 */
import type { Verdict } from "./verdict";

/** One entry of the stack's `routing` output (`pulumi stack output routing --json`). */
export interface DeployedRoute {
    readonly service: string;
    readonly eksWeight: number;
}

export interface GateDecision {
    readonly service: string;
    /** The EKS weight deployed now (0 when nothing is). */
    readonly deployed: number;
    /** The EKS weight the stack's config would deploy. */
    readonly planned: number;
    readonly raise: boolean;
    readonly verdict?: Verdict;
    readonly allowed: boolean;
    readonly reason: string;
}

/** Reads the routing output; null (no output yet: a new stack, or one without a migration) means nothing is deployed. */
export function parseRouting(text: string, source: string): DeployedRoute[] {
    let value: unknown;
    try {
        value = JSON.parse(text.trim() === "" ? "null" : text);
    } catch {
        throw new Error(`${source} is not JSON; write it with pulumi stack output routing --json`);
    }
    if (value === null) {
        return [];
    }
    const ok = (r: unknown): r is DeployedRoute => typeof r === "object" && r !== null && typeof (r as DeployedRoute).service === "string" && typeof (r as DeployedRoute).eksWeight === "number";
    if (!Array.isArray(value) || !value.every(ok)) {
        throw new Error(`${source} is not the stack's routing output (a list of {service, eksWeight, ...}); write it with pulumi stack output routing --json`);
    }
    return value;
}

/** The largest weight per service: a service with two listener rules is raised when either is. */
function byService(routes: readonly DeployedRoute[]): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of routes) {
        m.set(r.service, Math.max(m.get(r.service) ?? 0, r.eksWeight));
    }
    return m;
}

/** The services raised above what is deployed. */
export function raisedServices(planned: readonly DeployedRoute[], deployed: readonly DeployedRoute[]): string[] {
    const now = byService(deployed);
    return [...byService(planned)].filter(([s, w]) => w > (now.get(s) ?? 0)).map(([s]) => s).sort();
}

export function gateDecisions(planned: readonly DeployedRoute[], deployed: readonly DeployedRoute[], verdicts: ReadonlyMap<string, Verdict>): GateDecision[] {
    const now = byService(deployed);
    return [...byService(planned)]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([service, weight]): GateDecision => {
            const current = now.get(service) ?? 0;
            const base = { service, deployed: current, planned: weight };
            if (weight <= current) {
                return { ...base, raise: false, allowed: true, reason: weight < current ? "lowered: a rollback is never blocked" : "unchanged" };
            }
            const verdict = verdicts.get(service);
            return {
                ...base,
                raise: true,
                ...(verdict ? { verdict } : {}),
                allowed: verdict === "ready",
                reason: verdict === "ready" ? "raised, and verify says ready" : `raised, but verify says ${verdict ?? "nothing (no verdict)"}: keep the weight at ${current} until it says ready`,
            };
        });
}
