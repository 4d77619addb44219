/**
 * ECS capacity-provider strategies on Karpenter, exactly. ECS places the
 * first `base` tasks on one provider and splits the rest by `weight`
 * (FARGATE 1 : FARGATE_SPOT 3 puts three of every four on Spot). Kubernetes
 * has no weights, but it spreads evenly over the values of a node label:
 * the on-demand NodePool gives its nodes one of the values od-1..od-N, the
 * Spot NodePool one of spot-1..spot-N (SPREAD_LABEL). A workload with a
 * 1:3 strategy may use od-1, spot-1, spot-2, spot-3 (required node
 * affinity) and spreads over them with maxSkew 1 (DoNotSchedule), so every
 * round of four pods puts one on on-demand and three on Spot; a preferred
 * affinity for on-demand breaks the tie at the start of each round, so with
 * base 1 the first replica is on-demand. Placement for N replicas is then
 * base + floor((N − base) × w_od / (w_od + w_spot)) on-demand, the rest on
 * Spot: ECS's split (placeSpread and ecsSplit compute both; the test
 * compares them). Exact when the reduced on-demand weight is 1, its base 0
 * or 1 and Spot has no base; otherwise the ratio holds per round and the
 * difference is reported.
 * Pure.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { Diagnostic, K8sObject, MigrationPlan, WorkloadPlan } from "../translate/types";

export const SPREAD_LABEL = "ecs2eks.io/capacity-spread";
/** Domains per capacity type: a reduced weight ratio up to 10:10. */
export const SPREAD_DOMAINS = 10;
export const KARPENTER_CAPACITY_TYPE = "karpenter.sh/capacity-type";
const MNG_CAPACITY_TYPE = "eks.amazonaws.com/capacityType";

export const spreadDomains = (kind: "od" | "spot", n = SPREAD_DOMAINS): string[] => Array.from({ length: n }, (_, i) => `${kind}-${i + 1}`);

export interface CapacityStrategy {
    readonly onDemand: { readonly base: number; readonly weight: number };
    readonly spot: { readonly base: number; readonly weight: number };
}

export interface StrategyItem {
    readonly capacityProvider?: string;
    readonly base?: number;
    readonly weight?: number;
}

/** FARGATE / FARGATE_SPOT (and EC2 capacity providers, Spot when the name says so) as on-demand and Spot shares. */
export function strategyOf(items: readonly StrategyItem[]): CapacityStrategy {
    const isSpot = (name: string | undefined) => /spot/i.test(name ?? "");
    const sum = (spot: boolean, f: "base" | "weight") => items.filter((i) => isSpot(i.capacityProvider) === spot).reduce((n, i) => n + (i[f] ?? 0), 0);
    return { onDemand: { base: sum(false, "base"), weight: sum(false, "weight") }, spot: { base: sum(true, "base"), weight: sum(true, "weight") } };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export interface Spread {
    /** The SPREAD_LABEL values the workload may use: its on-demand and Spot shares. */
    readonly onDemand: readonly string[];
    readonly spot: readonly string[];
    /** Which capacity type wins a tie: on-demand when it has a base, else Spot. */
    readonly prefer: "on-demand" | "spot";
    /** Whether placement equals ECS's for every replica count. */
    readonly exact: boolean;
}

/** The spread that reproduces a mixed strategy; undefined when one capacity type takes everything. */
export function spreadFor(s: CapacityStrategy): Spread | undefined {
    if (s.onDemand.weight === 0 || s.spot.weight === 0) {
        return undefined;
    }
    const g = gcd(s.onDemand.weight, s.spot.weight);
    const od = s.onDemand.weight / g;
    const spot = s.spot.weight / g;
    if (od > SPREAD_DOMAINS || spot > SPREAD_DOMAINS) {
        return undefined;
    }
    // With an on-demand base the round starts on-demand; without, Spot fills each round first and on-demand takes its floor.
    const prefer = s.onDemand.base > 0 ? "on-demand" : "spot";
    // One on-demand domain per round is what makes the floor and the base-1 ceiling coincide with ECS for every N (the test checks).
    const exact = s.spot.base === 0 && od === 1 && s.onDemand.base <= 1;
    return { onDemand: spreadDomains("od", od), spot: spreadDomains("spot", spot), prefer, exact };
}

export interface Split {
    readonly onDemand: number;
    readonly spot: number;
}

/** ECS: the base first, then the rest by weight, Spot taking the remainder of each round. */
export function ecsSplit(s: CapacityStrategy, replicas: number): Split {
    const base = Math.min(replicas, s.onDemand.base);
    const rest = replicas - base;
    const od = base + Math.floor((rest * s.onDemand.weight) / (s.onDemand.weight + s.spot.weight));
    return { onDemand: od, spot: replicas - od };
}

/**
 * The scheduler on the spread, one replica at a time: a replica may go only
 * to a domain holding the fewest pods (maxSkew 1, DoNotSchedule), and the
 * preferred capacity type wins among those. Assumes Karpenter can add a node
 * in any domain (the NodePools' limits leave room).
 */
export function placeSpread(spread: Spread, replicas: number): Split {
    const counts = new Map<string, number>([...spread.onDemand, ...spread.spot].map((d) => [d, 0]));
    for (let i = 0; i < replicas; i++) {
        const least = Math.min(...counts.values());
        const open = [...counts.keys()].filter((d) => counts.get(d) === least);
        const preferred = open.filter((d) => d.startsWith(spread.prefer === "on-demand" ? "od-" : "spot-"));
        const pick = (preferred.length > 0 ? preferred : open)[0];
        counts.set(pick, (counts.get(pick) ?? 0) + 1);
    }
    const total = (prefix: string) => [...counts].filter(([d]) => d.startsWith(prefix)).reduce((n, [, c]) => n + c, 0);
    return { onDemand: total("od-"), spot: total("spot-") };
}

type Obj = Record<string, unknown>;

function asObj(v: unknown): Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

/** MNG's capacity-type label becomes Karpenter's, values in its spelling. */
function karpenterExpression(e: unknown): unknown {
    const x = asObj(e);
    if (x.key !== MNG_CAPACITY_TYPE || !Array.isArray(x.values)) {
        return e;
    }
    return { ...x, key: KARPENTER_CAPACITY_TYPE, values: (x.values as unknown[]).map((v) => (String(v) === "SPOT" ? "spot" : "on-demand")) };
}

function rewritePodSpec(spec: Obj, spread: Spread | undefined, selector: unknown): Obj {
    const affinity = asObj(spec.affinity);
    const nodeAffinity = asObj(affinity.nodeAffinity);
    const required = asObj(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
    const terms = Array.isArray(required.nodeSelectorTerms) ? (required.nodeSelectorTerms as unknown[]) : [];
    const rewritten = terms.map((t) => ({ ...asObj(t), matchExpressions: (Array.isArray(asObj(t).matchExpressions) ? (asObj(t).matchExpressions as unknown[]) : []).map(karpenterExpression) }));
    let preferred = (Array.isArray(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution) ? (nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution as unknown[]) : []).filter(
        (p) => !(Array.isArray(asObj(asObj(p).preference).matchExpressions) && (asObj(asObj(p).preference).matchExpressions as unknown[]).some((e) => asObj(e).key === MNG_CAPACITY_TYPE)),
    );
    const spreads = Array.isArray(spec.topologySpreadConstraints) ? [...(spec.topologySpreadConstraints as unknown[])] : [];
    if (spread) {
        const domains = { key: SPREAD_LABEL, operator: "In", values: [...spread.onDemand, ...spread.spot] };
        if (rewritten.length === 0) {
            rewritten.push({ matchExpressions: [domains] });
        } else {
            rewritten.forEach((t) => t.matchExpressions.push(domains));
        }
        preferred = [...preferred, { weight: 100, preference: { matchExpressions: [{ key: KARPENTER_CAPACITY_TYPE, operator: "In", values: [spread.prefer] }] } }];
        spreads.push({ maxSkew: 1, topologyKey: SPREAD_LABEL, whenUnsatisfiable: "DoNotSchedule", labelSelector: selector });
    }
    const newNodeAffinity: Obj = {
        ...(rewritten.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: rewritten } } : {}),
        ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
    };
    const newAffinity: Obj = { ...affinity, ...(Object.keys(newNodeAffinity).length > 0 ? { nodeAffinity: newNodeAffinity } : {}) };
    if (Object.keys(newNodeAffinity).length === 0) {
        delete newAffinity.nodeAffinity;
    }
    return {
        ...spec,
        ...(Object.keys(newAffinity).length > 0 ? { affinity: newAffinity } : {}),
        ...(spreads.length > 0 ? { topologySpreadConstraints: spreads } : {}),
    };
}

function withSpread(w: WorkloadPlan, spread: Spread | undefined, strategy: CapacityStrategy | undefined): WorkloadPlan {
    const objects = w.objects.map((o): K8sObject => {
        if (o.kind !== "Deployment") {
            return o;
        }
        const spec = asObj(o.spec);
        const template = asObj(spec.template);
        const selector = { matchLabels: asObj(asObj(spec.selector).matchLabels) };
        return { ...o, spec: { ...spec, template: { ...template, spec: rewritePodSpec(asObj(template.spec), spread, selector) } } };
    });
    const diagnostics: Diagnostic[] = [...w.diagnostics];
    if (strategy && spread) {
        diagnostics.push({
            code: "CAPACITY_SPLIT",
            severity: spread.exact ? "info" : "warning",
            service: w.source.name,
            field: "capacityProviderStrategy",
            message: `on Karpenter the pods spread over ${spread.onDemand.length} on-demand and ${spread.spot.length} Spot domains of ${SPREAD_LABEL}, ${spread.prefer} first: ${spread.exact ? "the same split as ECS for every replica count" : `every round of ${spread.onDemand.length + spread.spot.length} pods keeps the ${spread.onDemand.length}:${spread.spot.length} ratio, but within a round, and a base of ${strategy.onDemand.base} on-demand / ${strategy.spot.base} Spot, it differs from ECS`}`,
            suggestion: spread.exact ? "nothing to do" : "for ECS's split exactly, use an on-demand weight that reduces to 1 (1:3, 2:6) with base 0 or 1",
        });
    }
    return { ...w, objects, diagnostics };
}

/** The plan for Karpenter: capacity-type affinity in Karpenter's labels, mixed strategies as exact spreads. */
export function withKarpenterPlacement(plan: MigrationPlan, snapshot: EcsSnapshot): MigrationPlan {
    const strategies = new Map<string, readonly StrategyItem[]>();
    for (const c of snapshot.clusters) {
        for (const s of c.services) {
            if (s.serviceArn && s.capacityProviderStrategy && s.capacityProviderStrategy.length > 0) {
                strategies.set(s.serviceArn, s.capacityProviderStrategy);
            }
        }
    }
    return {
        ...plan,
        workloads: plan.workloads.map((w) => {
            const items = w.source.kind === "service" ? strategies.get(w.source.arn) : undefined;
            const strategy = items ? strategyOf(items) : undefined;
            return withSpread(w, strategy ? spreadFor(strategy) : undefined, strategy);
        }),
    };
}
