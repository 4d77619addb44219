/** The capacity summary as a section of the migration report. Pure. */
import { CapacitySummary, Resources } from "./check";
import { showCpu, showMemory } from "./quantity";

const totals = (r: Resources | undefined) => (r ? `${showCpu(r.cpuMilli)} · ${showMemory(r.memoryMiB)} · ${r.pods >= Number.MAX_SAFE_INTEGER ? "—" : r.pods} pods` : "unbounded");

const showDaemonSets = (ds: CapacitySummary["daemonSets"]) => ds.map((d) => `${d.name} (${d.cpuMilli}m, ${Math.round(d.memoryMiB)}Mi)`).join(", ");

export function renderCapacity(c: CapacitySummary): string {
    const gpuOnly = c.daemonSets.filter((d) => d.gpuNodesOnly);
    const lines = [
        "## Capacity",
        "",
        "Each pod's requests against what a node offers pods: the instance type less the kubelet's kube-reserved CPU and memory and the 100 MiB eviction threshold (the EKS AL2023 AMI's formulas), less every DaemonSet's requests; max pods from the VPC CNI formula.",
        "",
        "| pool | kind | capacity | instance type | for pods per node | max pods | nodes desired / max |",
        "|---|---|---|---|---|---:|---|",
        ...c.pools.flatMap((p) =>
            // A NodePool may pick any of dozens of types: show the largest, which bounds what a pod may ask.
            (p.kind === "node group" ? p.nodes : [...p.nodes].sort((a, b) => b.forPods.cpuMilli - a.forPods.cpuMilli || b.forPods.memoryMiB - a.forPods.memoryMiB).slice(0, 1)).map(
                (n) =>
                    `| ${p.name} | ${p.kind} | ${p.capacityType} | ${n.instanceType}${n.gpus > 0 ? ` (${n.gpus} GPU)` : ""}${p.kind === "node group" ? "" : ` (largest of ${p.nodes.length})`} | ${showCpu(n.forPods.cpuMilli)} · ${showMemory(n.forPods.memoryMiB)} | ${n.pods} | ${p.desiredNodes} / ${p.maxNodes ?? (p.atMax ? "limits" : "unbounded")} |`,
            ),
        ),
        "",
        `DaemonSets on every node: ${showDaemonSets(c.daemonSets.filter((d) => !d.gpuNodesOnly)) || "none"}${gpuOnly.length > 0 ? `; on GPU nodes also ${showDaemonSets(gpuOnly)}` : ""}.`,
        "",
        "| | requests | capacity | headroom |",
        "|---|---|---|---|",
        `| at desired counts | ${totals(c.demand.desired)} | ${totals(c.capacity.atDesired)} (nodes at desired size) | ${c.capacity.atDesired ? totals(sub(c.capacity.atDesired, c.demand.desired)) : ""} |`,
        `| at autoscaling maxima | ${totals(c.demand.atMaxima)} | ${totals(c.capacity.atMax)} (nodes at maxSize) | ${totals(c.headroom)} |`,
        "",
        "Per namespace (desired counts):",
        "",
        "| namespace | pods | CPU requests | memory requests | CPU limits | memory limits |",
        "|---|---:|---|---|---|---|",
        ...c.namespaces.map(
            (n) =>
                `| ${n.namespace} | ${n.pods} | ${showCpu(n.requests.cpuMilli)} | ${showMemory(n.requests.memoryMiB)} | ${showCpu(n.limits.cpuMilli)}${n.podsWithoutCpuLimit > 0 ? ` (+ ${n.podsWithoutCpuLimit} pods without a CPU limit)` : ""} | ${showMemory(n.limits.memoryMiB)} |`,
        ),
        "",
    ];
    if (c.fargate.workloads.length > 0 || c.fargate.keptOnNodes.length > 0) {
        lines.push(
            `On Fargate: ${c.fargate.workloads.join(", ") || "none"}.`,
            "",
            ...c.fargate.keptOnNodes.map((k) => `- kept on nodes: ${k.workload} (${k.reasons.join(", ")})`),
            "",
        );
    }
    if (c.unknownInstanceTypes.length > 0) {
        lines.push(`Not sized (unknown instance types): ${c.unknownInstanceTypes.join(", ")}.`, "");
    }
    return `${lines.join("\n")}\n`;
}

function sub(a: Resources, b: Resources): Resources {
    return { cpuMilli: a.cpuMilli - b.cpuMilli, memoryMiB: a.memoryMiB - b.memoryMiB, pods: a.pods - b.pods };
}
