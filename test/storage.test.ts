import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { EFS_CSI_DRIVER, efsMountOptions, efsVolumeHandle, staticEfsVolume } from "../components/efsVolume";
import { efsFileSystemPolicy } from "../components/iam/efsPolicy";
import { PolicyDocument } from "../core/iam/policyDocument";
import { checkResources } from "../policy/rules";
import { PreviewResult, runOffline } from "../preview/run";
import { Platform, at, rawConfig, runPlatform } from "./harness";

const FS = "aws:efs/fileSystem:FileSystem";

describe("EFS volume handles", () => {
    it("writes the four forms the CSI driver reads", () => {
        assert.strictEqual(efsVolumeHandle({ fileSystemId: "fs-1" }), "fs-1");
        assert.strictEqual(efsVolumeHandle({ fileSystemId: "fs-1", path: "/data" }), "fs-1:/data");
        assert.strictEqual(efsVolumeHandle({ fileSystemId: "fs-1", accessPointId: "fsap-2" }), "fs-1::fsap-2");
        assert.strictEqual(efsVolumeHandle({ fileSystemId: "fs-1", path: "/data", accessPointId: "fsap-2" }), "fs-1:/data:fsap-2");
    });

    it("leaves a root path out, as ECS's default rootDirectory / means the root", () => {
        assert.strictEqual(efsVolumeHandle({ fileSystemId: "fs-1", path: "/" }), "fs-1");
        assert.strictEqual(efsVolumeHandle({ fileSystemId: "fs-1", path: "/", accessPointId: "fsap-2" }), "fs-1::fsap-2");
    });

    it("mounts with TLS when ECS encrypts in transit, and with IAM when ECS authorizes by IAM", () => {
        assert.deepStrictEqual(efsMountOptions({ transitEncryption: false }), []);
        assert.deepStrictEqual(efsMountOptions({ transitEncryption: true }), ["tls"]);
        assert.deepStrictEqual(efsMountOptions({ transitEncryption: false, iamAuthorization: true }), ["tls", "iam"]);
    });
});

describe("static EFS PersistentVolume for existing data", () => {
    let result: PreviewResult;
    before(async () => {
        result = await runOffline({
            project: "ecs2eks",
            stack: "test",
            config: { values: {}, secretKeys: [] },
            program: () => {
                const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
                staticEfsVolume(
                    { name: "orders-uploads", namespace: "shop", source: { fileSystemId: "fs-0123456789abcdef0", path: "/uploads", accessPointId: "fsap-0123456789abcdef0", transitEncryption: true } },
                    { provider },
                );
                return {};
            },
        });
    });
    const inputs = (type: string) => result.resources.find((r) => r.type === type)?.inputs ?? {};

    it("retains the data: reclaim policy Retain, ReadWriteMany, bound to its claim by name", () => {
        const pv = inputs("kubernetes:core/v1:PersistentVolume");
        assert.strictEqual(at(pv, "spec.persistentVolumeReclaimPolicy"), "Retain");
        assert.deepStrictEqual(at(pv, "spec.accessModes"), ["ReadWriteMany"]);
        assert.deepStrictEqual(at(pv, "spec.csi"), { driver: EFS_CSI_DRIVER, volumeHandle: "fs-0123456789abcdef0:/uploads:fsap-0123456789abcdef0" });
        assert.deepStrictEqual(at(pv, "spec.mountOptions"), ["tls"]);
        assert.deepStrictEqual(at(pv, "spec.claimRef"), { namespace: "shop", name: "orders-uploads" });
        assert.strictEqual(at(pv, "spec.storageClassName"), "");
        const pvc = inputs("kubernetes:core/v1:PersistentVolumeClaim");
        assert.strictEqual(at(pvc, "spec.volumeName"), "orders-uploads");
        assert.strictEqual(at(pvc, "spec.storageClassName"), "");
        assert.strictEqual(at(pvc, "metadata.namespace"), "shop");
    });

    it("creates no file system: existing data is referenced by ID only", () => {
        assert.deepStrictEqual(result.resources.filter((r) => r.type.startsWith("aws:efs")), []);
    });
});

describe("EfsStorage", () => {
    let platform: Platform;
    before(async () => {
        platform = await runPlatform(rawConfig({ "storage:efsAccessPoints": [{ name: "shared", path: "/shared", uid: 1001, gid: 1002, permissions: "750" }] }));
    });

    it("encrypts the file system with a rotating key of its own, and keeps it on destroy", () => {
        const fs = platform.one(FS);
        assert.strictEqual(fs.inputs.encrypted, true);
        assert.match(String(fs.inputs.kmsKeyId), /^arn:aws:kms:.*efs-efs/);
        assert.strictEqual(platform.input("aws:kms/key:Key", "efs-efs", "enableKeyRotation"), true);
        assert.strictEqual(fs.retainOnDelete, true);
        assert.strictEqual(platform.one("aws:kms/key:Key", "efs-efs").retainOnDelete, true);
    });

    it("backs up daily, and keeps backing up after the stack is destroyed", () => {
        const backup = platform.one("aws:efs/backupPolicy:BackupPolicy", "efs");
        assert.deepStrictEqual(backup.inputs.backupPolicy, { status: "ENABLED" });
        assert.strictEqual(backup.inputs.fileSystemId, platform.result.outputs.efsFileSystemId);
        // Deleting the BackupPolicy resource would set the retained file system's backups to DISABLED.
        assert.strictEqual(backup.retainOnDelete, true);
    });

    describe("file system policy", () => {
        const fsPolicy = () => platform.one("aws:efs/fileSystemPolicy:FileSystemPolicy", "efs");
        const doc = () => JSON.parse(String(fsPolicy().inputs.policy)) as PolicyDocument;

        it("is set on the file system, and stays with it when the stack is destroyed", () => {
            assert.strictEqual(fsPolicy().inputs.fileSystemId, platform.result.outputs.efsFileSystemId);
            // Without it, EFS's default policy lets any client of a mount target in as root.
            assert.strictEqual(fsPolicy().retainOnDelete, true);
            assert.ok(fsPolicy().dependencies.includes(platform.one(FS).urn));
        });

        it("denies every access without TLS", () => {
            const deny = doc().Statement.filter((st) => st.Effect === "Deny");
            assert.deepStrictEqual(deny, [
                { Sid: "DenyWithoutTls", Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Resource: deny[0]?.Resource, Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ]);
            assert.match(String(deny[0].Resource), /^arn:aws:efs:us-east-1:\d{12}:filesystem\/efs/);
        });

        it("lets clients without IAM read and write only through an access point and a mount target, never as root", () => {
            const allow = doc().Statement.filter((st) => st.Effect === "Allow");
            assert.deepStrictEqual(allow.map((st) => [st.Principal, st.Action, st.Condition]), [
                [
                    { AWS: "*" },
                    ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" }, Null: { "elasticfilesystem:AccessPointArn": "false" } },
                ],
            ]);
            assert.ok(doc().Statement.every((st) => !JSON.stringify(st.Action).includes("ClientRootAccess")));
        });

        it("is the policy efsFileSystemPolicy builds, which the policy pack accepts", () => {
            const arn = String(doc().Statement[0].Resource);
            assert.deepStrictEqual(doc(), efsFileSystemPolicy(arn));
            const efsResources = platform.result.resources.filter((r) => r.type.startsWith("aws:efs/") || r.type === "aws:kms/key:Key");
            assert.deepStrictEqual(checkResources(efsResources).filter((v) => v.enforcementLevel === "mandatory"), []);
        });

        it("mounts with TLS from the efs-sc StorageClass, which the policy requires", () => {
            assert.deepStrictEqual(platform.input("kubernetes:storage.k8s.io/v1:StorageClass", "efs-sc", "mountOptions"), ["tls"]);
        });
    });

    it("keeps backups off but the backup policy retained when storage:efsBackups is false", async () => {
        const off = await runPlatform(rawConfig({ "storage:efsBackups": "false" }));
        const backup = off.one("aws:efs/backupPolicy:BackupPolicy", "efs");
        assert.deepStrictEqual(backup.inputs.backupPolicy, { status: "DISABLED" });
        assert.strictEqual(backup.retainOnDelete, true);
    });

    it("admits NFS from the node security group only", () => {
        const rules = platform.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.strictEqual(rules.length, 1);
        const rule = rules[0].inputs;
        assert.deepStrictEqual([rule.ipProtocol, rule.fromPort, rule.toPort], ["tcp", 2049, 2049]);
        assert.strictEqual(rule.referencedSecurityGroupId, platform.result.outputs.nodeSecurityGroupId);
        assert.strictEqual(rule.cidrIpv4, undefined);
        assert.strictEqual(platform.ofType("aws:ec2/securityGroup:SecurityGroup").every((sg) => sg.inputs.ingress === undefined), true);
    });

    it("puts a mount target in every private subnet", () => {
        const subnets = platform.ofType("aws:efs/mountTarget:MountTarget").map((m) => m.inputs.subnetId).sort();
        assert.deepStrictEqual(subnets, [...(platform.result.outputs.privateSubnetIds as string[])].sort());
        assert.strictEqual(subnets.length, 3);
    });

    it("creates access points with a POSIX user and a root directory made on first use", () => {
        const ap = platform.one("aws:efs/accessPoint:AccessPoint", "efs-shared").inputs;
        assert.deepStrictEqual(ap.posixUser, { uid: 1001, gid: 1002 });
        assert.deepStrictEqual(ap.rootDirectory, { path: "/shared", creationInfo: { ownerUid: 1001, ownerGid: 1002, permissions: "750" } });
    });

    it("offers the efs-sc StorageClass with access-point provisioning, retaining volumes", () => {
        const sc = platform.one("kubernetes:storage.k8s.io/v1:StorageClass", "efs-sc").inputs;
        assert.strictEqual(sc.provisioner, EFS_CSI_DRIVER);
        assert.strictEqual(sc.reclaimPolicy, "Retain");
        assert.strictEqual(at(sc, "parameters.provisioningMode"), "efs-ap");
        assert.match(String(at(sc, "parameters.fileSystemId")), /^fs-/);
    });

    it("is left out when storage:efs is false", async () => {
        const without = await runPlatform(rawConfig({ "storage:efs": "false" }));
        assert.deepStrictEqual(without.ofType("ecs2eks:storage:EfsStorage"), []);
        assert.deepStrictEqual(without.ofType(FS), []);
        assert.strictEqual(without.result.outputs.efsFileSystemId, undefined);
    });
});
