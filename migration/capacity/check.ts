/**
 * Capacity planning: does every migrated pod fit on a node the cluster can
 * make, and does the estate fit the node groups' maxima? Reads the
 * translator's plan and the node pools; adds diagnostics to the plan and
 * returns the summary the report shows. Pure and deterministic.
 */
import { instanceSpec, InstanceTypeSpec, knownInstanceFamilies } from "../../config/instanceTypes";
import { Diagnostic, MigrationPlan } from "../translate/types";
import { demandsOf, PodSize, Toleration, WorkloadDemand } from "./demand";
import { Allocatable, allocatableOf } from "./kubelet";
import { showCpu, showMemory } from "./quantity";
import { CapacityOptions, CapacityPool, DaemonSetOverhead, PoolTaint } from "./types";

/** Fargate's largest pod: 16 vCPU and 120 GiB (Amazon EKS User Guide, "Fargate Pod configuration"). */
export const FARGATE_MAX: PodSize = { cpuMilli: 16000, memoryMiB: 120 * 1024, gpus: 0 };

export interface Resources {
    readonly cpuMilli: number;
    readonly memoryMiB: number;
    readonly pods: number;
}

export interface PoolSummary {
    readonly name: string;
    readonly kind: CapacityPool["kind"];
    readonly capacityType: CapacityPool["capacityType"];
    /** Per instance type, what a node offers pods after the kubelet's share and every DaemonSet. */
    readonly nodes: readonly (Allocatable & { readonly forPods: Resources })[];
    readonly desiredNodes: number;
    readonly maxNodes?: number;
    readonly atDesired: Resources;
    /** Undefined: bounded by nothing the plan knows (a NodePool without limits). */
    readonly atMax?: Resources;
}

export interface NamespaceTotals {
    readonly namespace: string;
    readonly pods: number;
    readonly requests: { readonly cpuMilli: number; readonly memoryMiB: number };
    readonly limits: { readonly cpuMilli: number; readonly memoryMiB: number };
    /** Pods whose containers set no CPU limit (they may burst to the node's CPU). */
    readonly podsWithoutCpuLimit: number;
}

export interface CapacitySummary {
    readonly pools: readonly PoolSummary[];
    /** Per node: the add-ons' and the migrated DaemonSets' requests. */
    readonly daemonSets: readonly DaemonSetOverhead[];
    readonly demand: { readonly desired: Resources; readonly atMaxima: Resources };
    readonly capacity: { readonly atDesired: Resources; readonly atMax?: Resources };
    /** Capacity at the node groups' maxima less the demand at the autoscaling maxima; undefined when unbounded. */
    readonly headroom?: Resources;
    readonly namespaces: readonly NamespaceTotals[];
    /** Workloads that run on Fargate, and those kept on nodes with the reason. */
    readonly fargate: { readonly workloads: readonly string[]; readonly keptOnNodes: readonly { readonly workload: string; readonly reasons: readonly string[] }[] };
    /** Instance types the table does not know. */
    readonly unknownInstanceTypes: readonly string[];
}

export interface CapacityResult {
    readonly plan: MigrationPlan;
    readonly capacity: CapacitySummary;
}

const EMPTY: Resources = { cpuMilli: 0, memoryMiB: 0, pods: 0 };
const plus = (a: Resources, b: Resources): Resources => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryMiB: a.memoryMiB + b.memoryMiB, pods: a.pods + b.pods });
const times = (a: Resources, n: number): Resources => ({ cpuMilli: a.cpuMilli * n, memoryMiB: a.memoryMiB * n, pods: a.pods * n });
const minus = (a: Resources, b: Resources): Resources => ({ cpuMilli: a.cpuMilli - b.cpuMilli, memoryMiB: a.memoryMiB - b.memoryMiB, pods: a.pods - b.pods });

function tolerates(tolerations: readonly Toleration[], taint: PoolTaint): boolean {
    return tolerations.some(
        (t) =>
            (t.effect === undefined || t.effect === "" || t.effect === taint.effect) &&
            ((t.operator === "Exists" && (t.key === undefined || t.key === "" || t.key === taint.key)) || (t.key === taint.key && (t.value ?? "") === taint.value)),
    );
}

/** Pools the workload's pods may be scheduled to: architecture, required capacity type, taints. */
function eligible(pool: CapacityPool, specs: readonly InstanceTypeSpec[], d: WorkloadDemand): boolean {
    const archOk = d.arch === undefined || specs.some((s) => (s.architecture === "arm64" ? "arm64" : "amd64") === d.arch);
    const capacityOk = d.capacityTypes === undefined || d.capacityTypes.includes(pool.capacityType);
    const taintsOk = pool.taints.filter((t) => t.effect !== "PreferNoSchedule").every((t) => tolerates(d.tolerations, t));
    return archOk && capacityOk && taintsOk;
}

function fits(pod: PodSize, node: Resources & { readonly gpus: number }): boolean {
    return pod.cpuMilli <= node.cpuMilli && pod.memoryMiB <= node.memoryMiB && pod.gpus <= node.gpus && node.pods >= 1;
}

const showPod = (p: PodSize) => `${showCpu(p.cpuMilli)} and ${showMemory(p.memoryMiB)}${p.gpus > 0 ? ` and ${p.gpus} GPU` : ""}`;
const showNode = (n: Allocatable & { forPods: Resources }) => `${n.instanceType} (${showCpu(n.forPods.cpuMilli)}, ${showMemory(n.forPods.memoryMiB)}${n.gpus > 0 ? `, ${n.gpus} GPU` : ""} for pods)`;

/** The smallest known type of the families already in use (else any family) that would hold the pod. */
function suggestType(pod: PodSize, arch: string | undefined, families: readonly string[], overheadOn: (spec: InstanceTypeSpec) => Resources, prefixDelegation: boolean): string | undefined {
    const candidates = knownInstanceFamilies()
        .sort((a, b) => Number(!families.includes(a)) - Number(!families.includes(b)) || a.localeCompare(b))
        .flatMap((family) =>
            ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge"].flatMap((size) => {
                const spec = instanceSpec(`${family}.${size}`);
                return spec ? [spec] : [];
            }),
        )
        .filter((s) => arch === undefined || (s.architecture === "arm64" ? "arm64" : "amd64") === arch);
    const fitting = candidates.filter((s) => {
        const a = allocatableOf(s, prefixDelegation);
        return fits(pod, { ...minus(a, overheadOn(s)), gpus: a.gpus });
    });
    const inUse = fitting.filter((s) => families.includes(s.name.split(".")[0]));
    const pick = (list: readonly InstanceTypeSpec[]) => [...list].sort((a, b) => a.vcpu - b.vcpu || a.memoryMiB - b.memoryMiB || a.name.localeCompare(b.name))[0];
    return (pick(inUse) ?? pick(fitting))?.name;
}

export function checkCapacity(plan: MigrationPlan, options: CapacityOptions): CapacityResult {
    const prefixDelegation = options.prefixDelegation ?? false;
    const fargateNamespaces = new Set(options.fargateNamespaces ?? []);
    const demands = demandsOf(plan.workloads);
    const onFargate = (d: WorkloadDemand) => fargateNamespaces.has(d.namespace) && d.fargateBlockers.length === 0;

    const migratedDaemonSets = demands.filter((d) => d.kind === "DaemonSet").map((d) => ({ name: d.workload, cpuMilli: d.requests.cpuMilli, memoryMiB: d.requests.memoryMiB }));
    const daemonSets: DaemonSetOverhead[] = [...options.daemonSets, ...migratedDaemonSets];
    // What the DaemonSets take of a node of this type: those bound to GPU nodes only there.
    const overheadOn = (spec: InstanceTypeSpec): Resources =>
        daemonSets.filter((ds) => !ds.gpuNodesOnly || spec.gpus > 0).reduce((s, ds) => plus(s, { cpuMilli: ds.cpuMilli, memoryMiB: ds.memoryMiB, pods: 1 }), EMPTY);

    const unknown = new Set<string>();
    const pools = options.pools.map((pool) => {
        const specs = pool.instanceTypes.flatMap((t) => {
            const spec = instanceSpec(t);
            if (!spec) {
                unknown.add(t);
            }
            return spec ? [spec] : [];
        });
        const nodes = specs.map((s) => {
            const a = allocatableOf(s, prefixDelegation);
            return { ...a, forPods: minus({ cpuMilli: a.cpuMilli, memoryMiB: a.memoryMiB, pods: a.pods }, overheadOn(s)) };
        });
        // A group of several types may get its smallest: count that one for the estate.
        const smallest = [...nodes].sort((a, b) => a.forPods.cpuMilli - b.forPods.cpuMilli || a.forPods.memoryMiB - b.forPods.memoryMiB)[0];
        const perNode = smallest ? smallest.forPods : EMPTY;
        const atMax: Resources | undefined =
            pool.maxNodes !== undefined ? times(perNode, pool.maxNodes) : pool.limits ? { cpuMilli: pool.limits.cpuMilli, memoryMiB: pool.limits.memoryMiB, pods: Number.MAX_SAFE_INTEGER } : undefined;
        const summary: PoolSummary = {
            name: pool.name,
            kind: pool.kind,
            capacityType: pool.capacityType,
            nodes,
            desiredNodes: pool.desiredNodes,
            ...(pool.maxNodes !== undefined ? { maxNodes: pool.maxNodes } : {}),
            atDesired: times(perNode, pool.desiredNodes),
            ...(atMax ? { atMax } : {}),
        };
        return { pool, specs, summary };
    });

    const byWorkload = new Map<string, Diagnostic[]>();
    const estate: Diagnostic[] = [];
    const note = (workload: string, d: Diagnostic) => byWorkload.set(workload, [...(byWorkload.get(workload) ?? []), d]);
    const allNodes = pools.flatMap((p) => p.summary.nodes);
    const largest = [...allNodes].sort((a, b) => b.forPods.cpuMilli - a.forPods.cpuMilli || b.forPods.memoryMiB - a.forPods.memoryMiB)[0];
    const families = [...new Set(pools.flatMap((p) => p.specs.map((s) => s.name.split(".")[0])))];

    for (const d of demands) {
        if (d.kind === "DaemonSet") {
            continue;
        }
        if (onFargate(d)) {
            if (!fits(d.requests, { ...FARGATE_MAX, pods: 1, gpus: 0 })) {
                note(d.workload, {
                    code: "CAPACITY_POD_TOO_LARGE_FOR_FARGATE",
                    severity: "error",
                    service: d.service,
                    field: "cpu",
                    message: `${d.workload} asks for ${showPod(d.requests)} per pod, more than Fargate's largest pod (16 vCPU, 120 GiB), in Fargate namespace ${d.namespace}`,
                    suggestion: `take ${d.namespace} out of cluster:fargateNamespaces, or lower the task's cpu and memory`,
                });
            }
            continue;
        }
        if (pools.length === 0 || allNodes.length === 0) {
            continue;
        }
        const candidates = pools.filter((p) => eligible(p.pool, p.specs, d));
        const fitting = candidates.some((p) => p.summary.nodes.some((n) => fits(d.requests, { ...n.forPods, gpus: n.gpus })));
        if (fitting) {
            continue;
        }
        if (candidates.length === 0) {
            note(d.workload, {
                code: "CAPACITY_NO_MATCHING_NODES",
                severity: "warning",
                service: d.service,
                field: "runtimePlatform",
                message: `no node group or NodePool takes ${d.workload}'s pods (architecture ${d.arch ?? "any"}, capacity type ${d.capacityTypes?.join("/") ?? "any"}, their tolerations against the groups' taints): they would stay Pending`,
                suggestion: `add a node group${d.arch === "arm64" ? " of Graviton instance types (m7g, c7g, r7g)" : ""} that takes them, or use addons:nodeProvisioner karpenter, whose NodePools offer both architectures`,
            });
            continue;
        }
        const suggestion = suggestType(d.requests, d.arch, families, overheadOn, prefixDelegation);
        note(d.workload, {
            code: "CAPACITY_POD_TOO_LARGE",
            severity: "error",
            service: d.service,
            field: "cpu",
            message: `${d.workload} asks for ${showPod(d.requests)} per pod (its containers' requests), but the largest allocatable node is ${showNode(largest)}, after the kubelet's reserve, the eviction threshold and ${daemonSets.filter((ds) => !ds.gpuNodesOnly || largest.gpus > 0).length} DaemonSet(s): the pods would stay Pending`,
            suggestion: suggestion
                ? `add a node group (or NodePool) with ${suggestion} or larger and let ${d.workload} schedule there, or lower the task's cpu and memory`
                : "no instance type capacity planning knows holds it; lower the task's cpu and memory or split the task",
        });
    }

    if (unknown.size > 0) {
        estate.push({
            code: "CAPACITY_UNKNOWN_INSTANCE_TYPE",
            severity: "error",
            service: "",
            field: "nodeGroups.instanceTypes",
            message: `capacity planning does not know instance type(s) ${[...unknown].sort().join(", ")}, so it cannot tell whether the pods fit`,
            suggestion: `use a type of the families ${knownInstanceFamilies().join(", ")}, or add its row (vCPU, memory, interfaces, addresses per interface, GPUs) to config/instanceTypeTable.ts from the AWS documentation`,
        });
    }

    const nodeDemands = demands.filter((d) => d.kind !== "DaemonSet" && !onFargate(d));
    const demandAt = (n: (d: WorkloadDemand) => number) =>
        nodeDemands.reduce((s, d) => plus(s, times({ cpuMilli: d.requests.cpuMilli, memoryMiB: d.requests.memoryMiB, pods: 1 }, n(d))), EMPTY);
    const demand = { desired: demandAt((d) => d.desired), atMaxima: demandAt((d) => d.max) };
    const atDesired = pools.reduce((s, p) => plus(s, p.summary.atDesired), EMPTY);
    const bounded = pools.every((p) => p.summary.atMax !== undefined);
    const atMax = bounded ? pools.reduce((s, p) => plus(s, p.summary.atMax ?? EMPTY), EMPTY) : undefined;
    const headroom = atMax ? minus(atMax, demand.atMaxima) : undefined;
    const short = (have: Resources, need: Resources) => need.cpuMilli > have.cpuMilli || need.memoryMiB > have.memoryMiB || need.pods > have.pods;
    const showTotals = (r: Resources) => `${showCpu(r.cpuMilli)}, ${showMemory(r.memoryMiB)}, ${r.pods} pods`;
    if (atMax && pools.length > 0 && allNodes.length > 0) {
        if (short(atMax, demand.desired)) {
            estate.push({
                code: "CAPACITY_ESTATE_EXCEEDS_MAXIMA",
                severity: "error",
                service: "",
                field: "desiredCount",
                message: `the estate at its desired counts asks for ${showTotals(demand.desired)}, but the node groups at their maxSize offer ${showTotals(atMax)}: some pods would stay Pending from the start`,
                suggestion: "raise the node groups' maxSize or use larger instance types (or a NodePool, addons:nodeProvisioner karpenter)",
            });
        } else if (short(atMax, demand.atMaxima)) {
            estate.push({
                code: "CAPACITY_AUTOSCALING_EXCEEDS_MAXIMA",
                severity: "warning",
                service: "",
                field: "autoScaling.maxCapacity",
                message: `the estate at its autoscaling maxima asks for ${showTotals(demand.atMaxima)}, but the node groups at their maxSize offer ${showTotals(atMax)}: at a traffic peak the last replicas would stay Pending`,
                suggestion: "raise the node groups' maxSize, or lower the services' autoscaling maxima",
            });
        }
    }

    const namespaces = [...new Set(demands.filter((d) => d.kind !== "DaemonSet").map((d) => d.namespace))].sort().map((namespace): NamespaceTotals => {
        const here = demands.filter((d) => d.namespace === namespace && d.kind !== "DaemonSet");
        return {
            namespace,
            pods: here.reduce((n, d) => n + d.desired, 0),
            requests: { cpuMilli: here.reduce((n, d) => n + d.requests.cpuMilli * d.desired, 0), memoryMiB: here.reduce((n, d) => n + d.requests.memoryMiB * d.desired, 0) },
            limits: { cpuMilli: here.reduce((n, d) => n + (d.limits.cpuMilli ?? 0) * d.desired, 0), memoryMiB: here.reduce((n, d) => n + (d.limits.memoryMiB ?? 0) * d.desired, 0) },
            podsWithoutCpuLimit: here.filter((d) => d.limits.cpuMilli === undefined).reduce((n, d) => n + d.desired, 0),
        };
    });

    const inFargateNs = demands.filter((d) => fargateNamespaces.has(d.namespace));
    const fargate = {
        workloads: inFargateNs.filter(onFargate).map((d) => d.workload),
        keptOnNodes: inFargateNs.filter((d) => !onFargate(d)).map((d) => ({ workload: d.workload, reasons: d.fargateBlockers })),
    };
    for (const k of fargate.keptOnNodes) {
        const d = inFargateNs.find((x) => x.workload === k.workload) as WorkloadDemand;
        note(k.workload, {
            code: "FARGATE_KEPT_ON_NODES",
            severity: "info",
            service: d.service,
            field: "namespace",
            message: `${k.workload} is in Fargate namespace ${d.namespace} but Fargate cannot run it (${k.reasons.join(", ")}), so it stays on nodes`,
            suggestion: "nothing to do; its pods lack the Fargate profile's label, so they schedule on the node groups",
        });
    }

    const capacity: CapacitySummary = {
        pools: pools.map((p) => p.summary),
        daemonSets,
        demand,
        capacity: { atDesired, ...(atMax ? { atMax } : {}) },
        ...(headroom ? { headroom } : {}),
        namespaces,
        fargate,
        unknownInstanceTypes: [...unknown].sort(),
    };
    return {
        plan: {
            ...plan,
            diagnostics: [...plan.diagnostics, ...estate],
            workloads: plan.workloads.map((w) => (byWorkload.has(w.name) ? { ...w, diagnostics: [...w.diagnostics, ...(byWorkload.get(w.name) ?? [])] } : w)),
        },
        capacity,
    };
}
