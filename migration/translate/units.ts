/** ECS sizes to Kubernetes quantities. Pure. */

/** ECS CPU units: 1024 = 1 vCPU. 512 → "500m"; never rounds a request down to 0. */
export function cpuUnitsToMillicores(units: number): number {
    return Math.max(1, Math.ceil((units * 1000) / 1024));
}

export function millicores(m: number): string {
    return `${m}m`;
}

/** ECS memory is MiB. */
export function mebibytes(mib: number): string {
    return `${mib}Mi`;
}

/** Task-level sizes are strings: "1024", "1 vCPU", "2 GB", "0.5 vCPU". Undefined when absent or unreadable. */
export function parseTaskCpu(text: string | undefined): number | undefined {
    if (text === undefined || text.trim() === "") {
        return undefined;
    }
    const vcpu = /^([\d.]+)\s*vcpu$/i.exec(text.trim());
    const n = vcpu ? Number(vcpu[1]) * 1024 : Number(text);
    return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined;
}

export function parseTaskMemory(text: string | undefined): number | undefined {
    if (text === undefined || text.trim() === "") {
        return undefined;
    }
    const gb = /^([\d.]+)\s*gb$/i.exec(text.trim());
    const n = gb ? Number(gb[1]) * 1024 : Number(text);
    return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined;
}
