/** IPv4 CIDR arithmetic for validation. Pure. */

export interface Ipv4Cidr {
    readonly address: number;
    readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    const m = CIDR.exec(text);
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    return { address, prefix };
}

/** The network address of the block, e.g. 10.0.0.0/16 for 10.0.3.7/16. */
export function networkOf(cidr: Ipv4Cidr): string {
    const size = 2 ** (32 - cidr.prefix);
    const base = Math.floor(cidr.address / size) * size;
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${octets.join(".")}/${cidr.prefix}`;
}

export function hasHostBits(cidr: Ipv4Cidr): boolean {
    return cidr.address % 2 ** (32 - cidr.prefix) !== 0;
}
