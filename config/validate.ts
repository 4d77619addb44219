import { PINNED_KUBERNETES_VERSION } from "../components/addons/registry";
import { readAddons } from "./addons";
import { readCluster, supportedMinor } from "./cluster";
import { readCompute } from "./compute";
import { ConfigError } from "./errors";
import { readIdentity } from "./identity";
import { readMigration } from "./migration";
import { readNetwork } from "./network";
import { readNodeGroups } from "./nodeGroups";
import { ConfigReader, RawConfig } from "./reader";
import { partitionOf, readRegion } from "./region";
import { readStorage } from "./storage";
import { StackConfig } from "./types";

/** The config namespaces this program owns; unknown keys in them are typos. */
export const NAMESPACES = ["network", "cluster", "nodeGroups", "identity", "storage", "addons", "migration"] as const;

/** Namespaces of Pulumi and its providers: theirs, not typos of ours. */
const FOREIGN_NAMESPACES = ["aws", "pulumi", "kubernetes", "eks", "awsx", "docker", "random", "tls"];

function readAll(raw: RawConfig, stack: string) {
    const r = new ConfigReader(raw);
    const parts = {
        r,
        region: readRegion(r),
        network: readNetwork(r),
        cluster: readCluster(r, stack),
        nodeGroups: readNodeGroups(r),
        identity: readIdentity(r),
        storage: readStorage(r),
        addons: readAddons(r),
        migration: readMigration(r),
        compute: readCompute(r),
    };
    checkAcrossAreas(parts);
    return parts;
}

/** Rules that span two areas of config. */
function checkAcrossAreas({ r, region, cluster, storage, addons }: Pick<ReturnType<typeof readAll>, "r" | "region" | "cluster" | "storage" | "addons">): void {
    const partition = partitionOf(region);
    for (const arn of cluster.adminPrincipalArns.filter((a) => a.split(":")[1] !== partition)) {
        r.fail(`cluster:adminPrincipalArns ${JSON.stringify(arn)} is not in partition ${partition} of aws:region ${region}; use a principal of that partition`);
    }
    if (storage.efs && !addons.enabled.efsCsi) {
        r.warn(`addons:efsCsi is off while storage:efs is on: the file system is created but pods cannot mount it; turn on addons:efsCsi or set storage:efs false`);
    }
    const mismatch = supportedMinor(cluster.version) !== undefined && cluster.version !== PINNED_KUBERNETES_VERSION;
    if (mismatch && addons.versionOverrides["kube-proxy"] === undefined) {
        r.fail(`cluster:version "${cluster.version}" needs a kube-proxy build for that minor (the pin is for ${PINNED_KUBERNETES_VERSION}); set addons:versionOverrides.kube-proxy, e.g. "v${cluster.version}.0-eksbuild.1" (list them with \`aws eks describe-addon-versions --addon-name kube-proxy --kubernetes-version ${cluster.version}\`)`);
    }
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
    const { r, region, network, cluster, nodeGroups, identity, storage, addons, migration, compute } = readAll(raw, stack);
    for (const namespace of NAMESPACES.filter((n) => n !== "nodeGroups")) {
        r.rejectUnknown(namespace);
    }
    r.rejectMistypedNamespaces(NAMESPACES, FOREIGN_NAMESPACES);
    if (r.problems.length > 0) {
        throw new ConfigError(r.problems);
    }
    return Object.freeze({
        stack,
        region,
        partition: partitionOf(region),
        network,
        cluster,
        nodeGroups: Object.freeze(nodeGroups),
        identity,
        storage,
        addons,
        migration,
        compute,
        warnings: Object.freeze([...r.warnings]),
    });
}
