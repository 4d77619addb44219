/**
 * The full upstream CRDs, where someone has put them on disk (we may not
 * commit them): ECS2EKS_UPSTREAM_CRDS, else ../shared/crds next to the repo,
 * laid out <component>/<version>/*.yaml. Custom resources are then also
 * checked against upstream's own openAPIV3Schema, pruning included. Absent,
 * this checks nothing. Helm template lines ({{ ... }}) are dropped before
 * parsing, so a chart's templates/crds files can be dropped in as they are.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import * as yaml from "js-yaml";

export interface UpstreamVersion {
    readonly name: string;
    readonly served: boolean;
    readonly storage: boolean;
    readonly schema: unknown;
}

export interface UpstreamCrd {
    readonly group: string;
    readonly kind: string;
    readonly file: string;
    readonly versions: readonly UpstreamVersion[];
}

type Obj = Record<string, unknown>;

let repoRoot: string | undefined;

/** The directory holding upstream CRDs, whether or not it exists. */
export function upstreamCrdDir(): string {
    if (process.env.ECS2EKS_UPSTREAM_CRDS) {
        return path.resolve(process.env.ECS2EKS_UPSTREAM_CRDS);
    }
    if (repoRoot === undefined) {
        let dir = __dirname;
        while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) {
            dir = path.dirname(dir);
        }
        repoRoot = dir;
    }
    return path.resolve(repoRoot, "..", "shared", "crds");
}

const loaded = new Map<string, readonly UpstreamCrd[] | undefined>();

/** The upstream CRDs of one component version, or undefined when nobody put them on disk (looked for once per directory). */
export function upstreamCrds(component: string, version: string): readonly UpstreamCrd[] | undefined {
    const key = `${upstreamCrdDir()}\0${component}\0${version}`;
    if (!loaded.has(key)) {
        const dir = path.join(upstreamCrdDir(), component, version);
        loaded.set(key, fs.existsSync(dir) ? readDir(dir) : undefined);
    }
    return loaded.get(key);
}

function readDir(dir: string): UpstreamCrd[] {
    const crds: UpstreamCrd[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        const text = fs
            .readFileSync(path.join(dir, file), "utf8")
            .split("\n")
            .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
            .map((line) => line.replace(/\{\{[^}]*\}\}/g, "templated"))
            .join("\n");
        for (const doc of yaml.loadAll(text) as Obj[]) {
            if (doc?.kind !== "CustomResourceDefinition") {
                continue;
            }
            const spec = doc.spec as Obj;
            crds.push({
                group: String(spec.group),
                kind: String((spec.names as Obj).kind),
                file,
                versions: (spec.versions as Obj[]).map((v) => ({
                    name: String(v.name),
                    served: v.served === true,
                    storage: v.storage === true,
                    schema: (v.schema as Obj | undefined)?.openAPIV3Schema,
                })),
            });
        }
    }
    return crds;
}

/**
 * An OpenAPI v3 structural schema as ajv should read it: an object with
 * properties and no x-kubernetes-preserve-unknown-fields is closed (the API
 * server prunes anything else), nullable admits null, int-or-string is either.
 */
export function structural(schema: unknown): unknown {
    if (Array.isArray(schema)) {
        return schema.map(structural);
    }
    if (typeof schema !== "object" || schema === null) {
        return schema;
    }
    const s = schema as Obj;
    const out: Obj = {};
    for (const [k, v] of Object.entries(s)) {
        if (k === "description" || (k === "format" && v !== "int32" && v !== "int64")) {
            continue;
        }
        out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as Obj).map(([p, sub]) => [p, structural(sub)])) : structural(v);
    }
    if (s.type === "object" && s.properties && s.additionalProperties === undefined && s["x-kubernetes-preserve-unknown-fields"] !== true) {
        out.additionalProperties = false;
    }
    if (s["x-kubernetes-int-or-string"] === true && !s.anyOf) {
        out.anyOf = [{ type: "integer" }, { type: "string" }];
    }
    if (s.nullable === true && typeof s.type === "string") {
        out.type = [s.type, "null"];
    }
    return out;
}

const INT32 = { type: "number" as const, validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 };
const INT64 = { type: "number" as const, validate: (n: number) => Number.isInteger(n) };

/** The ajv that reads both our contracts and upstream schemas: every error, Kubernetes' integer formats, unknown x- keywords ignored. */
export function crdAjv(): Ajv {
    return new Ajv({ allErrors: true, strict: false, logger: false, formats: { int32: INT32, int64: INT64 } });
}

let ajv: Ajv | undefined;
const compiled = new Map<unknown, ValidateFunction>();

/** Upstream's validator for one version (compiled once: some schemas run to thousands of lines). */
export function upstreamValidator(version: UpstreamVersion): ValidateFunction {
    let v = compiled.get(version);
    if (!v) {
        ajv ??= crdAjv();
        v = ajv.compile(structural(version.schema ?? {}) as object);
        compiled.set(version, v);
    }
    return v;
}
