/**
 * What a node offers pods: the instance type less what the kubelet keeps for
 * itself. The formulas are those of the EKS AL2023 AMI's nodeadm, read at
 * awslabs/amazon-eks-ami tag v20260724 (81fec2e895854f599974fe4d3d72f61c0a9aaffa),
 * nodeadm/internal/kubelet/config.go:
 * - kube-reserved CPU (getCPUMillicoresToReserve): 6% of the first core, 1%
 *   of the second, 0.5% of the third and fourth, 0.25% of every core above four;
 * - kube-reserved memory (getMemoryMebibytesToReserve): 11 MiB × maxPods + 255 MiB;
 * - evictionHard memory.available 100Mi, which allocatable also excludes;
 * - no system-reserved (nodeadm sets only the cgroup).
 * maxPods is the VPC CNI formula (config/instanceTypes.ts maxPodsOf). Pure.
 */
import { InstanceTypeSpec, maxPodsOf } from "../../config/instanceTypes";

export const EVICTION_HARD_MEMORY_MIB = 100;

export interface Allocatable {
    readonly instanceType: string;
    readonly cpuMilli: number;
    readonly memoryMiB: number;
    readonly pods: number;
    readonly gpus: number;
}

export function kubeReservedCpuMilli(vcpu: number): number {
    const total = vcpu * 1000;
    const ranges: readonly (readonly [number, number, number])[] = [
        [0, 1000, 600],
        [1000, 2000, 100],
        [2000, 4000, 50],
        [4000, total, 25],
    ];
    // Integer arithmetic per range, as nodeadm does (basis points, truncated).
    return ranges.reduce((sum, [start, end, bp]) => (total <= start ? sum : sum + Math.trunc(((Math.min(total, end) - start) * bp) / 10000)), 0);
}

export function kubeReservedMemoryMiB(maxPods: number): number {
    return 11 * maxPods + 255;
}

export function allocatableOf(spec: InstanceTypeSpec, prefixDelegation = false): Allocatable {
    const pods = maxPodsOf(spec, prefixDelegation);
    return {
        instanceType: spec.name,
        cpuMilli: spec.vcpu * 1000 - kubeReservedCpuMilli(spec.vcpu),
        memoryMiB: spec.memoryMiB - kubeReservedMemoryMiB(pods) - EVICTION_HARD_MEMORY_MIB,
        pods,
        gpus: spec.gpus,
    };
}
