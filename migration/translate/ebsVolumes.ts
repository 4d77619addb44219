/**
 * ECS service-managed EBS volumes (a task definition volume
 * `configuredAtLaunch`, configured by the service's `volumeConfigurations`)
 * → EBS CSI volumes of the same size, type and performance. Pure.
 *
 * ECS gives every task a volume of its own for the task's life. A Deployment
 * gets the same: a generic ephemeral volume per pod, made and deleted with
 * the pod. A StatefulSet gets a volumeClaimTemplate: one claim per ordinal,
 * kept when a pod or the set goes. A volume ECS seeded from an EBS snapshot
 * is restored from it through a pre-provisioned VolumeSnapshotContent and a
 * VolumeSnapshot (the claim's dataSource).
 *
 * Each ECS volume gets a StorageClass of its own, named after its workload
 * and volume: EBS settings (type, IOPS, throughput, key, file system) exist
 * only as StorageClass parameters (a claim cannot carry them), and those
 * parameters are immutable, so a class shared between services would tie a
 * change to one service to the others'. The class name says whose it is.
 */
import type { ServiceManagedEBSVolumeConfiguration, ServiceVolumeConfiguration } from "@aws-sdk/client-ecs";
import { EBS_CSI_DRIVER, EBS_SNAPSHOT_CLASS, SNAPSHOT_API_VERSION } from "../../core/ebsVolumeSpec";
import type { Json } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { dns1123Label } from "./names";
import { K8sObject } from "./types";

/** How the pods get their volumes: per pod and gone with it, or one retained claim per StatefulSet ordinal. */
export type EbsVolumeMode = "ephemeral" | "claimTemplate";

/** The label that says how long a class's volumes live: the policy pack lets only per-pod scratch volumes be deleted. */
export const VOLUME_LIFETIME_LABEL = "ecs2eks.io/volume-lifetime";
/** The EBS snapshot a restore reads from, on the workload: decommission-check looks for these. */
export const SNAPSHOT_SOURCE_ANNOTATION = "ecs2eks.io/ebs-snapshot-sources";

/** The sizes EBS allows per volume type, in GiB (Amazon EBS User Guide, "Amazon EBS volume types"). */
const SIZE_LIMITS: Readonly<Record<string, readonly [number, number]>> = {
    gp3: [1, 16384],
    gp2: [1, 16384],
    io1: [4, 16384],
    io2: [4, 65536],
    st1: [125, 16384],
    sc1: [125, 16384],
    standard: [1, 1024],
};
/** File systems the EBS CSI driver formats (docs/parameters.md at v1.64.0). */
const FILE_SYSTEMS = new Set(["ext3", "ext4", "xfs"]);
const KMS_KEY_ARN = /^arn:aws[-a-z]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export interface EbsVolume {
    /** The pod volume's name (what the containers mount). */
    readonly name: string;
    /** The PersistentVolumeClaim spec every pod's (or ordinal's) volume is made from. */
    readonly claimSpec: Record<string, unknown>;
    readonly storageClass: string;
    readonly snapshotId?: string;
}

export interface EbsVolumesResult {
    /** StorageClasses, VolumeSnapshotContents and VolumeSnapshots. */
    readonly objects: K8sObject[];
    /** Pod volume name → its EBS volume. */
    readonly volumes: ReadonlyMap<string, EbsVolume>;
    /** EBS snapshots restored from, sorted. */
    readonly snapshotIds: readonly string[];
}

export interface EbsContext {
    readonly namespace: string;
    readonly workload: string;
    readonly labels: Record<string, string>;
    /** ECS volume name → pod volume name, for the task definition's volumes. */
    readonly podVolumeNames: ReadonlyMap<string, string>;
    /** ECS volume names the task definition marks configuredAtLaunch. */
    readonly atLaunch: ReadonlySet<string>;
    readonly mode: EbsVolumeMode;
    /** ECS volume name → a snapshot to restore from instead of the service's (migration:workloads.<service>.snapshots). */
    readonly snapshotOverrides?: Readonly<Record<string, string>>;
    readonly d: Diagnostics;
}

/** The service's volume configurations, where DescribeServices reports them: on the primary deployment. */
export function serviceVolumeConfigurations(deployments: readonly { status?: string; volumeConfigurations?: Json<ServiceVolumeConfiguration>[] }[] | undefined): Json<ServiceVolumeConfiguration>[] {
    const primary = deployments?.find((dep) => dep.status === "PRIMARY") ?? deployments?.[0];
    return primary?.volumeConfigurations ?? [];
}

/** The ECS volume names in a service's volume configurations: translateVolumes stops warning about them. */
export function configuredVolumeNames(configs: readonly Json<ServiceVolumeConfiguration>[]): Set<string> {
    return new Set(configs.filter((c) => c.managedEBSVolume).map((c) => c.name ?? ""));
}

function storageClassParameters(ebs: Json<ServiceManagedEBSVolumeConfiguration>, type: string, at: string, d: Diagnostics): Record<string, string> {
    const parameters: Record<string, string> = { type, encrypted: "true" };
    if (ebs.encrypted === false) {
        d.info("EBS_ENCRYPTED", `${at}.encrypted`, "ECS made the volume unencrypted; on EKS it is encrypted (the class says encrypted: true)", "nothing to do; a restore from an unencrypted snapshot is encrypted on the way");
    }
    d.map(`${at}.encrypted`);
    if (ebs.kmsKeyId) {
        parameters.kmsKeyId = ebs.kmsKeyId;
        if (!KMS_KEY_ARN.test(ebs.kmsKeyId)) {
            d.error("EBS_KMS_KEY_FORM", `${at}.kmsKeyId`, `ECS accepted the key ${ebs.kmsKeyId} as an ID or alias; the EBS CSI driver needs its full ARN`, "replace kmsKeyId in the StorageClass with the key's ARN (aws kms describe-key --key-id ...)");
        }
        d.warn(
            "EBS_KMS_KEY",
            `${at}.kmsKeyId`,
            `volumes are encrypted with ${ebs.kmsKeyId}, which the EBS CSI driver's role may use only when the key is tagged ecs2eks:ebs-csi-cluster=<cluster>`,
            "tag the key so (or add the driver's role to its key policy) before the first pod starts; otherwise volume creation fails with a KMS access error",
        );
        d.map(`${at}.kmsKeyId`);
    }
    if (ebs.iops !== undefined) {
        parameters.iops = String(ebs.iops);
        d.map(`${at}.iops`);
    }
    if (ebs.throughput !== undefined) {
        if (type === "gp3") {
            parameters.throughput = String(ebs.throughput);
            d.map(`${at}.throughput`);
        } else {
            d.warn("EBS_THROUGHPUT", `${at}.throughput`, `throughput ${ebs.throughput} MiB/s applies to gp3 only; a ${type} volume has the throughput of its type`, "drop it, or move the volume to gp3");
        }
    }
    if (ebs.filesystemType) {
        if (FILE_SYSTEMS.has(ebs.filesystemType)) {
            parameters["csi.storage.k8s.io/fstype"] = ebs.filesystemType;
            d.map(`${at}.filesystemType`);
        } else {
            d.error("EBS_FILESYSTEM", `${at}.filesystemType`, `file system ${ebs.filesystemType} is not one the EBS CSI driver formats on Linux (ext3, ext4, xfs)`, "run the workload on Windows nodes with the driver's Windows support, or move the data to ext4 or xfs");
        }
    } else {
        // ECS's default for Linux tasks; the driver's default too, written down so the class says it.
        parameters["csi.storage.k8s.io/fstype"] = "ext4";
    }
    if (ebs.volumeInitializationRate !== undefined) {
        parameters.volumeInitializationRate = String(ebs.volumeInitializationRate);
        d.map(`${at}.volumeInitializationRate`);
    }
    const tags = (ebs.tagSpecifications ?? []).filter((t) => (t.resourceType ?? "volume") === "volume").flatMap((t) => t.tags ?? []);
    tags.filter((t) => t.key)
        .sort((a, b) => (a.key ?? "").localeCompare(b.key ?? ""))
        .forEach((t, i) => {
            parameters[`tagSpecification_${i + 1}`] = `${t.key}=${t.value ?? ""}`;
        });
    if (tags.length > 0) {
        d.map(`${at}.tagSpecifications`);
    }
    if ((ebs.tagSpecifications ?? []).some((t) => t.propagateTags && t.propagateTags !== "NONE")) {
        d.info("EBS_PROPAGATE_TAGS", `${at}.tagSpecifications`, "ECS copied the task definition's or service's tags onto each volume; Kubernetes does not", "list the tags you need on the volumes in the StorageClass (tagSpecification_N), as done for the explicit tags");
    }
    if (ebs.roleArn) {
        d.info("EBS_INFRASTRUCTURE_ROLE", `${at}.roleArn`, `ECS managed the volumes with the infrastructure role ${ebs.roleArn}; on EKS the EBS CSI driver's own role does`, "nothing to carry over; the role can go with the ECS service");
        d.map(`${at}.roleArn`);
    }
    return parameters;
}

/**
 * The service's managed EBS volumes as EBS CSI volumes. Volumes it does not
 * configure stay as translateVolumes made them (an emptyDir, reported).
 */
export function translateEbsVolumes(configs: readonly Json<ServiceVolumeConfiguration>[], ctx: EbsContext): EbsVolumesResult {
    const { d, namespace, workload, labels } = ctx;
    const objects: K8sObject[] = [];
    const volumes = new Map<string, EbsVolume>();
    const snapshotIds: string[] = [];
    configs.forEach((config, i) => {
        const ecsName = config.name ?? "";
        const at = `deployments[PRIMARY].volumeConfigurations[${ecsName || i}].managedEBSVolume`;
        const override = ctx.snapshotOverrides?.[ecsName];
        const ebs = config.managedEBSVolume && override ? { ...config.managedEBSVolume, snapshotId: override } : config.managedEBSVolume;
        const podVolume = ctx.podVolumeNames.get(ecsName);
        if (!ebs) {
            return;
        }
        if (!podVolume || !ctx.atLaunch.has(ecsName)) {
            d.error("EBS_VOLUME_UNKNOWN", `deployments[PRIMARY].volumeConfigurations[${ecsName || i}].name`, `the service configures volume ${JSON.stringify(ecsName)}, which the task definition has no configuredAtLaunch volume of`, "fix the service's volumeConfigurations or the task definition's volumes");
            return;
        }
        d.map(`deployments[PRIMARY].volumeConfigurations[${ecsName}].name`);
        const type = ebs.volumeType ?? "gp3";
        d.map(`${at}.volumeType`);
        if (ebs.sizeInGiB === undefined) {
            // ECS takes a restore's size from the snapshot; a claim must state one, and the snapshot is not in the ECS snapshot.
            d.error("EBS_SIZE_UNKNOWN", `${at}.sizeInGiB`, `volume ${ecsName} has no size (ECS used ${ebs.snapshotId ? `the size of snapshot ${ebs.snapshotId}` : "its default"}); a claim must state one`, "set sizeInGiB on the ECS service (aws ec2 describe-snapshots gives the snapshot's VolumeSize), then migrate again");
            return;
        }
        const [min, max] = SIZE_LIMITS[type] ?? [1, Number.MAX_SAFE_INTEGER];
        if (ebs.sizeInGiB < min || ebs.sizeInGiB > max) {
            d.error("EBS_SIZE_LIMIT", `${at}.sizeInGiB`, `${ebs.sizeInGiB} GiB is outside what a ${type} volume can be (${min}-${max} GiB)`, "choose a size the volume type allows");
        }
        d.map(`${at}.sizeInGiB`);
        const storageClass = dns1123Label(`ebs-${namespace}-${workload}-${podVolume}`);
        const lifetime = ctx.mode === "ephemeral" ? "pod" : "claim";
        objects.push({
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: storageClass, labels: { ...labels, [VOLUME_LIFETIME_LABEL]: lifetime } },
            provisioner: EBS_CSI_DRIVER,
            parameters: storageClassParameters(ebs, type, at, d),
            // Per pod, as on ECS: the volume goes with its pod (the snapshot it came from stays). Per claim: kept.
            reclaimPolicy: ctx.mode === "ephemeral" ? "Delete" : "Retain",
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
        });
        let dataSource: Record<string, unknown> | undefined;
        if (ebs.snapshotId) {
            const snapshotName = dns1123Label(`${workload}-${podVolume}`);
            const contentName = dns1123Label(`${namespace}-${workload}-${podVolume}`);
            objects.push(
                {
                    apiVersion: SNAPSHOT_API_VERSION,
                    kind: "VolumeSnapshotContent",
                    metadata: { name: contentName, labels },
                    spec: {
                        // The ECS snapshot is the migration's source of truth: never deleted from here.
                        deletionPolicy: "Retain",
                        driver: EBS_CSI_DRIVER,
                        source: { snapshotHandle: ebs.snapshotId },
                        volumeSnapshotClassName: EBS_SNAPSHOT_CLASS,
                        volumeSnapshotRef: { name: snapshotName, namespace },
                    },
                },
                {
                    apiVersion: SNAPSHOT_API_VERSION,
                    kind: "VolumeSnapshot",
                    metadata: { name: snapshotName, namespace, labels },
                    spec: { volumeSnapshotClassName: EBS_SNAPSHOT_CLASS, source: { volumeSnapshotContentName: contentName } },
                },
            );
            dataSource = { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: snapshotName };
            snapshotIds.push(ebs.snapshotId);
            d.map(`${at}.snapshotId`);
            if (override) {
                d.info("EBS_SNAPSHOT_OVERRIDE", `${at}.snapshotId`, `restored from ${override} (migration:workloads), not the service's ${config.managedEBSVolume?.snapshotId ?? "empty volume"}`, "nothing to do; remove the setting to restore from the service's snapshot again");
            }
            d.warn(
                "EBS_SNAPSHOT_TAG",
                `${at}.snapshotId`,
                `volumes are restored from ${ebs.snapshotId}; the EBS CSI driver's policy (AmazonEBSCSIDriverPolicyV2) creates volumes only from snapshots tagged ebs.csi.aws.com/cluster=true`,
                `aws ec2 create-tags --resources ${ebs.snapshotId} --tags Key=ebs.csi.aws.com/cluster,Value=true; for the cutover take a fresh snapshot at a quiet hour and point the VolumeSnapshotContent at it (see the runbook)`,
            );
        }
        const claimSpec = {
            accessModes: ["ReadWriteOnce"],
            storageClassName: storageClass,
            resources: { requests: { storage: `${ebs.sizeInGiB}Gi` } },
            ...(dataSource ? { dataSource } : {}),
        };
        volumes.set(podVolume, { name: podVolume, claimSpec, storageClass, ...(ebs.snapshotId ? { snapshotId: ebs.snapshotId } : {}) });
        if (ctx.mode === "ephemeral") {
            d.info(
                "EBS_PER_POD",
                `deployments[PRIMARY].volumeConfigurations[${ecsName}]`,
                `volume ${ecsName} becomes a ${ebs.sizeInGiB} GiB ${type} volume per pod, made when the pod starts and deleted with it, as ECS did per task${ebs.snapshotId ? ` (restored from ${ebs.snapshotId})` : ""}`,
                "if the data must outlive the pod (a database, a queue), set migration:workloads.<service>.kind StatefulSet: each replica keeps its own retained claim",
            );
        }
    });
    return { objects, volumes, snapshotIds: [...new Set(snapshotIds)].sort() };
}

/** The pod volumes with each EBS-backed one made a generic ephemeral volume. */
export function withEphemeralVolumes(podVolumes: readonly Record<string, unknown>[], ebs: EbsVolumesResult, labels: Record<string, string>): Record<string, unknown>[] {
    return podVolumes.map((v) => {
        const volume = ebs.volumes.get(String(v.name));
        return volume ? { name: volume.name, ephemeral: { volumeClaimTemplate: { metadata: { labels }, spec: volume.claimSpec } } } : v;
    });
}
