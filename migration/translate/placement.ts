/** Where pods run: placement constraints and strategies, capacity providers, platform. Pure. */
import type { RuntimePlatform } from "@aws-sdk/client-ecs";
import type { Json, ServiceSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";

export interface Placement {
    readonly nodeSelector?: Record<string, string>;
    readonly affinity?: Record<string, unknown>;
    readonly topologySpreadConstraints?: Record<string, unknown>[];
    readonly tolerations?: Record<string, unknown>[];
}

const ZONE = "topology.kubernetes.io/zone";
const HOSTNAME = "kubernetes.io/hostname";
const INSTANCE_TYPE = "node.kubernetes.io/instance-type";
/** Managed node groups label their nodes with their capacity type. */
const CAPACITY_TYPE = "eks.amazonaws.com/capacityType";

/** `attribute:ecs.instance-type == m6i.large`, `attribute:ecs.availability-zone in [a, b]` → a node selector term. */
function constraintExpression(expression: string): { key: string; operator: "In" | "NotIn"; values: string[] } | undefined {
    const m = /^\s*attribute:ecs\.(instance-type|availability-zone)\s*(==|!=|in|not in)\s*\[?([^\]]+?)\]?\s*$/i.exec(expression);
    if (!m) {
        return undefined;
    }
    const key = m[1] === "instance-type" ? INSTANCE_TYPE : ZONE;
    const values = m[3].split(",").map((v) => v.trim()).filter((v) => v.length > 0);
    const negative = m[2] === "!=" || /not in/i.test(m[2]);
    if (values.some((v) => /[*?]/.test(v))) {
        return undefined;
    }
    return { key, operator: negative ? "NotIn" : "In", values };
}

export function translatePlacement(
    service: ServiceSnapshot | undefined,
    platform: Json<RuntimePlatform> | undefined,
    taskConstraints: readonly { type?: string; expression?: string }[],
    selectorLabels: Record<string, string>,
    d: Diagnostics,
): Placement {
    const nodeSelector: Record<string, string> = {};
    const required: Record<string, unknown>[] = [];
    const preferred: Record<string, unknown>[] = [];
    const spread: Record<string, unknown>[] = [];
    const tolerations: Record<string, unknown>[] = [];
    let antiAffinity: Record<string, unknown> | undefined;

    if (platform?.cpuArchitecture === "ARM64") {
        nodeSelector["kubernetes.io/arch"] = "arm64";
        d.map("runtimePlatform.cpuArchitecture");
        d.info("ARM64", "runtimePlatform.cpuArchitecture", "the pods need arm64 nodes", "add a node group of Graviton instance types (nodeGroups:<name> with m7g, c7g, ...)");
    } else if (platform?.cpuArchitecture === "X86_64") {
        nodeSelector["kubernetes.io/arch"] = "amd64";
        d.map("runtimePlatform.cpuArchitecture");
    }
    if (platform?.operatingSystemFamily && platform.operatingSystemFamily !== "LINUX") {
        nodeSelector["kubernetes.io/os"] = "windows";
        d.warn("WINDOWS", "runtimePlatform.operatingSystemFamily", `the task runs on ${platform.operatingSystemFamily}`, "add a Windows node group; Windows pods cannot use Pod Security restricted and need the Windows VPC CNI settings");
    } else if (platform?.operatingSystemFamily) {
        d.map("runtimePlatform.operatingSystemFamily");
    }

    const constraints = [...(service?.placementConstraints ?? []), ...taskConstraints];
    constraints.forEach((c, i) => {
        const field = `placementConstraints[${i}]`;
        if (c.type === "distinctInstance") {
            antiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selectorLabels }, topologyKey: HOSTNAME }] };
            d.map(field);
            return;
        }
        const expr = c.expression ? constraintExpression(c.expression) : undefined;
        if (expr) {
            required.push({ matchExpressions: [expr] });
            d.map(field);
        } else {
            d.warn(
                "PLACEMENT_CONSTRAINT",
                field,
                `placement constraint ${JSON.stringify(c.expression ?? c.type)} is not carried over`,
                "express it with node labels: add the label to a node group and a nodeSelector or node affinity to the workload",
            );
        }
    });
    (service?.placementStrategy ?? []).forEach((s, i) => {
        const field = `placementStrategy[${i}]`;
        if (s.type === "spread") {
            const key = /availability-zone/.test(s.field ?? "") ? ZONE : /instanceId|host/.test(s.field ?? "") ? HOSTNAME : undefined;
            if (key) {
                spread.push({ maxSkew: 1, topologyKey: key, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels } });
                d.map(field);
            } else {
                d.warn("PLACEMENT_SPREAD", field, `spread over ${s.field} is not carried over`, "spread over a node label with topologySpreadConstraints");
            }
        } else if (s.type === "binpack") {
            d.info("PLACEMENT_BINPACK", field, `binpack on ${s.field ?? "memory"} is a scheduler policy on Kubernetes, not a workload field`, "use Karpenter consolidation or the MostAllocated scoring strategy for dense packing");
        } else {
            d.info("PLACEMENT_RANDOM", field, "random placement is the Kubernetes default", "nothing to do");
        }
    });

    // Spot capacity: FARGATE_SPOT, or capacity providers whose name says spot.
    const strategy = service?.capacityProviderStrategy ?? [];
    const isSpot = (name: string | undefined) => /spot/i.test(name ?? "");
    const spotWeight = strategy.filter((s) => isSpot(s.capacityProvider)).reduce((n, s) => n + (s.weight ?? 0), 0);
    const totalWeight = strategy.reduce((n, s) => n + (s.weight ?? 0), 0);
    if (strategy.length > 0) {
        d.map("capacityProviderStrategy");
    }
    if (spotWeight > 0) {
        tolerations.push({ key: "capacity", operator: "Equal", value: "spot", effect: "NoSchedule" });
        if (spotWeight === totalWeight && !strategy.some((s) => (s.base ?? 0) > 0 && !isSpot(s.capacityProvider))) {
            required.push({ matchExpressions: [{ key: CAPACITY_TYPE, operator: "In", values: ["SPOT"] }] });
        } else {
            const weight = Math.max(1, Math.min(100, Math.round((spotWeight * 100) / Math.max(totalWeight, 1))));
            preferred.push({ weight, preference: { matchExpressions: [{ key: CAPACITY_TYPE, operator: "In", values: ["SPOT"] }] } });
            d.info(
                "CAPACITY_MIX",
                "capacityProviderStrategy",
                `ECS split tasks ${strategy.map((s) => `${s.capacityProvider}:${s.weight ?? 0}${s.base ? `(base ${s.base})` : ""}`).join(", ")}; pods prefer Spot nodes with weight ${weight} and fall back to on-demand`,
                "for an exact split, run two Deployments or use Karpenter with a capacity-type spread",
            );
        }
    }

    const nodeAffinity: Record<string, unknown> = {};
    if (required.length > 0) {
        // Terms are ORed by Kubernetes; ECS constraints are ANDed, so merge them into one term.
        nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchExpressions: required.flatMap((r) => r.matchExpressions as unknown[]) }] };
    }
    if (preferred.length > 0) {
        nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = preferred;
    }
    const affinity: Record<string, unknown> = {
        ...(Object.keys(nodeAffinity).length > 0 ? { nodeAffinity } : {}),
        ...(antiAffinity ? { podAntiAffinity: antiAffinity } : {}),
    };
    return {
        ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
        ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
        ...(spread.length > 0 ? { topologySpreadConstraints: spread } : {}),
        ...(tolerations.length > 0 ? { tolerations } : {}),
    };
}
