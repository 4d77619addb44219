import { RawConfig } from "../config/reader";
import { validateConfig } from "../config/validate";
import { buildStack } from "../program";
import { PreviewResource, PreviewResult, runOffline } from "../preview/run";

/** The dev stack's config as Pulumi would pass it, plus overrides. */
export function rawConfig(overrides: Record<string, unknown> = {}): Record<string, string> {
    const raw: Record<string, string> = { "aws:region": "us-east-1" };
    for (const [key, value] of Object.entries(overrides)) {
        raw[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return raw;
}

/**
 * Runs the platform program under Pulumi's runtime mocks with the given raw
 * config and resolves once every resource has been registered, so tests can
 * assert on the inputs each resource received.
 */
export async function runPlatform(raw: RawConfig = rawConfig(), stack = "test"): Promise<Platform> {
    const result = await runOffline({
        project: "ecs2eks",
        stack,
        config: { values: { ...raw }, secretKeys: [] },
        program: () => ({ ...buildStack(validateConfig(raw, stack)) }),
    });
    return new Platform(result);
}

export class Platform {
    constructor(readonly result: PreviewResult) {}

    ofType(type: string): PreviewResource[] {
        return this.result.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type (and name, if several); fails the test when it is not there. */
    one(type: string, name?: string): PreviewResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
        }
        return found[0];
    }

    /** A value inside the inputs of the one resource of a type (and name), by dotted path. */
    input(type: string, name: string | undefined, path: string): unknown {
        return at(this.one(type, name).inputs, path);
    }

    parentOf(resource: PreviewResource): PreviewResource | undefined {
        return this.result.resources.find((r) => r.urn === resource.parent);
    }
}

/** The value at a dotted path (`a.b.0.c`) inside plain data; undefined where the path ends early. */
export function at(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined), value);
}
