import * as assert from "assert";
import { EKS_ADDONS } from "../components/addons/versions";
import { ebsCsi } from "../components/addons/ebsCsi";
import { ebsCsiKmsPolicy } from "../components/iam/ebsCsiPolicy";
import { EBS_CSI_DRIVER, ebsSnapshotClass, gp3StorageClass } from "../core/ebsVolumeSpec";
import { EKS_MANAGED_CONTROLLERS } from "../crds";
import { workloadCoverage } from "../migration/translate/coverage";
import { presentMembers } from "../migration/translate/shapes";
import { translate } from "../migration/translate/translate";
import { K8sObject } from "../migration/translate/types";
import { validateObject, validateObjects } from "../migration/translate/validate";
import { DB_KEY, DB_SNAPSHOT, dbService, dbTaskDefinition, dbVolume } from "./ebsFixture";
import { at } from "./harness";
import { One, snapshot } from "./translateHarness";

const objectsOf = (one: One): K8sObject[] => [...one.plan.namespaces.flatMap((n) => n.objects), ...one.workload.objects];

describe("ECS managed EBS volumes → EBS CSI volumes per pod", () => {
    const one = new One(dbTaskDefinition(), dbService());

    it("give every pod a generic ephemeral volume of the same size, restored from the ECS snapshot", () => {
        const volumes = one.pod("volumes") as Record<string, unknown>[];
        assert.strictEqual(volumes.length, 1);
        const template = at(volumes[0], "ephemeral.volumeClaimTemplate.spec") as Record<string, unknown>;
        assert.strictEqual(at(volumes[0], "name"), "pgdata");
        assert.deepStrictEqual(template, {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "ebs-prod-orders-db-pgdata",
            resources: { requests: { storage: "200Gi" } },
            dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "orders-db-pgdata" },
        });
        assert.strictEqual(at(volumes[0], "emptyDir"), undefined);
        // The container still mounts it where ECS did.
        assert.deepStrictEqual(one.container("postgres", "volumeMounts"), [{ name: "pgdata", mountPath: "/var/lib/postgresql/data" }]);
    });

    it("carry type, IOPS, throughput, key, file system and volume tags in a StorageClass of the volume's own", () => {
        const sc = one.object("StorageClass");
        assert.strictEqual(sc.provisioner, EBS_CSI_DRIVER);
        assert.deepStrictEqual(sc.parameters, {
            type: "gp3",
            encrypted: "true",
            kmsKeyId: DB_KEY,
            iops: "6000",
            throughput: "250",
            "csi.storage.k8s.io/fstype": "xfs",
            tagSpecification_1: "backup=daily",
            tagSpecification_2: "team=orders",
        });
        assert.strictEqual(sc.volumeBindingMode, "WaitForFirstConsumer");
        assert.strictEqual(sc.allowVolumeExpansion, true);
        // Per pod, as ECS did per task: the volume goes with the pod; the snapshot stays.
        assert.strictEqual(sc.reclaimPolicy, "Delete");
        assert.strictEqual(at(sc, "metadata.labels")?.constructor, Object);
        assert.strictEqual((sc.metadata.labels ?? {})["ecs2eks.io/volume-lifetime"], "pod");
    });

    it("restore through a pre-provisioned VolumeSnapshotContent (kept) bound to a VolumeSnapshot in the workload's namespace", () => {
        const content = one.object("VolumeSnapshotContent");
        assert.deepStrictEqual(content.spec, {
            deletionPolicy: "Retain",
            driver: EBS_CSI_DRIVER,
            source: { snapshotHandle: DB_SNAPSHOT },
            volumeSnapshotClassName: "ebs-snapshots",
            volumeSnapshotRef: { name: "orders-db-pgdata", namespace: "prod" },
        });
        assert.strictEqual(content.metadata.namespace, undefined);
        const snap = one.object("VolumeSnapshot");
        assert.deepStrictEqual(snap.spec, { volumeSnapshotClassName: "ebs-snapshots", source: { volumeSnapshotContentName: content.metadata.name } });
        assert.strictEqual(snap.metadata.namespace, "prod");
    });

    it("validate: built-in kinds against the Kubernetes schema, the snapshot kinds against the pinned snapshot controller's CRDs", () => {
        assert.deepStrictEqual(validateObjects(objectsOf(one)), []);
    });

    it("report what differs: the snapshot's tag, the key's permission, the infrastructure role, propagated tags, per-pod life", () => {
        const codes = one.codes();
        for (const code of ["EBS_SNAPSHOT_TAG", "EBS_KMS_KEY", "EBS_INFRASTRUCTURE_ROLE", "EBS_PROPAGATE_TAGS", "EBS_PER_POD", "STATEFUL_CANDIDATE"]) {
            assert.ok(codes.includes(code), `${code} missing from ${codes.join(", ")}`);
        }
        assert.match(one.diagnostic("EBS_SNAPSHOT_TAG").suggestion, /aws ec2 create-tags --resources snap-0a1b2c3d4e5f67890 --tags Key=ebs\.csi\.aws\.com\/cluster,Value=true/);
        assert.match(one.diagnostic("STATEFUL_CANDIDATE").message, /start from a snapshot.*runs postgres.*single task with a data volume/);
        // No longer the old "not carried over" warnings.
        assert.ok(!codes.includes("SERVICE_VOLUMES") && !codes.includes("VOLUME_AT_LAUNCH"), codes.join(", "));
    });

    it("account for every managed EBS field it was given (none unaccounted)", () => {
        const svc = dbService();
        const td = dbTaskDefinition();
        const members = new Set([...presentMembers(td, "TaskDefinition"), ...presentMembers(svc, "Service")]);
        const ebsMembers = new Set([...members].filter((m) => /^(ServiceManagedEBSVolumeConfiguration|ServiceVolumeConfiguration|EBSTagSpecification)\.|configuredAtLaunch|volumeConfigurations/.test(m)));
        assert.ok(ebsMembers.size >= 12, [...ebsMembers].join(", "));
        assert.deepStrictEqual(workloadCoverage(ebsMembers, one.workload).unaccounted, 0);
    });

    it("without a snapshot: an empty volume of the size, no snapshot objects", () => {
        const fresh = new One(dbTaskDefinition(), dbService(dbVolume({ snapshotId: undefined })));
        assert.ok(!fresh.has("VolumeSnapshot") && !fresh.has("VolumeSnapshotContent"));
        assert.strictEqual(fresh.pod("volumes.0.ephemeral.volumeClaimTemplate.spec.dataSource"), undefined);
        assert.ok(!fresh.codes().includes("EBS_SNAPSHOT_TAG"));
        assert.deepStrictEqual(validateObjects(objectsOf(fresh)), []);
    });

    it("without a size: an error naming where to read it, and the emptyDir stays", () => {
        const unsized = new One(dbTaskDefinition(), dbService(dbVolume({ sizeInGiB: undefined })));
        const d = unsized.diagnostic("EBS_SIZE_UNKNOWN");
        assert.strictEqual(d.severity, "error");
        assert.match(d.message, /snap-0a1b2c3d4e5f67890/);
        assert.deepStrictEqual(unsized.pod("volumes"), [{ name: "pgdata", emptyDir: {} }]);
        assert.ok(!unsized.has("StorageClass"));
    });

    it("refuse what EBS or the driver cannot do: a size beyond the type, ntfs, a key alias, throughput off gp3", () => {
        const big = new One(dbTaskDefinition(), dbService(dbVolume({ volumeType: "gp3", sizeInGiB: 20000 })));
        assert.match(big.diagnostic("EBS_SIZE_LIMIT").message, /20000 GiB is outside what a gp3 volume can be \(1-16384 GiB\)/);
        const ntfs = new One(dbTaskDefinition(), dbService(dbVolume({ filesystemType: "ntfs" })));
        assert.strictEqual(ntfs.diagnostic("EBS_FILESYSTEM").severity, "error");
        const alias = new One(dbTaskDefinition(), dbService(dbVolume({ kmsKeyId: "alias/orders" })));
        assert.match(alias.diagnostic("EBS_KMS_KEY_FORM").suggestion, /ARN/);
        const io2 = new One(dbTaskDefinition(), dbService(dbVolume({ volumeType: "io2", iops: 16000, throughput: 500 })));
        assert.strictEqual(io2.diagnostic("EBS_THROUGHPUT").severity, "warning");
        assert.strictEqual((io2.object("StorageClass").parameters as Record<string, string>).throughput, undefined);
        assert.strictEqual((io2.object("StorageClass").parameters as Record<string, string>).iops, "16000");
    });

    it("a configuredAtLaunch volume the service does not configure stays an emptyDir, reported", () => {
        const bare = new One(dbTaskDefinition(), dbService(null));
        assert.deepStrictEqual(bare.pod("volumes"), [{ name: "pgdata", emptyDir: {} }]);
        assert.match(bare.diagnostic("VOLUME_AT_LAUNCH").message, /configures no managed EBS volume named pgdata/);
    });

    it("a volume configuration naming no launch-configured volume is an error", () => {
        const svc = dbService();
        const wrong = new One(dbTaskDefinition(), { ...svc, deployments: [{ ...svc.deployments?.[0], volumeConfigurations: [{ name: "data", managedEBSVolume: dbVolume() }] }] });
        assert.match(wrong.diagnostic("EBS_VOLUME_UNKNOWN").message, /"data"/);
    });

    it("is deterministic: the same snapshot gives the same plan", () => {
        const s = snapshot([dbService()], [dbTaskDefinition()]);
        assert.strictEqual(JSON.stringify(translate(s)), JSON.stringify(translate(s)));
    });
});

describe("the EBS CSI add-on, the gp3 class and the snapshot controller", () => {
    it("pin the snapshot controller whose CRDs the contract holds", () => {
        assert.strictEqual(`v${EKS_MANAGED_CONTROLLERS["snapshot-controller"]}`, EKS_ADDONS["snapshot-controller"].replace(/-eksbuild\.\d+$/, ""));
    });

    it("the default gp3 class is encrypted with the stack's key, waits for the pod, expands and keeps data", () => {
        const sc = gp3StorageClass("arn:aws:kms:us-east-1:123456789012:key/k", { "ecs2eks:cluster": "prod" });
        assert.deepStrictEqual(validateObject(sc as unknown as K8sObject), []);
        assert.strictEqual(sc.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
        assert.deepStrictEqual([sc.reclaimPolicy, sc.volumeBindingMode, sc.allowVolumeExpansion, sc.parameters.encrypted, sc.parameters.kmsKeyId], ["Retain", "WaitForFirstConsumer", true, "true", "arn:aws:kms:us-east-1:123456789012:key/k"]);
        assert.strictEqual(sc.parameters.tagSpecification_1, "ecs2eks:cluster=prod");
    });

    it("the snapshot class validates against the CRD contract and keeps snapshots", () => {
        const vsc = ebsSnapshotClass({ "ecs2eks:cluster": "prod" });
        assert.deepStrictEqual(validateObject(vsc as unknown as K8sObject), []);
        assert.strictEqual(vsc.deletionPolicy, "Retain");
        assert.match(validateObject({ ...vsc, deletionPolicy: "Keep" } as unknown as K8sObject).join(), /deletionPolicy/);
    });

    it("the snapshot contract catches what the API server would reject or prune", () => {
        const content: K8sObject = {
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshotContent",
            metadata: { name: "c" },
            spec: { deletionPolicy: "Retain", driver: EBS_CSI_DRIVER, source: { snapshotHandle: "snap-1", volumeHandle: "vol-1" }, volumeSnapshotRef: { name: "s" } },
        };
        const problems = validateObject(content).join("\n");
        assert.match(problems, /exactly one of volumeHandle and snapshotHandle/);
        assert.match(problems, /both name and namespace/);
        const pruned = validateObject({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshot", metadata: { name: "s", namespace: "n" }, spec: { source: { volumeSnapshotContentName: "c" }, snapshotClass: "x" } });
        assert.match(pruned.join(), /snapshotClass/);
        const old = validateObject({ apiVersion: "snapshot.storage.k8s.io/v1beta1", kind: "VolumeSnapshot", metadata: { name: "s", namespace: "n" }, spec: { source: { volumeSnapshotContentName: "c" } } });
        assert.match(old.join(), /not served by the snapshot-controller 8\.6\.0 that EKS runs/);
    });

    it("the driver's role uses only keys tagged for this cluster, through EC2, and grants only to AWS resources", () => {
        const doc = ebsCsiKmsPolicy("prod", "aws", "us-east-1", "123456789012");
        for (const s of doc.Statement) {
            assert.strictEqual(s.Resource, "arn:aws:kms:us-east-1:123456789012:key/*");
            assert.deepStrictEqual(s.Condition?.StringEquals, { "aws:ResourceTag/ecs2eks:ebs-csi-cluster": "prod", "kms:ViaService": "ec2.us-east-1.amazonaws.com" });
        }
        assert.deepStrictEqual(doc.Statement.find((s) => s.Sid === "GrantTaggedKeysToVolumes")?.Condition?.Bool, { "kms:GrantIsForAWSResource": "true" });
        assert.deepStrictEqual(ebsCsi.identity.managedPolicies, ["service-role/AmazonEBSCSIDriverPolicyV2"]);
    });
});
