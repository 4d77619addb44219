import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { SHAPES_FILE, renderShapeTable, shapeTableFromSdk } from "../tools/ecsShapes";

const ROOT = path.join(__dirname, "..", "..");

/**
 * Dependencies point one way: cli → program → components/migration → core.
 * The pure modules (the shared core and the translator) load no Pulumi, no
 * AWS SDK client and nothing of the CLI, however indirectly. `import type`
 * of an SDK shape is allowed: it is erased at compile time, and the snapshot
 * is those shapes as JSON.
 */
const PURE = ["core", "migration/translate"];
/** The cutover planning, once it has a folder of its own, is held to the same rule. */
const PURE_WHEN_PRESENT = ["migration/cutover"];

/** Where each pure area may import from (relative imports), besides itself and the core. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
    core: [],
    // Pure data: the CRD contracts and the chart pins that pick them.
    "migration/translate": ["crds/", "components/addons/versions.ts"],
    // Cutover planning works on the translator's plan and the cutover config's types.
    "migration/cutover": ["migration/translate/", "config/types.ts"],
};

interface Import {
    readonly specifier: string;
    /** Kept in the compiled JavaScript: the module is loaded at run time. */
    readonly runtime: boolean;
    /** The repository file a relative import resolves to. */
    readonly file?: string;
}

type Read = (file: string) => string | undefined;

const readRepo: Read = (file) => {
    const full = path.join(ROOT, file);
    return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined;
};

function resolveRelative(from: string, specifier: string, read: Read): string | undefined {
    const base = path.posix.join(path.posix.dirname(from), specifier);
    return [`${base}.ts`, `${base}/index.ts`, base].find((f) => read(f) !== undefined);
}

/** Every import of a TypeScript module, with whether it survives compilation (TypeScript drops imports used only as types). */
export function importsOf(file: string, read: Read): Import[] {
    const text = read(file) ?? "";
    if (!file.endsWith(".ts")) {
        return [];
    }
    const compiled = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    const loaded = new Set([...compiled.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    const specifiers = new Set<string>();
    const visit = (node: ts.Node): void => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            specifiers.add(node.moduleSpecifier.text);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
            specifiers.add(node.argument.literal.text);
        } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) {
            specifiers.add(node.arguments[0].text);
        }
        ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true));
    return [...specifiers].map((specifier) => {
        const file_ = specifier.startsWith(".") ? resolveRelative(file, specifier, read) : undefined;
        return { specifier, runtime: loaded.has(specifier), ...(file_ ? { file: file_ } : {}) };
    });
}

const areaOf = (file: string, areas: readonly string[]) => areas.find((a) => file === a || file.startsWith(`${a}/`));

/**
 * What the pure modules, and everything they reach, import that they must
 * not: one line per offence, naming the chain from the pure module.
 */
export function violations(seeds: readonly string[], read: Read, areas: readonly string[] = PURE, mayImport: Readonly<Record<string, readonly string[]>> = MAY_IMPORT): string[] {
    const found: string[] = [];
    const via = new Map<string, string>(seeds.map((s) => [s, s]));
    const queue = [...seeds];
    while (queue.length > 0) {
        const file = queue.shift() as string;
        const chain = via.get(file) as string;
        const area = areaOf(file, areas);
        for (const imp of importsOf(file, read)) {
            const what = `${chain} imports ${imp.specifier}`;
            if (imp.specifier.startsWith("@pulumi/")) {
                found.push(`${what}: Pulumi`);
            } else if (imp.specifier.startsWith("@aws-sdk/") && imp.runtime) {
                found.push(`${what}: an AWS SDK client at run time (import type is fine)`);
            } else if (imp.file?.startsWith("cli/")) {
                found.push(`${what}: the CLI`);
            } else if (area === "core" && !imp.file && !imp.specifier.startsWith("@aws-sdk/")) {
                found.push(`${what}: core/ loads no package (only types of AWS SDK shapes)`);
            }
            if (area && imp.file && !imp.file.startsWith("core/") && !imp.file.startsWith(`${area}/`) && !(mayImport[area] ?? []).some((p) => imp.file?.startsWith(p))) {
                found.push(`${what}: ${area}/ imports only core/${area === "core" ? "" : ` and ${area}/`}${(mayImport[area] ?? []).map((p) => `, ${p}`).join("")}`);
            }
            if (imp.file && !via.has(imp.file)) {
                via.set(imp.file, `${chain} → ${imp.file}`);
                queue.push(imp.file);
            }
        }
    }
    return found;
}

function sourcesUnder(dir: string): string[] {
    const full = path.join(ROOT, dir);
    if (!fs.existsSync(full)) {
        return [];
    }
    return fs
        .readdirSync(full, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
        .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
        .sort();
}

describe("architecture: the pure core and the translator", () => {
    it("finds the modules it checks", () => {
        const core = sourcesUnder("core");
        const translator = sourcesUnder("migration/translate");
        for (const expected of ["core/snapshot.ts", "core/secretReference.ts", "core/efsVolumeSpec.ts", "core/iam/policyDocument.ts", "core/iam/trustPolicy.ts", "core/tags.ts", "core/errors.ts"]) {
            assert.ok(core.includes(expected), `${expected} is not in core/`);
        }
        assert.ok(translator.includes("migration/translate/translate.ts") && translator.length > 20, translator.join(", "));
    });

    it("import no Pulumi, no AWS SDK client and nothing of the CLI, however indirectly", () => {
        const seeds = [...PURE, ...PURE_WHEN_PRESENT].flatMap(sourcesUnder);
        assert.deepStrictEqual(violations(seeds, readRepo, [...PURE, ...PURE_WHEN_PRESENT]), []);
    });

    it("load none of them when they run (the compiled modules, in a process of their own)", () => {
        const compiled = PURE.flatMap(sourcesUnder).map((f) => path.join(ROOT, "dist", f.replace(/\.ts$/, ".js")));
        const script = `for (const f of ${JSON.stringify(compiled)}) require(f);
            process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((p) => /[\\\\/]node_modules[\\\\/]@(pulumi|aws-sdk)[\\\\/]|[\\\\/]dist[\\\\/]cli[\\\\/]/.test(p))));`;
        const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(JSON.parse(run.stdout), []);
    });

    it("catches each kind of offence, directly and through another module", () => {
        const files: Record<string, string> = {
            "core/ok.ts": 'import type { Service } from "@aws-sdk/client-ecs";\nimport { TaskDefinition } from "@aws-sdk/client-ecs";\nexport type S = Service | TaskDefinition;\n',
            "core/sdk.ts": 'import { ECSClient } from "@aws-sdk/client-ecs";\nexport const c = new ECSClient({});\n',
            "core/pulumi.ts": 'import type { Output } from "@pulumi/pulumi";\nexport type O = Output<string>;\n',
            "core/upward.ts": 'import { helper } from "../components/helper";\nexport const x = helper;\n',
            "core/package.ts": 'import * as yaml from "js-yaml";\nexport const dump = yaml.dump;\n',
            "components/helper.ts": 'import { USAGE } from "../cli/main";\nexport const helper = USAGE;\n',
            "cli/main.ts": 'export const USAGE = "";\n',
            "migration/translate/t.ts": 'import { x } from "../../core/upward";\nimport { pins } from "../../components/addons/versions";\nexport const y = [x, pins];\n',
            "components/addons/versions.ts": "export const pins = {};\n",
        };
        const read: Read = (f) => files[f];
        const found = violations(Object.keys(files).filter((f) => areaOf(f, PURE)), read);
        assert.deepStrictEqual(found.filter((v) => v.startsWith("core/ok.ts")), []);
        for (const expected of [
            "core/sdk.ts imports @aws-sdk/client-ecs: an AWS SDK client at run time",
            "core/pulumi.ts imports @pulumi/pulumi: Pulumi",
            "core/upward.ts imports ../components/helper: core/ imports only core/",
            "core/upward.ts → components/helper.ts imports ../cli/main: the CLI",
            "core/package.ts imports js-yaml: core/ loads no package",
        ]) {
            assert.ok(found.some((v) => v.startsWith(expected)), `${expected}\nnot in:\n${found.join("\n")}`);
        }
        // From the translator, the chain names how it got there; its allowed data module is no offence.
        assert.deepStrictEqual(violations(["migration/translate/t.ts"], read), [
            "migration/translate/t.ts → core/upward.ts imports ../components/helper: core/ imports only core/",
            "migration/translate/t.ts → core/upward.ts → components/helper.ts imports ../cli/main: the CLI",
        ]);
    });

    it("walk snapshots along a table of the ECS shapes that matches the installed SDK (npm run shapes:ecs rewrites it)", () => {
        assert.strictEqual(fs.readFileSync(SHAPES_FILE, "utf8"), renderShapeTable(shapeTableFromSdk()), "migration/translate/ecsShapes.json is stale: run npm run shapes:ecs");
    });
});
