/**
 * The keys that make a stack a migration shard: which platform stack it
 * deploys onto (migration:platformStack) and which part of the estate it
 * migrates (migration:clusters, migration:services, migration:serviceTags).
 */
import { ConfigReader } from "./reader";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A name or a pattern with `*`; what ECS allows in service, rule and schedule names, and ARNs. */
const SERVICE_PATTERN = /^[\w:/.*-]{1,255}$/;
const STACK_REFERENCE = /^[\w.-]+\/[\w.-]+\/[\w.-]+$/;

export interface ServiceFilter {
    readonly include: readonly string[];
    readonly exclude: readonly string[];
    /** Written as a plain list of names (today's live filter), not as {include, exclude}. */
    readonly plainList: boolean;
}

function patternList(r: ConfigReader, at: string, value: unknown): string[] {
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        r.fail(`${at} ${JSON.stringify(value)} is not a list of ECS service names or patterns, e.g. ["orders", "orders-*"]`);
        return [];
    }
    for (const p of value as string[]) {
        if (!SERVICE_PATTERN.test(p)) {
            r.fail(`${at} ${JSON.stringify(p)} is not an ECS service name, ARN or pattern (letters, digits, - _ . : / and * only)`);
        }
    }
    return [...new Set(value as string[])];
}

/** migration:services: ["web", "orders-*"] or {"include": [...], "exclude": [...]}. */
export function readServiceFilter(r: ConfigReader): ServiceFilter {
    const raw = r.json("migration:services");
    if (raw === undefined) {
        return { include: [], exclude: [], plainList: true };
    }
    if (Array.isArray(raw)) {
        return { include: patternList(r, "migration:services", raw), exclude: [], plainList: true };
    }
    if (!isObject(raw)) {
        r.fail(`migration:services ${JSON.stringify(raw)} is not allowed; expected a list of names or patterns, or {"include": [...], "exclude": [...]}`);
        return { include: [], exclude: [], plainList: true };
    }
    for (const key of Object.keys(raw).filter((k) => k !== "include" && k !== "exclude")) {
        r.fail(`migration:services.${key} is not a known field; use include and exclude`);
    }
    return {
        include: raw.include === undefined ? [] : patternList(r, "migration:services.include", raw.include),
        exclude: raw.exclude === undefined ? [] : patternList(r, "migration:services.exclude", raw.exclude),
        plainList: false,
    };
}

/** migration:serviceTags: {"team": "payments"}: only services carrying every one of these tags. */
export function readServiceTags(r: ConfigReader): Readonly<Record<string, string>> {
    const raw = r.json("migration:serviceTags");
    if (raw === undefined) {
        return Object.freeze({});
    }
    if (!isObject(raw) || Object.values(raw).some((v) => typeof v !== "string")) {
        r.fail(`migration:serviceTags ${JSON.stringify(raw)} is not allowed; expected a map of tag keys to values, e.g. {"team": "payments"}`);
        return Object.freeze({});
    }
    return Object.freeze({ ...(raw as Record<string, string>) });
}

/** migration:platformStack: the fully qualified stack (org/project/stack) whose cluster this shard deploys onto. */
export function readPlatformStack(r: ConfigReader): string | undefined {
    const value = r.text("migration:platformStack");
    if (value !== undefined && !STACK_REFERENCE.test(value)) {
        r.fail(`migration:platformStack ${JSON.stringify(value)} is not allowed; expected <organization>/<project>/<stack>, e.g. "acme/ecs2eks/prod"`);
        return undefined;
    }
    return value;
}

/** migration:sharedClusters: ECS clusters this shard shares with other shards, whose namespaces one of those declares. */
export function readSharedClusters(r: ConfigReader): readonly string[] {
    return Object.freeze([...new Set(r.stringList("migration:sharedClusters", (c) => (/^[\w:/.-]{1,255}$/.test(c) ? undefined : "is not an ECS cluster name")))].sort());
}
