import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StorageConfig } from "../config";
import { efsFileSystemPolicy } from "./iam/efsPolicy";
import { EFS_CSI_DRIVER } from "../core/efsVolumeSpec";

/** The StorageClass new workloads ask for shared storage by. */
export const EFS_STORAGE_CLASS = "efs-sc";
export const NFS_PORT = 2049;

export interface EfsStorageArgs {
    readonly config: StorageConfig;
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<string[]>;
    /** How many private subnets there are: one mount target each, known before the IDs are. */
    readonly privateSubnetCount: number;
    /** Only this security group (the nodes') may reach NFS. */
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    readonly provider: k8s.Provider;
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An encrypted EFS file system for new workloads: its own KMS key, a file
 * system policy that refuses plain NFS and anonymous access other than through
 * an access point, a mount target in every private subnet behind a security
 * group that admits NFS from the nodes only, daily backups, access points,
 * and the efs-sc StorageClass. The file system, its key, its policy and its
 * backup policy are retained when the stack is destroyed: data outlives it,
 * still locked down and still backed up.
 */
export class EfsStorage extends pulumi.ComponentResource {
    readonly fileSystemId: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly accessPointIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: EfsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:storage:EfsStorage", name, {}, opts);
        const tags = { ...args.tags };

        const key = new aws.kms.Key(
            `${name}-efs`,
            { description: "EFS encryption at rest", enableKeyRotation: true, deletionWindowInDays: 30, tags },
            { parent: this, retainOnDelete: true },
        );
        const fileSystem = new aws.efs.FileSystem(
            name,
            {
                encrypted: true,
                kmsKeyId: key.arn,
                performanceMode: "generalPurpose",
                throughputMode: args.config.efsThroughputMode,
                lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
                tags: { ...tags, Name: name },
            },
            { parent: this, retainOnDelete: true },
        );
        // Deleting a file system policy reopens the file system to any client;
        // deleting a backup policy turns its backups off. Both stay with it.
        new aws.efs.FileSystemPolicy(
            name,
            { fileSystemId: fileSystem.id, policy: fileSystem.arn.apply((arn) => JSON.stringify(efsFileSystemPolicy(arn))) },
            { parent: this, retainOnDelete: true },
        );
        new aws.efs.BackupPolicy(
            name,
            { fileSystemId: fileSystem.id, backupPolicy: { status: args.config.efsBackups ? "ENABLED" : "DISABLED" } },
            { parent: this, retainOnDelete: true },
        );

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-nfs`,
            { description: "NFS to EFS mount targets from EKS nodes only", vpcId: args.vpcId, tags: { ...tags, Name: `${name}-nfs` } },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-nfs-from-nodes`,
            {
                securityGroupId: securityGroup.id,
                description: "NFS from EKS nodes",
                ipProtocol: "tcp",
                fromPort: NFS_PORT,
                toPort: NFS_PORT,
                referencedSecurityGroupId: args.nodeSecurityGroupId,
            },
            { parent: this },
        );

        const subnetIds = pulumi.output(args.privateSubnetIds);
        for (let i = 0; i < args.privateSubnetCount; i++) {
            new aws.efs.MountTarget(
                `${name}-${i}`,
                { fileSystemId: fileSystem.id, subnetId: subnetIds.apply((ids) => ids[i]), securityGroups: [securityGroup.id] },
                { parent: this },
            );
        }

        const accessPoints: Record<string, pulumi.Output<string>> = {};
        for (const ap of args.config.efsAccessPoints) {
            accessPoints[ap.name] = new aws.efs.AccessPoint(
                `${name}-${ap.name}`,
                {
                    fileSystemId: fileSystem.id,
                    posixUser: { uid: ap.uid, gid: ap.gid },
                    rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions: ap.permissions } },
                    tags: { ...tags, Name: ap.name },
                },
                { parent: this },
            ).id;
        }

        new k8s.storage.v1.StorageClass(
            EFS_STORAGE_CLASS,
            {
                metadata: { name: EFS_STORAGE_CLASS },
                provisioner: EFS_CSI_DRIVER,
                // Retain: deleting a claim leaves its access point and data in place.
                reclaimPolicy: "Retain",
                volumeBindingMode: "Immediate",
                parameters: {
                    provisioningMode: "efs-ap",
                    fileSystemId: fileSystem.id,
                    directoryPerms: "700",
                    basePath: "/dynamic",
                    ensureUniqueDirectory: "true",
                },
                mountOptions: ["tls"],
            },
            { parent: this, provider: args.provider },
        );

        this.fileSystemId = fileSystem.id;
        this.securityGroupId = securityGroup.id;
        this.accessPointIds = pulumi.output(accessPoints);
        this.registerOutputs({ fileSystemId: this.fileSystemId, securityGroupId: this.securityGroupId, accessPointIds: this.accessPointIds });
    }
}
