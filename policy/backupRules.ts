/**
 * The backup bucket (components/addons/velero.ts, tagged ecs2eks:backups):
 * the copy of the migrated data that must survive the cluster, the ECS
 * stacks and this stack. It is never public and never deleted with the
 * stack. This program declares no public bucket at all, so every public
 * access block it declares must block everything.
 */
import { obj } from "./props";
import { Rule } from "./rule";

/** The tag the backup bucket carries (its value: the cluster it backs up). */
export const BACKUP_BUCKET_TAG = "ecs2eks:backups";

const BUCKETS = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const BACKUP_RULES: readonly Rule[] = [
    {
        name: "backup-bucket-private-and-kept",
        description: "The backup bucket (tagged ecs2eks:backups) is kept when the stack is destroyed (retainOnDelete), and every S3 public access block blocks public ACLs and policies entirely.",
        enforcementLevel: "mandatory",
        validate(type, props, report, opts) {
            if (BUCKETS.has(type) && obj(props.tags)[BACKUP_BUCKET_TAG] !== undefined && opts.retainOnDelete === false && opts.protect !== true) {
                report(`the backup bucket of ${String(obj(props.tags)[BACKUP_BUCKET_TAG])} would be deleted with the stack, and the backups in it; declare it with retainOnDelete: true`);
            }
            if (type === PUBLIC_ACCESS_BLOCK) {
                const open = BLOCKS.filter((k) => props[k] !== true);
                if (open.length > 0) {
                    report(`a bucket's public access block leaves ${open.join(", ")} off: set all four to true (${BLOCKS.join(", ")})`);
                }
            }
        },
    },
];
