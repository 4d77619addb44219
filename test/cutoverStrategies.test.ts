import * as assert from "assert";
import { validateConfig } from "../config/validate";
import { EcsSnapshot } from "../core/snapshot";
import { decommissionChecks } from "../migration/decommission";
import { planCutover } from "../migration/cutover";
import { frontDoorsOf } from "../migration/cutover/frontDoors";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { validateObjects } from "../migration/translate/validate";
import { buildStack } from "../program";
import { PreviewResource, runOffline } from "../preview/run";
import { at, rawConfig } from "./harness";
import * as path from "path";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
const snapshot = readSnapshotFile(SAMPLE);
/** The sample's one CloudFront distribution, in front of the shop's load balancer (its ID is moto's). */
const DISTRIBUTION = snapshot.loadBalancing.distributions?.[0]?.id ?? "";
type Strategy = "alb-weighted" | "route53-weighted" | "cloudfront-staging";
const STRATEGIES: readonly Strategy[] = ["alb-weighted", "route53-weighted", "cloudfront-staging"];
/** web and orders share the shop's ALB (and its records and distribution): they move together. */
const cutover = (strategy: Strategy | undefined, eksWeight: number) => ({ default: { eksWeight, ...(strategy ? { strategy } : {}) } });

interface Preview {
    readonly resources: ReadonlyMap<string, PreviewResource>;
    readonly routing: unknown;
}

async function preview(c: unknown, snap: EcsSnapshot = snapshot): Promise<Preview> {
    const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": c });
    const result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snap) }) });
    return { resources: new Map(result.resources.map((r) => [r.urn, r])), routing: result.outputs.routing };
}

/** Every leaf path where two values differ. */
function diff(a: unknown, b: unknown, at = ""): string[] {
    if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((k) => diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

/** What changed between two previews: resources added or removed, and each changed input path. */
function changes(a: Preview, b: Preview): { added: string[]; removed: string[]; changed: string[] } {
    const short = (r: PreviewResource) => `${r.type} ${r.name}`;
    const added = [...b.resources.values()].filter((r) => !a.resources.has(r.urn)).map(short).sort();
    const removed = [...a.resources.values()].filter((r) => !b.resources.has(r.urn)).map(short).sort();
    const changed = [...a.resources.values()].filter((r) => b.resources.has(r.urn)).flatMap((r) => diff(r.inputs, b.resources.get(r.urn)?.inputs).map((p) => `${short(r)}: ${p}`));
    return { added, removed, changed: [...new Set(changed)].sort() };
}

const ofType = (p: Preview, type: string) => [...p.resources.values()].filter((r) => r.type === type);

describe("cutover strategies: previews at 0, 10 and 100", function () {
    this.timeout(600000);
    const previews = new Map<string, Preview>();
    let today: Preview;
    before(async () => {
        today = await preview(cutover(undefined, 10));
        for (const s of STRATEGIES) {
            for (const w of [0, 10, 100]) {
                previews.set(`${s} ${w}`, await preview(cutover(s, w)));
            }
        }
    });
    const p = (s: Strategy, w: number) => previews.get(`${s} ${w}`) as Preview;

    it("alb-weighted is today's behaviour: the same resources and inputs as a stack that names no strategy", () => {
        assert.deepStrictEqual(changes(today, p("alb-weighted", 10)), { added: [], removed: [], changed: [] });
        assert.deepStrictEqual(JSON.stringify(p("alb-weighted", 10).routing), JSON.stringify(today.routing));
    });

    it("from 0 to 10 only the weights change (the listener rules', the records', the policy's share and switch)", () => {
        const allowed: Record<Strategy, RegExp> = {
            "alb-weighted": /^aws:lb\/listenerRule:ListenerRule \S+: actions\.0\.forward\.targetGroups\.\d\.weight$/,
            "route53-weighted": /^aws:route53\/record:Record \S+: weightedRoutingPolicies\.0\.weight$/,
            "cloudfront-staging": /^aws:cloudfront\/continuousDeploymentPolicy:ContinuousDeploymentPolicy \S+: (enabled|trafficConfig\.singleWeightConfig\.weight)$/,
        };
        for (const s of STRATEGIES) {
            const c = changes(p(s, 0), p(s, 10));
            assert.deepStrictEqual([c.added, c.removed], [[], []], s);
            assert.ok(c.changed.length > 0, `${s}: the weight shows`);
            for (const line of c.changed) {
                assert.match(line, allowed[s], `${s} changes nothing but weights`);
            }
        }
    });

    it("rollback is one config change: back at 0, each front door sends every request to ECS again", () => {
        const c = changes(p("route53-weighted", 10), p("route53-weighted", 0));
        assert.ok(c.changed.every((l) => l.endsWith("weightedRoutingPolicies.0.weight")));
        const weights = (pr: Preview) => ofType(pr, "aws:route53/record:Record").map((r) => [at(r.inputs, "setIdentifier"), at(r.inputs, "weightedRoutingPolicies.0.weight")]).sort();
        assert.deepStrictEqual(weights(p("route53-weighted", 0)), [["ecs", 100], ["ecs", 100], ["eks", 0], ["eks", 0]]);
        const policy = (pr: Preview) => ofType(pr, "aws:cloudfront/continuousDeploymentPolicy:ContinuousDeploymentPolicy").map((r) => [at(r.inputs, "enabled"), at(r.inputs, "trafficConfig.singleWeightConfig.weight")]);
        assert.deepStrictEqual(policy(p("cloudfront-staging", 10)), [[true, 0.1]]);
        assert.deepStrictEqual(policy(p("cloudfront-staging", 0)), [[false, 0]], "switched off: every viewer on the primary");
    });

    it("at 100 the ECS side goes: the ECS records are dropped and the TTL restored; CloudFront holds 15% until promoted", () => {
        const r = changes(p("route53-weighted", 10), p("route53-weighted", 100));
        assert.deepStrictEqual(r.added, []);
        assert.deepStrictEqual(r.removed, ["aws:route53/record:Record api-shop-example-com-cname-ecs", "aws:route53/record:Record www-shop-example-com-a-ecs"]);
        const cname = ofType(p("route53-weighted", 100), "aws:route53/record:Record").find((x) => x.name === "api-shop-example-com-cname-eks");
        assert.deepStrictEqual([at(cname?.inputs, "weightedRoutingPolicies.0.weight"), at(cname?.inputs, "ttl")], [100, 60]);
        const policy = ofType(p("cloudfront-staging", 100), "aws:cloudfront/continuousDeploymentPolicy:ContinuousDeploymentPolicy")[0];
        assert.deepStrictEqual([at(policy.inputs, "enabled"), at(policy.inputs, "trafficConfig.singleWeightConfig.weight")], [true, 0.15]);
        // The schedules move at 100 whatever the front door: that is the one other change.
        for (const s of ["route53-weighted", "cloudfront-staging"] as const) {
            const c = changes(p(s, 10), p(s, 100)).changed.filter((l) => !/weight|ttl|enabled/.test(l));
            assert.ok(c.every((l) => /CronJob .*spec\.suspend$/.test(l)), `${s}: ${c.join("\n")}`);
        }
    });

    it("route53-weighted: ecs and eks records of the same name, an EKS health check, an Ingress per service, no listener rule", () => {
        const pr = p("route53-weighted", 10);
        const records = ofType(pr, "aws:route53/record:Record");
        assert.deepStrictEqual(records.map((r) => [at(r.inputs, "name"), at(r.inputs, "type"), at(r.inputs, "setIdentifier")]).sort(), [
            ["api.shop.example.com", "CNAME", "ecs"],
            ["api.shop.example.com", "CNAME", "eks"],
            ["www.shop.example.com", "A", "ecs"],
            ["www.shop.example.com", "A", "eks"],
        ]);
        const ingresses = ofType(pr, "kubernetes:networking.k8s.io/v1:Ingress");
        assert.deepStrictEqual(ingresses.map((i) => at(i.inputs, "metadata.name")).sort(), ["orders", "web"]);
        for (const i of ingresses) {
            assert.strictEqual(at(i.inputs, "spec.ingressClassName"), "alb");
            const a = at(i.inputs, "metadata.annotations") as Record<string, string>;
            assert.deepStrictEqual([a["alb.ingress.kubernetes.io/target-type"], a["alb.ingress.kubernetes.io/group.name"], a["alb.ingress.kubernetes.io/scheme"], a["alb.ingress.kubernetes.io/listen-ports"]], ["ip", "ecs2eks-shop-alb", "internet-facing", '[{"HTTP":80}]']);
        }
        const www = records.find((r) => at(r.inputs, "name") === "www.shop.example.com" && at(r.inputs, "setIdentifier") === "eks");
        const web = ingresses.find((i) => at(i.inputs, "metadata.name") === "web");
        assert.ok(web && www);
        assert.match(String(at(www.inputs, "aliases.0.name")), /^k8s-.*\.elb\.amazonaws\.com$/, "the EKS ALB the controller made for the Ingress group");
        assert.ok(at(www.inputs, "healthCheckId"), "the EKS side answers only while healthy");
        assert.strictEqual(ofType(pr, "aws:route53/healthCheck:HealthCheck").length, 2);
        assert.strictEqual(ofType(pr, "aws:lb/listenerRule:ListenerRule").length, 0, "no weighted rule on the ECS ALB");
        assert.strictEqual(ofType(pr, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").length, 0, "no target group of the ECS ALB");
        const ecsCname = records.find((r) => at(r.inputs, "name") === "api.shop.example.com" && at(r.inputs, "setIdentifier") === "ecs");
        assert.deepStrictEqual([at(ecsCname?.inputs, "ttl"), at(ecsCname?.inputs, "records")], [60, ["shop-alb-1.us-east-1.elb.amazonaws.com"]]);
    });

    it("cloudfront-staging: a staging copy of the primary with the EKS ALB as origin, and a sticky weighted policy on it", () => {
        const pr = p("cloudfront-staging", 10);
        const [staging] = ofType(pr, "aws:cloudfront/distribution:Distribution");
        assert.strictEqual(at(staging.inputs, "staging"), true);
        assert.strictEqual(at(staging.inputs, "aliases"), undefined, "a staging distribution has no aliases of its own");
        assert.deepStrictEqual([at(staging.inputs, "origins.0.originId"), at(staging.inputs, "defaultCacheBehavior.targetOriginId"), at(staging.inputs, "defaultCacheBehavior.cachePolicyId")], ["shop-alb", "shop-alb", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"]);
        assert.match(String(at(staging.inputs, "origins.0.domainName")), /^k8s-.*\.elb\.amazonaws\.com$/);
        assert.strictEqual(at(staging.inputs, "defaultCacheBehavior.forwardedValues"), undefined, "a cache policy replaces the legacy settings");
        const [policy] = ofType(pr, "aws:cloudfront/continuousDeploymentPolicy:ContinuousDeploymentPolicy");
        assert.deepStrictEqual(at(policy.inputs, "trafficConfig"), { type: "SingleWeight", singleWeightConfig: { weight: 0.1, sessionStickinessConfig: { idleTtl: 300, maximumTtl: 600 } } });
        assert.strictEqual(ofType(pr, "aws:lb/listenerRule:ListenerRule").length, 0);
        assert.deepStrictEqual(pr.routing, [
            { service: "orders", strategy: "cloudfront-staging", ecsWeight: 90, eksWeight: 10, frontDoor: DISTRIBUTION },
            { service: "web", strategy: "cloudfront-staging", ecsWeight: 90, eksWeight: 10, frontDoor: DISTRIBUTION },
        ]);
    });
});

describe("cutover strategies: planning", () => {
    const plan = translate(snapshot);
    const weights = (c: unknown) => validateConfig(rawConfig({ "migration:cutover": c }), "t").migration.cutover;

    it("emits Ingress objects the validator accepts", () => {
        const cut = planCutover(plan, snapshot, weights(cutover("route53-weighted", 10)));
        assert.deepStrictEqual(validateObjects(cut.frontDoors.ingresses.map((i) => i.object)), []);
        const orders = cut.frontDoors.ingresses.find((i) => i.workload === "orders");
        assert.deepStrictEqual(at(orders?.object, "spec.rules.0.http.paths.0"), { path: "/api/orders/*", pathType: "ImplementationSpecific", backend: { service: { name: "orders", port: { number: 8080 } } } });
    });

    it("converts the plain record into the ecs weighted record in one batch, with what the stack then adopts", () => {
        const cut = planCutover(plan, snapshot, weights(cutover("route53-weighted", 0)));
        const www = cut.frontDoors.records.find((r) => r.name === "www.shop.example.com");
        assert.strictEqual(www?.ecs?.importId, "Q61ZWN3D57R4AQB5YURDAK_www.shop.example.com_A_ecs");
        const batch = www?.conversion?.changeBatch as { Changes: { Action: string; ResourceRecordSet: Record<string, unknown> }[] };
        assert.deepStrictEqual(batch.Changes.map((c) => [c.Action, c.ResourceRecordSet.SetIdentifier ?? null, c.ResourceRecordSet.Weight ?? null]), [["DELETE", null, null], ["CREATE", "ecs", 100]]);
        assert.strictEqual((batch.Changes[0].ResourceRecordSet.AliasTarget as { DNSName: string }).DNSName, "dualstack.shop-alb-1.us-east-1.elb.amazonaws.com", "the record exactly as it is, or Route 53 refuses the delete");
    });

    it("refuses a front door the snapshot does not have, and services of one load balancer moving apart, naming service and fix", () => {
        const noCdn: EcsSnapshot = { ...snapshot, loadBalancing: { ...snapshot.loadBalancing, distributions: [] } };
        const errs = planCutover(plan, noCdn, weights(cutover("cloudfront-staging", 10))).frontDoors.errors;
        assert.ok(errs.some((e) => /migration:cutover\.services\.web\.strategy cloudfront-staging: no CloudFront distribution in the snapshot has an origin at shop-alb .*use route53-weighted or alb-weighted/.test(e)), errs.join("\n"));
        const apart = planCutover(plan, snapshot, weights({ services: { web: { eksWeight: 10, strategy: "route53-weighted" } } })).frontDoors.errors;
        assert.ok(apart.some((e) => /web: route53-weighted at eksWeight 10 moves every request to shop-alb-1\.us-east-1\.elb\.amazonaws\.com, which also serves orders \(alb-weighted at eksWeight 0\); give orders the same strategy and eksWeight/.test(e)), apart.join("\n"));
    });

    it("refuses bad strategy config, naming the key, the value and the fix", () => {
        const bad = (c: unknown, re: RegExp) => assert.throws(() => weights(c), re);
        bad({ services: { web: { strategy: "cdn" } } }, /migration:cutover\.services\.web\.strategy "cdn" is not allowed; expected one of alb-weighted, route53-weighted, cloudfront-staging/);
        bad({ services: { web: { eksWeight: 50, strategy: "cloudfront-staging" } } }, /migration:cutover\.services\.web\.eksWeight 50 is not allowed with strategy cloudfront-staging: CloudFront sends at most 15% .*then 100 to promote/);
        bad({ default: { eksWeight: 20, strategy: "cloudfront-staging" } }, /migration:cutover\.default\.eksWeight 20 is not allowed with strategy cloudfront-staging/);
        bad({ services: { web: { eksWeight: 5, strategy: "cloudfront-staging", header: { name: "aws-cf-cd-tester", value: "1" } } } }, /eksWeight 5 is not allowed with a header/);
        bad({ services: { web: { strategy: "cloudfront-staging", header: { name: "x-tester", value: "1" } } } }, /header .* is not allowed; expected \{"name": "aws-cf-cd-<name>"/);
        bad({ services: { web: { strategy: "alb-weighted", ttl: 30 } } }, /migration:cutover\.services\.web\.ttl is only for strategy route53-weighted/);
        assert.deepStrictEqual(weights({ services: { web: { eksWeight: 15, strategy: "cloudfront-staging" } } }).strategies, { web: { strategy: "cloudfront-staging" } });
        assert.strictEqual(weights({ default: { eksWeight: 10 } }).strategies, undefined, "stacks without a strategy keep the config they had");
    });

    it("tells decommission-check which front door each service uses and what of it the ECS stacks own", () => {
        const doors = (c: unknown) => frontDoorsOf(plan, snapshot, weights(c)).map((d) => [d.service, d.strategy, d.ecsOwned]);
        assert.deepStrictEqual(doors(cutover("cloudfront-staging", 100)), [
            ["orders", "cloudfront-staging", [DISTRIBUTION]],
            ["web", "cloudfront-staging", [DISTRIBUTION]],
        ]);
        assert.deepStrictEqual(doors(cutover("route53-weighted", 100))[1], ["web", "route53-weighted", ["Q61ZWN3D57R4AQB5YURDAK/api.shop.example.com/CNAME", "Q61ZWN3D57R4AQB5YURDAK/www.shop.example.com/A"]]);
        const check = (adopted: string[]) => {
            const config = validateConfig(rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": cutover("cloudfront-staging", 100), "migration:adopted": adopted }), "t");
            return decommissionChecks(config, "", snapshot, plan).find((c) => c.title === "Front doors stay");
        };
        assert.strictEqual(check([])?.ok, false);
        assert.match(check([])?.fix ?? "", /primary distribution serves from EKS; it still belongs to the ECS stack/);
        assert.strictEqual(check([DISTRIBUTION])?.ok, true);
    });
});
