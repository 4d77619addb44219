import { AmiType } from "./types";
import { INSTANCE_TYPE_TABLE } from "./instanceTypeTable";

/** EC2 instance type naming: family (letters, generation, attributes) "." size. */
const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;

export type Architecture = "arm64" | "x86_64";

export function isInstanceType(name: string): boolean {
    return INSTANCE_TYPE.test(name);
}

/** Graviton families carry a "g" among the attributes after the generation: m7g, c6gn, x2gd, is4gen. */
export function architectureOf(instanceType: string): Architecture {
    const m = INSTANCE_TYPE.exec(instanceType);
    return m && m[3].includes("g") ? "arm64" : "x86_64";
}

/** NVIDIA GPU families on x86: p3, p4d, p5, g4dn, g5, g6, gr6. */
function isNvidiaGpu(instanceType: string): boolean {
    const m = INSTANCE_TYPE.exec(instanceType);
    return m !== null && ["p", "g", "gr"].includes(m[1]) && !m[3].includes("g");
}

/** The AL2023 image that boots these instance types. */
export function defaultAmiType(instanceTypes: readonly string[]): AmiType {
    if (instanceTypes.every((t) => architectureOf(t) === "arm64")) {
        return "AL2023_ARM_64_STANDARD";
    }
    return instanceTypes.some(isNvidiaGpu) ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD";
}

export function amiArchitecture(ami: AmiType): Architecture {
    return ami.includes("ARM_64") ? "arm64" : "x86_64";
}

/** What capacity planning needs of an instance type (config/instanceTypeTable.ts says where each number comes from). */
export interface InstanceTypeSpec {
    readonly name: string;
    readonly vcpu: number;
    readonly memoryMiB: number;
    /** Network interfaces on the default network card. */
    readonly enis: number;
    readonly ipv4PerEni: number;
    readonly gpus: number;
    readonly architecture: Architecture;
}

let specs: ReadonlyMap<string, InstanceTypeSpec> | undefined;

function table(): ReadonlyMap<string, InstanceTypeSpec> {
    if (!specs) {
        const rows = INSTANCE_TYPE_TABLE.split("\n").map((l) => l.trim().split(/\s+/)).filter((r) => r.length === 6);
        specs = new Map(
            rows.map(([name, vcpu, gib, enis, ips, gpus]) => [
                name,
                Object.freeze({ name, vcpu: Number(vcpu), memoryMiB: Math.round(Number(gib) * 1024), enis: Number(enis), ipv4PerEni: Number(ips), gpus: Number(gpus), architecture: architectureOf(name) }),
            ]),
        );
    }
    return specs;
}

/** The instance type's size, or undefined when the table does not know it. */
export function instanceSpec(name: string): InstanceTypeSpec | undefined {
    return table().get(name);
}

/** Every instance type the table knows, for messages that list the choices. */
export function knownInstanceFamilies(): string[] {
    return [...new Set([...table().keys()].map((t) => t.split(".")[0]))].sort();
}

/**
 * The kubelet's maxPods on the EKS AL2023 AMI with the VPC CNI: interfaces ×
 * (IPv4 addresses per interface − 1) + 2 (awslabs/amazon-eks-ami v20260724,
 * nodeadm/internal/kubelet/eni_max_pods.go calculateStandardMaxPods). With
 * prefix delegation each secondary address slot is a /28 (16 addresses), and
 * EKS's max-pods calculator caps the result at 110 below 30 vCPUs and 250 above
 * (Amazon EKS User Guide, "Assign more IP addresses to nodes with prefixes").
 */
export function maxPodsOf(spec: InstanceTypeSpec, prefixDelegation = false): number {
    if (!prefixDelegation) {
        return spec.enis * (spec.ipv4PerEni - 1) + 2;
    }
    return Math.min(spec.enis * (spec.ipv4PerEni - 1) * 16 + 2, spec.vcpu < 30 ? 110 : 250);
}
