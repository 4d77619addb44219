import { ConfigReader } from "./reader";
import { readTestRoute } from "./testRoute";
import { CLOUDFRONT_MAX_STAGING_WEIGHT, CutoverConfig, CutoverStrategy, DEFAULT_FRONT_DOOR, FrontDoorConfig, MigrationConfig, MigrationSource } from "./types";
import { readWorkloads } from "./workloads";
import { readPlatformStack, readServiceFilter, readServiceTags, readSharedClusters } from "./shard";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const STRATEGIES: readonly CutoverStrategy[] = ["alb-weighted", "route53-weighted", "cloudfront-staging"];
const ENTRY_FIELDS = ["eksWeight", "strategy", "ttl", "header"];
const ENTRY_EXAMPLE = '{"eksWeight": <whole number from 0 to 100>, "strategy": "alb-weighted" | "route53-weighted" | "cloudfront-staging"}';

interface Entry {
    readonly weight?: number;
    readonly frontDoor?: FrontDoorConfig;
}

/** One entry of migration:cutover: a weight, a front door, or both. */
function readEntry(r: ConfigReader, at: string, value: unknown, weightRequired: boolean): Entry {
    if (!isObject(value) || (weightRequired && value.strategy === undefined && value.eksWeight === undefined) || (value.eksWeight === undefined && value.strategy === undefined)) {
        r.fail(`${at} ${JSON.stringify(value)} is not allowed; expected {"eksWeight": <whole number from 0 to 100>}`);
        return {};
    }
    const extra = Object.keys(value).filter((k) => !ENTRY_FIELDS.includes(k));
    if (extra.length > 0) {
        r.fail(`${at}.${extra[0]} is not a known field; the fields are ${ENTRY_FIELDS.join(", ")}`);
    }
    let weight: number | undefined;
    if (value.eksWeight !== undefined) {
        const w = value.eksWeight;
        if (!Number.isInteger(w) || (w as number) < 0 || (w as number) > 100) {
            r.fail(`${at} ${JSON.stringify(value)} is not allowed; expected {"eksWeight": <whole number from 0 to 100>}`);
        } else {
            weight = w as number;
        }
    }
    if (value.strategy === undefined) {
        for (const f of ["ttl", "header"].filter((k) => value[k] !== undefined)) {
            r.fail(`${at}.${f} needs a strategy: ttl goes with "route53-weighted", header with "cloudfront-staging"`);
        }
        return weight === undefined ? {} : { weight };
    }
    if (!STRATEGIES.includes(value.strategy as CutoverStrategy)) {
        r.fail(`${at}.strategy ${JSON.stringify(value.strategy)} is not allowed; expected one of ${STRATEGIES.join(", ")} (${ENTRY_EXAMPLE})`);
        return weight === undefined ? {} : { weight };
    }
    const strategy = value.strategy as CutoverStrategy;
    let ttl: number | undefined;
    if (value.ttl !== undefined) {
        if (strategy !== "route53-weighted") {
            r.fail(`${at}.ttl is only for strategy route53-weighted (the TTL of the weighted records during the cutover); ${strategy} has none`);
        } else if (!Number.isInteger(value.ttl) || (value.ttl as number) < 0 || (value.ttl as number) > 86400) {
            r.fail(`${at}.ttl ${JSON.stringify(value.ttl)} is not allowed; expected whole seconds from 0 to 86400 (default 60)`);
        } else {
            ttl = value.ttl as number;
        }
    }
    let header: FrontDoorConfig["header"];
    if (value.header !== undefined) {
        const h = value.header;
        if (strategy !== "cloudfront-staging") {
            r.fail(`${at}.header is only for strategy cloudfront-staging (requests carrying it go to the staging distribution); ${strategy} has none`);
        } else if (!isObject(h) || typeof h.name !== "string" || !/^aws-cf-cd-[A-Za-z0-9-]+$/.test(h.name) || typeof h.value !== "string" || h.value.length === 0) {
            r.fail(`${at}.header ${JSON.stringify(h)} is not allowed; expected {"name": "aws-cf-cd-<name>", "value": "<value>"} (CloudFront wants the aws-cf-cd- prefix)`);
        } else {
            header = { name: h.name, value: h.value };
        }
    }
    return { ...(weight === undefined ? {} : { weight }), frontDoor: { strategy, ...(ttl === undefined ? {} : { ttl }), ...(header ? { header } : {}) } };
}

/** A service's weight that its front door cannot carry: CloudFront stages at most 15%, a header sends testers only. */
function checkWeight(r: ConfigReader, at: string, weight: number, frontDoor: FrontDoorConfig | undefined): void {
    if (frontDoor?.strategy !== "cloudfront-staging" || weight === 0 || weight === 100) {
        return;
    }
    if (frontDoor.header) {
        r.fail(`${at}.eksWeight ${weight} is not allowed with a header: the staging distribution then gets the requests carrying ${frontDoor.header.name} and no share of the viewers; use eksWeight 0 (testers only) or 100 (promote), or drop header to send up to ${CLOUDFRONT_MAX_STAGING_WEIGHT}%`);
    } else if (weight > CLOUDFRONT_MAX_STAGING_WEIGHT) {
        r.fail(
            `${at}.eksWeight ${weight} is not allowed with strategy cloudfront-staging: CloudFront sends at most ${CLOUDFRONT_MAX_STAGING_WEIGHT}% of viewers to a staging distribution; use 1 to ${CLOUDFRONT_MAX_STAGING_WEIGHT}, then 100 to promote it (ecs2eks plan prints the aws cloudfront update-distribution-with-staging-config command)`,
        );
    }
}

/**
 * migration:cutover: {"default": {"eksWeight": 10}, "services": {"web": {"eksWeight": 50, "strategy": "route53-weighted"}}}.
 * Weights are the percentage of a service's load-balanced traffic sent to EKS,
 * whichever front door (strategy) splits it.
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
    const strategies: Record<string, FrontDoorConfig> = {};
    const def = raw.default === undefined ? {} : readEntry(r, "migration:cutover.default", raw.default, true);
    const defaultEksWeight = def.weight ?? 0;
    if (def.frontDoor) {
        strategies[DEFAULT_FRONT_DOOR] = def.frontDoor;
    }
    const services: Record<string, number> = {};
    if (raw.services !== undefined) {
        if (!isObject(raw.services)) {
            r.fail(`migration:cutover.services ${JSON.stringify(raw.services)} is not allowed; expected a map of ECS service names to {"eksWeight": n}`);
        } else {
            for (const [name, value] of Object.entries(raw.services)) {
                const entry = readEntry(r, `migration:cutover.services.${name}`, value, false);
                if (entry.weight !== undefined) {
                    services[name] = entry.weight;
                }
                if (entry.frontDoor) {
                    strategies[name] = entry.frontDoor;
                }
            }
        }
    }
    checkWeight(r, "migration:cutover.default", defaultEksWeight, def.frontDoor);
    for (const name of new Set([...Object.keys(services), ...Object.keys(strategies).filter((s) => s !== DEFAULT_FRONT_DOOR)])) {
        checkWeight(r, `migration:cutover.services.${name}`, services[name] ?? defaultEksWeight, strategies[name] ?? def.frontDoor);
    }
    // Stacks that never name a strategy keep exactly the config (and plan.json) they had.
    const withStrategies = Object.keys(strategies).length > 0 ? { strategies: Object.freeze(strategies) } : {};
    return Object.freeze({ defaultEksWeight, services: Object.freeze(services), ...withStrategies });
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
    const workloads = readWorkloads(r);
    const testRoute = readTestRoute(r);
    const adopted = r.stringList("migration:adopted", (a) => (a.trim().length > 0 ? undefined : "is empty"));
    const adoptedResources = r.text("migration:adoptedResources");
    if (adoptedResources !== undefined && platformStack !== undefined) {
        // A move's destination must be the stack that declares what it moved: the platform stack (shardProgram.ts declares no AWS resource of its own).
        r.fail(`migration:adoptedResources ${adoptedResources}: a migration shard does not declare resources moved from the ECS stacks; move them into the platform stack (${platformStack}) and set migration:adoptedResources there`);
    }
    const allowBroadIam = readAllowance(r, "migration:allowBroadIam", "IAM permissions with \"*\" actions, iam:*, iam:PassRole on any role or AWS admin policies");
    const allowPrivileged = readAllowance(r, "migration:allowPrivileged", "privileged containers and host access (host network, PID, IPC, paths, added capabilities)");
    return Object.freeze({
        source,
        cutover,
        workloads,
        testRoute,
        adopted: Object.freeze([...adopted]),
        allowBroadIam,
        allowPrivileged,
        ...(snapshotFile ? { snapshotFile } : {}),
        ...(adoptedResources ? { adoptedResources } : {}),
        clusters: Object.freeze([...clusters]),
        services: Object.freeze([...services]),
        ...(platformStack !== undefined
            ? { shard: Object.freeze({ platformStack, include: Object.freeze([...filter.include]), exclude: Object.freeze([...filter.exclude]), tags: serviceTags, sharedClusters }) }
            : {}),
    });
}
