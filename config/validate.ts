import { readCluster } from "./cluster";
import { ConfigError } from "./errors";
import { readIdentity } from "./identity";
import { readNetwork } from "./network";
import { readNodeGroups } from "./nodeGroups";
import { ConfigReader, RawConfig } from "./reader";
import { StackConfig } from "./types";

/** The config namespaces this program owns; unknown keys in them are typos. */
export const NAMESPACES = ["network", "cluster", "nodeGroups", "identity"] as const;

function readAll(raw: RawConfig, stack: string) {
    const r = new ConfigReader(raw);
    return { r, network: readNetwork(r), cluster: readCluster(r, stack), nodeGroups: readNodeGroups(r), identity: readIdentity(r) };
}

/**
 * Every config key this program reads (node groups are keys of their own,
 * shown by the default group's key), for docs and the example stack files.
 */
export function knownConfigKeys(): string[] {
    return readAll({}, "example").r.knownKeys();
}

/**
 * Validates raw stack config (full key → string, as Pulumi stores it) into a
 * frozen StackConfig. Pure. Throws ConfigError listing every problem.
 */
export function validateConfig(raw: RawConfig, stack: string): StackConfig {
    const { r, network, cluster, nodeGroups, identity } = readAll(raw, stack);
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
