/**
 * Rules on the Kubernetes side of migrated data: volumes, claims, their
 * classes and snapshot restores keep the data when an object, a claim or the
 * stack goes. The one exception is a class whose volumes live as long as
 * their pod (label ecs2eks.io/volume-lifetime: pod), as ECS's per-task
 * volumes did: those are scratch copies of a snapshot that is itself kept.
 */
import { obj } from "./props";
import { Rule } from "./rule";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const PERSISTENT_VOLUME = "kubernetes:core/v1:PersistentVolume";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const SNAPSHOT_CONTENT = "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent";
const SNAPSHOT_CLASS = "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass";

/** What Pulumi must leave in the cluster when it stops declaring it: what holds data or binds to it (classes only shape new volumes). */
const RETAINED_TYPES = new Set([PERSISTENT_VOLUME, "kubernetes:core/v1:PersistentVolumeClaim", SNAPSHOT_CONTENT, "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot"]);
const DATA_PROVISIONERS = new Set(["ebs.csi.aws.com", "efs.csi.aws.com", "kubernetes.io/aws-ebs"]);
const LIFETIME_LABEL = "ecs2eks.io/volume-lifetime";

/** What would delete data, in words; none when the object keeps it. */
function deletesData(type: string, props: Record<string, unknown>): string | undefined {
    const name = String(obj(props.metadata).name ?? "");
    switch (type) {
        case STORAGE_CLASS:
            if (!DATA_PROVISIONERS.has(String(props.provisioner)) || obj(obj(props.metadata).labels)[LIFETIME_LABEL] === "pod") {
                return undefined;
            }
            // Kubernetes defaults a class's reclaimPolicy to Delete.
            return props.reclaimPolicy === "Retain" ? undefined : `StorageClass ${name} has reclaimPolicy ${String(props.reclaimPolicy ?? "Delete (the default)")}: deleting a claim deletes its volume`;
        case PERSISTENT_VOLUME: {
            const policy = obj(props.spec).persistentVolumeReclaimPolicy;
            return policy === "Retain" ? undefined : `PersistentVolume ${name} has persistentVolumeReclaimPolicy ${String(policy ?? "Retain by default only for static volumes; say it")}: say Retain`;
        }
        case STATEFUL_SET: {
            // Kubernetes defaults both to Retain; only a Delete loses claims.
            const retention = obj(obj(props.spec).persistentVolumeClaimRetentionPolicy);
            const deleting = (["whenDeleted", "whenScaled"] as const).filter((k) => retention[k] === "Delete");
            return deleting.length === 0 ? undefined : `StatefulSet ${name} deletes its claims ${deleting.join(" and ")}: set persistentVolumeClaimRetentionPolicy to Retain`;
        }
        case SNAPSHOT_CONTENT: {
            const policy = obj(props.spec).deletionPolicy;
            return policy === "Retain" ? undefined : `VolumeSnapshotContent ${name} has deletionPolicy ${String(policy)}: deleting its VolumeSnapshot deletes the EBS snapshot`;
        }
        case SNAPSHOT_CLASS:
            return props.deletionPolicy === "Retain" ? undefined : `VolumeSnapshotClass ${name} has deletionPolicy ${String(props.deletionPolicy)}: deleting a VolumeSnapshot deletes the EBS snapshot`;
        default:
            return undefined;
    }
}

export const STORAGE_RULES: readonly Rule[] = [
    {
        name: "migrated-data-kept",
        description: "Volumes, claims and snapshots of migrated data keep it: StorageClasses (but per-pod scratch classes), PersistentVolumes, VolumeSnapshotContents and VolumeSnapshotClasses say Retain, StatefulSets keep their claims, and Pulumi leaves them in the cluster (retainOnDelete).",
        enforcementLevel: "mandatory",
        validate(type, props, report, opts) {
            const problem = deletesData(type, props);
            if (problem) {
                report(problem);
            }
            // Known offline only (policy/rule.ts).
            if (RETAINED_TYPES.has(type) && opts.retainOnDelete === false && opts.protect !== true) {
                report(`destroying the stack, or dropping this ${type.split(":").pop()} from the program, would delete it; declare it with retainOnDelete: true`);
            }
        },
    },
];
