import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { runCli } from "./runCli";
import { seededShop } from "./shopEmulator";

const ROOT = path.join(__dirname, "..", "..");

const ecs2eks = runCli;

describe("ecs2eks snapshot and live reads (moto)", function () {
    this.timeout(120000);
    const moto = seededShop();
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes a complete snapshot with no secret value in it", async () => {
        const out = path.join(dir, "s.json");
        const run = await ecs2eks(["snapshot", "--cluster", "shop", "--region", "us-east-1", "--endpoint-url", moto.endpoint, "--out", out]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stderr, /reading services: 7\/7/);
        assert.match(run.stderr, /wrote .*s\.json: 1 cluster\(s\), 7 service\(s\), 8 task definition\(s\), 0 diagnostic\(s\); \d+ API calls in/);
        const snapshot = readSnapshotFile(out);
        assert.strictEqual(snapshot.clusters[0].services.length, 7);
        assert.ok(!fs.readFileSync(out, "utf8").includes("example-only"));
    });

    it("honours AWS_ENDPOINT_URL and AWS_REGION", async () => {
        const out = path.join(dir, "env.json");
        const run = await ecs2eks(["snapshot", "--cluster", "shop", "--service", "web", "--out", out], { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: "us-east-1" });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(readSnapshotFile(out).clusters[0].services.map((s) => s.serviceName), ["web"]);
    });

    it("prints one line and exits 1 when the cluster does not exist", async () => {
        const run = await ecs2eks(["snapshot", "--cluster", "nope", "--region", "us-east-1", "--endpoint-url", moto.endpoint, "--out", path.join(dir, "x.json")]);
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stderr.trim().split("\n").filter((l) => l.startsWith("error:")).length, 1);
        assert.match(run.stderr, /^error: ECS cluster "nope" not found in us-east-1; check --cluster and --region/m);
        assert.ok(!run.stderr.includes("    at "), "no stack trace");
        assert.ok(!fs.existsSync(path.join(dir, "x.json")));
    });

    it("rejects an unknown region and missing flags before calling AWS", async () => {
        const region = await ecs2eks(["snapshot", "--cluster", "shop", "--region", "mars-1", "--out", path.join(dir, "y.json")]);
        assert.strictEqual(region.status, 1);
        assert.match(region.stderr, /^error: unknown AWS region "mars-1"/);
        const usage = await ecs2eks(["snapshot", "--cluster", "shop"]);
        assert.strictEqual(usage.status, 2);
        assert.match(usage.stderr, /^error: --out is required/);
    });

    it("runs the program from a live read when migration:source is live", async () => {
        const run = await ecs2eks(["preview", "--config", "migration:source=live", "--config", 'migration:clusters=["shop"]', "--config", "migration:snapshotFile=", "--json"], {
            AWS_ENDPOINT_URL: moto.endpoint,
        });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stderr, /reading services: 7\/7/);
    });
});

describe("the runbook's ecs2eks commands, run as written (moto)", function () {
    this.timeout(120000);
    const moto = seededShop();

    it("snapshot, plan and decommission-check work as docs/runbook.md writes them", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-"));
        try {
            for (const f of fs.readdirSync(ROOT).filter((x) => /^Pulumi(\.[\w-]+)?\.yaml$/.test(x))) {
                fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
            }
            const commands = fs
                .readFileSync(path.join(ROOT, "docs", "runbook.md"), "utf8")
                .split("\n")
                .map((l) => l.trim())
                .filter((l) => l.startsWith("npx ecs2eks "));
            assert.deepStrictEqual(commands.map((c) => c.split(" ")[2]), ["snapshot", "plan", "loadtest", "verify", "verify", "canary-gate", "decommission-check", "decommission-check", "decommission-check"]);
            // What the runbook's pulumi stack output line writes on a stack without routing.
            fs.writeFileSync(path.join(dir, "routing.json"), "null\n");
            for (const command of commands) {
                const args = command.split(/\s+/).slice(2);
                const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
                    const child = spawn(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], {
                        cwd: dir,
                        env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_ENDPOINT_URL: moto.endpoint },
                    });
                    let stdout = "";
                    let stderr = "";
                    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
                    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
                    child.on("close", (status) => resolve({ status, stdout, stderr }));
                });
                if (args[0] === "decommission-check") {
                    // prod is not migrated yet: the check runs and says why it is not safe.
                    assert.strictEqual(run.status, 1, run.stderr);
                    assert.match(run.stdout, /^Decommission check for stack prod/);
                    assert.match(run.stdout, /\[ \] ECS state is frozen: migration:source is none/);
                } else if (args[0] === "loadtest" || (args[0] === "verify" && args.includes("--service"))) {
                    // prod migrates nothing yet (migration:source none): orders is not there to load or verify.
                    assert.strictEqual(run.status, 2, run.stderr);
                    assert.match(run.stderr, /orders (has no test route|is not a load-balanced service) (in|of) the stack prod \(migration:source none\)/);
                } else if (args[0] === "verify" || args[0] === "canary-gate") {
                    // Nothing migrated: nothing to verify, no raise to gate.
                    assert.strictEqual(run.status, 0, `${command}: ${run.stderr}`);
                    assert.match(run.stdout, args[0] === "verify" ? /nothing to verify/ : /^Canary gate for stack prod \(migration:source none\):/);
                } else {
                    assert.strictEqual(run.status, 0, `${command}: ${run.stderr}`);
                }
            }
            assert.ok(fs.existsSync(path.join(dir, "ecs-snapshot.json")));
            assert.ok(fs.existsSync(path.join(dir, "plan", "report.md")));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the committed sample snapshot", () => {
    it("is valid and holds the whole shop, without secret values", () => {
        const file = path.join(ROOT, "examples", "shop", "snapshot.json");
        const snapshot = readSnapshotFile(file);
        assert.deepStrictEqual(snapshot.clusters[0].services.map((s) => s.serviceName), ["cart", "catalog", "log-agent", "media", "orders", "web", "worker"]);
        assert.strictEqual(snapshot.clusters[0].scheduledTasks.length, 2);
        assert.ok(!fs.readFileSync(file, "utf8").includes("example-only"));
    });
});
