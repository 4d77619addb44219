import { ConfigReader } from "./reader";
import { readPlatformStack, readServiceFilter, readServiceTags, readSharedClusters } from "./shard";
import { CutoverConfig, MigrationConfig, MigrationSource } from "./types";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readWeight(r: ConfigReader, at: string, value: unknown): number | undefined {
    const weight = isObject(value) ? value.eksWeight : undefined;
    if (!isObject(value) || !Number.isInteger(weight) || (weight as number) < 0 || (weight as number) > 100) {
        r.fail(`${at} ${JSON.stringify(value)} is not allowed; expected {"eksWeight": <whole number from 0 to 100>}`);
        return undefined;
    }
    const extra = Object.keys(value).filter((k) => k !== "eksWeight");
    if (extra.length > 0) {
        r.fail(`${at}.${extra[0]} is not a known field; the only field is eksWeight`);
    }
    return weight as number;
}

/**
 * migration:cutover: {"default": {"eksWeight": 10}, "services": {"web": {"eksWeight": 50}}}.
 * Weights are the percentage of a service's load-balanced traffic sent to EKS.
 */
function readCutover(r: ConfigReader): CutoverConfig {
    const raw = r.json("migration:cutover");
    if (raw === undefined) {
        return Object.freeze({ defaultEksWeight: 0, services: Object.freeze({}) });
    }
    if (!isObject(raw)) {
        r.fail(`migration:cutover ${JSON.stringify(raw)} is not allowed; expected {"default": {"eksWeight": 0}, "services": {"<ecs service>": {"eksWeight": 25}}}`);
        return Object.freeze({ defaultEksWeight: 0, services: Object.freeze({}) });
    }
    for (const key of Object.keys(raw).filter((k) => k !== "default" && k !== "services")) {
        r.fail(`migration:cutover.${key} is not a known field; use default and services`);
    }
    const defaultEksWeight = raw.default === undefined ? 0 : readWeight(r, "migration:cutover.default", raw.default) ?? 0;
    const services: Record<string, number> = {};
    if (raw.services !== undefined) {
        if (!isObject(raw.services)) {
            r.fail(`migration:cutover.services ${JSON.stringify(raw.services)} is not allowed; expected a map of ECS service names to {"eksWeight": n}`);
        } else {
            for (const [name, value] of Object.entries(raw.services)) {
                const w = readWeight(r, `migration:cutover.services.${name}`, value);
                if (w !== undefined) {
                    services[name] = w;
                }
            }
        }
    }
    return Object.freeze({ defaultEksWeight, services: Object.freeze(services) });
}

/** ECS service names, EventBridge rule and EventBridge Scheduler schedule names. */
const WORKLOAD_NAME = /^[\w.-]{1,255}$/;

/**
 * migration:allowBroadIam and migration:allowPrivileged: the ECS services (or
 * scheduled tasks) whose broad IAM permissions, or privileged and host access,
 * a reviewer accepted. The policy pack refuses them for everything else.
 */
function readAllowance(r: ConfigReader, key: string, what: string): readonly string[] {
    const names = [...new Set(r.stringList(key, (s) => (WORKLOAD_NAME.test(s) ? undefined : "is not an ECS service or scheduled task name")))].sort();
    if (names.length > 0) {
        r.warn(`${key} lets ${names.join(", ")} keep ${what} past the policy pack; keep the list to what a reviewer accepted`);
    }
    return Object.freeze(names);
}

export function readMigration(r: ConfigReader): MigrationConfig {
    const source = r.oneOf<MigrationSource>("migration:source", "none", ["none", "live", "snapshot"]);
    const snapshotFile = r.text("migration:snapshotFile");
    const clusters = r.stringList("migration:clusters", (c) => (/^[\w:/.-]{1,255}$/.test(c) ? undefined : "is not an ECS cluster name or ARN"));
    const filter = readServiceFilter(r);
    const platformStack = readPlatformStack(r);
    // A shard reads its clusters whole and selects afterwards (patterns, exclusions, tags); a plain stack's list goes to the reader.
    const services = filter.plainList && platformStack === undefined ? filter.include : [];
    const serviceTags = readServiceTags(r);
    const sharedClusters = readSharedClusters(r);
    if (source === "snapshot" && !snapshotFile) {
        r.fail("migration:snapshotFile is required with migration:source snapshot; write one with npx ecs2eks snapshot --cluster <name> --out <file>");
    }
    if (source === "live" && clusters.length === 0) {
        r.fail('migration:clusters is required with migration:source live; list the ECS clusters to migrate, e.g. ["shop"]');
    }
    if (platformStack !== undefined && source === "none") {
        r.fail(`migration:platformStack makes this stack a migration shard, which needs migration:source snapshot or live; a platform stack has no migration:platformStack`);
    }
    if (platformStack === undefined) {
        for (const key of ["migration:serviceTags", "migration:sharedClusters"].filter((k) => r.has(k))) {
            r.fail(`${key} selects part of the estate for a migration shard; set migration:platformStack too, or remove it`);
        }
        if (filter.include.some((p) => p.includes("*"))) {
            r.fail(`migration:services ${JSON.stringify(filter.include.find((p) => p.includes("*")))}: patterns with * select services for a migration shard; set migration:platformStack too, or list service names`);
        }
        if (!filter.plainList) {
            r.fail('migration:services {"include", "exclude"} selects part of the estate for a migration shard; set migration:platformStack too, or give a plain list of names for a live read');
        }
    }
    if (source !== "live" && platformStack === undefined && r.has("migration:services")) {
        r.fail("migration:services only filters a live read; a snapshot holds the services it was taken with (npx ecs2eks snapshot --service)");
    }
    const cutover = readCutover(r);
    const adopted = r.stringList("migration:adopted", (a) => (a.trim().length > 0 ? undefined : "is empty"));
    const allowBroadIam = readAllowance(r, "migration:allowBroadIam", "IAM permissions with \"*\" actions, iam:*, iam:PassRole on any role or AWS admin policies");
    const allowPrivileged = readAllowance(r, "migration:allowPrivileged", "privileged containers and host access (host network, PID, IPC, paths, added capabilities)");
    return Object.freeze({
        source,
        cutover,
        adopted: Object.freeze([...adopted]),
        allowBroadIam,
        allowPrivileged,
        ...(snapshotFile ? { snapshotFile } : {}),
        clusters: Object.freeze([...clusters]),
        services: Object.freeze([...services]),
        ...(platformStack !== undefined
            ? { shard: Object.freeze({ platformStack, include: Object.freeze([...filter.include]), exclude: Object.freeze([...filter.exclude]), tags: serviceTags, sharedClusters }) }
            : {}),
    });
}
