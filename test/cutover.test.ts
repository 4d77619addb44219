import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { CutoverConfig } from "../config";
import { validateConfig } from "../config/validate";
import { CONTRACT_FILES } from "../crds";
import { CutoverPlan, planCutover, withCutover } from "../migration/cutover";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { APPLY_ORDER, KINDS, byKindThenName, isPrerequisite, isWorkload, kindInfo } from "../migration/translate/kinds";
import { translate } from "../migration/translate/translate";
import { K8sObject, MigrationPlan } from "../migration/translate/types";
import { validateObject, validateObjects } from "../migration/translate/validate";
import { buildStack } from "../program";
import { PreviewResource, runOffline } from "../preview/run";
import { Platform, at, rawConfig } from "./harness";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");
const weights = (defaultEksWeight: number, services: Record<string, number> = {}): CutoverConfig => ({ defaultEksWeight, services });

/** The shop with one schedule disabled on ECS, as an operator pauses a job. */
function withDisabledSchedule(name: string): EcsSnapshot {
    const s = readSnapshotFile(SAMPLE);
    return { ...s, clusters: s.clusters.map((c) => ({ ...c, scheduledTasks: c.scheduledTasks.map((t) => (t.name === name ? { ...t, state: "DISABLED" } : t)) })) };
}

/** What ecs2eks plan writes, in memory: the translation with the cutover applied. */
function planned(snapshot: EcsSnapshot, cutover: CutoverConfig): { plan: MigrationPlan; cutover: CutoverPlan } {
    const translated = translate(snapshot);
    const c = planCutover(translated, snapshot, cutover);
    return { plan: withCutover(translated, c), cutover: c };
}

const objectsOf = (plan: MigrationPlan, kind: string) => plan.workloads.flatMap((w) => w.objects).filter((o) => o.kind === kind);
const suspendOf = (o: K8sObject) => (o.spec as { suspend: boolean }).suspend;

describe("cutover planning", () => {
    const snapshot = readSnapshotFile(SAMPLE);

    it("a new stack (eksWeight 0) keeps every request on ECS, binds each canary target group and suspends every schedule", () => {
        const { plan, cutover } = planned(snapshot, weights(0));
        assert.deepStrictEqual(
            cutover.canaries.map((c) => [c.ecsService, c.forward.targetGroups.map((t) => `${t.side} ${t.weight}`), c.forward.stickiness.enabled]),
            [
                ["orders", ["ecs 100", "eks 0"], false],
                ["web", ["ecs 100", "eks 0"], false],
            ],
        );
        assert.deepStrictEqual(objectsOf(plan, "CronJob").map((o) => [o.metadata.name, suspendOf(o)]), [
            ["shop-nightly-report-report", true],
            ["shop-hourly-report", true],
        ]);
        const bindings = objectsOf(plan, "TargetGroupBinding");
        assert.deepStrictEqual(
            bindings.map((b) => [b.metadata.namespace, b.metadata.name, at(b, "spec.serviceRef.name"), at(b, "spec.targetGroupName")]),
            cutover.canaries.map((c) => [c.namespace, `${c.workload}-${c.priority}`, c.serviceName, c.targetGroup.name]),
        );
        // Never the ECS target group: the controller would deregister the tasks it did not register.
        for (const b of bindings) {
            assert.ok(!JSON.stringify(b).includes(":targetgroup/"), JSON.stringify(b.spec));
        }
    });

    it("splits by the configured share, per service over the default, and forwards to EKS alone at 100", () => {
        const { cutover } = planned(snapshot, weights(25, { orders: 100 }));
        const split = Object.fromEntries(cutover.canaries.map((c) => [c.ecsService, [c.ecsWeight, c.eksWeight, c.forward.targetGroups.map((t) => `${t.side} ${t.weight}`)]]));
        assert.deepStrictEqual(split, { orders: [0, 100, ["eks 100"]], web: [75, 25, ["ecs 75", "eks 25"]] });
    });

    it("suspends a CronJob until its schedule is cut over, and keeps one ECS had disabled suspended at 100", () => {
        const disabled = withDisabledSchedule("default/shop-hourly-report");
        const at = (w: number) => Object.fromEntries(planned(disabled, weights(w)).cutover.schedules.map((s) => [s.ecsSchedule, [s.enabledOnEcs, s.suspend]]));
        assert.deepStrictEqual(at(99), { "shop-nightly-report/report": [true, true], "default/shop-hourly-report": [false, true] });
        assert.deepStrictEqual(at(100), { "shop-nightly-report/report": [true, false], "default/shop-hourly-report": [false, true] });
    });

    it("emits objects the validator accepts, bindings included, each of the kind registry's apiVersion", () => {
        const { plan } = planned(snapshot, weights(10));
        const objects = [...plan.namespaces.flatMap((n) => n.objects), ...plan.workloads.flatMap((w) => w.objects)];
        assert.deepStrictEqual(validateObjects(objects), []);
        for (const o of objects) {
            assert.strictEqual(kindInfo(o.kind)?.apiVersion, o.apiVersion, `${o.kind} ${o.metadata.name}: not in migration/translate/kinds.ts at ${o.apiVersion}`);
        }
    });

    it("reports a load-balanced service whose target group no rule forwards to, under that workload", () => {
        const noRules: EcsSnapshot = { ...snapshot, loadBalancing: { ...snapshot.loadBalancing, rules: snapshot.loadBalancing.rules.filter((r) => !JSON.stringify(r.rule.Actions).includes("shop-orders")) } };
        const { plan } = planned(noRules, weights(0));
        const orders = plan.workloads.find((w) => w.name === "orders");
        assert.deepStrictEqual(orders?.diagnostics.filter((d) => d.code.startsWith("CANARY_")).map((d) => [d.code, d.severity]), [["CANARY_NO_RULE", "warning"]]);
        assert.deepStrictEqual(objectsOf(plan, "TargetGroupBinding").map((b) => b.metadata.name), ["web-50000"]);
    });
});

describe("the plan shows what EcsMigration declares", function () {
    this.timeout(120000);
    const snapshot = readSnapshotFile(SAMPLE);
    const cutover = { default: { eksWeight: 100 }, services: { web: { eksWeight: 30 }, "default/shop-hourly-report": { eksWeight: 50 } } };
    let platform: Platform;
    let plan: MigrationPlan;
    let cutoverPlan: CutoverPlan;
    before(async () => {
        const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": cutover });
        const result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snapshot) }) });
        platform = new Platform(result);
        ({ plan, cutover: cutoverPlan } = planned(snapshot, weights(100, { web: 30, "default/shop-hourly-report": 50 })));
    });
    const declared = (kind: string): PreviewResource[] => platform.result.resources.filter((r) => r.urn.includes("ecs2eks:migration:") && at(r.inputs, "kind") === kind);

    it("the same suspension of every CronJob", () => {
        const fromPlan = objectsOf(plan, "CronJob").map((o) => [o.metadata.name, suspendOf(o)]).sort();
        assert.deepStrictEqual(declared("CronJob").map((r) => [at(r.inputs, "metadata.name"), at(r.inputs, "spec.suspend")]).sort(), fromPlan);
        assert.deepStrictEqual(fromPlan, [["shop-hourly-report", true], ["shop-nightly-report-report", false]]);
    });

    it("the same bindings, bound by ARN to the target group the plan names", () => {
        const strip = (spec: unknown) => {
            const { targetGroupARN: _arn, targetGroupName: _name, ...rest } = spec as Record<string, unknown>;
            return rest;
        };
        const fromPlan = objectsOf(plan, "TargetGroupBinding");
        const live = declared("TargetGroupBinding");
        assert.strictEqual(live.length, fromPlan.length);
        for (const b of fromPlan) {
            const r = live.find((x) => at(x.inputs, "metadata.name") === b.metadata.name && at(x.inputs, "metadata.namespace") === b.metadata.namespace);
            assert.ok(r, `${b.metadata.name} is declared`);
            assert.deepStrictEqual(strip(at(r.inputs, "spec")), strip(b.spec));
            const group = platform.ofType("aws:lb/targetGroup:TargetGroup").find((t) => t.parent === r.parent && at(t.inputs, "name") === at(b, "spec.targetGroupName"));
            assert.ok(group, `the target group ${String(at(b, "spec.targetGroupName"))} is declared beside ${b.metadata.name}`);
        }
    });

    it("the same weights and stickiness on every listener rule", () => {
        const all = platform.ofType("aws:lb/listenerRule:ListenerRule");
        // Besides each weighted rule, its test route (tagged ecs2eks:test-route).
        assert.strictEqual(all.length, cutoverPlan.canaries.length + cutoverPlan.testRoutes.length);
        const rules = all.filter((r) => at(r.inputs, "tags.ecs2eks:test-route") === undefined);
        assert.strictEqual(rules.length, cutoverPlan.canaries.length);
        for (const c of cutoverPlan.canaries) {
            const rule = rules.find((r) => at(r.inputs, "priority") === c.priority && at(r.inputs, "listenerArn") === c.listenerArn);
            assert.deepStrictEqual(at(rule?.inputs, "actions.0.forward.stickiness"), c.forward.stickiness);
            const targets = at(rule?.inputs, "actions.0.forward.targetGroups") as { arn: string; weight: number }[];
            assert.deepStrictEqual(targets.map((t) => t.weight), c.forward.targetGroups.map((t) => t.weight));
            c.forward.targetGroups.forEach((t, i) => assert.ok(t.side === "eks" || targets[i].arn === t.targetGroup));
        }
        assert.deepStrictEqual(cutoverPlan.canaries.map((c) => [c.ecsService, c.eksWeight]), [["orders", 100], ["web", 30]]);
    });

    it("every Kubernetes object it declares is a kind of the registry, at its apiVersion", () => {
        const objects = platform.result.resources.filter((r) => r.urn.includes("ecs2eks:migration:") && r.type.startsWith("kubernetes:"));
        assert.ok(objects.length > 40);
        for (const r of objects) {
            assert.strictEqual(kindInfo(String(at(r.inputs, "kind")))?.apiVersion, at(r.inputs, "apiVersion"), r.name);
        }
    });
});

describe("ecs2eks plan --cutover", function () {
    this.timeout(120000);
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-cutover-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const plan = (out: string, ...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "plan", "--snapshot", SAMPLE, "--out", out, ...args], { cwd: ROOT, encoding: "utf8" });
    const docs = (out: string, file: string) => yaml.loadAll(fs.readFileSync(path.join(out, "manifests", file), "utf8")) as K8sObject[];

    it("writes the bindings and a cut-over schedule's CronJob as a stack with those weights declares them", () => {
        const out = path.join(tmp, "moved");
        const run = plan(out, "--cutover", '{"default":{"eksWeight":10},"services":{"default/shop-hourly-report":{"eksWeight":100}}}');
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(docs(out, "10-shop-hourly-report.yaml").filter((d) => d.kind === "CronJob").map(suspendOf), [false]);
        assert.deepStrictEqual(docs(out, "10-shop-nightly-report-report.yaml").filter((d) => d.kind === "CronJob").map(suspendOf), [true]);
        const web = docs(out, "10-web.yaml");
        assert.strictEqual(web[web.length - 1].kind, "TargetGroupBinding", "applied after the Service it binds");
        const written = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { cutover: { weights: CutoverConfig; canaries: { ecsService: string; ecsWeight: number; eksWeight: number }[] } };
        assert.deepStrictEqual(written.cutover.weights, weights(10, { "default/shop-hourly-report": 100 }));
        assert.deepStrictEqual(written.cutover.canaries.map((c) => [c.ecsService, c.ecsWeight, c.eksWeight]), [["orders", 90, 10], ["web", 90, 10]]);
        assert.match(fs.readFileSync(path.join(out, "report.md"), "utf8"), /## Cutover[\s\S]*\| default\/shop-hourly-report \| shop\/shop-hourly-report \| 100 \| no \|/);
    });

    it("refuses weights the stack would refuse, naming the problem", () => {
        const bad = plan(path.join(tmp, "bad"), "--cutover", '{"default":{"eksWeight":150}}');
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /--cutover: migration:cutover\.default \{"eksWeight":150\} is not allowed; expected \{"eksWeight": <whole number from 0 to 100>\}/);
        const typo = plan(path.join(tmp, "typo"), "--cutover", '{"services":{"wbe":{"eksWeight":5}}}');
        assert.strictEqual(typo.status, 2);
        assert.match(typo.stderr, /--cutover services\.wbe names no ECS service of the snapshot; services: cart, catalog/);
        assert.ok(!fs.existsSync(path.join(tmp, "typo", "plan.json")), "nothing written");
    });
});

describe("the kind registry", () => {
    it("places every kind in the apply order, and before a workload every kind its pods need", () => {
        for (const k of KINDS) {
            assert.ok(APPLY_ORDER.includes(k.kind), `${k.kind} has no place in APPLY_ORDER`);
        }
        const obj = (kind: string): K8sObject => ({ apiVersion: "v1", kind, metadata: { name: "x" } });
        const sorted = KINDS.map((k) => obj(k.kind)).reverse().sort(byKindThenName);
        const lastPrerequisite = Math.max(...sorted.map((o, i) => (isPrerequisite(o.kind) ? i : -1)));
        const firstWorkload = sorted.findIndex((o) => isWorkload(o.kind));
        assert.ok(lastPrerequisite < firstWorkload, sorted.map((o) => o.kind).join(", "));
    });

    it("marks as CRD kinds exactly those a pinned chart's CRD contract serves at that apiVersion", () => {
        const served = new Set(Object.values(CONTRACT_FILES).flatMap((c) => c.crds.flatMap((crd) => crd.versions.filter((v) => v.served).map((v) => `${crd.group}/${v.name}/${crd.kind}`))));
        for (const k of KINDS) {
            assert.strictEqual(served.has(`${k.apiVersion}/${k.kind}`), k.schema === "crd", `${k.apiVersion} ${k.kind}`);
        }
    });

    it("checks a built-in kind only at the apiVersion the registry gives it", () => {
        const deployment: K8sObject = { apiVersion: "apps/v1beta1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: {} };
        assert.deepStrictEqual(validateObject(deployment).filter((p) => p.includes("schema")), ["Deployment shop/web: no schema for apps/v1beta1/Deployment"]);
    });
});
