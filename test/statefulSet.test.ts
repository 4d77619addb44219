import * as assert from "assert";
import { validateConfig } from "../config/validate";
import { unknownWorkloadSettings } from "../config/workloads";
import { decommissionChecks } from "../migration/decommission";
import { WorkloadSettings } from "../core/workloadSettings";
import { translate } from "../migration/translate/translate";
import { K8sObject, WorkloadPlan } from "../migration/translate/types";
import { validateObjects } from "../migration/translate/validate";
import { DB_SNAPSHOT, dbService, dbTaskDefinition } from "./ebsFixture";
import { at, rawConfig } from "./harness";
import { snapshot } from "./translateHarness";

function plan(workloads: WorkloadSettings, svc = dbService()): { w: WorkloadPlan; all: K8sObject[] } {
    const p = translate(snapshot([svc], [dbTaskDefinition()]), { workloads });
    const w = p.workloads[0];
    return { w, all: [...p.namespaces.flatMap((n) => n.objects), ...w.objects] };
}
const one = (w: WorkloadPlan, kind: string, name?: string): K8sObject => {
    const found = w.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
    assert.strictEqual(found.length, 1, `${kind} ${name ?? ""}: ${w.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
    return found[0];
};

describe("migration:workloads.<service>.kind StatefulSet", () => {
    const { w, all } = plan({ "orders-db": { kind: "StatefulSet" } });
    const sts = one(w, "StatefulSet");

    it("makes a StatefulSet, not a Deployment, with a claim per replica from the EBS configuration", () => {
        assert.ok(!w.objects.some((o) => o.kind === "Deployment"));
        assert.deepStrictEqual(at(sts, "spec.volumeClaimTemplates.0.spec"), {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "ebs-prod-orders-db-pgdata",
            resources: { requests: { storage: "200Gi" } },
            dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "orders-db-pgdata" },
        });
        assert.strictEqual(at(sts, "spec.volumeClaimTemplates.0.metadata.name"), "pgdata");
        // The claim template is the volume: no pod volume of that name besides it.
        assert.strictEqual(at(sts, "spec.template.spec.volumes"), undefined);
        assert.deepStrictEqual(at(sts, "spec.template.spec.containers.0.volumeMounts"), [{ name: "pgdata", mountPath: "/var/lib/postgresql/data" }]);
        assert.strictEqual(at(sts, "spec.replicas"), 1);
    });

    it("keeps the claims when the set is deleted or scaled down, and their volumes when a claim is deleted", () => {
        assert.deepStrictEqual(at(sts, "spec.persistentVolumeClaimRetentionPolicy"), { whenDeleted: "Retain", whenScaled: "Retain" });
        const sc = one(w, "StorageClass");
        assert.strictEqual(sc.reclaimPolicy, "Retain");
        assert.strictEqual((sc.metadata.labels ?? {})["ecs2eks.io/volume-lifetime"], "claim");
        assert.strictEqual(at(one(w, "VolumeSnapshotContent"), "spec.deletionPolicy"), "Retain");
        assert.strictEqual(at(one(w, "VolumeSnapshotContent"), "spec.source.snapshotHandle"), DB_SNAPSHOT);
    });

    it("is governed by a headless Service with the pods' ports, and one pod at a time may be disrupted", () => {
        const headless = one(w, "Service", "orders-db-headless");
        assert.strictEqual(at(sts, "spec.serviceName"), "orders-db-headless");
        assert.strictEqual(at(headless, "spec.clusterIP"), "None");
        assert.deepStrictEqual(at(headless, "spec.ports"), [{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }]);
        assert.deepStrictEqual(at(headless, "spec.selector"), at(sts, "spec.selector.matchLabels"));
        const pdb = one(w, "PodDisruptionBudget");
        assert.deepStrictEqual(pdb.spec, { maxUnavailable: 1, selector: at(sts, "spec.selector") });
    });

    it("manages pods in order by default, in parallel when configured", () => {
        assert.strictEqual(at(sts, "spec.podManagementPolicy"), "OrderedReady");
        const parallel = one(plan({ "orders-db": { kind: "StatefulSet", podManagementPolicy: "Parallel" } }).w, "StatefulSet");
        assert.strictEqual(at(parallel, "spec.podManagementPolicy"), "Parallel");
    });

    it("validates: the StatefulSet, its claim templates, the headless Service and the snapshot objects", () => {
        assert.deepStrictEqual(validateObjects(all), []);
    });

    it("says what it made, and no longer suggests a StatefulSet", () => {
        const codes = w.diagnostics.map((d) => d.code);
        assert.ok(codes.includes("STATEFUL_SET") && !codes.includes("STATEFUL_CANDIDATE") && !codes.includes("EBS_PER_POD"), codes.join(", "));
    });

    it("a service without a managed EBS volume still becomes a StatefulSet, with a warning", () => {
        const bare = plan({ "orders-db": { kind: "StatefulSet" } }, dbService(null)).w;
        assert.ok(bare.objects.some((o) => o.kind === "StatefulSet"));
        assert.ok(bare.diagnostics.some((d) => d.code === "STATEFUL_SET_NO_VOLUME"));
    });

    it("a DAEMON service stays a DaemonSet: the setting is an error", () => {
        const daemon = plan({ "orders-db": { kind: "StatefulSet" } }, dbService(undefined, { schedulingStrategy: "DAEMON" })).w;
        assert.ok(daemon.objects.some((o) => o.kind === "DaemonSet") && !daemon.objects.some((o) => o.kind === "StatefulSet"));
        assert.strictEqual(daemon.diagnostics.find((d) => d.code === "STATEFUL_DAEMON")?.severity, "error");
    });

    it("kind Deployment, or no setting, keeps the Deployment with per-pod volumes", () => {
        for (const settings of [{}, { "orders-db": { kind: "Deployment" } }] as WorkloadSettings[]) {
            const d = plan(settings).w;
            assert.ok(d.objects.some((o) => o.kind === "Deployment") && !d.objects.some((o) => o.kind === "StatefulSet"));
        }
    });
});

describe("config migration:workloads", () => {
    const read = (value: unknown) => validateConfig(rawConfig({ "migration:workloads": value }), "dev").migration.workloads;
    const rejects = (value: unknown, message: RegExp) => assert.throws(() => read(value), message);

    it("defaults to no settings: every service keeps its kind", () => {
        assert.deepStrictEqual(validateConfig(rawConfig(), "dev").migration.workloads, {});
    });

    it("reads kind and podManagementPolicy per service", () => {
        assert.deepStrictEqual(read({ "orders-db": { kind: "StatefulSet", podManagementPolicy: "Parallel" }, web: { kind: "Deployment" } }), {
            "orders-db": { kind: "StatefulSet", podManagementPolicy: "Parallel" },
            web: { kind: "Deployment" },
        });
    });

    it("rejects typos, unknown kinds and policies, and a policy on a Deployment, naming the key", () => {
        rejects({ "orders-db": { kind: "StatefulSet", podManagment: "Parallel" } }, /migration:workloads\.orders-db\.podManagment is not a known field; known fields: kind, podManagementPolicy/);
        rejects({ "orders-db": { kind: "Statefulset" } }, /migration:workloads\.orders-db\.kind "Statefulset" is not allowed; use one of: Deployment, StatefulSet/);
        rejects({ "orders-db": { kind: "StatefulSet", podManagementPolicy: "Ordered" } }, /podManagementPolicy "Ordered" is not allowed; use one of: OrderedReady, Parallel/);
        rejects({ web: { kind: "Deployment", podManagementPolicy: "Parallel" } }, /applies to a StatefulSet only/);
        rejects(["orders-db"], /migration:workloads \["orders-db"\] is not allowed/);
    });

    it("names a setting for a service the snapshot does not have", () => {
        assert.deepStrictEqual(unknownWorkloadSettings({ "orders-db": { kind: "StatefulSet" }, ordersdb: { kind: "StatefulSet" } }, ["orders-db", "web"]), ["ordersdb"]);
    });
});

describe("the cutover snapshot and decommission-check", () => {
    const CUTOVER = "snap-0fedcba9876543210";
    const settings: WorkloadSettings = { "orders-db": { kind: "StatefulSet", snapshots: { pgdata: CUTOVER } } };

    it("restores from the snapshot taken at the cutover (migration:workloads.<service>.snapshots), not the service's", () => {
        const { w, all } = plan(settings);
        assert.strictEqual(at(one(w, "VolumeSnapshotContent"), "spec.source.snapshotHandle"), CUTOVER);
        assert.ok(w.diagnostics.some((d) => d.code === "EBS_SNAPSHOT_OVERRIDE" && d.message.includes(DB_SNAPSHOT)));
        assert.deepStrictEqual(validateObjects(all), []);
    });

    it("config rejects a snapshot setting that is not a map of volume names to snapshot IDs", () => {
        assert.throws(() => validateConfig(rawConfig({ "migration:workloads": { "orders-db": { kind: "StatefulSet", snapshots: { pgdata: "vol-0123456789abcdef0" } } } }), "dev"), /migration:workloads\.orders-db\.snapshots .* is not allowed; expected a map of ECS volume names to EBS snapshot IDs/);
    });

    const check = (adopted: string[]) => {
        const config = validateConfig(rawConfig({ "migration:workloads": settings, "migration:adopted": adopted }), "dev");
        const snap = snapshot([dbService()], [dbTaskDefinition()]);
        const checks = decommissionChecks(config, " --stack dev", snap, translate(snap, { workloads: config.migration.workloads }));
        const found = checks.find((c) => c.title === "EBS restores do not depend on the ECS stacks");
        assert.ok(found, checks.map((c) => c.title).join(", "));
        return found;
    };

    it("blocks while a StatefulSet restores from a snapshot the ECS stacks may still own, naming it and the service", () => {
        const blocked = check([]);
        assert.strictEqual(blocked.ok, false);
        assert.match(blocked.detail, /snap-0fedcba9876543210: orders-db \(StatefulSet\)/);
        assert.match(blocked.fix ?? "", /migration:adopted/);
    });

    it("passes once the snapshot is listed as adopted", () => {
        assert.strictEqual(check([CUTOVER]).ok, true);
    });
});
