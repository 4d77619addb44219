/** Task definition volumes → pod volumes, and EFS → static PV + PVC. Pure. */
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { efsVolumeObjects } from "../../core/efsVolumeSpec";
import type { Json } from "../../core/snapshot";
import { EcsContainer } from "./containers";
import { Diagnostics } from "./diagnostics";
import { NameScope, dns1123Label } from "./names";
import { K8sObject } from "./types";

export interface VolumesResult {
    readonly podVolumes: Record<string, unknown>[];
    readonly objects: K8sObject[];
    /** ECS volume name → pod volume name. */
    readonly names: Map<string, string>;
    readonly fileSystemIds: string[];
    readonly usesHostPath: boolean;
}

/** `configured`: the configuredAtLaunch volumes the service configures (ebsVolumes.ts carries them over). */
export function translateVolumes(td: Json<TaskDefinition>, namespace: string, workload: string, labels: Record<string, string>, d: Diagnostics, configured: ReadonlySet<string> = new Set()): VolumesResult {
    const scope = new NameScope((t) => dns1123Label(t));
    const podVolumes: Record<string, unknown>[] = [];
    const objects: K8sObject[] = [];
    const names = new Map<string, string>();
    const fileSystemIds: string[] = [];
    let usesHostPath = false;
    (td.volumes ?? []).forEach((v, i) => {
        const ecsName = v.name ?? `volume-${i}`;
        const name = scope.claim(ecsName);
        const at = `volumes[${ecsName}]`;
        names.set(ecsName, name);
        if (v.name) {
            d.map(`${at}.name`);
        }
        if (v.efsVolumeConfiguration) {
            const efs = v.efsVolumeConfiguration;
            const claimName = dns1123Label(`${workload}-${name}`);
            const made = efsVolumeObjects({
                volumeName: dns1123Label(`${namespace}-${workload}-${name}`),
                claimName,
                namespace,
                labels,
                source: {
                    fileSystemId: efs.fileSystemId ?? "",
                    ...(efs.rootDirectory ? { path: efs.rootDirectory } : {}),
                    ...(efs.authorizationConfig?.accessPointId ? { accessPointId: efs.authorizationConfig.accessPointId } : {}),
                    transitEncryption: efs.transitEncryption === "ENABLED",
                    iamAuthorization: efs.authorizationConfig?.iam === "ENABLED",
                },
            });
            objects.push(made.volume as K8sObject, made.claim as K8sObject);
            podVolumes.push({ name, persistentVolumeClaim: { claimName } });
            fileSystemIds.push(efs.fileSystemId ?? "");
            d.map(`${at}.efsVolumeConfiguration`);
            if (efs.transitEncryptionPort) {
                d.info("EFS_TLS_PORT", `${at}.efsVolumeConfiguration.transitEncryptionPort`, `TLS port ${efs.transitEncryptionPort} is chosen by the EFS CSI driver on EKS`, "nothing to do");
            }
            if (efs.authorizationConfig?.iam === "ENABLED") {
                d.info("EFS_IAM", `${at}.efsVolumeConfiguration.authorizationConfig.iam`, "the volume is mounted with IAM authorization: the EFS CSI node driver's role, not the pod's, must be allowed to mount", "allow elasticfilesystem:ClientMount (and ClientWrite) on the file system in the EFS CSI driver's role");
            }
        } else if (v.fsxWindowsFileServerVolumeConfiguration) {
            d.error("FSX_WINDOWS", `${at}.fsxWindowsFileServerVolumeConfiguration`, "FSx for Windows File Server volumes are not carried over", "mount the share with the SMB CSI driver on Windows nodes");
            podVolumes.push({ name, emptyDir: {} });
        } else if (v.dockerVolumeConfiguration) {
            const dv = v.dockerVolumeConfiguration;
            podVolumes.push({ name, emptyDir: {} });
            if (dv.driver && dv.driver !== "local") {
                d.error("DOCKER_VOLUME_DRIVER", `${at}.dockerVolumeConfiguration.driver`, `Docker volume driver ${dv.driver} has no Kubernetes equivalent; an empty directory stands in`, "use the storage's CSI driver and a PersistentVolumeClaim");
            } else if (dv.scope === "shared") {
                d.warn("DOCKER_VOLUME_SHARED", `${at}.dockerVolumeConfiguration.scope`, "the shared Docker volume outlived tasks on its instance; an emptyDir lives as long as the pod", "use a PersistentVolumeClaim if the data must survive the pod");
            } else {
                d.map(`${at}.dockerVolumeConfiguration`);
            }
        } else if (v.host?.sourcePath) {
            usesHostPath = true;
            podVolumes.push({ name, hostPath: { path: v.host.sourcePath, type: "DirectoryOrCreate" } });
            d.warn("HOST_PATH", `${at}.host.sourcePath`, `the volume mounts ${v.host.sourcePath} from the node`, "keep it for node agents (DaemonSets); for anything else use an emptyDir or a PersistentVolumeClaim. The namespace needs Pod Security level privileged");
            d.map(`${at}.host`);
        } else {
            // A bind mount with no source path is task-scoped scratch space.
            podVolumes.push({ name, emptyDir: {} });
            d.map(`${at}.host`);
        }
        if (v.configuredAtLaunch && configured.has(ecsName)) {
            d.map(`${at}.configuredAtLaunch`);
        } else if (v.configuredAtLaunch) {
            d.warn("VOLUME_AT_LAUNCH", `${at}.configuredAtLaunch`, `the volume is configured when a service launches the task, but the service configures no managed EBS volume named ${ecsName}; an emptyDir stands in`, "add the volume to the service's volumeConfigurations and migrate again, or mount a PersistentVolumeClaim of the gp3 StorageClass");
        }
    });
    return { podVolumes, objects, names, fileSystemIds, usesHostPath };
}

/** volumeMounts for a container: its mountPoints, and those of the containers it takes volumes from. */
export function mountsFor(container: EcsContainer, byName: ReadonlyMap<string, EcsContainer>, volumeNames: ReadonlyMap<string, string>, d: Diagnostics): Record<string, unknown>[] {
    const mounts: Record<string, unknown>[] = [];
    const at = `containerDefinitions[${container.name}]`;
    const add = (mp: { sourceVolume?: string; containerPath?: string; readOnly?: boolean }, readOnlyOverride: boolean | undefined, field: string) => {
        const name = volumeNames.get(mp.sourceVolume ?? "");
        if (!name || !mp.containerPath) {
            d.error("MOUNT_WITHOUT_VOLUME", field, `mount of ${JSON.stringify(mp.sourceVolume)} at ${JSON.stringify(mp.containerPath)} names no volume of the task`, "fix the task definition's mountPoints", container.name);
            return;
        }
        mounts.push({ name, mountPath: mp.containerPath, ...((readOnlyOverride ?? mp.readOnly) ? { readOnly: true } : {}) });
    };
    (container.mountPoints ?? []).forEach((mp, i) => {
        add(mp, undefined, `${at}.mountPoints[${i}]`);
        d.map(`${at}.mountPoints`);
    });
    for (const vf of container.volumesFrom ?? []) {
        const source = byName.get(vf.sourceContainer ?? "");
        if (!source) {
            d.error("VOLUMES_FROM_UNKNOWN", `${at}.volumesFrom`, `volumesFrom names container ${JSON.stringify(vf.sourceContainer)}, which the task does not have`, "fix the task definition", container.name);
            continue;
        }
        (source.mountPoints ?? []).forEach((mp, i) => add(mp, vf.readOnly, `${at}.volumesFrom[${vf.sourceContainer}].mountPoints[${i}]`));
        d.map(`${at}.volumesFrom`);
        d.info("VOLUMES_FROM", `${at}.volumesFrom`, `volumes of ${vf.sourceContainer} are mounted at the same paths`, "volumes the image itself declares (VOLUME) are not shared; mount an emptyDir for those", container.name);
    }
    return mounts;
}
