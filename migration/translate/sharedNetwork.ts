/**
 * What changes when the containers of a bridge-mode task move into one pod,
 * which has a single network namespace. Pure.
 *
 * In bridge mode every container had its own address on the Docker bridge;
 * `links` made a linked container reachable by its name and its alias. In a
 * pod the containers share localhost, and no container name resolves (the
 * pod's /etc/hosts holds only localhost and the pod's own hostname), so each
 * linked name becomes a host alias of 127.0.0.1.
 */
import { ContainerPort, EcsContainer } from "./containers";
import { Diagnostics } from "./diagnostics";

/** hostAliases hostnames are validated as DNS-1123 subdomains. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Hostnames to map to 127.0.0.1 for the task's links. `taken` holds the
 * hostnames the pod resolves already (its hostname, extraHosts): those are
 * left as they are.
 */
export function linkAliases(containers: readonly EcsContainer[], taken: ReadonlySet<string>, d: Diagnostics): string[] {
    const names = new Set(containers.map((c) => c.name ?? ""));
    const aliases: string[] = [];
    for (const c of containers) {
        const links = c.links ?? [];
        if (links.length === 0) {
            continue;
        }
        const at = `containerDefinitions[${c.name}].links`;
        const added: string[] = [];
        for (const link of links) {
            const [target, alias] = link.split(":");
            if (!names.has(target)) {
                d.error("LINK_UNKNOWN", at, `link ${JSON.stringify(link)} names container ${JSON.stringify(target)}, which the task does not have`, "fix the task definition", c.name);
                continue;
            }
            for (const hostname of [target, ...(alias ? [alias] : [])].map((h) => h.toLowerCase())) {
                if (hostname === "localhost" || taken.has(hostname) || aliases.includes(hostname)) {
                    continue;
                }
                if (hostname.length > 253 || !DNS1123_SUBDOMAIN.test(hostname)) {
                    d.warn("LINK_ALIAS", at, `linked name ${JSON.stringify(hostname)} cannot be a host alias (lowercase letters, digits, - and . only)`, `reach ${target} on localhost:<port> instead of ${hostname}`, c.name);
                    continue;
                }
                aliases.push(hostname);
                added.push(hostname);
            }
        }
        if (added.length > 0) {
            d.map(at);
            d.info("LINKS", at, `links ${links.join(", ")}: ${added.join(", ")} resolve to 127.0.0.1 (hostAliases), since the containers of a pod share one network`, "nothing to do, unless two containers listen on the same port (see PORT_CONFLICT)", c.name);
        }
    }
    return aliases;
}

/**
 * Two containers that listened on the same port in bridge mode (each on its
 * own address) cannot both bind it in a pod.
 */
export function portConflicts(ports: readonly (ContainerPort & { readonly container: string })[], d: Diagnostics): void {
    const seen = new Map<string, string>();
    for (const p of ports) {
        const key = `${p.containerPort}/${p.protocol}`;
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, p.container);
        } else if (first !== p.container) {
            d.error(
                "PORT_CONFLICT",
                `containerDefinitions[${p.container}].portMappings`,
                `${first} and ${p.container} both listen on ${key}: in bridge mode each container had its own address, in a pod they share one and the second cannot bind the port`,
                `make ${p.container} listen on another port, and change its portMappings to match`,
                p.container,
            );
        }
    }
}
