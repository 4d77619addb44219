/**
 * Migration shards: a stack that migrates part of the estate onto another
 * stack's cluster. Config, selection, the planner, and the sample shop as a
 * platform stack plus two shards, each previewed offline.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generatedEstate } from "../bench/translate";
import { validateConfig } from "../config/validate";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { parseStrategy, proposeShards } from "../migration/shards/plan";
import { EstateUnit, estateUnits, selectEstate, unitId } from "../migration/shards/select";
import { PLATFORM_OUTPUTS } from "../shardProgram";
import { rawConfig, runPlatform } from "./harness";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "shards");
const shop = readSnapshotFile(path.join(ROOT, "examples", "shop", "snapshot.json"));
const units = estateUnits(shop);

function cli(args: string[], cwd: string) {
    return spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
}
function problems(raw: Record<string, unknown>): string {
    try {
        validateConfig(rawConfig(raw), "shard");
        return "";
    } catch (err) {
        return (err as Error).message;
    }
}
/** Every unit in exactly one proposal. */
function assertPartition(all: readonly EstateUnit[], parts: readonly (readonly EstateUnit[])[]) {
    const seen = parts.flat().map(unitId).sort();
    assert.deepStrictEqual(seen, all.map(unitId).sort());
}

describe("shards: config", () => {
    const shard = { "migration:platformStack": "acme/ecs2eks/prod", "migration:source": "snapshot", "migration:snapshotFile": "s.json" };

    it("reads a shard's platform stack and selection", () => {
        const config = validateConfig(rawConfig({ ...shard, "migration:clusters": ["shop"], "migration:services": { include: ["web", "orders-*"], exclude: ["orders-old"] }, "migration:serviceTags": { team: "payments" }, "migration:sharedClusters": ["shop"] }), "payments");
        assert.deepStrictEqual(config.migration.shard, { platformStack: "acme/ecs2eks/prod", include: ["web", "orders-*"], exclude: ["orders-old"], tags: { team: "payments" }, sharedClusters: ["shop"] });
        assert.deepStrictEqual(config.migration.services, [], "a shard reads whole clusters and selects afterwards");
    });

    it("rejects what a shard cannot mean, naming the key and the fix", () => {
        assert.match(problems({ ...shard, "migration:platformStack": "prod" }), /migration:platformStack "prod" is not allowed; expected <organization>\/<project>\/<stack>/);
        assert.match(problems({ "migration:platformStack": "acme/ecs2eks/prod" }), /makes this stack a migration shard, which needs migration:source snapshot or live/);
        assert.match(problems({ ...shard, "migration:services": { include: ["web"], only: ["x"] } }), /migration:services.only is not a known field; use include and exclude/);
        assert.match(problems({ ...shard, "migration:services": { include: ["web app"] } }), /migration:services.include "web app" is not an ECS service name, ARN or pattern/);
        assert.match(problems({ ...shard, "migration:serviceTags": { team: 3 } }), /migration:serviceTags .* expected a map of tag keys to values/);
    });

    it("keeps the keys of a shard off a plain stack, and its live filter as it was", () => {
        const plain = { "migration:source": "snapshot", "migration:snapshotFile": "s.json" };
        assert.match(problems({ ...plain, "migration:serviceTags": { team: "a" } }), /migration:serviceTags selects part of the estate for a migration shard; set migration:platformStack too/);
        assert.match(problems({ ...plain, "migration:services": ["web"] }), /migration:services only filters a live read/);
        assert.match(problems({ "migration:source": "live", "migration:clusters": ["shop"], "migration:services": ["web-*"] }), /patterns with \* select services for a migration shard/);
        assert.deepStrictEqual(validateConfig(rawConfig({ "migration:source": "live", "migration:clusters": ["shop"], "migration:services": ["web"] }), "dev").migration.services, ["web"]);
        assert.strictEqual(validateConfig(rawConfig(plain), "dev").migration.shard, undefined);
    });
});

describe("shards: selecting part of the estate", () => {
    it("selects by cluster, name pattern, exclusion and tag, and keeps the rest of the snapshot", () => {
        const names = (sel: Parameters<typeof selectEstate>[1]) => selectEstate(shop, sel).units.map((u) => u.name);
        assert.deepStrictEqual(names({ clusters: ["shop"], include: ["c*"], exclude: [], tags: {} }), ["cart", "catalog"]);
        assert.deepStrictEqual(names({ clusters: [], include: [], exclude: ["*o*"], tags: {} }), ["cart", "media", "web"]);
        assert.deepStrictEqual(names({ clusters: [], include: [], exclude: [], tags: { tier: "frontend" } }), ["web"]);
        assert.deepStrictEqual(names({ clusters: [], include: ["shop/worker"], exclude: [], tags: {} }), ["worker"], "cluster/name names one cluster's service");
        const selected = selectEstate(shop, { clusters: [], include: ["web"], exclude: [], tags: {} }).snapshot;
        assert.deepStrictEqual(selected.clusters[0].services.map((s) => s.serviceName), ["web"]);
        assert.deepStrictEqual(selected.clusters[0].scheduledTasks, []);
        assert.strictEqual(selected.taskDefinitions.length, shop.taskDefinitions.length);
    });

    it("warns about each term that matches nothing, naming it", () => {
        const { warnings } = selectEstate(shop, { clusters: ["shopp"], include: ["web", "ordrs"], exclude: ["legacy-*"], tags: { team: "x" } });
        assert.deepStrictEqual(warnings, [
            'migration:clusters "shopp" names no ECS cluster of the snapshot',
            'migration:services.include "ordrs" matches no ECS service or scheduled task of the snapshot',
            'migration:services.exclude "legacy-*" matches no ECS service or scheduled task of the snapshot',
            'migration:serviceTags team="x" is on no ECS service of the snapshot',
        ]);
    });
});

describe("shards: the planner", () => {
    it("parses --by and refuses what it does not know", () => {
        assert.deepStrictEqual(parseStrategy("cluster"), { kind: "cluster" });
        assert.deepStrictEqual(parseStrategy("tag:team"), { kind: "tag", key: "team" });
        assert.deepStrictEqual(parseStrategy("count:4"), { kind: "count", count: 4 });
        assert.strictEqual(parseStrategy("count:0"), undefined);
        assert.strictEqual(parseStrategy("team"), undefined);
    });

    it("splits the shop by a tag: one shard per value and one for the untagged, each service once", () => {
        const shards = proposeShards(units, { kind: "tag", key: "tier" }, "prod");
        assert.deepStrictEqual(shards.map((s) => [s.name, s.units.map((u) => u.name)]), [
            ["prod-frontend", ["web"]],
            ["prod-untagged", ["cart", "catalog", "log-agent", "media", "orders", "worker", "shop-nightly-report/report", "default/shop-hourly-report"]],
        ]);
        assert.deepStrictEqual(shards[0].selection.tags, { tier: "frontend" });
        assert.deepStrictEqual(shards.map((s) => s.sharedClusters), [[], ["shop"]], "the first shard by name declares the split cluster's namespaces");
        assert.deepStrictEqual(shards[0].serviceConnect, [{ namespace: "shop.local", alsoIn: ["prod-untagged"] }]);
    });

    it("balances count:n by service count, the same way every time, every service in exactly one shard", () => {
        for (let n = 1; n <= units.length + 1; n++) {
            const shards = proposeShards(units, { kind: "count", count: n }, "prod");
            assertPartition(units, shards.map((s) => s.units));
            const sizes = shards.map((s) => s.units.length);
            assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `count:${n}: ${sizes.join(", ")}`);
            assert.deepStrictEqual(proposeShards(units, { kind: "count", count: n }, "prod"), shards);
        }
    });

    it("keeps clusters whole where they fit, on a 200-service estate of four clusters of uneven size", () => {
        const generated = estateUnits(generatedEstate(200));
        const sizes = [80, 60, 40, 20];
        const estate = generated.map((u, i): EstateUnit => ({ ...u, cluster: `c${sizes.findIndex((_, k) => i < sizes.slice(0, k + 1).reduce((x, y) => x + y, 0))}` }));
        const clusters = new Set(estate.map((u) => u.cluster));
        assert.strictEqual(clusters.size, 4);
        const four = proposeShards(estate, { kind: "count", count: 4 }, "prod");
        assert.deepStrictEqual(four.map((s) => s.units.length), [50, 50, 50, 50]);
        const two = proposeShards(estate, { kind: "count", count: 2 }, "prod");
        assert.deepStrictEqual(two.map((s) => [s.selection.clusters, s.selection.include, s.sharedClusters]), [[["c0", "c3"], [], []], [["c1", "c2"], [], []]], "whole clusters, selected by cluster, so new services join them");
        for (const strategy of [{ kind: "cluster" } as const, { kind: "count", count: 4 } as const, { kind: "count", count: 7 } as const]) {
            const shards = proposeShards(estate, strategy, "prod");
            assertPartition(estate, shards.map((s) => s.units));
            if (strategy.kind === "cluster") {
                assert.ok(shards.every((s) => s.sharedClusters.length === 0), `${JSON.stringify(strategy)}: no cluster split`);
            }
        }
    });

    it("writes one Pulumi.<shard>.yaml each, which the overlap check accepts", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-shards-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(out, "Pulumi.yaml"));
        fs.copyFileSync(path.join(ROOT, "examples", "shop", "snapshot.json"), path.join(out, "snapshot.json"));
        fs.writeFileSync(path.join(out, "Pulumi.prod.yaml"), "config:\n  aws:region: us-east-1\n");
        const run = cli(["shards", "--snapshot", "snapshot.json", "--by", "count:3", "--out", ".", "--platform-stack", "acme/ecs2eks/prod"], out);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(fs.readdirSync(out).filter((f) => /^Pulumi\.prod-/.test(f)), ["Pulumi.prod-1.yaml", "Pulumi.prod-2.yaml", "Pulumi.prod-3.yaml"]);
        assert.match(fs.readFileSync(path.join(out, "Pulumi.prod-1.yaml"), "utf8"), /migration:platformStack: acme\/ecs2eks\/prod/);
        const check = cli(["shards", "--check"], out);
        assert.strictEqual(check.status, 0, check.stdout + check.stderr);
        assert.match(check.stdout, /environment prod: ✓ every service in exactly one stack/);
        fs.rmSync(out, { recursive: true, force: true });
    });
});

describe("shards: the sample shop as a platform stack and two shards (examples/shards)", function () {
    this.timeout(120000);
    interface Resource { type: string; name: string; inputs: { metadata?: { name?: string; namespace?: string } } }
    const preview = (stack: string): Resource[] => {
        const run = cli(["preview", "--stack", stack, "--json"], EXAMPLE);
        assert.strictEqual(run.status, 0, run.stderr);
        return JSON.parse(run.stdout) as Resource[];
    };
    let a: Resource[];
    let b: Resource[];
    before(() => {
        a = preview("shop-a");
        b = preview("shop-b");
    });
    const k8sObjects = (rs: Resource[]) => rs.filter((r) => r.type.startsWith("kubernetes:") && r.inputs.metadata?.name).map((r) => `${r.type} ${r.inputs.metadata?.namespace ?? ""}/${r.inputs.metadata?.name}`);

    it("previews each shard offline with no platform resources of its own", () => {
        for (const rs of [a, b]) {
            const platformTypes = rs.filter((r) => /^(eks:|awsx:|aws:eks\/|aws:efs\/|ecs2eks:platform:|ecs2eks:addons:|kubernetes:helm)/.test(r.type));
            assert.deepStrictEqual(platformTypes.map((r) => r.type), []);
            assert.ok(rs.some((r) => r.type === "ecs2eks:migration:Workload"));
        }
        assert.deepStrictEqual(a.filter((r) => r.type === "ecs2eks:migration:Workload").map((r) => r.name).sort(), ["shop-cart", "shop-catalog", "shop-media", "shop-privileged-log-agent", "shop-web"]);
    });

    it("declares no Kubernetes object twice across the shards, and the namespaces in one of them", () => {
        const inA = new Set(k8sObjects(a));
        assert.deepStrictEqual(k8sObjects(b).filter((o) => inA.has(o)), []);
        const namespaces = (rs: Resource[]) => rs.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata?.name);
        assert.deepStrictEqual(namespaces(a).sort(), ["shop", "shop-privileged"]);
        assert.deepStrictEqual(namespaces(b), [], "shop-b lists shop in migration:sharedClusters");
    });

    it("migrates together exactly what the single dev stack migrates", () => {
        const dev = cli(["preview", "--stack", "dev", "--json"], ROOT);
        assert.strictEqual(dev.status, 0, dev.stderr);
        const single = (JSON.parse(dev.stdout) as Resource[]).filter((r) => /^shop(-|$)/.test(r.inputs.metadata?.namespace ?? r.inputs.metadata?.name ?? ""));
        assert.deepStrictEqual([...k8sObjects(a), ...k8sObjects(b)].sort(), k8sObjects(single).sort());
    });

    it("stands in offline for every platform output a shard reads, and the platform stack exports each", async () => {
        const platform = await runPlatform(rawConfig({ "identity:mode": "pod-identity" }));
        for (const name of PLATFORM_OUTPUTS) {
            assert.ok(name in platform.result.outputs, `the platform stack does not export ${name}`);
        }
        assert.strictEqual(platform.result.outputs.identityMode, "pod-identity");
        const { offlinePlatformOutputs } = await import("../preview/platformOutputs");
        const outputs = offlinePlatformOutputs({ dir: EXAMPLE, name: "ecs2eks" }, "organization/ecs2eks/shop-platform");
        assert.deepStrictEqual(Object.keys(outputs).sort(), [...PLATFORM_OUTPUTS].sort());
        assert.strictEqual(outputs.clusterName, "ecs2eks-shop");
        assert.strictEqual(outputs.largestNodeDiskGiB, 50);
    });

    it("says which platform stack file it needs when there is none", () => {
        const run = cli(["preview", "--stack", "shop-a", "--json", "--config", "migration:platformStack=acme/ecs2eks/nowhere"], EXAMPLE);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /migration:platformStack acme\/ecs2eks\/nowhere: no Pulumi.nowhere.yaml in .*examples\/shards/);
    });
});
