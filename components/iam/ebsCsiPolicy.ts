import { PolicyDocument, policy } from "../../core/iam/policyDocument";

/** The tag a KMS key carries when the EBS CSI driver of this cluster may encrypt volumes with it. */
export const EBS_KEY_TAG = "ecs2eks:ebs-csi-cluster";

/**
 * What the EBS CSI driver needs on top of AmazonEBSCSIDriverPolicyV2 to make
 * encrypted volumes: use of the KMS keys tagged for this cluster, and only
 * through EC2 in this region (kms:ViaService), and grants only for an AWS
 * resource (the volume). The statements follow the driver's install guide
 * (kubernetes-sigs/aws-ebs-csi-driver@v1.64.0:docs/install.md, "Encrypted EBS
 * Volumes via KMS"), narrowed from every key to the tagged ones. A key ECS
 * volumes used (managedEBSVolume.kmsKeyId) needs the tag, or a key policy
 * statement for this role: the report says which keys.
 */
export function ebsCsiKmsPolicy(clusterName: string, partition: string, region: string, account: string): PolicyDocument {
    const keys = `arn:${partition}:kms:${region}:${account}:key/*`;
    const tagged = { [`aws:ResourceTag/${EBS_KEY_TAG}`]: clusterName };
    const viaEc2 = { "kms:ViaService": `ec2.${region}.amazonaws.com` };
    return policy(
        {
            Sid: "UseTaggedKeysThroughEc2",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
            Resource: keys,
            Condition: { StringEquals: { ...tagged, ...viaEc2 } },
        },
        {
            Sid: "GrantTaggedKeysToVolumes",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: keys,
            Condition: { StringEquals: { ...tagged, ...viaEc2 }, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    );
}
