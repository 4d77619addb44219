import { PolicyDocument, policy } from "../../core/iam/policyDocument";

/**
 * The file system policy of the EFS file system this program creates.
 * Without one, EFS lets any client that reaches a mount target mount the
 * whole file system as root, over plain NFS (EFS User Guide, "Default EFS
 * file system policy"). With this one:
 * - nothing reaches it without TLS (the mount helper's `tls` option, which the
 *   efs-sc StorageClass sets);
 * - a client that does not authenticate with IAM may read and write only
 *   through an access point (ours, or those the EFS CSI driver makes for
 *   efs-sc claims), which pins its POSIX user and its directory, and only
 *   through a mount target; it never gets root access;
 * - a client that mounts with IAM (the `iam` mount option) gets what its role's
 *   identity policy grants on this file system: EFS allows an action that
 *   either policy allows.
 */
export function efsFileSystemPolicy(fileSystemArn: string): PolicyDocument {
    return policy(
        {
            Sid: "DenyWithoutTls",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "*",
            Resource: fileSystemArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "MountThroughAccessPoints",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: fileSystemArn,
            Condition: {
                Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" },
                Null: { "elasticfilesystem:AccessPointArn": "false" },
            },
        },
    );
}
