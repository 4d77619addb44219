import { readCluster } from "./cluster";
import { ConfigError } from "./errors";
import { readIdentity } from "./identity";
import { readNetwork } from "./network";
import { readNodeGroups } from "./nodeGroups";
import { ConfigReader, RawConfig } from "./reader";
import { StackConfig } from "./types";

/** The config namespaces this program owns; unknown keys in them are typos. */
export const NAMESPACES = ["network", "cluster", "nodeGroups", "identity"] as const;

/**
 * Validates raw stack config (full key → string, as Pulumi stores it) into a
 * frozen StackConfig. Pure. Throws ConfigError listing every problem.
 */
export function validateConfig(raw: RawConfig, stack: string): StackConfig {
    const r = new ConfigReader(raw);
    const network = readNetwork(r);
    const cluster = readCluster(r, stack);
    const nodeGroups = readNodeGroups(r);
    const identity = readIdentity(r);
    for (const namespace of NAMESPACES.filter((n) => n !== "nodeGroups")) {
        r.rejectUnknown(namespace);
    }
    if (r.problems.length > 0) {
        throw new ConfigError(r.problems);
    }
    return Object.freeze({
        stack,
        network,
        cluster,
        nodeGroups: Object.freeze(nodeGroups),
        identity,
        warnings: Object.freeze([...r.warnings]),
    });
}
