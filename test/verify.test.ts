import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Aws } from "../migration/ecs/aws";
import { fetchFigures } from "../migration/verify/cloudwatch";
import { ApiObject, ClusterObjects, kubernetesFindings } from "../migration/verify/kubernetes";
import { judge } from "../migration/verify/report";
import { DEFAULT_TOLERANCES, metricFindings, overall } from "../migration/verify/verdict";
import { ROOT, runCli } from "./runCli";
import { SNAPSHOT, seededVerify, targetOf, targets } from "./verifyEmulator";

const web = targetOf("web");
const orders = targetOf("orders");

describe("verify against moto: the EKS target group next to the ECS one", function () {
    this.timeout(120_000);
    const moto = seededVerify();
    const { minutesAgo } = moto;

    function aws(): Aws {
        return new Aws({ region: "us-east-1", endpoint: moto.endpoint });
    }

    it("says ready for a healthy EKS side and rollback for one with more 5xx than ECS, with the figures", async () => {
        const a = aws();
        try {
            const result = judge(await fetchFigures(a, targets, { start: minutesAgo(15), end: moto.now, period: 900 }), DEFAULT_TOLERANCES, "15m");
            const w = result.services.find((s) => s.service === "web")!;
            const o = result.services.find((s) => s.service === "orders")!;
            assert.strictEqual(w.verdict, "ready", JSON.stringify(w.findings));
            assert.deepStrictEqual(w.health, { healthy: web.desiredReplicas, unhealthy: 0, desired: web.desiredReplicas });
            assert.strictEqual(w.eks?.requests, 1000);
            assert.strictEqual(w.ecs.requests, 9000);
            assert.strictEqual(w.eks?.rate5xxPercent, 0.1);
            assert.ok(Math.abs((w.eks?.average ?? 0) - 0.085) < 1e-9, `average ${w.eks?.average}`);
            assert.strictEqual(o.verdict, "rollback");
            assert.strictEqual(o.eks?.rate5xxPercent, 6);
            const finding = o.findings.find((f) => f.verdict === "rollback")!;
            assert.strictEqual(finding.check, "5xx rate");
            assert.match(finding.detail, /EKS 6\.00% \(30\/500\), ECS 0\.10% \(4\/4000\)/);
            assert.strictEqual(result.verdict, "rollback");
            // One DescribeTargetHealth per service; one GetMetricData for every sum and average, one for the percentiles.
            assert.strictEqual(a.calls.get("cloudwatch:GetMetricData"), 2);
            // moto computes no percentiles: the p90 comparison is skipped, and says so.
            assert.match(result.notes.join("\n"), /p90 response times not compared/);
            assert.strictEqual(a.calls.get("elasticloadbalancing:DescribeTargetHealth"), 2);
        } finally {
            a.destroy();
        }
    });

    it("says hold when the EKS side had too little traffic to tell", async () => {
        const a = aws();
        try {
            const result = judge(await fetchFigures(a, [web], { start: minutesAgo(190), end: minutesAgo(170), period: 1200 }), DEFAULT_TOLERANCES, "20m");
            const w = result.services[0];
            assert.strictEqual(w.verdict, "hold");
            assert.strictEqual(w.eks?.requests, 20);
            assert.match(w.findings.find((f) => f.verdict === "hold")!.detail, /20 EKS request\(s\) in the window, fewer than the 100 needed/);
        } finally {
            a.destroy();
        }
    });

    it("holds a service whose EKS target group does not exist yet, and finds the others in the same batch", async () => {
        const missing = { ...web, service: "ghost", eksTargetGroupName: "eks-ghost-000000" };
        const a = aws();
        try {
            const result = judge(await fetchFigures(a, [missing, orders], { start: minutesAgo(15), end: moto.now, period: 900 }), DEFAULT_TOLERANCES, "15m");
            assert.deepStrictEqual(result.services.map((s) => [s.service, s.verdict]), [["ghost", "hold"], ["orders", "rollback"]]);
            assert.match(result.services[0].findings[0].detail, /does not exist yet/);
        } finally {
            a.destroy();
        }
    });

    it("as a command: exits 1 on a rollback, prints the figures, and JSON with --json", async () => {
        const env = { AWS_REGION: "us-east-1" };
        const text = await runCli(["verify", "--snapshot", SNAPSHOT, "--cutover", '{"default":{"eksWeight":10}}', "--endpoint-url", moto.endpoint], env);
        assert.strictEqual(text.status, 1, text.stderr);
        assert.strictEqual(text.stderr, "");
        assert.match(text.stdout, /READY\s+web .*healthy 3\/3 +requests EKS 1000 ECS 9000 +5xx EKS 0\.10% ECS 0\.10%/);
        assert.match(text.stdout, /ROLLBACK orders .*\n {2}rollback: 5xx rate: EKS 6\.00%/);
        const json = await runCli(["verify", "--snapshot", SNAPSHOT, "--cutover", '{"default":{"eksWeight":10}}', "--endpoint-url", moto.endpoint, "--json", "--service", "web"], env);
        assert.strictEqual(json.status, 0, json.stderr);
        const out = JSON.parse(json.stdout) as { verdict: string; services: { service: string; verdict: string }[] };
        assert.deepStrictEqual(out.services.map((s) => [s.service, s.verdict]), [["web", "ready"]]);
        const strict = await runCli(["verify", "--snapshot", SNAPSHOT, "--endpoint-url", moto.endpoint, "--service", "web", "--min-requests", "5000"], env);
        assert.strictEqual(strict.status, 0, "hold is not a failure");
        assert.match(strict.stdout, /HOLD {5}web/);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-k6-"));
        try {
            // loadtest ramps to the ECS side's busiest minute: 9000 requests, 150/s.
            const k6 = await runCli(["loadtest", "--snapshot", SNAPSHOT, "--service", "web", "--out", path.join(dir, "web.js"), "--endpoint-url", moto.endpoint], env);
            assert.strictEqual(k6.status, 0, k6.stderr);
            assert.doesNotMatch(k6.stderr, /notice/);
            assert.match(fs.readFileSync(path.join(dir, "web.js"), "utf8"), /ramps to 150 request\(s\)\/s, the ECS target group's busiest minute of the last hour/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        const bad = await runCli(["verify", "--snapshot", SNAPSHOT, "--window", "5 minutes"], env);
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /--window "5 minutes" is not a duration/);
    });
});

describe("verify's verdict rules", () => {
    const health = { healthy: 2, unhealthy: 0, desired: 2 };
    const ecs = { requests: 10000, errors5xx: 10, p90: 0.1, average: 0.05 };

    it("rolls back a slower EKS side and one with no healthy target while it takes traffic", () => {
        const slow = metricFindings(health, ecs, { requests: 1000, errors5xx: 1, p90: 0.2, average: 0.05 }, 10, DEFAULT_TOLERANCES);
        assert.strictEqual(overall(slow), "rollback");
        assert.match(slow.find((f) => f.verdict === "rollback")!.detail, /EKS 200 ms, ECS 100 ms; tolerance \+20%/);
        assert.strictEqual(overall(metricFindings({ healthy: 0, unhealthy: 2, desired: 2 }, ecs, { requests: 0, errors5xx: 0 }, 25, DEFAULT_TOLERANCES)), "rollback");
        assert.strictEqual(overall(metricFindings({ healthy: 1, unhealthy: 1, desired: 2 }, ecs, { requests: 1000, errors5xx: 1, p90: 0.1, average: 0.05 }, 0, DEFAULT_TOLERANCES)), "hold");
        // Within 20%: ready.
        assert.strictEqual(overall(metricFindings(health, ecs, { requests: 1000, errors5xx: 1, p90: 0.115, average: 0.055 }, 10, DEFAULT_TOLERANCES)), "ready");
    });
});

describe("verify's Kubernetes checks on recorded API objects", () => {
    const recorded = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "verify-k8s.json"), "utf8")) as Record<string, ApiObject[]>;
    const objects = (over: Partial<ClusterObjects> = {}): ClusterObjects => ({
        deployments: recorded.deployments,
        pods: recorded.pods,
        externalSecrets: recorded.externalSecrets,
        targetGroupBindings: recorded.targetGroupBindings,
        ...over,
    });

    it("passes a complete rollout with ready pods, synced secrets and a bound binding", () => {
        const found = kubernetesFindings(objects(), "orders", "orders-9");
        assert.deepStrictEqual(found.map((f) => [f.check, f.verdict]), [["rollout", "ready"], ["pods", "ready"], ["external secrets", "ready"], ["target group binding", "ready"]]);
    });

    it("rolls back a crash-looping pod and holds an unfinished rollout, an unsynced secret and an unreconciled binding", () => {
        const found = kubernetesFindings(objects(), "web", "web-50000");
        const by = Object.fromEntries(found.map((f) => [f.check, f]));
        assert.strictEqual(by.pods.verdict, "rollback");
        assert.match(by.pods.detail, /web-7d9c-abcde \(web: CrashLoopBackOff\)/);
        assert.strictEqual(by.rollout.verdict, "hold");
        assert.match(by.rollout.detail, /1 updated, 1 available of 3/);
        assert.strictEqual(by["external secrets"].verdict, "hold");
        assert.match(by["external secrets"].detail, /web-secrets \(could not get secret data from provider\)/);
        assert.strictEqual(by["target group binding"].verdict, "hold");
        assert.strictEqual(overall(found), "rollback");
    });

    it("rolls back a rollout past its progress deadline and holds what is not applied yet", () => {
        const stuck = objects().deployments.map((d) => (d.metadata.name === "orders" ? { ...d, status: { ...d.status, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "orders-5f" has timed out progressing.' }] } } : d));
        assert.strictEqual(kubernetesFindings(objects({ deployments: stuck }), "orders", "orders-9")[0].verdict, "rollback");
        const none = kubernetesFindings({ deployments: [], pods: [], externalSecrets: [], targetGroupBindings: [] }, "orders", "orders-9");
        assert.deepStrictEqual(none.map((f) => f.verdict), ["hold", "ready", "hold"]);
    });
});
