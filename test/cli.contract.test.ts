/**
 * The CLI's contract with people and CI (issue 13): what each command accepts,
 * what it writes, what it exits with, and that every failure is one line.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as yaml from "js-yaml";
import * as path from "path";
import { EcsSnapshot } from "../migration/ecs/snapshot";
import { validateSnapshot } from "../migration/ecs/snapshotFile";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");

interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

function ecs2eks(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], {
        cwd: options.cwd ?? ROOT,
        encoding: "utf8",
        env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", ...options.env },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function sample(): EcsSnapshot {
    return JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as EcsSnapshot;
}

/** A mutable copy of the sample, to break on purpose. */
function editable(): { clusters: { services: Record<string, unknown>[] }[]; taskDefinitions: { containerDefinitions: Record<string, unknown>[] }[]; [key: string]: unknown } {
    return JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as ReturnType<typeof editable>;
}

function assertOneLineFailure(run: Run, status: number): void {
    assert.strictEqual(run.status, status, `exit ${run.status}: ${run.stderr}`);
    assert.ok(!/\n\s+at /.test(run.stderr), `stack trace in:\n${run.stderr}`);
    assert.match(run.stderr, /^error: /);
}

let tmp: string;
beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-contract-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("snapshot validation: every field the translator reads, with its path", () => {
    const problemsOf = (data: unknown): string => {
        try {
            validateSnapshot(data, "s.json");
        } catch (err) {
            return (err as Error).message;
        }
        return "";
    };

    it("accepts the sample shop", () => {
        assert.strictEqual(problemsOf(sample()), "");
    });

    it("rejects a negative desiredCount, a number given as a string and an empty service name, naming each path and service", () => {
        const s = editable();
        s.clusters[0].services[0].desiredCount = -4;
        s.clusters[0].services[1].desiredCount = "3";
        s.clusters[0].services[2].serviceName = "";
        const message = problemsOf(s);
        assert.match(message, /^s\.json is not a valid ECS snapshot \(3 problems/);
        assert.match(message, /\$\.clusters\[0\]\.services\[0\]\.desiredCount \(service cart, cluster shop\): expected a whole number 0 or more, found the number -4/);
        assert.match(message, /\$\.clusters\[0\]\.services\[1\]\.desiredCount \(service catalog, cluster shop\): .* found the string "3"; write it without quotes/);
        assert.match(message, /\$\.clusters\[0\]\.services\[2\]\.serviceName .*: expected a non-empty string, found an empty string/);
    });

    it("checks the ranges ECS itself enforces on containers, health checks, ports and scaling", () => {
        const s = editable();
        const c = s.taskDefinitions[0].containerDefinitions[0];
        c.memory = 0;
        c.portMappings = [{ containerPort: 70000 }];
        c.healthCheck = { command: ["CMD", "true"], retries: 0 };
        c.essential = "yes";
        const scaling = s.scaling as { targets: Record<string, unknown>[] };
        scaling.targets[0].MinCapacity = 5;
        scaling.targets[0].MaxCapacity = 2;
        const message = problemsOf(s);
        for (const expected of [
            /containerDefinitions\[0\]\.memory \(container cart, task definition shop-cart:1\): expected a whole number 1 or more, found the number 0/,
            /portMappings\[0\]\.containerPort .*: expected a whole number from 1 to 65535, found the number 70000/,
            /healthCheck\.retries .*: expected a whole number from 1 to 10/,
            /essential .*: expected true or false, found the string "yes"/,
            /\$\.scaling\.targets\[0\] .*: MinCapacity 5 is above MaxCapacity 2/,
        ]) {
            assert.match(message, expected);
        }
    });

    it("says to upgrade ecs2eks for a newer snapshot, and never 'version undefined' for a malformed one", () => {
        assert.match(problemsOf({ ...sample(), schemaVersion: 99 }), /written by a newer ecs2eks.*upgrade ecs2eks/);
        const malformed = problemsOf({ clusters: [] });
        assert.doesNotMatch(malformed, /undefined/);
        assert.match(malformed, /no schemaVersion, so it is not a snapshot ecs2eks wrote/);
    });

    it("plan refuses such a snapshot with exit 1 and writes nothing", () => {
        const s = editable();
        s.clusters[0].services[0].desiredCount = -4;
        const file = path.join(tmp, "bad.json");
        fs.writeFileSync(file, JSON.stringify(s));
        const run = ecs2eks(["plan", "--snapshot", file, "--out", path.join(tmp, "out")]);
        assertOneLineFailure(run, 1);
        assert.match(run.stderr, /desiredCount \(service cart, cluster shop\)/);
        assert.ok(!fs.existsSync(path.join(tmp, "out")));
    });
});

/** The sample with one container publishing a port range: an error diagnostic (PORT_RANGE). */
function snapshotWithError(dir: string): string {
    const s = editable();
    s.taskDefinitions[0].containerDefinitions[0].portMappings = [{ containerPortRange: "8000-8010", protocol: "tcp" }];
    const file = path.join(dir, "with-error.json");
    fs.writeFileSync(file, JSON.stringify(s));
    return file;
}

describe("exit codes: 0 success, 1 problems found, 2 usage", () => {
    it("plan exits 1 on error diagnostics (the files still written), 0 with --allow-errors", () => {
        const file = snapshotWithError(tmp);
        const failing = ecs2eks(["plan", "--snapshot", file, "--out", path.join(tmp, "a")]);
        assert.strictEqual(failing.status, 1, failing.stderr);
        assert.match(failing.stderr, /^error: the plan has 2 error diagnostic\(s\).*--allow-errors/m);
        assert.ok(fs.existsSync(path.join(tmp, "a", "report.md")));
        const allowed = ecs2eks(["plan", "--snapshot", file, "--out", path.join(tmp, "a"), "--allow-errors"]);
        assert.strictEqual(allowed.status, 0, allowed.stderr);
    });

    it("plan --fail-on warning fails on the sample's warnings; the default passes it", () => {
        assert.strictEqual(ecs2eks(["plan", "--snapshot", SAMPLE, "--out", path.join(tmp, "b")]).status, 0);
        const strict = ecs2eks(["plan", "--snapshot", SAMPLE, "--out", path.join(tmp, "b"), "--fail-on", "warning"]);
        assert.strictEqual(strict.status, 1);
        assert.match(strict.stderr, /^error: the plan has 7 warning\(s\) and --fail-on warning is set/m);
        assert.strictEqual(ecs2eks(["plan", "--snapshot", SAMPLE, "--out", path.join(tmp, "b"), "--fail-on", "info"]).status, 2);
        assert.strictEqual(ecs2eks(["plan", "--snapshot", SAMPLE, "--out", path.join(tmp, "b"), "--fail-on", "warning", "--allow-errors"]).status, 2);
    });

    it("preview exits 1 when the migration plan has errors, says so as an error, and counts as plan does", () => {
        const file = snapshotWithError(tmp);
        const failing = ecs2eks(["preview", "--config", `migration:snapshotFile=${file}`]);
        assert.strictEqual(failing.status, 1, failing.stderr);
        assert.match(failing.stdout, /to create/);
        assert.match(failing.stderr, /2 error\(s\), 7 warning\(s\)/);
        assert.match(failing.stderr, /^error: the migration plan has 2 error diagnostic\(s\)/m);
        assert.strictEqual(ecs2eks(["preview", "--config", `migration:snapshotFile=${file}`, "--allow-errors", "--json"]).status, 0);
        // The demo's counts are plan's counts.
        const demo = ecs2eks(["preview"]);
        assert.strictEqual(demo.status, 0, demo.stderr);
        assert.match(demo.stderr, /0 error\(s\), 7 warning\(s\)/);
    });

    it("usage errors exit 2: unknown short flags, stray words, missing values", () => {
        for (const args of [["preview", "-x"], ["plan", "out"], ["plan", "--snapshot"], ["snapshot", "--cluster", "shop", "extra", "--out", "s.json"], ["preview", "--json=yes"]]) {
            const run = ecs2eks(args);
            assert.strictEqual(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
            assert.match(run.stderr, /^error: .*\nRun ecs2eks \S+ --help for usage\.\n$/);
            assert.strictEqual(run.stdout, "");
        }
    });

    it("help is on stdout with exit 0, everywhere; -h never runs the command", () => {
        for (const args of [[], ["--help"], ["-h"], ["help"], ["preview", "-h"], ["plan", "--help"], ["help", "snapshot"]]) {
            const run = ecs2eks(args);
            assert.strictEqual(run.status, 0, `${args.join(" ")}: ${run.stderr}`);
            assert.match(run.stdout, /^Usage: ecs2eks /);
            assert.strictEqual(run.stderr, "");
            assert.doesNotMatch(run.stdout, /^error:/m);
        }
    });

    it("--version names the program version and the snapshot format it reads", () => {
        const run = ecs2eks(["--version"]);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        assert.strictEqual(run.status, 0);
        assert.strictEqual(run.stdout, `ecs2eks ${pkg.version} (reads and writes ECS snapshot format 1)\n`);
    });
});

describe("plan owns its output directory", () => {
    const plan = (out: string, snapshot = SAMPLE) => ecs2eks(["plan", "--snapshot", snapshot, "--out", out]);

    it("removes the manifests of services no longer in the snapshot", () => {
        const out = path.join(tmp, "plan");
        assert.strictEqual(plan(out).status, 0);
        assert.ok(fs.existsSync(path.join(out, "manifests", "10-cart.yaml")));
        const s = editable();
        s.clusters[0].services = s.clusters[0].services.filter((x) => x.serviceName !== "cart");
        const smaller = path.join(tmp, "smaller.json");
        fs.writeFileSync(smaller, JSON.stringify(s));
        const again = plan(out, smaller);
        assert.strictEqual(again.status, 0, again.stderr);
        assert.match(again.stderr, /removed 1 stale manifest\(s\)/);
        assert.ok(!fs.existsSync(path.join(out, "manifests", "10-cart.yaml")));
        assert.ok(!fs.readFileSync(path.join(out, "kustomization.yaml"), "utf8").includes("cart"));
    });

    it("refuses a directory it did not write, the root, and a file, with one line and nothing written", () => {
        const foreign = path.join(tmp, "project");
        fs.mkdirSync(foreign);
        fs.writeFileSync(path.join(foreign, "index.ts"), "keep me");
        const refused = plan(foreign);
        assertOneLineFailure(refused, 1);
        assert.match(refused.stderr, /^error: refusing to plan into .*project: it is not empty and was not written by ecs2eks plan/);
        assert.deepStrictEqual(fs.readdirSync(foreign), ["index.ts"]);
        const root = plan("/");
        assertOneLineFailure(root, 1);
        assert.strictEqual(root.stderr.split("\n").length, 2);
        const file = path.join(tmp, "a-file");
        fs.writeFileSync(file, "x");
        assertOneLineFailure(plan(file), 1);
        assertOneLineFailure(plan(path.join(file, "below")), 1);
    });

    it("creates missing parent directories", () => {
        const out = path.join(tmp, "a", "b", "c");
        assert.strictEqual(plan(out).status, 0);
        assert.ok(fs.existsSync(path.join(out, "plan.json")));
    });

    it("orders manifests so kubectl apply -f creates namespaces, accounts, stores and volumes before what uses them", () => {
        const out = path.join(tmp, "plan");
        assert.strictEqual(plan(out).status, 0);
        const dir = path.join(out, "manifests");
        // kubectl apply -f <dir>: files in lexical order, documents in file order.
        const applied = fs
            .readdirSync(dir)
            .sort()
            .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), "utf8")) as { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> }[]);
        const created = new Set<string>();
        const key = (kind: string, name: string, ns?: string) => `${kind}/${ns ?? ""}/${name}`;
        for (const o of applied) {
            const ns = o.metadata.namespace;
            if (ns) {
                assert.ok(created.has(key("Namespace", ns)), `${o.kind} ${o.metadata.name} before its namespace ${ns}`);
            }
            const podSpec = (o.kind === "Deployment" || o.kind === "DaemonSet" ? (o.spec?.template as { spec: Record<string, unknown> })?.spec : undefined) as
                | { serviceAccountName?: string; volumes?: { persistentVolumeClaim?: { claimName: string } }[] }
                | undefined;
            if (podSpec?.serviceAccountName) {
                assert.ok(created.has(key("ServiceAccount", podSpec.serviceAccountName, ns)), `${o.kind} ${o.metadata.name} before its service account`);
            }
            for (const v of podSpec?.volumes ?? []) {
                if (v.persistentVolumeClaim) {
                    assert.ok(created.has(key("PersistentVolumeClaim", v.persistentVolumeClaim.claimName, ns)), `${o.metadata.name} before its claim`);
                }
            }
            if (o.kind === "ExternalSecret") {
                const store = (o.spec?.secretStoreRef as { name: string }).name;
                assert.ok(created.has(key("SecretStore", store, ns)), `ExternalSecret ${o.metadata.name} before SecretStore ${store}`);
            }
            created.add(key(o.kind, o.metadata.name, ns));
        }
        assert.ok(applied.length > 40);
        const kustomization = yaml.load(fs.readFileSync(path.join(out, "kustomization.yaml"), "utf8")) as { resources: string[] };
        assert.deepStrictEqual(kustomization.resources, fs.readdirSync(dir).sort().map((f) => `manifests/${f}`));
    });

    it("--json prints the summary for tools", () => {
        const run = ecs2eks(["plan", "--snapshot", SAMPLE, "--out", path.join(tmp, "j"), "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        const summary = JSON.parse(run.stdout) as { workloads: number; errors: number; warnings: number; files: string[] };
        assert.deepStrictEqual([summary.workloads, summary.errors, summary.warnings], [9, 0, 7]);
        assert.ok(summary.files.includes("kustomization.yaml"));
    });
});
