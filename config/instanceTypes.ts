import { AmiType } from "./types";

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
