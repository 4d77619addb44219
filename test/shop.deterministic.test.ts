/**
 * The sample shop is reproducible: `npm run shop:snapshot` seeds a fresh
 * emulator with seeded IDs and a stopped clock, so making the snapshot again
 * changes nothing but its capture time, and a regenerated
 * examples/shop/snapshot.json diffs clean.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { SHOP_EMULATOR } from "../examples/shop/seed";

const MAIN = path.join(__dirname, "..", "examples", "shop", "main.js");

/** What `npm run shop:snapshot` runs, writing to `out`: a fresh moto each time. */
function shopSnapshot(out: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [MAIN, "snapshot", out], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" }, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`shop snapshot exited ${code}: ${stderr}`))));
    });
}

describe("the sample shop: seeding the emulator twice makes the same snapshot", function () {
    this.timeout(240000);
    let dir: string;
    let first: EcsSnapshot;
    let second: EcsSnapshot;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-shop-"));
        // One after the other: each starts and stops its own moto.
        await shopSnapshot(path.join(dir, "first.json"));
        await shopSnapshot(path.join(dir, "second.json"));
        first = readSnapshotFile(path.join(dir, "first.json"));
        second = readSnapshotFile(path.join(dir, "second.json"));
    });
    after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    it("is the same but for capturedAt: every ID and every time moto recorded", () => {
        const { capturedAt: a, ...firstRest } = first;
        const { capturedAt: b, ...secondRest } = second;
        assert.ok(a && b);
        assert.deepStrictEqual(secondRest, firstRest);
    });

    it("holds IDs moto made up, and the instant the emulator's clock stands at", () => {
        const text = JSON.stringify(first);
        // IDs of every kind the seed draws: EC2, load balancer, EFS, scaling policy and alarm names.
        for (const id of [/"sg-[0-9a-f]{17}"/, /"subnet-[0-9a-f]{17}"/, /loadbalancer\/app\/shop-alb\/[0-9a-f]{16}"/, /"fs-[0-9a-f]{8,17}"/, /scalingPolicy:[0-9a-f-]{36}:/, /AlarmHigh-[0-9a-f-]{36}/]) {
            assert.ok(id.test(text), `no ID like ${id} in the snapshot`);
        }
        // moto 5.2 ends a listener's default rule ARN with a Python object address; the launcher gives it AWS's 16 hex digits.
        const rules = first.loadBalancing.rules.map((r) => r.rule.RuleArn ?? "");
        assert.ok(rules.length > 0);
        for (const arn of rules) {
            assert.match(arn, /:listener-rule\/app\/shop-alb\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
        }
        const created = first.clusters.flatMap((c) => c.services.flatMap((s) => (s.deployments ?? []).map((d) => String(d.createdAt))));
        assert.ok(created.length > 0);
        assert.deepStrictEqual([...new Set(created)], [SHOP_EMULATOR.clock]);
    });
});
