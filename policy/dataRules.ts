/** Rules on data: encryption, key rotation, who may mount a file system, and that data outlives the stack. */
import { list, obj, statements, strings } from "./props";
import { Rule, StackRule } from "./rule";

const FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
const FILE_SYSTEM_POLICY = "aws:efs/fileSystemPolicy:FileSystemPolicy";

/**
 * What holds data, or guards it, and must stay when the stack is destroyed:
 * the file system, its policy (without it the file system falls back to
 * EFS's default policy, open to any client of a mount target) and its backup
 * policy (deleting it turns backups off), keys (deleting one loses what it
 * encrypted), buckets and volumes.
 */
const STATEFUL = new Set([
    FILE_SYSTEM,
    FILE_SYSTEM_POLICY,
    "aws:efs/backupPolicy:BackupPolicy",
    "aws:kms/key:Key",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:ebs/volume:Volume",
]);

const EBS_CSI = new Set(["ebs.csi.aws.com", "kubernetes.io/aws-ebs"]);
const truthy = (v: unknown) => v === true || v === "true";

/** The unencrypted EBS volumes a resource declares, in words. */
function unencryptedVolumes(type: string, props: Record<string, unknown>): string[] {
    switch (type) {
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return list(props.blockDeviceMappings)
                .map(obj)
                .filter((m) => m.ebs !== undefined && !truthy(obj(m.ebs).encrypted))
                .map((m) => `block device ${String(m.deviceName)}`);
        case "aws:ebs/volume:Volume":
            return truthy(props.encrypted) ? [] : ["the volume"];
        case "aws:ec2/instance:Instance":
            return [
                ...(truthy(obj(props.rootBlockDevice).encrypted) ? [] : ["the root volume"]),
                ...list(props.ebsBlockDevices)
                    .map(obj)
                    .filter((d) => !truthy(d.encrypted))
                    .map((d) => `block device ${String(d.deviceName)}`),
            ];
        case "kubernetes:storage.k8s.io/v1:StorageClass":
            return EBS_CSI.has(String(props.provisioner)) && !truthy(obj(props.parameters).encrypted) ? [`volumes of StorageClass ${String(obj(props.metadata).name)}`] : [];
        default:
            return [];
    }
}

/** What a file system policy fails to require: TLS, and access points for anyone it lets mount. */
function efsPolicyGaps(document: unknown): string[] {
    const all = statements(document);
    const gaps: string[] = [];
    const deniesPlainNfs = all.some(
        (st) => st.Effect === "Deny" && strings(st.Action).some((a) => a === "*" || /^elasticfilesystem:(\*|Client\*|ClientMount)$/.test(a)) && strings(obj(obj(st.Condition).Bool)["aws:SecureTransport"]).includes("false"),
    );
    if (!deniesPlainNfs) {
        gaps.push('it does not deny access without TLS (Deny when Bool aws:SecureTransport is "false")');
    }
    for (const st of all.filter((s) => s.Effect === "Allow" && strings(obj(s.Principal).AWS).concat(strings(s.Principal)).includes("*"))) {
        const conditions = obj(st.Condition);
        const throughAccessPoint =
            strings(obj(conditions.Null)["elasticfilesystem:AccessPointArn"]).includes("false") || strings(obj(conditions.StringEquals)["elasticfilesystem:AccessPointArn"]).length > 0;
        if (!throughAccessPoint) {
            gaps.push(`it lets any client ${strings(st.Action).join(", ")} without an access point`);
        } else if (strings(st.Action).some((a) => a === "*" || /^elasticfilesystem:(\*|Client\*|ClientRootAccess)$/.test(a))) {
            gaps.push("it gives any client root access");
        }
    }
    return gaps;
}

export const DATA_RULES: readonly Rule[] = [
    {
        name: "kms-keys-rotate",
        description: "Symmetric KMS keys rotate their key material every year.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            // KMS rotates symmetric encryption keys only.
            const spec = props.keySpec ?? props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
            if (type === "aws:kms/key:Key" && spec === "SYMMETRIC_DEFAULT" && props.enableKeyRotation !== true) {
                report("the key does not rotate; set enableKeyRotation: true");
            }
        },
    },
    {
        name: "volumes-encrypted",
        description: "EBS volumes (node root volumes, launch templates, volumes, EBS StorageClasses) are encrypted.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            for (const volume of unencryptedVolumes(type, props)) {
                report(`${volume} is not encrypted; set encrypted: true`);
            }
        },
    },
    {
        name: "efs-policy-requires-tls-and-access-points",
        description: "An EFS file system policy denies access without TLS and lets anonymous clients in only through an access point, never as root.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== FILE_SYSTEM_POLICY) {
                return;
            }
            for (const gap of efsPolicyGaps(props.policy)) {
                report(`the file system policy ${gap}; build it with efsFileSystemPolicy (components/iam/efsPolicy.ts)`);
            }
        },
    },
    {
        name: "stateful-resources-retained",
        description: "File systems (with their policies and backup policies), KMS keys, buckets and volumes stay when the stack is destroyed (retainOnDelete or protect).",
        enforcementLevel: "mandatory",
        validate(type, _props, report, opts) {
            // Under the Pulumi engine retainOnDelete is not known (policy/rule.ts): only protect can be read there.
            if (STATEFUL.has(type) && opts.retainOnDelete === false && opts.protect !== true) {
                report(`destroying the stack would delete this ${type.split(":").pop()} and what it keeps; declare it with retainOnDelete: true`);
            }
        },
    },
];

export const DATA_STACK_RULES: readonly StackRule[] = [
    {
        name: "efs-file-systems-have-a-policy",
        description: "Every EFS file system has a file system policy: without one, EFS lets any client of a mount target in as root, without TLS.",
        enforcementLevel: "mandatory",
        validateStack(resources, report) {
            const guarded = new Set(resources.filter((r) => r.type === FILE_SYSTEM_POLICY).flatMap((r) => r.dependencies));
            for (const fs of resources.filter((r) => r.type === FILE_SYSTEM && !guarded.has(r.urn))) {
                report(`file system ${fs.name} has no file system policy; add an aws.efs.FileSystemPolicy built with efsFileSystemPolicy (components/iam/efsPolicy.ts)`, fs.urn);
            }
        },
    },
];
