/**
 * The CLI's contract with people and CI (issue 13): what each command accepts,
 * what it writes, what it exits with, and that every failure is one line.
 */
import { checkCapacity } from "../migration/capacity/check";
import { capacityOptions } from "../migration/capacity/stack";
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as yaml from "js-yaml";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { lineProgress } from "../migration/ecs/progress";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile, validateSnapshot } from "../migration/ecs/snapshotFile";
import { summarizePlan } from "../migration/planSummary";
import { runCli } from "./runCli";
import { seededShop } from "./shopEmulator";
import { translate } from "../migration/translate/translate";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");
/** The sample's warnings as the translator and capacity planning (on the default node group, as plan and the dev stack size it) count them: the CLI's summaries must say the same. */
const SAMPLE_WARNINGS = summarizePlan(checkCapacity(translate(readSnapshotFile(SAMPLE)), capacityOptions(validateConfig({ "aws:region": "us-east-1" }, "test"))).plan).warnings;

interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

function ecs2eks(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], {
        cwd: options.cwd ?? ROOT,
        encoding: "utf8",
        // preview --diff prints every input of every resource: more than the default 1 MiB.
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", ...options.env },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** For runs that must not block this process (a test server answers in it). */
const ecs2eksAsync = runCli;

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
        assert.match(strict.stderr, new RegExp(`^error: the plan has ${SAMPLE_WARNINGS} warning\\(s\\) and --fail-on warning is set`, "m"));
        assert.strictEqual(ecs2eks(["plan", "--snapshot", SAMPLE, "--out", path.join(tmp, "b"), "--fail-on", "info"]).status, 2);
        assert.strictEqual(ecs2eks(["plan", "--snapshot", SAMPLE, "--out", path.join(tmp, "b"), "--fail-on", "warning", "--allow-errors"]).status, 2);
    });

    it("preview exits 1 when the migration plan has errors, says so as an error, and counts as plan does", () => {
        const file = snapshotWithError(tmp);
        const failing = ecs2eks(["preview", "--config", `migration:snapshotFile=${file}`]);
        assert.strictEqual(failing.status, 1, failing.stderr);
        assert.match(failing.stdout, /to create/);
        assert.match(failing.stderr, new RegExp(`2 error\\(s\\), ${SAMPLE_WARNINGS} warning\\(s\\)`));
        assert.match(failing.stderr, /^error: the migration plan has 2 error diagnostic\(s\)/m);
        assert.strictEqual(ecs2eks(["preview", "--config", `migration:snapshotFile=${file}`, "--allow-errors", "--json"]).status, 0);
        // The demo's counts are plan's counts.
        const demo = ecs2eks(["preview"]);
        assert.strictEqual(demo.status, 0, demo.stderr);
        assert.match(demo.stderr, new RegExp(`0 error\\(s\\), ${SAMPLE_WARNINGS} warning\\(s\\)`));
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
        assert.deepStrictEqual([summary.workloads, summary.errors, summary.warnings], [9, 0, SAMPLE_WARNINGS]);
        assert.ok(SAMPLE_WARNINGS > 0, "the sample has warnings to count");
        assert.ok(summary.files.includes("kustomization.yaml"));
    });
});

/** A loopback endpoint that answers every request the same way (or never). */
async function endpoint(answer: "never" | "html" | "empty-404"): Promise<{ url: string; close: () => Promise<void> }> {
    const sockets = new Set<import("net").Socket>();
    const server = http.createServer((_req, res) => {
        if (answer === "html") {
            res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Sign in</body></html>");
        } else if (answer === "empty-404") {
            res.writeHead(404).end();
        }
    });
    server.on("connection", (s) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
    };
}

describe("snapshot: bounded waits and one-line failures", function () {
    this.timeout(120000);
    const snapshot = (args: string[], env: Record<string, string> = {}) => ecs2eksAsync(["snapshot", "--cluster", "shop", "--region", "us-east-1", ...args], env);

    it("gives up on an endpoint that accepts connections and never answers, saying what it waited for", async () => {
        const silent = await endpoint("never");
        try {
            const out = path.join(tmp, "s.json");
            const started = Date.now();
            const run = await snapshot(["--endpoint-url", silent.url, "--request-timeout", "2", "--deadline", "7", "--out", out]);
            assertOneLineFailure({ ...run, stderr: run.stderr.replace(/^waiting for .*\n/gm, "") }, 1);
            assert.ok(Date.now() - started < 30000, "bounded by the deadline");
            assert.match(run.stderr, /^waiting for ecs:DescribeClusters on shop: \d+ s \(request timeout 2 s\)$/m);
            assert.match(run.stderr, /^error: the read did not finish within its deadline of 7 s \(still waiting for ecs:DescribeClusters on shop\); raise --deadline/m);
            assert.deepStrictEqual(fs.readdirSync(tmp), []);
        } finally {
            await silent.close();
        }
    });

    it("says an endpoint that answers HTML or an empty 404 is not an AWS endpoint, in one line", async () => {
        for (const [answer, expected] of [
            ["html", /answered ecs:DescribeClusters with something that is not an AWS response \(HTTP 200\); check --endpoint-url/],
            ["empty-404", /answered ecs:DescribeClusters with HTTP 404 and no AWS error in the body; check --endpoint-url/],
        ] as const) {
            const server = await endpoint(answer);
            try {
                const run = await snapshot(["--endpoint-url", server.url, "--out", path.join(tmp, "s.json")]);
                assertOneLineFailure(run, 1);
                assert.match(run.stderr, expected);
                assert.strictEqual(run.stderr.split("\n").length, 2, run.stderr);
            } finally {
                await server.close();
            }
        }
    });

    it("rejects a malformed --endpoint-url as usage, and an --out it could not write before reading anything", async () => {
        const url = await snapshot(["--endpoint-url", "not-a-url", "--out", path.join(tmp, "s.json")]);
        assert.strictEqual(url.status, 2);
        assert.match(url.stderr, /^error: --endpoint-url "not-a-url" is not a URL/);
        // The endpoint never answers: failing fast proves the check comes before the read.
        const silent = await endpoint("never");
        try {
            const dir = await snapshot(["--endpoint-url", silent.url, "--out", tmp]);
            assertOneLineFailure(dir, 1);
            assert.match(dir.stderr, /^error: cannot write .*: it is a directory; give a file name/);
            assert.deepStrictEqual(fs.readdirSync(tmp), [], "no temporary file left");
        } finally {
            await silent.close();
        }
    });

    it("names a mistyped AWS_PROFILE instead of saying no credentials were found", async () => {
        const env = { ...process.env, AWS_PROFILE: "nosuch", AWS_CONFIG_FILE: path.join(tmp, "none"), AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "none") } as Record<string, string>;
        delete env.AWS_ACCESS_KEY_ID;
        delete env.AWS_SECRET_ACCESS_KEY;
        const run = await new Promise<Run>((resolve) => {
            const child = spawn(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "snapshot", "--cluster", "shop", "--region", "us-east-1", "--out", path.join(tmp, "s.json")], { cwd: ROOT, env });
            let stderr = "";
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            child.on("close", (status) => resolve({ status, stdout: "", stderr }));
        });
        assertOneLineFailure(run, 1);
        assert.match(run.stderr, /^error: AWS profile "nosuch" \(AWS_PROFILE\) is not in ~\/\.aws\/config/);
    });

    it("progress for a CI log: the start and the end of a phase, not a line per service", () => {
        const lines: string[] = [];
        const progress = lineProgress((l) => lines.push(l), 10_000, () => 0);
        progress.start("services", 500);
        for (let i = 0; i < 500; i++) {
            progress.advance("services", 1);
        }
        assert.deepStrictEqual(lines, ["reading services: 0/500", "reading services: 500/500"]);
    });
});

describe("snapshot against the shop (moto)", function () {
    this.timeout(120000);
    const moto = seededShop();

    it("reads a cluster given by name and by ARN, and a service given by name and by ARN, once", async () => {
        const out = path.join(tmp, "dedup.json");
        const arn = "arn:aws:ecs:us-east-1:123456789012:cluster/shop";
        const run = await ecs2eksAsync(
            ["snapshot", "--cluster", "shop", "--cluster", arn, "--service", "web", "--service", "arn:aws:ecs:us-east-1:123456789012:service/shop/web", "--region", "us-east-1", "--endpoint-url", moto.endpoint, "--out", out],
        );
        assert.strictEqual(run.status, 0, run.stderr);
        const s = readSnapshotFile(out);
        assert.strictEqual(s.clusters.length, 1);
        assert.deepStrictEqual(s.clusters[0].services.map((x) => x.serviceName), ["web"]);
    });

    it("creates the parent directories of --out", async () => {
        const out = path.join(tmp, "new", "dir", "s.json");
        const run = await ecs2eksAsync(["snapshot", "--cluster", "shop", "--service", "web", "--region", "us-east-1", "--endpoint-url", moto.endpoint, "--out", out]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(fs.readdirSync(path.dirname(out)), ["s.json"]);
    });
});

describe("README's CLI section is --help", () => {
    it("holds the top-level help (commands, exit codes) and every command's help verbatim", async () => {
        const { COMMANDS, USAGE } = await import("../cli/main");
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.ok(readme.includes(USAGE), "README lacks the top-level help");
        assert.match(USAGE, /Exit codes[\s\S]*0 {2}success[\s\S]*1 {2}the check, plan or preview found problems[\s\S]*2 {2}usage error/);
        for (const c of COMMANDS) {
            // Verbatim, and as a block of its own: a lost fence runs the next section into it.
            assert.ok(readme.includes(`\n\`\`\`text\n${c.help.trimEnd()}\n\`\`\`\n`), `README lacks ecs2eks ${c.name} --help in a text block of its own`);
            assert.ok(USAGE.includes(c.name));
            const documented = new Set([...c.help.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]));
            for (const flag of Object.keys(c.flags)) {
                assert.ok(documented.has(flag), `ecs2eks ${c.name} --help does not document --${flag}`);
            }
            for (const flag of documented) {
                assert.ok(flag in c.flags || ["help", "path"].includes(flag), `ecs2eks ${c.name} --help documents --${flag}, which it does not take`);
            }
        }
    });
});

describe("config: a mistyped namespace is an error naming the intended key", () => {
    const problems = (raw: Record<string, string>): string => {
        try {
            validateConfig({ "aws:region": "us-east-1", ...raw }, "dev");
        } catch (err) {
            return (err as Error).message;
        }
        return "";
    };

    it("catches case, small typos and a missing namespace; leaves other providers' keys alone", () => {
        assert.match(problems({ "Cluster:version": "1.33" }), /Cluster:version is not a known key: there is no namespace "Cluster"; did you mean cluster:version\?/);
        assert.match(problems({ "clustr:version": "1.33" }), /did you mean cluster:version\?/);
        assert.match(problems({ "nodegroups:general": '{"maxSize":8}' }), /did you mean nodeGroups:general\?/);
        assert.match(problems({ "ecs2eks:version": "1.33" }), /ecs2eks:version is not a known key: "version" needs its namespace; did you mean cluster:version\?/);
        assert.strictEqual(problems({ "aws:profile": "x", "kubernetes:context": "y", "pulumi:template": "z" }), "");
    });

    it("fails the preview with one line", () => {
        const run = ecs2eks(["preview", "--config", "clustr:version=1.33"]);
        assertOneLineFailure(run, 1);
        assert.strictEqual(run.stdout, "");
    });
});

describe("decommission-check says the right thing", () => {
    it("on a stack that migrates nothing, does not claim it reads ECS; --json for tools", () => {
        const run = ecs2eks(["decommission-check", "--config", "migration:source=none", "--json"]);
        assert.strictEqual(run.status, 1, run.stderr);
        const report = JSON.parse(run.stdout) as { safe: boolean; checks: { ok: boolean; detail: string }[] };
        assert.strictEqual(report.safe, false);
        assert.match(report.checks[0].detail, /^migration:source is none: this stack migrates nothing from ECS/);
        assert.doesNotMatch(run.stdout, /reads ECS on every preview/);
    });

    it("on a live stack, says why reading ECS blocks the destroy: the read fails once ECS is gone", () => {
        // decommission-check itself does not read ECS: no endpoint is needed.
        const run = ecs2eks(["decommission-check", "--config", "migration:source=live", "--config", 'migration:clusters=["shop"]', "--json"]);
        assert.strictEqual(run.status, 1, run.stderr);
        const report = JSON.parse(run.stdout) as { safe: boolean; checks: { ok: boolean; title: string; detail: string; fix?: string }[] };
        assert.deepStrictEqual([report.checks[0].ok, report.checks[0].title], [false, "ECS state is frozen"]);
        assert.strictEqual(
            report.checks[0].detail,
            "migration:source is live: every preview and up reads the ECS cluster shop; once the ECS stacks are destroyed that read fails, and the stack can no longer be previewed or updated",
        );
        assert.match(report.checks[0].fix ?? "", /npx ecs2eks snapshot .*pulumi config set migration:source snapshot --stack dev/);
    });

    it("rejects a cutover naming a service the snapshot does not have, as preview does", () => {
        const run = ecs2eks(["decommission-check", "--config", 'migration:cutover={"services":{"nope":{"eksWeight":100}}}']);
        assertOneLineFailure(run, 1);
        assert.match(run.stderr, /^error: migration:cutover\.services\.nope names no ECS service of the snapshot/);
    });
});

describe("preview --diff", () => {
    it("shows each resource's input values under it in the tree", () => {
        const run = ecs2eks(["preview", "--diff"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /awsx:ec2:Vpc\s+network\s+create\n([ │]+\+ .*\n)*?[ │]+\+ cidrBlock: "10\.20\.0\.0\/16"\n/);
        assert.doesNotMatch(ecs2eks(["preview"]).stdout, /\+ cidrBlock/);
    });
});
