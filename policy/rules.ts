/**
 * The guardrails: what this program promises by default, checked on every
 * preview. Mandatory rules fail the preview; advisory ones are reported.
 * Each rule reads only the resource's type and inputs, so the same rules run
 * under `pulumi preview --policy-pack policy` and over the offline preview.
 */
import type { EnforcementLevel, ReportViolation } from "@pulumi/policy";
import { detectCredential } from "../migration/translate/credentials";

export interface Rule {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** Checks one resource; calls report for each violation. */
    validate(type: string, props: Record<string, unknown>, report: ReportViolation): void;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const parse = (v: unknown): unknown => {
    if (typeof v !== "string") {
        return v;
    }
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
};

/** Set on the cluster when cluster:allowPublicEndpointFromAnywhere is true: the explicit allowance. */
export const PUBLIC_ENDPOINT_ALLOWED_TAG = "ecs2eks:public-endpoint-from-anywhere";
/** Set on a workload whose privileged containers were allowed explicitly. */
export const PRIVILEGED_ALLOWED_ANNOTATION = "ecs2eks.io/privileged-allowed";

const WORKLOAD_TYPES = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:CronJob", "kubernetes:batch/v1:Job"]);

/** Every container (init and regular) of a workload's pod template, with the workload's annotations. */
function containersOf(type: string, props: Obj): { containers: Obj[]; annotations: Obj } {
    const spec = obj(props.spec);
    const template = type === "kubernetes:batch/v1:CronJob" ? obj(obj(obj(spec.jobTemplate).spec).template) : obj(spec.template);
    const pod = obj(template.spec);
    return { containers: [...list(pod.initContainers), ...list(pod.containers)], annotations: obj(obj(props.metadata).annotations) };
}

export const RULES: readonly Rule[] = [
    {
        name: "eks-endpoint-not-open-to-the-internet",
        description: "The Kubernetes API endpoint is not public to 0.0.0.0/0 unless cluster:allowPublicEndpointFromAnywhere says so.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== "eks:index:Cluster" || props.endpointPublicAccess !== true) {
                return;
            }
            const cidrs = list(props.publicAccessCidrs) as unknown as string[];
            const open = cidrs.length === 0 || cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0");
            if (open && obj(props.tags)[PUBLIC_ENDPOINT_ALLOWED_TAG] !== "true") {
                report("the cluster's public endpoint is open to the whole internet; list your CIDRs in cluster:publicAccessCidrs, or allow it explicitly with cluster:allowPublicEndpointFromAnywhere");
            }
        },
    },
    {
        name: "eks-secrets-encrypted",
        description: "Kubernetes Secrets are envelope-encrypted with a KMS key.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type === "eks:index:Cluster" && !props.encryptionConfigKeyArn) {
                report("the cluster does not encrypt Secrets with a KMS key (encryptionConfigKeyArn)");
            }
        },
    },
    {
        name: "imdsv2-hop-limit-1",
        description: "Nodes require IMDSv2 with a hop limit of 1, so pods cannot take the node role.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== "aws:ec2/launchTemplate:LaunchTemplate") {
                return;
            }
            const md = obj(props.metadataOptions);
            if (md.httpTokens !== "required" || md.httpPutResponseHopLimit !== 1) {
                report(`launch template metadata options ${JSON.stringify(md)}: require httpTokens "required" and httpPutResponseHopLimit 1`);
            }
        },
    },
    {
        name: "irsa-trust-exact",
        description: "Roles trusted by an OIDC provider name exactly one service account (sub) and audience (aud) with StringEquals.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== "aws:iam/role:Role") {
                return;
            }
            for (const st of list(obj(parse(props.assumeRolePolicy)).Statement)) {
                if (obj(st.Principal).Federated === undefined) {
                    continue;
                }
                const conditions = obj(st.Condition);
                const equals = obj(conditions.StringEquals);
                const sub = Object.entries(equals).find(([k]) => k.endsWith(":sub"));
                const aud = Object.entries(equals).find(([k]) => k.endsWith(":aud"));
                if (conditions.StringLike !== undefined || !sub || !aud || /[*?]/.test(String(sub[1])) || aud[1] !== "sts.amazonaws.com") {
                    report("a web identity trust must use StringEquals on <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud = sts.amazonaws.com, without wildcards");
                }
            }
        },
    },
    {
        name: "efs-encrypted",
        description: "EFS file systems are encrypted at rest.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type === "aws:efs/fileSystem:FileSystem" && props.encrypted !== true) {
                report("the EFS file system is not encrypted at rest (encrypted: true)");
            }
        },
    },
    {
        name: "persistent-volumes-retain",
        description: "PersistentVolumes that point at existing data keep it: reclaim policy Retain.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== "kubernetes:core/v1:PersistentVolume" && type !== "kubernetes:v1:PersistentVolume") {
                return;
            }
            const policy = obj(props.spec).persistentVolumeReclaimPolicy;
            if (policy !== "Retain") {
                report(`persistentVolumeReclaimPolicy is ${JSON.stringify(policy ?? "Delete (default)")}: deleting the claim would delete the data; use Retain`);
            }
        },
    },
    {
        name: "no-unapproved-privileged-containers",
        description: "No privileged container unless the workload is annotated as allowed.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (!WORKLOAD_TYPES.has(type)) {
                return;
            }
            const { containers, annotations } = containersOf(type, props);
            for (const c of containers) {
                if (obj(c.securityContext).privileged === true && annotations[PRIVILEGED_ALLOWED_ANNOTATION] !== "true") {
                    report(`container ${String(c.name)} is privileged; drop it, or annotate the workload ${PRIVILEGED_ALLOWED_ANNOTATION}: "true" after review`);
                }
            }
        },
    },
    {
        name: "containers-request-cpu-and-memory",
        description: "Every container requests CPU and memory, so the scheduler and the autoscalers can do their work.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (!WORKLOAD_TYPES.has(type)) {
                return;
            }
            for (const c of containersOf(type, props).containers) {
                const requests = obj(obj(c.resources).requests);
                const missing = ["cpu", "memory"].filter((r) => requests[r] === undefined);
                if (missing.length > 0) {
                    report(`container ${String(c.name)} requests no ${missing.join(" or ")}; size it in the ECS task definition (cpu, memoryReservation) or here`);
                }
            }
        },
    },
    {
        name: "no-literal-secrets-in-env",
        description: "Environment variables that hold credentials (by name or by the value's shape) come from a Secret, not a literal.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (!WORKLOAD_TYPES.has(type)) {
                return;
            }
            for (const c of containersOf(type, props).containers) {
                for (const e of list(c.env)) {
                    const found = typeof e.value === "string" ? detectCredential(String(e.name), e.value) : undefined;
                    if (found) {
                        report(`container ${String(c.name)} sets ${String(e.name)} to a literal credential (${found.reason}); move it to Secrets Manager or SSM and reference it (ECS secrets → ExternalSecret)`);
                    }
                }
            }
        },
    },
    {
        name: "images-pinned",
        description: "Images are pinned to a version or digest, not latest.",
        enforcementLevel: "advisory",
        validate(type, props, report) {
            if (!WORKLOAD_TYPES.has(type)) {
                return;
            }
            for (const c of containersOf(type, props).containers) {
                const image = String(c.image ?? "");
                const tag = image.includes("@") ? "digest" : /:([^/:]+)$/.exec(image)?.[1];
                if (!tag || tag === "latest") {
                    report(`container ${String(c.name)} runs ${image}: pin a version or digest so a rollout deploys what was reviewed`);
                }
            }
        },
    },
    {
        name: "spot-node-groups-diversified",
        description: "Spot node groups list several instance types.",
        enforcementLevel: "advisory",
        validate(type, props, report) {
            if (type === "aws:eks/nodeGroup:NodeGroup" && props.capacityType === "SPOT" && list(props.instanceTypes).length < 2) {
                report("a Spot node group with one instance type runs short of capacity; list several of the same size");
            }
        },
    },
];

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly type: string;
    readonly name: string;
    readonly message: string;
}

/** Runs every rule over resources given as {type, name, inputs}. */
export function checkResources(resources: readonly { type: string; name: string; inputs: Record<string, unknown> }[], rules: readonly Rule[] = RULES): Violation[] {
    const violations: Violation[] = [];
    for (const r of resources) {
        for (const rule of rules) {
            rule.validate(r.type, r.inputs, (message) => violations.push({ policy: rule.name, enforcementLevel: rule.enforcementLevel, type: r.type, name: r.name, message }));
        }
    }
    return violations;
}
