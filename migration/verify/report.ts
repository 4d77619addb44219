/** One verdict per service from its figures and Kubernetes findings, as text and as JSON. Pure. */
import type { ServiceFigures } from "./cloudwatch";
import { Finding, SideFigures, Tolerances, Verdict, metricFindings, overall, ratePercent } from "./verdict";

export interface ServiceVerdict {
    readonly service: string;
    readonly namespace: string;
    readonly workload: string;
    readonly eksWeight: number;
    readonly verdict: Verdict;
    readonly eksTargetGroup: string;
    readonly health?: { readonly healthy: number; readonly unhealthy: number; readonly desired: number };
    readonly ecs: SideFigures & { readonly rate5xxPercent: number };
    readonly eks?: SideFigures & { readonly rate5xxPercent: number };
    readonly findings: readonly Finding[];
}

export interface VerifyResult {
    readonly window: string;
    readonly tolerances: Tolerances;
    /** Worst over all services; ready when there are none. */
    readonly verdict: Verdict;
    readonly kubernetes: boolean;
    readonly services: readonly ServiceVerdict[];
    /** What could not be read and so was not compared. */
    readonly notes: readonly string[];
}

const withRate = (s: SideFigures) => ({ ...s, rate5xxPercent: Number(ratePercent(s).toFixed(4)) });

export function judge({ figures, notes }: { figures: readonly ServiceFigures[]; notes: readonly string[] }, tolerances: Tolerances, window: string, kubernetes?: (f: ServiceFigures) => readonly Finding[]): VerifyResult {
    const services = figures.map((f): ServiceVerdict => {
        const findings = [...metricFindings(f.health, f.ecs, f.eks, f.target.eksWeight, tolerances), ...(kubernetes ? kubernetes(f) : [])];
        return {
            service: f.target.service,
            namespace: f.target.namespace,
            workload: f.target.workload,
            eksWeight: f.target.eksWeight,
            verdict: overall(findings),
            eksTargetGroup: f.eksTargetGroupArn ?? f.target.eksTargetGroupName,
            ...(f.health ? { health: f.health } : {}),
            ecs: withRate(f.ecs),
            ...(f.eks ? { eks: withRate(f.eks) } : {}),
            findings,
        };
    });
    return { window, tolerances, verdict: overall(services.flatMap((s) => s.findings)), kubernetes: kubernetes !== undefined, services, notes };
}

const ms = (s: number | undefined) => (s === undefined ? "n/a" : `${Math.round(s * 1000)}ms`);

export function renderVerify(result: VerifyResult, title: string): string {
    const t = result.tolerances;
    const lines = [
        `${title}: ${result.verdict}`,
        `window ${result.window}; tolerances: at least ${t.minRequests} EKS requests, 5xx at most ${t.max5xxIncrease} points above ECS, p90 and average response time at most ${t.maxLatencyIncrease}% above ECS${result.kubernetes ? "; Kubernetes checked" : "; Kubernetes not checked (no --kubeconfig or KUBECONFIG)"}`,
        "",
    ];
    for (const s of result.services) {
        const eks = s.eks;
        lines.push(
            `${s.verdict.toUpperCase().padEnd(8)} ${s.service} (${s.namespace}/${s.workload}, EKS weight ${s.eksWeight}%)` +
                (s.health ? `  healthy ${s.health.healthy}/${s.health.desired}` : "") +
                `  requests EKS ${eks?.requests ?? "-"} ECS ${s.ecs.requests}` +
                `  5xx EKS ${eks ? `${eks.rate5xxPercent.toFixed(2)}%` : "-"} ECS ${s.ecs.rate5xxPercent.toFixed(2)}%` +
                `  p90 EKS ${ms(eks?.p90)} ECS ${ms(s.ecs.p90)}  avg EKS ${ms(eks?.average)} ECS ${ms(s.ecs.average)}`,
        );
        for (const f of s.findings.filter((x) => x.verdict !== "ready")) {
            lines.push(`  ${f.verdict}: ${f.check}: ${f.detail}`);
        }
    }
    for (const n of result.notes) {
        lines.push(`note: ${n}`);
    }
    if (result.services.length === 0) {
        lines.push("no load-balanced services: nothing to verify");
    }
    return `${lines.join("\n")}\n`;
}
