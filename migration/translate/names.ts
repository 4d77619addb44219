/**
 * Kubernetes names, as the API server checks them. Pure. Every name the
 * translator makes goes through here, so the output is valid by
 * construction and the same input always gives the same names.
 */
import { createHash } from "crypto";

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** IANA service name: what a port name must be. */
export const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*$/;
export const MAX_LABEL = 63;
export const MAX_PORT_NAME = 15;

export function shortHash(text: string, length = 5): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Lowercases, turns everything else into "-", trims. Empty input becomes "x". */
function slug(text: string): string {
    const s = text
        .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-+|-+$/g, "");
    return s.length > 0 ? s : "x";
}

function fit(name: string, max: number, original: string): string {
    if (name.length <= max) {
        return name;
    }
    const hash = shortHash(original);
    return `${name.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** A DNS-1123 label (object, container and volume names): `consulServer` → `consul-server`. */
export function dns1123Label(text: string, max = MAX_LABEL): string {
    return fit(slug(text), max, text);
}

/** A DNS-1035 label (Service names): like DNS-1123, but starting with a letter. */
export function dns1035Label(text: string, max = MAX_LABEL): string {
    const s = slug(text);
    return fit(/^[a-z]/.test(s) ? s : `s-${s}`, max, text);
}

/** A port name: at most 15 characters, a letter in it, no double hyphen. */
export function portName(text: string | undefined, port: number, protocol: string): string {
    if (text !== undefined) {
        const s = slug(text).replace(/-+/g, "-");
        if (s.length <= MAX_PORT_NAME && IANA_SVC_NAME.test(s)) {
            return s;
        }
        const cut = s.slice(0, MAX_PORT_NAME).replace(/-+$/, "");
        if (IANA_SVC_NAME.test(cut)) {
            return cut;
        }
    }
    return `${protocol.toLowerCase() === "udp" ? "u" : "p"}${port}`.slice(0, MAX_PORT_NAME);
}

/**
 * Hands out names unique within a scope. A second request for a name already
 * taken by a different source gets a hash suffix; the same source gets the
 * same name again, so translation is deterministic.
 */
export class NameScope {
    private readonly bySource = new Map<string, string>();
    private readonly taken = new Set<string>();

    constructor(private readonly make: (text: string) => string) {}

    claim(source: string): string {
        const existing = this.bySource.get(source);
        if (existing) {
            return existing;
        }
        let name = this.make(source);
        if (this.taken.has(name)) {
            name = this.make(`${name.slice(0, MAX_LABEL - 6)}-${shortHash(source)}`);
        }
        this.taken.add(name);
        this.bySource.set(source, name);
        return name;
    }
}
