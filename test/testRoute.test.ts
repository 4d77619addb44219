import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigReader } from "../config/reader";
import { readTestRoute } from "../config/testRoute";
import { DEFAULT_TEST_ROUTE } from "../config/types";
import type { EcsSnapshot } from "../core/snapshot";
import { planCutover } from "../migration/cutover";
import { renderCutover } from "../migration/cutover/report";
import { planTestRoutes } from "../migration/cutover/testRoute";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { k6Script, sampleOf } from "../migration/loadtest/k6";
import { translate } from "../migration/translate/translate";
import { ROOT, runCli } from "./runCli";

const SNAPSHOT = path.join(ROOT, "examples", "shop", "snapshot.json");
const shop = readSnapshotFile(SNAPSHOT);
const weights = { defaultEksWeight: 0, services: {} };
const LISTENER = shop.loadBalancing.listeners[0].ListenerArn ?? "";

/** The shop with its orders rule moved to `priority` and, optionally, more rules on the same listener and more path values. */
function shopWith(priority: number, otherPriorities: number[] = [], paths?: string[]): EcsSnapshot {
    const rules = shop.loadBalancing.rules.map((r) =>
        r.rule.Priority === "10" ? { ...r, rule: { ...r.rule, Priority: String(priority), ...(paths ? { Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: paths } }] } : {}) } } : r,
    );
    const others = otherPriorities.map((p) => ({ listenerArn: LISTENER, rule: { Priority: String(p), IsDefault: false, RuleArn: `${LISTENER}/rule-${p}`, Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: [`/other-${p}/*`] } }], Actions: [{ Type: "fixed-response" }] } }));
    return { ...shop, loadBalancing: { ...shop.loadBalancing, rules: [...rules, ...others] } } as EcsSnapshot;
}

describe("the test route of each load-balanced service", () => {
    it("comes just before the weighted rule, with its conditions and the marker header, forwarding to the EKS target group", () => {
        const c = planCutover(translate(shop), shop, weights);
        const byService = Object.fromEntries(c.testRoutes.map((t) => [t.ecsService, t]));
        const canary = Object.fromEntries(c.canaries.map((x) => [x.ecsService, x]));
        assert.deepStrictEqual(Object.keys(byService).sort(), ["orders", "web"]);
        // orders: ECS rule at 10, weighted rule at 9, test route at 8; web (the default action): 50000, then 49999.
        assert.deepStrictEqual([byService.orders.priority, byService.orders.weightedPriority, canary.orders.priority], [8, 9, 9]);
        assert.deepStrictEqual([byService.web.priority, byService.web.weightedPriority], [49999, 50000]);
        assert.deepStrictEqual(byService.orders.conditions, [{ pathPattern: { values: ["/api/orders/*"] } }, { httpHeader: { httpHeaderName: "x-ecs2eks-canary", values: ["eks"] } }]);
        assert.strictEqual(byService.orders.eksTargetGroupName, canary.orders.targetGroup.name);
        assert.match(renderCutover(c), /\| orders \| priority 8 on .* \| priority 9 \|/);
    });

    it("takes the header from migration:testRoute", () => {
        const c = planCutover(translate(shop), shop, weights, { header: "x-canary", value: "blue-7" });
        assert.deepStrictEqual(c.testRoutes[0].conditions.at(-1), { httpHeader: { httpHeaderName: "x-canary", values: ["blue-7"] } });
    });

    it("takes the free priority just before the weighted rule and after every rule before it, and fails clearly when there is none", () => {
        // ECS rules at 6 and 8 on the listener; orders' rule at 10: weighted rule at 9, and nothing free between 8 and 9.
        const gap = planCutover(translate(shopWith(10, [6, 8])), shopWith(10, [6, 8]), weights);
        assert.deepStrictEqual(gap.testRoutes.filter((t) => t.ecsService === "orders").map((t) => t.priority), []);
        assert.ok(gap.diagnostics.some((d) => d.diagnostic.code === "TEST_ROUTE_NO_PRIORITY"), "8 is taken, 9 is the weighted rule: no room between 8 and 9");
        const roomy = shopWith(10, [5]);
        const r = planCutover(translate(roomy), roomy, weights);
        assert.deepStrictEqual(r.testRoutes.filter((t) => t.ecsService === "orders").map((t) => t.priority), [8]);
        const tight = shopWith(2);
        const t = planCutover(translate(tight), tight, weights);
        const d = t.diagnostics.find((x) => x.diagnostic.code === "TEST_ROUTE_NO_PRIORITY");
        assert.ok(d, "weighted rule at 1 leaves nothing before it");
        assert.strictEqual(d.diagnostic.severity, "error");
        assert.match(d.diagnostic.message, /no free rule priority on .* between 0 and 1 \(the weighted rule of orders\)/);
        assert.match(d.diagnostic.suggestion, /leave a gap of at least 2 before the rule of orders/);
        // Every priority on the listener is distinct.
        const all = [...t.canaries.map((x) => x.priority), ...t.testRoutes.map((x) => x.priority), 2];
        assert.strictEqual(new Set(all).size, all.length);
    });

    it("refuses a rule that would exceed the load balancer's five condition values", () => {
        const full = shopWith(10, [], ["/a/*", "/b/*", "/c/*", "/d/*", "/e/*"]);
        const { diagnostics, testRoutes } = planTestRoutes(planCutover(translate(full), full, weights).canaries, full, DEFAULT_TEST_ROUTE);
        assert.deepStrictEqual(testRoutes.map((t) => t.ecsService), ["web"]);
        assert.match(diagnostics[0].diagnostic.message, /matches on 5 condition values; with the x-ecs2eks-canary header the test route would need 6/);
    });

    it("validates migration:testRoute like the other keys", () => {
        const read = (value: unknown) => {
            const r = new ConfigReader({ "migration:testRoute": JSON.stringify(value) });
            return { route: readTestRoute(r), problems: r.problems };
        };
        assert.deepStrictEqual(read({ header: "X-Canary", value: "yes" }), { route: { header: "X-Canary", value: "yes" }, problems: [] });
        assert.deepStrictEqual(read({}).route, DEFAULT_TEST_ROUTE);
        assert.match(read({ header: "x canary" }).problems[0], /migration:testRoute.header "x canary" is not an HTTP header name/);
        assert.match(read({ header: "Host" }).problems[0], /set or rewritten by the load balancer/);
        assert.match(read({ value: "eks*" }).problems[0], /without \* or \? \(the load balancer reads those as wildcards\)/);
        assert.match(read({ header: "x-a", colour: "blue" }).problems[0], /migration:testRoute.colour is not a known field/);
        assert.match(read("x-canary").problems[0], /expected \{"header": "x-ecs2eks-canary", "value": "eks"\}/);
    });
});

describe("ecs2eks loadtest", function () {
    this.timeout(60_000);
    const route = planCutover(translate(shop), shop, weights).testRoutes.find((t) => t.ecsService === "orders");

    it("writes a k6 script for the route: the load balancer, sample paths, the marker header and a ramp to the rate", () => {
        assert.ok(route);
        const script = k6Script(route, shop, { rate: 42.3, rateSource: "given with --rate", durationSeconds: 600, file: "orders-k6.js" });
        assert.match(script, /const BASE = "http:\/\/shop-alb-1\.us-east-1\.elb\.amazonaws\.com";/);
        assert.match(script, /const PATHS = \["\/api\/orders\/k6-sample"\];/);
        assert.match(script, /const HEADERS = \{"x-ecs2eks-canary":"eks"\};/);
        assert.match(script, /"executor": "ramping-arrival-rate"/);
        assert.match(script, /"target": 43,\s+"duration": "200s"/);
        assert.match(script, /"target": 43,\s+"duration": "400s"/);
        assert.match(script, /priority 8, before the weighted rule at 9/);
        assert.match(script, /http\.request\(METHOD, BASE \+ path, null, \{ headers: HEADERS/);
        assert.strictEqual(sampleOf("/*", "x"), "/");
        assert.strictEqual(sampleOf("*.shop.example.com", "www"), "www.shop.example.com");
        assert.strictEqual(sampleOf("/v?/items/*", "k6"), "/vx/items/k6");
    });

    it("as a command: ramps to the default with a notice when CloudWatch cannot be read, and names the services with a route", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-k6-"));
        try {
            const out = path.join(dir, "orders.js");
            // A closed loopback port: CloudWatch cannot be reached.
            const r = await runCli(["loadtest", "--snapshot", SNAPSHOT, "--service", "orders", "--out", out, "--duration", "3m", "--endpoint-url", "http://127.0.0.1:9"], { AWS_REGION: "us-east-1" });
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.stderr, /notice: cannot read CloudWatch .*; ramping to 10\/s \(set --rate\)/);
            const script = fs.readFileSync(out, "utf8");
            assert.match(script, /"target": 10,\s+"duration": "1m"/);
            assert.match(script, /ramps to 10 request\(s\)\/s, the default/);
            const none = await runCli(["loadtest", "--snapshot", SNAPSHOT, "--service", "worker", "--rate", "5", "--out", out]);
            assert.strictEqual(none.status, 2);
            assert.match(none.stderr, /worker has no test route in the snapshot .*; services with one: orders, web/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
