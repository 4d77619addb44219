import * as assert from "assert";
import { AUTO_MODE_EBS_PROVISIONER } from "../components/autoModeObjects";
import { VOLUME_CLUSTER_TAG } from "../components/iam/veleroPolicy";
import { validateConfig } from "../config/validate";
import { AUTO_MODE_EBS_DRIVER, CLUSTER_VOLUME_TAG, EBS_CSI_DRIVER, withClusterVolumeTag } from "../core/ebsVolumeSpec";
import { EcsSnapshot } from "../core/snapshot";
import { runOffline, PreviewResource } from "../preview/run";
import { buildStack } from "../program";
import { buildShard } from "../shardProgram";
import { dbService, dbTaskDefinition, dbVolume } from "./ebsFixture";
import { Platform, at, rawConfig } from "./harness";
import { snapshot } from "./translateHarness";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const PLATFORM_STACK = "organization/ecs2eks/platform";

type Statement = { Sid: string; Condition?: Record<string, Record<string, unknown>> };

const ordersDb = (): EcsSnapshot => snapshot([dbService()], [dbTaskDefinition()]);

async function preview(raw: Record<string, string>, snap?: EcsSnapshot): Promise<Platform> {
    return new Platform(await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snap) }) }));
}

/** The tag Velero's role requires of a volume before it snapshots it, as the recorded role policy says: [key, value]. */
function veleroVolumeTag(platform: Platform): [string, string] {
    const doc = JSON.parse(String(platform.input("aws:iam/rolePolicy:RolePolicy", "addons-velero-policy", "policy"))) as { Statement: Statement[] };
    const condition = doc.Statement.find((s) => s.Sid === "SnapshotClusterVolumes")?.Condition?.StringEquals;
    assert.ok(condition, "Velero's role snapshots volumes on a tag condition");
    const entries = Object.entries(condition);
    assert.strictEqual(entries.length, 1);
    const [key, value] = entries[0];
    assert.ok(key.startsWith("aws:ResourceTag/"), key);
    return [key.slice("aws:ResourceTag/".length), String(value)];
}

/** The migrated service's own class (not the platform's gp3). */
function ordersDbClass(resources: readonly PreviewResource[]): PreviewResource {
    const found = resources.filter((r) => r.type === STORAGE_CLASS && String(at(r.inputs, "metadata.name")).includes("orders-db"));
    assert.strictEqual(found.length, 1, found.map((r) => r.name).join(", "));
    return found[0];
}

/** Tag key → value of a class's tagSpecification_N parameters. */
function volumeTags(sc: PreviewResource): Record<string, string> {
    const parameters = (sc.inputs.parameters ?? {}) as Record<string, string>;
    const tags = Object.entries(parameters).filter(([k]) => k.startsWith("tagSpecification"));
    const out: Record<string, string> = {};
    for (const [, spec] of tags) {
        const eq = spec.indexOf("=");
        assert.ok(!(spec.slice(0, eq) in out), `two parameters tag ${spec.slice(0, eq)}: the driver would pick one of them at random`);
        out[spec.slice(0, eq)] = spec.slice(eq + 1);
    }
    return out;
}

describe("migrated EBS volumes are tagged for this cluster, so Velero may snapshot them", () => {
    let platform: Platform;
    before(async () => {
        platform = await preview(rawConfig({ "addons:velero": "true" }), ordersDb());
    });

    it("the service's StorageClass carries the tag Velero's role requires, with the cluster's name, next to the ECS volume's own tags", () => {
        const [key, value] = veleroVolumeTag(platform);
        assert.deepStrictEqual([key, value], [VOLUME_CLUSTER_TAG, "ecs2eks-test"]);
        const sc = ordersDbClass(platform.result.resources);
        assert.deepStrictEqual(volumeTags(sc), { backup: "daily", team: "orders", [key]: value });
        // Appended after the ECS tags (tagSpecification_1, _2), not clobbering them.
        assert.strictEqual(at(sc.inputs, "parameters.tagSpecification_3"), `${key}=${value}`);
    });

    it("so does the platform's gp3 class, with the same value: every EBS volume of the cluster is Velero's to snapshot", () => {
        const gp3 = platform.ofType(STORAGE_CLASS).find((r) => at(r.inputs, "metadata.name") === "gp3");
        assert.ok(gp3);
        const [key, value] = veleroVolumeTag(platform);
        assert.strictEqual(volumeTags(gp3)[key], value);
    });

    it("replaces an ECS tag of the same key in place: the cluster's value wins, the other tags keep their numbers", async () => {
        const snap = snapshot([dbService(dbVolume({ tagSpecifications: [{ resourceType: "volume", tags: [{ key: "team", value: "orders" }, { key: CLUSTER_VOLUME_TAG, value: "ecs-prod" }] }] }))], [dbTaskDefinition()]);
        const p = await preview(rawConfig({ "addons:velero": "true" }), snap);
        const [key, value] = veleroVolumeTag(p);
        const sc = ordersDbClass(p.result.resources);
        assert.deepStrictEqual(volumeTags(sc), { team: "orders", [key]: value });
        assert.deepStrictEqual(
            Object.keys(sc.inputs.parameters as object).filter((k) => k.startsWith("tagSpecification")),
            ["tagSpecification_1", "tagSpecification_2"],
        );
    });

    it("on EKS Auto Mode, whose driver makes the volumes, the class is tagged too", async () => {
        const p = await preview(rawConfig({ "addons:velero": "true", "cluster:autoMode": "true" }), ordersDb());
        const sc = ordersDbClass(p.result.resources);
        assert.strictEqual(sc.inputs.provisioner, AUTO_MODE_EBS_PROVISIONER);
        const [key, value] = veleroVolumeTag(p);
        assert.strictEqual(volumeTags(sc)[key], value);
    });

    it("a migration shard tags with the platform stack's cluster name, the one the platform's Velero role requires", async () => {
        // The platform migrates nothing; its exported outputs are what the shard's stack reference reads.
        const platformRaw = rawConfig({ "addons:velero": "true", "cluster:name": "shared-eks" });
        const platformRun = await preview(platformRaw);
        const [key, value] = veleroVolumeTag(platformRun);
        assert.strictEqual(value, "shared-eks");
        const shardRaw = rawConfig({ "migration:platformStack": PLATFORM_STACK, "migration:source": "snapshot", "migration:snapshotFile": "ecs-snapshot.json" });
        const shard = await runOffline({
            project: "ecs2eks",
            stack: "orders",
            config: { values: shardRaw, secretKeys: [] },
            stackOutputs: { [PLATFORM_STACK]: platformRun.result.outputs },
            // A function: runOffline awaits what it returns, as Pulumi awaits an async program.
            program: () => () => buildShard(validateConfig(shardRaw, "orders"), ordersDb()),
        });
        assert.ok(!shard.resources.some((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "addons-velero-policy"), "a shard installs no add-on");
        assert.strictEqual(volumeTags(ordersDbClass(shard.resources))[key], value);
    });
});

describe("withClusterVolumeTag", () => {
    const storageClass = (provisioner: string, parameters: Record<string, string> = {}) => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "ebs-orders" }, provisioner, parameters });

    it("tags classes of either EBS driver, volume and snapshot classes alike, and nothing else", () => {
        assert.strictEqual(AUTO_MODE_EBS_DRIVER, AUTO_MODE_EBS_PROVISIONER, "core's copy of Auto Mode's driver name");
        assert.strictEqual(CLUSTER_VOLUME_TAG, VOLUME_CLUSTER_TAG, "core's copy of the tag Velero's role reads");
        for (const driver of [EBS_CSI_DRIVER, AUTO_MODE_EBS_DRIVER]) {
            assert.deepStrictEqual(withClusterVolumeTag(storageClass(driver), "prod").parameters, { tagSpecification_1: "ecs2eks:cluster=prod" });
        }
        const snapshots = withClusterVolumeTag({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "s" }, driver: EBS_CSI_DRIVER, deletionPolicy: "Retain", parameters: {} }, "prod");
        assert.deepStrictEqual(snapshots.parameters, { tagSpecification_1: "ecs2eks:cluster=prod" });
        const efs = storageClass("efs.csi.aws.com", { provisioningMode: "efs-ap" });
        assert.strictEqual(withClusterVolumeTag(efs, "prod"), efs);
        const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } };
        assert.strictEqual(withClusterVolumeTag(deployment, "prod"), deployment);
    });

    it("appends after the highest tagSpecification number, keeps the other parameters, and leaves the input alone", () => {
        const input = storageClass(EBS_CSI_DRIVER, { type: "gp3", tagSpecification_1: "team=orders", tagSpecification_7: "backup=daily" });
        const out = withClusterVolumeTag(input, "prod");
        assert.deepStrictEqual(out.parameters, { type: "gp3", tagSpecification_1: "team=orders", tagSpecification_7: "backup=daily", tagSpecification_8: "ecs2eks:cluster=prod" });
        assert.deepStrictEqual(input.parameters, { type: "gp3", tagSpecification_1: "team=orders", tagSpecification_7: "backup=daily" });
    });

    it("is idempotent, and says so when it overrides another value of the key, naming the class and both values", () => {
        const once = withClusterVolumeTag(storageClass(EBS_CSI_DRIVER), "prod");
        const warnings: string[] = [];
        assert.deepStrictEqual(withClusterVolumeTag(once, "prod", (m) => warnings.push(m)).parameters, once.parameters);
        assert.strictEqual(warnings.length, 0, "no warning when the value is already the cluster's");
        const other = storageClass(EBS_CSI_DRIVER, { tagSpecification_1: "ecs2eks:cluster=ecs-prod", tagSpecification_2: "ecs2eks:cluster=old", tagSpecification_3: "team=orders" });
        assert.deepStrictEqual(withClusterVolumeTag(other, "prod", (m) => warnings.push(m)).parameters, { tagSpecification_1: "ecs2eks:cluster=prod", tagSpecification_3: "team=orders" });
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0], /^StorageClass ebs-orders: the ECS volume's tag ecs2eks:cluster=ecs-prod, ecs2eks:cluster=old becomes ecs2eks:cluster=prod: Velero's role/);
    });
});
