/** Kubernetes resource quantities as plain numbers: CPU in millicores, memory in MiB. Pure. */

const BINARY: Readonly<Record<string, number>> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
const DECIMAL: Readonly<Record<string, number>> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** "250m" → 250, "2" → 2000, "0.5" → 500; undefined for anything else. */
export function cpuMilli(value: unknown): number | undefined {
    const s = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(s);
    if (!m) {
        return undefined;
    }
    return m[2] === "m" ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

/** "512Mi" → 512, "1Gi" → 1024, "1G" → 953.67…, bytes → MiB; undefined for anything else. */
export function memoryMiB(value: unknown): number | undefined {
    const s = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(s);
    if (!m) {
        return undefined;
    }
    const n = Number(m[1]);
    if (!m[2]) {
        return n / (1024 * 1024);
    }
    return m[2] in BINARY ? n * BINARY[m[2]] : (n * DECIMAL[m[2]]) / (1024 * 1024);
}

/** 1930 → "1.93 vCPU". */
export function showCpu(milli: number): string {
    return `${Number((milli / 1000).toFixed(2))} vCPU`;
}

/** 7518 → "7.34 GiB". */
export function showMemory(mib: number): string {
    return `${Number((mib / 1024).toFixed(2))} GiB`;
}
