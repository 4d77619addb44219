/**
 * One program, two roles: a migration shard places its pods as its platform
 * stack places its own. The platform exports its compute (the output
 * `placement`); the shard reads it through its stack reference and applies
 * the same Karpenter placement, Fargate labels, capacity check and Auto
 * Mode EBS driver (migration/capacity/placement.ts).
 */
import * as assert from "assert";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { AUTO_MODE_EBS_DRIVER, EBS_CSI_DRIVER } from "../core/ebsVolumeSpec";
import { EcsSnapshot } from "../core/snapshot";
import { FARGATE_LABEL } from "../migration/capacity/fargate";
import { PLACEMENT_VERSION, PlatformPlacement, placeOnPlatform, platformPlacement, readPlacement } from "../migration/capacity/placement";
import { SPREAD_LABEL } from "../migration/capacity/spread";
import { PlanSummary, observePlans } from "../migration/planSummary";
import { translate } from "../migration/translate/translate";
import { offlinePlatformOutputs } from "../preview/platformOutputs";
import { loadStackConfigValues } from "../preview/project";
import { PreviewResource, runOffline } from "../preview/run";
import { buildStack } from "../program";
import { buildShard } from "../shardProgram";
import { dbService, dbTaskDefinition } from "./ebsFixture";
import { at, rawConfig } from "./harness";
import { service, snapshot, taskDefinition } from "./translateHarness";

const PLATFORM_STACK = "organization/ecs2eks/platform";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const EXAMPLE = path.join(__dirname, "..", "..", "examples", "shards");

interface Run {
    readonly resources: readonly PreviewResource[];
    readonly outputs: Record<string, unknown>;
    /** The migration plan's counts, as the CLI's preview gates on them. */
    readonly plan?: PlanSummary;
}

async function observed(run: () => Promise<{ resources: readonly PreviewResource[]; outputs: Record<string, unknown> }>): Promise<Run> {
    let plan: PlanSummary | undefined;
    const stop = observePlans((s) => (plan = s));
    try {
        const result = await run();
        return { resources: result.resources, outputs: result.outputs, ...(plan ? { plan } : {}) };
    } finally {
        stop();
    }
}

/** The platform stack under mocks; with a snapshot it migrates the services itself (the single-stack shape). */
function platform(raw: Record<string, string>, snap?: EcsSnapshot): Promise<Run> {
    return observed(() => runOffline({ project: "ecs2eks", stack: "platform", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "platform"), snap) }) }));
}

/** A shard migrating `snap` onto a platform stack whose exported outputs are `platformOutputs`. */
function shard(platformOutputs: Record<string, unknown>, snap: EcsSnapshot): Promise<Run> {
    const raw = rawConfig({ "migration:platformStack": PLATFORM_STACK, "migration:source": "snapshot", "migration:snapshotFile": "ecs-snapshot.json" });
    return observed(() =>
        runOffline({
            project: "ecs2eks",
            stack: "orders",
            config: { values: raw, secretKeys: [] },
            stackOutputs: { [PLATFORM_STACK]: platformOutputs },
            program: () => () => buildShard(validateConfig(raw, "orders"), snap),
        }),
    );
}

/** The platform migrating nothing, and a shard migrating `snap` onto it; plus the single stack migrating `snap` itself, to compare. */
async function bothRoles(platformConfig: Record<string, unknown>, snap: EcsSnapshot): Promise<{ single: Run; sharded: Run }> {
    const raw = rawConfig(platformConfig);
    const bare = await platform(raw);
    return { single: await platform(raw, snap), sharded: await shard(bare.outputs, snap) };
}

/** The Fargate profile's label on a workload's pods (its key has dots, so not through `at`). */
const fargateLabel = (template: unknown): unknown => (at(template, "metadata.labels") as Record<string, unknown> | undefined)?.[FARGATE_LABEL.key];

function podTemplate(run: Run, workload: string): unknown {
    const found = run.resources.filter((r) => r.type === DEPLOYMENT && at(r.inputs, "metadata.name") === workload);
    assert.strictEqual(found.length, 1, `one Deployment ${workload}: ${found.map((r) => r.name).join(", ")}`);
    return at(found[0].inputs, "spec.template");
}

/** Every EBS driver name the run's objects carry: StorageClass provisioners, snapshot classes' and contents' drivers. */
function ebsDrivers(run: Run): string[] {
    const names = run.resources.flatMap((r) => [r.inputs.provisioner, r.inputs.driver, at(r.inputs, "spec.driver")]).map(String);
    return [...new Set(names.filter((n) => n === EBS_CSI_DRIVER || n === AUTO_MODE_EBS_DRIVER))].sort();
}

const ordersDb = (): EcsSnapshot => snapshot([dbService()], [dbTaskDefinition()]);
/** 4 vCPU and 30 GiB per task: more than the default node group's m6i.large has for pods. */
const ledger = (): EcsSnapshot => snapshot([service({ serviceName: "ledger", desiredCount: 1 })], [taskDefinition({ cpu: "4096", memory: "30720" }, { name: "ledger", cpu: 4096, memory: 30720 })]);
/** ECS: the first task on-demand, then one on-demand to three Spot. */
const mixed = (): EcsSnapshot =>
    snapshot(
        [service({ serviceName: "api", desiredCount: 5, launchType: undefined, capacityProviderStrategy: [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }] })],
        [taskDefinition()],
    );

describe("shard placement: a shard's pods run as the platform's would", () => {
    it("onto an Auto Mode platform, the shard's EBS classes name Auto Mode's driver, as the single stack's do", async () => {
        const { single, sharded } = await bothRoles({ "cluster:autoMode": "true" }, ordersDb());
        assert.deepStrictEqual(ebsDrivers(sharded), [AUTO_MODE_EBS_DRIVER], "with the add-on's driver the claims would stay Pending: Auto Mode installs no ebs.csi.aws.com");
        assert.deepStrictEqual(ebsDrivers(single), [AUTO_MODE_EBS_DRIVER]);
        const cls = sharded.resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass" && String(at(r.inputs, "metadata.name")).includes("orders-db"));
        assert.strictEqual(cls?.inputs.provisioner, "ebs.csi.eks.amazonaws.com");
    });

    it("onto a platform with the EBS CSI add-on, the shard keeps the add-on's driver", async () => {
        const { sharded } = await bothRoles({}, ordersDb());
        assert.deepStrictEqual(ebsDrivers(sharded), [EBS_CSI_DRIVER]);
    });

    it("in a Fargate namespace of the platform, the shard's pods get the Fargate profile's label", async () => {
        const { single, sharded } = await bothRoles({ "cluster:fargateNamespaces": ["prod"] }, ordersDb());
        assert.strictEqual(fargateLabel(podTemplate(sharded, "orders-db")), FARGATE_LABEL.value);
        assert.deepStrictEqual(podTemplate(sharded, "orders-db"), podTemplate(single, "orders-db"));
        const plain = await shard((await platform(rawConfig())).outputs, ordersDb());
        assert.strictEqual(fargateLabel(podTemplate(plain, "orders-db")), undefined, "no Fargate namespace on the platform: no label");
    });

    it("onto a Karpenter platform, a mixed ECS strategy becomes the same spread the platform gives its own pods", async () => {
        const { single, sharded } = await bothRoles({ "addons:nodeProvisioner": "karpenter" }, mixed());
        const pod = podTemplate(sharded, "api");
        assert.strictEqual(at(pod, "spec.topologySpreadConstraints.0.topologyKey"), SPREAD_LABEL);
        assert.deepStrictEqual(at(pod, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.0.values"), ["od-1", "spot-1", "spot-2", "spot-3"]);
        assert.deepStrictEqual(pod, podTemplate(single, "api"));
        const plain = await shard((await platform(rawConfig())).outputs, mixed());
        assert.strictEqual(at(podTemplate(plain, "api"), "spec.topologySpreadConstraints"), undefined, "no Karpenter on the platform: no spread over its NodePools' labels");
    });

    it("a pod too large for any platform node fails the shard's preview as it fails the platform's; larger platform nodes let it pass", async () => {
        const { single, sharded } = await bothRoles({}, ledger());
        assert.strictEqual(single.plan?.errors, 1);
        // The counts the CLI's preview gates on; the shard's one more info says its totals are its own.
        assert.deepStrictEqual(sharded.plan, single.plan && { ...single.plan, infos: single.plan.infos + 1 });
        // The shard's own config has no say: the nodes are the platform's.
        const big = await bothRoles({ "nodeGroups:big": { instanceTypes: ["r6i.2xlarge"] } }, ledger());
        assert.strictEqual(big.sharded.plan?.errors, 0);
    });

    it("fails clearly on a platform stack that predates the output, rather than guess its compute", async () => {
        const { placement: _, ...older } = (await platform(rawConfig({ "cluster:autoMode": "true" }))).outputs;
        await assert.rejects(shard(older, ordersDb()), /platform stack organization\/ecs2eks\/platform has no output placement; run `pulumi up` on it with this version of ecs2eks first/);
        const newer = { ...older, placement: { ...platformPlacement(validateConfig(rawConfig(), "p")), version: PLACEMENT_VERSION + 1 } };
        await assert.rejects(shard(newer, ordersDb()), /output placement has version 2; this ecs2eks reads version 1/);
    });
});

describe("placement: the platform's output and the pure function both roles call", () => {
    const config = (raw: Record<string, unknown>) => validateConfig(rawConfig(raw), "p");

    it("is plain JSON that survives the stack output and reads back as it was", async () => {
        const raw = rawConfig({ "cluster:fargateNamespaces": ["shop"], "nodeGroups:general": { instanceTypes: ["m6i.large"], taints: [{ key: "team", value: "a", effect: "NO_SCHEDULE" }] } });
        const exported = (await platform(raw)).outputs.placement;
        const expected: PlatformPlacement = platformPlacement(validateConfig(raw, "platform"));
        assert.deepStrictEqual(exported, JSON.parse(JSON.stringify(expected)));
        assert.deepStrictEqual(readPlacement(exported), { placement: exported });
        assert.deepStrictEqual(expected.pools[0].taints, [{ key: "team", value: "a", effect: "NoSchedule" }]);
    });

    it("the offline stand-in exports what the platform's preview of the same stack file exports", async () => {
        const project = { dir: EXAMPLE, name: "ecs2eks" };
        const raw = loadStackConfigValues(project, "shop-platform", []).values;
        const exported = (await platform(raw)).outputs.placement;
        assert.deepStrictEqual(offlinePlatformOutputs(project, "organization/ecs2eks/shop-platform").placement, exported);
    });

    it("says Auto Mode's driver only under Auto Mode, and carries the nodes a shard's pods are checked against", () => {
        assert.strictEqual(platformPlacement(config({ "cluster:autoMode": "true" })).ebsDriver, AUTO_MODE_EBS_DRIVER);
        const plain = platformPlacement(config({}));
        assert.ok(!("ebsDriver" in plain));
        assert.deepStrictEqual(plain.pools.map((p) => p.kind), ["node group"]);
        assert.deepStrictEqual(platformPlacement(config({ "addons:nodeProvisioner": "karpenter" })).pools.map((p) => p.kind), ["node group", "Karpenter NodePool", "Karpenter NodePool"]);
        assert.ok(plain.daemonSets.some((d) => d.name === "kube-proxy"));
    });

    it("tells a shard its estate totals are a lower bound, and leaves the platform's plan as it was", () => {
        const snap = ledger();
        const placement = platformPlacement(config({}));
        const own = placeOnPlatform(translate(snap), snap, placement).plan;
        const asShard = placeOnPlatform(translate(snap), snap, placement, { shard: "orders" }).plan;
        assert.deepStrictEqual(asShard.workloads, own.workloads);
        assert.deepStrictEqual(asShard.diagnostics.slice(0, own.diagnostics.length), own.diagnostics);
        const added = asShard.diagnostics.slice(own.diagnostics.length);
        assert.deepStrictEqual(added.map((d) => [d.code, d.severity]), [["CAPACITY_SHARD_TOTALS", "info"]]);
        assert.match(added[0].message, /shard orders .* lower bound/);
        assert.ok(!own.diagnostics.some((d) => d.code === "CAPACITY_SHARD_TOTALS"));
    });

    it("rejects a placement it cannot read, naming the fields", () => {
        const good = platformPlacement(config({}));
        assert.deepStrictEqual(readPlacement("x"), { problem: 'is "x", not an object' });
        assert.deepStrictEqual(readPlacement({ ...good, nodeProvisioner: "nodeadm", pools: [{ name: "g" }] }), { problem: "has no valid nodeProvisioner, pools" });
        assert.match((readPlacement({ ...good, version: 2 }) as { problem: string }).problem, /^has version 2; this ecs2eks reads version 1/);
    });
});
