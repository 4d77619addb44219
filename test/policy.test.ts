import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { loadBalancerControllerPolicy } from "../components/iam/addonPolicies";
import { efsFileSystemPolicy } from "../components/iam/efsPolicy";
import { irsaTrustPolicy, policy } from "../core/iam/policyDocument";
import { podIdentityTrustPolicy, serviceTrustPolicy } from "../core/iam/trustPolicy";
import { ConfigError } from "../config/errors";
import { validateConfig } from "../config/validate";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { ResourceOptions, StackResource } from "../policy/rule";
import { RULES, Rule, STACK_RULES, Violation, checkResources } from "../policy/rules";
import { findProject, loadStackConfigValues } from "../preview/project";
import { runOffline } from "../preview/run";
import { buildStack } from "../program";

const ROOT = path.join(__dirname, "..", "..");
const ACCOUNT = "123456789012";
const CLUSTER_ARN = `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/ecs2eks-dev`;

function rule(name: string): Rule {
    const found = RULES.find((r) => r.name === name);
    if (!found) {
        throw new Error(`no rule ${name}`);
    }
    return found;
}

function violations(name: string, type: string, props: Record<string, unknown>, opts: ResourceOptions = {}): string[] {
    const found: string[] = [];
    rule(name).validate(type, props, (m) => found.push(m), opts);
    return found;
}

const ROLE = "aws:iam/role:Role";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const DAEMONSET = "kubernetes:apps/v1:DaemonSet";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

const deployment = (container: Record<string, unknown>, annotations: Record<string, string> = {}, pod: Record<string, unknown> = {}) => ({
    metadata: { name: "x", annotations },
    spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "64Mi" } }, ...container }], ...pod } } },
});
/** A node agent as ECS ran it: host network and PID, and the host's root file system. */
const nodeAgent = (annotations: Record<string, string> = {}) =>
    deployment({ name: "agent", volumeMounts: [{ name: "host", mountPath: "/host", readOnly: true }] }, annotations, {
        hostNetwork: true,
        hostPID: true,
        volumes: [{ name: "host", hostPath: { path: "/" } }],
    });
const IRSA = (...statements: Record<string, unknown>[]) =>
    JSON.stringify({ Version: "2012-10-17", Statement: statements.map((Condition) => ({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/x` }, Action: "sts:AssumeRoleWithWebIdentity", Condition })) });
const sub = (sa: string | string[]) => ({ StringEquals: { "x:sub": sa, "x:aud": "sts.amazonaws.com" } });
/** A policy document as a task role might hold it: anything IAM accepts, NotAction included. */
const document = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
/** A role cloned from an ECS task role, as EcsMigration declares it. */
const clonedRole = (inline: Record<string, unknown>[], managed: string[] = [], tags: Record<string, string> = {}) => ({
    assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy(ACCOUNT, CLUSTER_ARN, "shop", "orders")),
    inlinePolicies: inline.map((statement, i) => ({ name: `policy-${i}`, policy: document(statement) })),
    managedPolicyArns: managed,
    tags: { "ecs2eks:cloned-from": `arn:aws:iam::${ACCOUNT}:role/ecs/shop-orders-task`, ...tags },
});
const ingress = (props: Record<string, unknown>) => ({ securityGroupId: "sg-0123456789abcdef0", ipProtocol: "tcp", ...props });
const service = (type: string, annotations: Record<string, string> = {}) => ({ metadata: { name: "web", annotations }, spec: { type, ports: [{ port: 443 }] } });

interface Example {
    readonly what: string;
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly opts?: ResourceOptions;
    /** How many violations it must raise; 1 unless given. */
    readonly count?: number;
}
type Cases = Readonly<Record<string, { readonly violating: readonly Example[]; readonly compliant: readonly Example[] }>>;

/** For every rule, resources that break it and resources that keep it. */
const CASES: Cases = {
    "eks-endpoint-not-open-to-the-internet": {
        violating: [{ what: "public endpoint open to 0.0.0.0/0", type: "eks:index:Cluster", props: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"], tags: {} } }],
        compliant: [
            { what: "the same, allowed by config", type: "eks:index:Cluster", props: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"], tags: { "ecs2eks:public-endpoint-from-anywhere": "true" } } },
        ],
    },
    "eks-secrets-encrypted": {
        violating: [{ what: "no Secrets key", type: "eks:index:Cluster", props: {} }],
        compliant: [{ what: "a KMS key", type: "eks:index:Cluster", props: { encryptionConfigKeyArn: "arn:aws:kms:us-east-1:1:key/x" } }],
    },
    "imdsv2-hop-limit-1": {
        violating: [{ what: "hop limit 2", type: "aws:ec2/launchTemplate:LaunchTemplate", props: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } } }],
        compliant: [{ what: "hop limit 1", type: "aws:ec2/launchTemplate:LaunchTemplate", props: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } } }],
    },
    "irsa-trust-exact": {
        violating: [
            { what: "a wildcard subject by StringLike", type: ROLE, props: { assumeRolePolicy: IRSA({ StringLike: { "x:sub": "system:serviceaccount:*:*" } }) } },
            { what: "two subjects in one statement", type: ROLE, props: { assumeRolePolicy: IRSA(sub(["system:serviceaccount:shop:orders", "system:serviceaccount:shop:web"])) } },
            { what: "two statements of one subject each", type: ROLE, props: { assumeRolePolicy: IRSA(sub("system:serviceaccount:shop:orders"), sub("system:serviceaccount:kube-system:default")) } },
        ],
        compliant: [{ what: "irsaTrustPolicy", type: ROLE, props: { assumeRolePolicy: JSON.stringify(irsaTrustPolicy(`arn:aws:iam::${ACCOUNT}:oidc-provider/x`, "https://x", "shop", "orders")) } }],
    },
    "pod-identity-trust-conditioned": {
        violating: [
            {
                what: "pods.eks.amazonaws.com with no condition",
                type: ROLE,
                props: { assumeRolePolicy: JSON.stringify(policy({ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] })) },
            },
            {
                what: "any namespace of any cluster, by StringLike",
                type: ROLE,
                props: {
                    assumeRolePolicy: JSON.stringify(
                        policy({
                            Effect: "Allow",
                            Principal: { Service: "pods.eks.amazonaws.com" },
                            Action: ["sts:AssumeRole", "sts:TagSession"],
                            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, StringLike: { "aws:RequestTag/kubernetes-namespace": "*", "aws:RequestTag/kubernetes-service-account": "orders" } },
                        }),
                    ),
                },
            },
            {
                what: "the cluster by aws:SourceArn, which for Pod Identity is the association's ARN, not the cluster's",
                type: ROLE,
                props: {
                    assumeRolePolicy: JSON.stringify(
                        policy({
                            Effect: "Allow",
                            Principal: { Service: "pods.eks.amazonaws.com" },
                            Action: ["sts:AssumeRole", "sts:TagSession"],
                            Condition: {
                                StringEquals: { "aws:SourceAccount": ACCOUNT, "aws:RequestTag/kubernetes-namespace": "shop", "aws:RequestTag/kubernetes-service-account": "orders" },
                                ArnEquals: { "aws:SourceArn": CLUSTER_ARN },
                            },
                        }),
                    ),
                },
            },
        ],
        compliant: [{ what: "podIdentityTrustPolicy", type: ROLE, props: { assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy(ACCOUNT, CLUSTER_ARN, "shop", "orders")) } }],
    },
    "service-trust-source-account": {
        violating: [
            { what: "nodes' trust without a condition", type: ROLE, props: { assumeRolePolicy: JSON.stringify(policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" })) } },
        ],
        compliant: [
            { what: "serviceTrustPolicy for the cluster", type: ROLE, props: { assumeRolePolicy: JSON.stringify(serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"], ACCOUNT)) } },
            { what: "a web identity trust, not a service's", type: ROLE, props: { assumeRolePolicy: IRSA(sub("system:serviceaccount:shop:orders")) } },
        ],
    },
    "no-broad-iam": {
        violating: [
            { what: 'a cloned task role with Action "*"', type: ROLE, props: clonedRole([{ Effect: "Allow", Action: "*", Resource: "*" }]) },
            { what: "a cloned task role with iam:*", type: ROLE, props: clonedRole([{ Effect: "Allow", Action: ["s3:GetObject", "iam:*"], Resource: "*" }]) },
            { what: 'iam:PassRole on "*"', type: ROLE, props: clonedRole([{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]) },
            { what: 'a wildcard that covers iam:PassRole on "*"', type: ROLE, props: clonedRole([{ Effect: "Allow", Action: "iam:Pass*", Resource: ["*"] }]) },
            { what: "a cloned task role with AdministratorAccess", type: ROLE, props: clonedRole([], ["arn:aws:iam::aws:policy/AdministratorAccess"]) },
            { what: "NotAction in an Allow", type: ROLE, props: clonedRole([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]) },
            { what: 'a role policy with "*:*"', type: "aws:iam/rolePolicy:RolePolicy", props: { name: "x", policy: document({ Effect: "Allow", Action: "*:*", Resource: "*" }) } },
            { what: "PowerUserAccess attached", type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: { policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" } },
            { what: "IAMFullAccess in GovCloud", type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: { policyArn: "arn:aws-us-gov:iam::aws:policy/IAMFullAccess" } },
            {
                what: "allowance tags do not reach a separate policy resource",
                type: "aws:iam/policy:Policy",
                props: { name: "x", policy: document({ Effect: "Allow", Action: "*", Resource: "*" }), tags: { "ecs2eks:broad-iam-allowed": "true" } },
            },
        ],
        compliant: [
            {
                what: "a cloned task role scoped to its queue, with an AWS-managed write-only policy",
                type: ROLE,
                props: clonedRole([{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:shop-orders` }], ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"]),
            },
            {
                what: "AdministratorAccess on a role whose service is listed in migration:allowBroadIam",
                type: ROLE,
                props: clonedRole([{ Effect: "Allow", Action: "*", Resource: "*" }], ["arn:aws:iam::aws:policy/AdministratorAccess"], { "ecs2eks:broad-iam-allowed": "true" }),
            },
            { what: "iam:PassRole on one role", type: ROLE, props: clonedRole([{ Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/shop-batch` }]) },
            { what: "a wildcard that stops short of PassRole", type: ROLE, props: clonedRole([{ Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" }]) },
            { what: "a Deny of everything", type: ROLE, props: clonedRole([{ Effect: "Deny", Action: "*", Resource: "*" }]) },
            { what: "the load balancer controller's published policy", type: "aws:iam/rolePolicy:RolePolicy", props: { name: "policy", policy: JSON.stringify(loadBalancerControllerPolicy("aws")) } },
        ],
    },
    "efs-encrypted": {
        violating: [{ what: "unencrypted", type: "aws:efs/fileSystem:FileSystem", props: { encrypted: false } }],
        compliant: [{ what: "encrypted", type: "aws:efs/fileSystem:FileSystem", props: { encrypted: true } }],
    },
    "persistent-volumes-retain": {
        violating: [{ what: "reclaim policy Delete", type: "kubernetes:core/v1:PersistentVolume", props: { spec: { persistentVolumeReclaimPolicy: "Delete" } } }],
        compliant: [{ what: "reclaim policy Retain", type: "kubernetes:core/v1:PersistentVolume", props: { spec: { persistentVolumeReclaimPolicy: "Retain" } } }],
    },
    "no-unapproved-privileged-containers": {
        violating: [{ what: "privileged", type: DEPLOYMENT, props: deployment({ securityContext: { privileged: true } }) }],
        compliant: [{ what: "privileged, annotated", type: DEPLOYMENT, props: deployment({ securityContext: { privileged: true } }, { "ecs2eks.io/privileged-allowed": "true" }) }],
    },
    "no-unapproved-host-access": {
        violating: [
            { what: "a DaemonSet with host network and PID and a hostPath of /", type: DAEMONSET, props: nodeAgent(), count: 3 },
            { what: "a Pod on the host's IPC namespace", type: "kubernetes:core/v1:Pod", props: { metadata: { name: "p" }, spec: { hostIPC: true, containers: [{ name: "app" }] } } },
            { what: "a container adding SYS_ADMIN", type: DEPLOYMENT, props: deployment({ securityContext: { capabilities: { add: ["NET_BIND_SERVICE", "SYS_ADMIN"] } } }) },
            { what: "an init container adding CAP_NET_ADMIN", type: DEPLOYMENT, props: deployment({}, {}, { initContainers: [{ name: "iptables", securityContext: { capabilities: { add: ["CAP_NET_ADMIN"] } } }] }) },
            {
                what: "a CronJob mounting the Docker socket",
                type: "kubernetes:batch/v1:CronJob",
                props: {
                    metadata: { name: "c" },
                    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "c" }], volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] } } } } },
                },
            },
        ],
        compliant: [
            { what: "the node agent, annotated after review", type: DAEMONSET, props: nodeAgent({ "ecs2eks.io/privileged-allowed": "true" }) },
            { what: "a container adding only default capabilities", type: DEPLOYMENT, props: deployment({ securityContext: { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE", "CAP_CHOWN", "setuid"] } } }) },
            { what: "emptyDir and projected volumes", type: DEPLOYMENT, props: deployment({}, {}, { volumes: [{ name: "tmp", emptyDir: {} }, { name: "token", projected: { sources: [] } }] }) },
        ],
    },
    "namespaces-enforce-pod-security": {
        violating: [
            { what: "no labels", type: "kubernetes:core/v1:Namespace", props: { metadata: { name: "keda" } } },
            { what: "an unknown level", type: "kubernetes:core/v1:Namespace", props: { metadata: { name: "shop", labels: { "pod-security.kubernetes.io/enforce": "strict" } } } },
            { what: "warn only", type: "kubernetes:core/v1:Namespace", props: { metadata: { name: "shop", labels: { "pod-security.kubernetes.io/warn": "restricted" } } } },
        ],
        compliant: [
            { what: "baseline enforced", type: "kubernetes:core/v1:Namespace", props: { metadata: { name: "shop", labels: { "pod-security.kubernetes.io/enforce": "baseline" } } } },
            { what: "privileged, said out loud", type: "kubernetes:core/v1:Namespace", props: { metadata: { name: "shop-privileged", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } },
        ],
    },
    "ingress-from-anywhere-only-web-to-load-balancers": {
        violating: [
            { what: "SSH from 0.0.0.0/0", type: INGRESS_RULE, props: ingress({ fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }) },
            { what: "HTTPS from ::/0 to a group that is not a load balancer's", type: INGRESS_RULE, props: ingress({ fromPort: 443, toPort: 443, cidrIpv6: "::/0" }) },
            { what: "80 to 443 as a range, on a load balancer", type: INGRESS_RULE, props: ingress({ fromPort: 80, toPort: 443, cidrIpv4: "0.0.0.0/0", tags: { "ecs2eks:load-balancer": "true" } }) },
            { what: "every protocol, inline", type: "aws:ec2/securityGroup:SecurityGroup", props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } },
            { what: "443 by a legacy rule, which cannot be tagged", type: "aws:ec2/securityGroupRule:SecurityGroupRule", props: { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] } },
        ],
        compliant: [
            { what: "HTTPS from anywhere to a load balancer", type: INGRESS_RULE, props: ingress({ fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", tags: { "ecs2eks:load-balancer": "true" } }) },
            { what: "HTTP inline on a load balancer's group", type: "aws:ec2/securityGroup:SecurityGroup", props: { tags: { "ecs2eks:load-balancer": "true" }, ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }] } },
            { what: "8080 from the VPC", type: INGRESS_RULE, props: ingress({ fromPort: 8080, toPort: 8080, cidrIpv4: "10.0.0.0/16" }) },
            { what: "8080 from the load balancer's group", type: INGRESS_RULE, props: ingress({ fromPort: 8080, toPort: 8080, referencedSecurityGroupId: "sg-0fedcba9876543210" }) },
            { what: "egress-style legacy rule", type: "aws:ec2/securityGroupRule:SecurityGroupRule", props: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] } },
        ],
    },
    "kms-keys-rotate": {
        violating: [
            { what: "rotation off", type: "aws:kms/key:Key", props: { enableKeyRotation: false } },
            { what: "rotation left to the default (off)", type: "aws:kms/key:Key", props: { description: "x" } },
        ],
        compliant: [
            { what: "rotation on", type: "aws:kms/key:Key", props: { enableKeyRotation: true } },
            { what: "an asymmetric signing key, which KMS cannot rotate", type: "aws:kms/key:Key", props: { keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" } },
        ],
    },
    "volumes-encrypted": {
        violating: [
            { what: "a launch template's root volume", type: "aws:ec2/launchTemplate:LaunchTemplate", props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50 } }] } },
            { what: "an EBS volume", type: "aws:ebs/volume:Volume", props: { size: 10, encrypted: false } },
            { what: "an EBS StorageClass", type: "kubernetes:storage.k8s.io/v1:StorageClass", props: { metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } } },
        ],
        compliant: [
            { what: "the node groups' launch template", type: "aws:ec2/launchTemplate:LaunchTemplate", props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, encrypted: "true" } }] } },
            { what: "an encrypted EBS StorageClass", type: "kubernetes:storage.k8s.io/v1:StorageClass", props: { metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com", parameters: { encrypted: "true" } } },
            { what: "the efs-sc StorageClass", type: "kubernetes:storage.k8s.io/v1:StorageClass", props: { metadata: { name: "efs-sc" }, provisioner: "efs.csi.aws.com", parameters: {} } },
        ],
    },
    "efs-policy-requires-tls-and-access-points": {
        violating: [
            {
                what: "the console's open policy: any client, no TLS required",
                type: "aws:efs/fileSystemPolicy:FileSystemPolicy",
                props: {
                    policy: JSON.stringify(
                        policy({ Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientMount"], Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } } }),
                    ),
                },
                count: 2,
            },
            {
                what: "TLS required, but root for anyone through an access point",
                type: "aws:efs/fileSystemPolicy:FileSystemPolicy",
                props: {
                    policy: JSON.stringify(
                        policy(
                            { Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
                            { Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess"], Condition: { Null: { "elasticfilesystem:AccessPointArn": "false" } } },
                        ),
                    ),
                },
            },
        ],
        compliant: [{ what: "efsFileSystemPolicy", type: "aws:efs/fileSystemPolicy:FileSystemPolicy", props: { policy: JSON.stringify(efsFileSystemPolicy("arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-1")) } }],
    },
    "migrated-data-kept": {
        violating: [
            { what: "an EBS class that deletes volumes (by default)", type: "kubernetes:storage.k8s.io/v1:StorageClass", props: { metadata: { name: "ebs-db" }, provisioner: "ebs.csi.aws.com" } },
            { what: "a PersistentVolume that deletes its EBS volume", type: "kubernetes:core/v1:PersistentVolume", props: { metadata: { name: "pv" }, spec: { persistentVolumeReclaimPolicy: "Delete" } } },
            { what: "a StatefulSet that deletes claims on scale-down", type: "kubernetes:apps/v1:StatefulSet", props: { metadata: { name: "db" }, spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" } } } },
            { what: "a snapshot restore that deletes the EBS snapshot", type: "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent", props: { metadata: { name: "c" }, spec: { deletionPolicy: "Delete" } }, opts: { retainOnDelete: true } },
            { what: "a claim Pulumi would delete with the stack", type: "kubernetes:core/v1:PersistentVolumeClaim", props: { metadata: { name: "data" } }, opts: { retainOnDelete: false } },
        ],
        compliant: [
            { what: "the gp3 class (Retain)", type: "kubernetes:storage.k8s.io/v1:StorageClass", props: { metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com", reclaimPolicy: "Retain" }, opts: { retainOnDelete: true } },
            { what: "a per-pod scratch class (Delete, as ECS per task)", type: "kubernetes:storage.k8s.io/v1:StorageClass", props: { metadata: { name: "ebs-x", labels: { "ecs2eks.io/volume-lifetime": "pod" } }, provisioner: "ebs.csi.aws.com", reclaimPolicy: "Delete" } },
            { what: "a StatefulSet with the default retention", type: "kubernetes:apps/v1:StatefulSet", props: { metadata: { name: "db" }, spec: {} } },
            { what: "a kept snapshot restore", type: "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent", props: { metadata: { name: "c" }, spec: { deletionPolicy: "Retain" } }, opts: { retainOnDelete: true } },
            { what: "a claim under the Pulumi engine, which does not say", type: "kubernetes:core/v1:PersistentVolumeClaim", props: { metadata: { name: "data" } }, opts: {} },
        ],
    },
    "backup-bucket-private-and-kept": {
        violating: [
            { what: "the backup bucket deleted with the stack", type: "aws:s3/bucket:Bucket", props: { tags: { "ecs2eks:backups": "prod-eks" } }, opts: { retainOnDelete: false } },
            { what: "a public access block that lets bucket policies make objects public", type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", props: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: false } },
        ],
        compliant: [
            { what: "the retained backup bucket", type: "aws:s3/bucket:Bucket", props: { tags: { "ecs2eks:backups": "prod-eks" } }, opts: { retainOnDelete: true } },
            { what: "a public access block blocking everything", type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } },
        ],
    },
    "stateful-resources-retained": {
        violating: [
            { what: "a KMS key deleted with the stack", type: "aws:kms/key:Key", props: {}, opts: { retainOnDelete: false } },
            { what: "a backup policy deleted with the stack (backups turn off)", type: "aws:efs/backupPolicy:BackupPolicy", props: {}, opts: { retainOnDelete: false } },
            { what: "a file system policy deleted with the stack (the file system opens up)", type: "aws:efs/fileSystemPolicy:FileSystemPolicy", props: {}, opts: { retainOnDelete: false } },
            { what: "a bucket", type: "aws:s3/bucketV2:BucketV2", props: {}, opts: { retainOnDelete: false, protect: false } },
        ],
        compliant: [
            { what: "a retained file system", type: "aws:efs/fileSystem:FileSystem", props: {}, opts: { retainOnDelete: true } },
            { what: "a protected key", type: "aws:kms/key:Key", props: {}, opts: { retainOnDelete: false, protect: true } },
            { what: "a mount target, which holds no data", type: "aws:efs/mountTarget:MountTarget", props: {}, opts: { retainOnDelete: false } },
            { what: "a key under the Pulumi engine, which does not say", type: "aws:kms/key:Key", props: {}, opts: { protect: false } },
        ],
    },
    "no-unapproved-internet-facing-load-balancers": {
        violating: [
            { what: "an internet-facing NLB", type: "kubernetes:core/v1:Service", props: service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" }) },
            { what: "a legacy ELB, not internal", type: "kubernetes:core/v1:Service", props: service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" }) },
            { what: "an internet-facing ALB", type: "kubernetes:networking.k8s.io/v1:Ingress", props: { metadata: { name: "web", annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" } } } },
        ],
        compliant: [
            { what: "a LoadBalancer Service left internal (the controller's default)", type: "kubernetes:core/v1:Service", props: service("LoadBalancer") },
            {
                what: "an internet-facing NLB allowed after review",
                type: "kubernetes:core/v1:Service",
                props: service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing", "ecs2eks.io/internet-facing-allowed": "true" }),
            },
            { what: "a ClusterIP Service", type: "kubernetes:core/v1:Service", props: service("ClusterIP") },
        ],
    },
    "containers-request-cpu-and-memory": {
        violating: [{ what: "no memory request", type: DAEMONSET, props: deployment({ resources: { requests: { cpu: "100m" } } }) }],
        compliant: [{ what: "both requested", type: DAEMONSET, props: deployment({}) }],
    },
    "no-literal-secrets-in-env": {
        violating: [{ what: "a literal secret key", type: DEPLOYMENT, props: deployment({ env: [{ name: "AWS_SECRET_ACCESS_KEY", value: "wJalr" }] }) }],
        compliant: [
            {
                what: "secrets by reference, and names that only mention secrets",
                type: DEPLOYMENT,
                props: deployment({ env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }, { name: "PASSWORD_MIN_LENGTH", value: "12" }, { name: "SECRET_NAME", value: "prod/db" }, { name: "TOKEN_URL", value: "https://auth" }] }),
            },
        ],
    },
    "images-pinned": {
        violating: [{ what: "latest", type: DEPLOYMENT, props: deployment({ image: "nginx:latest" }) }],
        compliant: [{ what: "a digest", type: DEPLOYMENT, props: deployment({ image: "nginx@sha256:abc" }) }],
    },
    "spot-node-groups-diversified": {
        violating: [{ what: "one type", type: "aws:eks/nodeGroup:NodeGroup", props: { capacityType: "SPOT", instanceTypes: ["m6i.large"] } }],
        compliant: [{ what: "two types", type: "aws:eks/nodeGroup:NodeGroup", props: { capacityType: "SPOT", instanceTypes: ["m6i.large", "m6a.large"] } }],
    },
};

describe("policy pack rules", () => {
    it("covers every rule with a violating and a compliant resource", () => {
        assert.deepStrictEqual(Object.keys(CASES).sort(), RULES.map((r) => r.name).sort());
        for (const [name, { violating, compliant }] of Object.entries(CASES)) {
            assert.ok(violating.length > 0 && compliant.length > 0, name);
        }
    });

    for (const [name, { violating, compliant }] of Object.entries(CASES)) {
        describe(name, () => {
            for (const e of violating) {
                it(`catches ${e.what}`, () => {
                    const found = violations(name, e.type, e.props, e.opts);
                    assert.strictEqual(found.length, e.count ?? 1, found.join("\n"));
                });
            }
            for (const e of compliant) {
                it(`passes ${e.what}`, () => {
                    assert.deepStrictEqual(violations(name, e.type, e.props, e.opts), []);
                });
            }
        });
    }

    it("names what it found, so the reader can act", () => {
        const agent = violations("no-unapproved-host-access", DAEMONSET, nodeAgent());
        assert.deepStrictEqual(agent.map((m) => m.split(":")[0]), ["hostNetwork", "hostPID", "volume host mounts host path /"]);
        assert.match(agent[0], /migration:allowPrivileged/);
        assert.match(violations("no-broad-iam", ROLE, clonedRole([], ["arn:aws:iam::aws:policy/AdministratorAccess"]))[0], /AdministratorAccess.*migration:allowBroadIam/);
        assert.match(violations("ingress-from-anywhere-only-web-to-load-balancers", INGRESS_RULE, ingress({ fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }))[0], /0\.0\.0\.0\/0 may reach tcp port 22/);
        assert.match(violations("pod-identity-trust-conditioned", ROLE, CASES["pod-identity-trust-conditioned"].violating[1].props)[0], /kubernetes-namespace/);
    });

    it("makes the promised defaults mandatory and the rest advisory", () => {
        assert.deepStrictEqual(RULES.filter((r) => r.enforcementLevel === "advisory").map((r) => r.name).sort(), ["images-pinned", "spot-node-groups-diversified"]);
        assert.ok(STACK_RULES.every((r) => r.enforcementLevel === "mandatory"));
    });
});

describe("policy pack stack rules", () => {
    const fs: StackResource = { type: "aws:efs/fileSystem:FileSystem", name: "efs", urn: "urn:fs", props: { encrypted: true }, dependencies: [] };
    const fsPolicy: StackResource = { type: "aws:efs/fileSystemPolicy:FileSystemPolicy", name: "efs", urn: "urn:policy", props: {}, dependencies: ["urn:fs"] };
    const run = (resources: StackResource[]) => {
        const found: [string, string][] = [];
        for (const r of STACK_RULES) {
            r.validateStack(resources, (_message, urn) => found.push([r.name, urn]));
        }
        return found;
    };

    it("efs-file-systems-have-a-policy: catches a file system with no policy, and passes one with", () => {
        const other: StackResource = { ...fs, name: "other", urn: "urn:other" };
        assert.deepStrictEqual(run([fs, other, fsPolicy]), [["efs-file-systems-have-a-policy", "urn:other"]]);
        assert.deepStrictEqual(run([fs, fsPolicy]), []);
    });

    it("reports stack violations with the resource they are about", () => {
        const found = checkResources([{ type: fs.type, name: "efs", inputs: { encrypted: true }, urn: "urn:fs", dependencies: [], retainOnDelete: true }]);
        assert.deepStrictEqual(
            found.map((v) => [v.policy, v.type, v.name]),
            [["efs-file-systems-have-a-policy", "aws:efs/fileSystem:FileSystem", "efs"]],
        );
    });
});

describe("the allowance keys", () => {
    it("read ECS service names, warn that the pack will let them through, and refuse what is not a name", () => {
        const config = validateConfig({ "aws:region": "us-east-1", "migration:allowBroadIam": '["orders","orders"]', "migration:allowPrivileged": '["log-agent"]' }, "dev");
        assert.deepStrictEqual([config.migration.allowBroadIam, config.migration.allowPrivileged], [["orders"], ["log-agent"]]);
        assert.strictEqual(config.warnings.filter((w) => /migration:allow(BroadIam|Privileged) lets (orders|log-agent) keep/.test(w)).length, 2);
        assert.throws(
            () => validateConfig({ "aws:region": "us-east-1", "migration:allowBroadIam": '["orders web"]' }, "dev"),
            (e: Error) => e instanceof ConfigError && /migration:allowBroadIam "orders web" is not an ECS service or scheduled task name/.test(e.message),
        );
    });
});

describe("policy pack over the offline preview", function () {
    this.timeout(120000);
    const project = findProject(ROOT);
    const shop = readSnapshotFile(path.join(ROOT, "examples", "shop", "snapshot.json"));
    const preview = async (stack: string, overrides: string[] = [], snapshot?: EcsSnapshot): Promise<Violation[]> => {
        const values = loadStackConfigValues(project, stack, overrides).values;
        const result = await runOffline({ project: project.name, stack, config: { values, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(values, stack), snapshot) }) });
        return checkResources(result.resources);
    };
    const mandatory = (found: Violation[]) => found.filter((v) => v.enforcementLevel === "mandatory");

    it("finds no mandatory violation in any stack as committed", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            assert.deepStrictEqual(mandatory(await preview(stack)), [], stack);
        }
    });

    it("finds no mandatory violation in the migrated sample shop, with either identity mode", async () => {
        for (const mode of ["irsa", "pod-identity"]) {
            const found = await preview("dev", [`identity:mode=${mode}`], shop);
            assert.deepStrictEqual(mandatory(found), [], mode);
        }
    });

    it("finds no mandatory violation with each compute choice: Karpenter, EKS Auto Mode, Fargate profiles", async () => {
        for (const choice of ["addons:nodeProvisioner=karpenter", "cluster:autoMode=true", 'cluster:fargateNamespaces=["shop"]']) {
            assert.deepStrictEqual(mandatory(await preview("dev", [choice], shop)), [], choice);
        }
    });

    it("refuses the shop's log agent host network and path until migration:allowPrivileged lists it", async () => {
        const found = mandatory(await preview("dev", ["migration:allowPrivileged=[]"], shop));
        assert.deepStrictEqual(
            found.map((v) => [v.policy, v.name, v.message.split(":")[0]]),
            [
                ["no-unapproved-host-access", "shop-privileged-daemonset-log-agent", "hostNetwork"],
                ["no-unapproved-host-access", "shop-privileged-daemonset-log-agent", "volume varlog mounts host path /var/log"],
            ],
        );
    });

    it("refuses a cloned task role with AdministratorAccess until migration:allowBroadIam lists its service", async () => {
        const admin = JSON.parse(JSON.stringify(shop)) as EcsSnapshot;
        const role = admin.roles.find((r) => r.name === "shop-catalog-task");
        assert.ok(role);
        (role.attachedPolicies as unknown[]).push({ arn: "arn:aws:iam::aws:policy/AdministratorAccess", awsManaged: true, name: "AdministratorAccess" });
        const found = mandatory(await preview("dev", [], admin));
        assert.deepStrictEqual(found.map((v) => [v.policy, v.name]), [["no-broad-iam", "shop-catalog"]]);
        assert.deepStrictEqual(mandatory(await preview("dev", ['migration:allowBroadIam=["catalog"]'], admin)), []);
    });

    it("refuses an allowance that names no service of the snapshot", async () => {
        await assert.rejects(preview("dev", ['migration:allowBroadIam=["catalgo"]'], shop), /migration:allowBroadIam names catalgo, which the snapshot has no ECS service or scheduled task of/);
    });

    it("catches a public endpoint open to 0.0.0.0/0 without the allowance, and accepts it with", async () => {
        const open = await preview("dev", ['cluster:publicAccessCidrs=["0.0.0.0/0"]']);
        assert.deepStrictEqual(mandatory(open).map((v) => v.policy), ["eks-endpoint-not-open-to-the-internet"]);
        const allowed = await preview("dev", ['cluster:publicAccessCidrs=["0.0.0.0/0"]', "cluster:allowPublicEndpointFromAnywhere=true"]);
        assert.deepStrictEqual(mandatory(allowed), []);
    });

    it("npm run policy:check exits non-zero on a mandatory violation and says which", () => {
        const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "policy-check", ...args], { cwd: ROOT, encoding: "utf8" });
        const run = cli("--stack", "dev", "--config", 'cluster:publicAccessCidrs=["0.0.0.0/0"]', "--config", "migration:allowPrivileged=[]");
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stdout, /stack dev: \d+ resources, 3 mandatory and 0 advisory violations/);
        assert.match(run.stdout, /✗ mandatory eks-endpoint-not-open-to-the-internet: eks:index:Cluster cluster:/);
        assert.match(run.stdout, /✗ mandatory no-unapproved-host-access: kubernetes:apps\/v1:DaemonSet shop-privileged-daemonset-log-agent: hostNetwork: true/);
        const ok = cli("--stack", "prod");
        assert.strictEqual(ok.status, 0, ok.stdout + ok.stderr);
    });
});
