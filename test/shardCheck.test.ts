/**
 * No overlaps, no gaps: the check fails when two stacks of an environment
 * claim one service, when a service is in none, or when two stacks would
 * declare one namespace; it names them. Pure module, then the CLI over a
 * project's Pulumi.<stack>.yaml files, then policy-check.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackClaim, checkShards } from "../migration/shards/check";
import { SELECT_ALL, estateUnits } from "../migration/shards/select";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";

const ROOT = path.join(__dirname, "..", "..");
const SNAPSHOT = path.join(ROOT, "examples", "shop", "snapshot.json");
const units = estateUnits(readSnapshotFile(SNAPSHOT));
const shard = (stack: string, include: string[], exclude: string[] = [], sharedClusters: string[] = []): StackClaim => ({
    stack,
    environment: "prod",
    migrates: true,
    selection: { clusters: ["shop"], include, exclude, tags: {} },
    sharedClusters,
});
const FRONT = ["web", "catalog", "cart", "media", "log-agent"];

describe("shard check (pure)", () => {
    it("passes the shop split in two, with one namespace owner", () => {
        const [prod] = checkShards(units, [shard("a", FRONT), shard("b", [], FRONT, ["shop"])]);
        assert.deepStrictEqual(prod.problems, []);
        assert.deepStrictEqual(prod.stacks.map((s) => [s.stack, s.units.length]), [["a", 5], ["b", 4]]);
    });

    it("names a service two stacks claim, and the stacks", () => {
        const [prod] = checkShards(units, [shard("a", FRONT), shard("b", ["orders", "worker", "web", "*report*"], [], ["shop"])]);
        assert.deepStrictEqual(prod.problems, ["service shop/web is claimed by 2 stacks of environment prod: a, b; keep it in one (migration:services exclude in the others)"]);
    });

    it("names a service no stack claims", () => {
        const [prod] = checkShards(units, [shard("a", FRONT), shard("b", ["orders", "*report*"], [], ["shop"])]);
        assert.deepStrictEqual(prod.problems, ["service shop/worker is in no stack of environment prod (stacks: a, b); add it to one shard's migration:services or migration:clusters"]);
    });

    it("fails a split cluster whose namespaces two stacks, or none, would declare", () => {
        const [both] = checkShards(units, [shard("a", FRONT), shard("b", [], FRONT)]);
        assert.match(both.problems.join("\n"), /ECS cluster shop is split over a, b, and each would declare its namespaces/);
        const [none] = checkShards(units, [shard("a", FRONT, [], ["shop"]), shard("b", [], FRONT, ["shop"])]);
        assert.match(none.problems.join("\n"), /ECS cluster shop is shared by a, b, and each lists it in migration:sharedClusters/);
    });

    it("checks environments apart, skips those that migrate nothing, and counts a plain stack as claiming everything", () => {
        const plain: StackClaim = { stack: "dev", environment: "dev", migrates: true, selection: SELECT_ALL, sharedClusters: [] };
        const platform: StackClaim = { stack: "prod", environment: "prod", migrates: false, selection: SELECT_ALL, sharedClusters: [] };
        const results = checkShards(units, [plain, platform, shard("a", FRONT), shard("b", [], FRONT, ["shop"])]);
        assert.deepStrictEqual(results.map((r) => [r.environment, r.problems.length]), [["dev", 0], ["prod", 0]]);
        const [overlap] = checkShards(units, [{ ...plain, environment: "prod" }, shard("a", FRONT)]);
        assert.ok(overlap.problems.some((p) => p.startsWith("service shop/web is claimed by 2 stacks of environment prod: a, dev")));
    });

    it("warns about a pattern that matches nothing, naming the stack and the pattern", () => {
        const [prod] = checkShards(units, [shard("a", [...FRONT, "webb"]), shard("b", [], FRONT, ["shop"])]);
        assert.deepStrictEqual(prod.problems, []);
        assert.deepStrictEqual(prod.warnings, ['stack a: migration:services.include "webb" matches no ECS service or scheduled task of the snapshot']);
    });
});

describe("shard check (ecs2eks shards --check, policy-check)", function () {
    this.timeout(180000);
    const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-shardcheck-"));
        for (const f of fs.readdirSync(path.join(ROOT, "examples", "shards"))) {
            fs.copyFileSync(path.join(ROOT, "examples", "shards", f), path.join(dir, f));
        }
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const shopB = (text: string) => fs.writeFileSync(path.join(dir, "Pulumi.shop-b.yaml"), text.replace("../shop/snapshot.json", SNAPSHOT));

    it("passes the example's platform stack and two shards", () => {
        const run = cli(["shards", "--check"], path.join(ROOT, "examples", "shards"));
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /environment shop-platform: ✓ every service in exactly one stack\n {2}stack shop-a: 5 services and scheduled tasks\n {2}stack shop-b: 4 services and scheduled tasks/);
    });

    it("fails, naming the service and both stacks, when shop-b also takes web, with --snapshot and with the stacks' own", () => {
        const original = fs.readFileSync(path.join(dir, "Pulumi.shop-b.yaml"), "utf8");
        shopB(original.replace("exclude: [web, catalog, cart, media, log-agent]", "exclude: [catalog, cart, media, log-agent]"));
        const run = cli(["shards", "--check", "--snapshot", SNAPSHOT], dir);
        assert.strictEqual(run.status, 1, run.stdout);
        assert.match(run.stdout, /✗ service shop\/web is claimed by 2 stacks of environment shop-platform: shop-a, shop-b/);
        const json = cli(["shards", "--check", "--snapshot", SNAPSHOT, "--json"], dir);
        assert.strictEqual((JSON.parse(json.stdout) as { problems: string[] }[])[0].problems.length, 1);
        fs.rmSync(path.join(dir, "Pulumi.shop-platform.yaml"));
        fs.rmSync(path.join(dir, "Pulumi.shop-a.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.shop-a.yaml"), fs.readFileSync(path.join(ROOT, "examples", "shards", "Pulumi.shop-a.yaml"), "utf8").replace("../shop/snapshot.json", SNAPSHOT));
        const own = cli(["shards", "--check"], dir);
        assert.strictEqual(own.status, 1, "without --snapshot, each environment is checked against its stacks' snapshot");
        assert.match(own.stdout, /✗ service shop\/web is claimed by 2 stacks/);
    });

    it("fails, naming the service, when a service is in no shard", () => {
        shopB(fs.readFileSync(path.join(dir, "Pulumi.shop-b.yaml"), "utf8").replace("exclude: [web, catalog, cart, media, log-agent]", "exclude: [web, catalog, cart, media, log-agent, worker]"));
        const run = cli(["shards", "--check", "--snapshot", SNAPSHOT], dir);
        assert.strictEqual(run.status, 1);
        assert.match(run.stdout, /✗ service shop\/worker is in no stack of environment shop-platform \(stacks: shop-a, shop-b\)/);
    });

    it("runs in policy-check over the repository, passing the stacks as committed", () => {
        const run = cli(["policy-check"], ROOT);
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    });
});
