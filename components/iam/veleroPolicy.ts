import { PolicyDocument, policy } from "../../core/iam/policyDocument";

/** The tag the StorageClasses put on this cluster's EBS volumes (components/ebsStorage.ts); Velero's AWS plugin copies a volume's tags onto its snapshots. */
export const VOLUME_CLUSTER_TAG = "ecs2eks:cluster";

/** The backup bucket and its key: the only storage Velero's role reaches. */
export interface BackupStore {
    readonly bucketArn: string;
    readonly keyArn: string;
}

/**
 * What Velero (and its AWS plugin) may do: read and write objects of the
 * backup bucket only, use the bucket's own key, and snapshot EBS volumes.
 * Snapshots are deleted, and volumes restored, only from snapshots tagged
 * for this cluster: a backup schedule on this cluster cannot remove another
 * stack's snapshots. EC2's Describe calls take no resource or condition.
 * Actions follow velero-plugin-for-aws's README ("Set permissions for
 * Velero") at vmware-tanzu/velero-plugin-for-aws tag v1.14.0-rc.1, narrowed.
 */
export function veleroPolicy(partition: string, region: string, account: string, clusterName: string, store: BackupStore): PolicyDocument {
    const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${account}:${resource}`;
    const ofCluster = { [`aws:ResourceTag/${VOLUME_CLUSTER_TAG}`]: clusterName };
    return policy(
        { Sid: "BackupObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: `${store.bucketArn}/*` },
        { Sid: "ListBackupBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: store.bucketArn },
        { Sid: "UseBucketKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: store.keyArn },
        { Sid: "DescribeEbs", Effect: "Allow", Action: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"], Resource: "*" },
        { Sid: "SnapshotClusterVolumes", Effect: "Allow", Action: "ec2:CreateSnapshot", Resource: ec2("volume/*"), Condition: { StringEquals: ofCluster } },
        { Sid: "NewSnapshots", Effect: "Allow", Action: "ec2:CreateSnapshot", Resource: `arn:${partition}:ec2:${region}::snapshot/*` },
        {
            Sid: "TagOnCreate",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: [`arn:${partition}:ec2:${region}::snapshot/*`, ec2("volume/*")],
            Condition: { StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } },
        },
        { Sid: "DeleteClusterSnapshots", Effect: "Allow", Action: "ec2:DeleteSnapshot", Resource: `arn:${partition}:ec2:${region}::snapshot/*`, Condition: { StringEquals: ofCluster } },
        { Sid: "RestoreFromClusterSnapshots", Effect: "Allow", Action: "ec2:CreateVolume", Resource: `arn:${partition}:ec2:${region}::snapshot/*`, Condition: { StringEquals: ofCluster } },
        { Sid: "RestoredVolumes", Effect: "Allow", Action: "ec2:CreateVolume", Resource: ec2("volume/*") },
    );
}

/** The backup bucket's key: the account administers it; S3 uses it on behalf of whoever the bucket lets in. */
export function backupKeyPolicy(partition: string, account: string): PolicyDocument {
    return policy({ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" });
}
