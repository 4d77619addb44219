/**
 * The guardrails: what this program promises by default, checked on every
 * preview. Mandatory rules fail the preview; advisory ones are reported.
 * Each rule reads only the resource's type, inputs and options (stack rules:
 * the resources and their dependencies), so the same rules run under
 * `pulumi preview --policy-pack policy` and over the offline preview. The
 * rules by area live in iamRules, workloadRules, networkRules, dataRules and storageRules.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import { PRIVILEGED_ALLOWED_ANNOTATION, PUBLIC_ENDPOINT_ALLOWED_TAG } from "../core/allowances";
import { BACKUP_RULES } from "./backupRules";
import { DATA_RULES, DATA_STACK_RULES } from "./dataRules";
import { IAM_RULES } from "./iamRules";
import { NETWORK_RULES } from "./networkRules";
import { WORKLOAD_TYPES, containersOf, list, obj, strings } from "./props";
import { ResourceOptions, Rule, StackResource, StackRule } from "./rule";
import { STORAGE_RULES } from "./storageRules";
import { WORKLOAD_RULES } from "./workloadRules";
import { detectCredential } from "../core/credentialDetection";

export type { Rule, StackRule } from "./rule";

export const RULES: readonly Rule[] = [
    {
        name: "eks-endpoint-not-open-to-the-internet",
        description: "The Kubernetes API endpoint is not public to 0.0.0.0/0 unless cluster:allowPublicEndpointFromAnywhere says so.",
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== "eks:index:Cluster" || props.endpointPublicAccess !== true) {
                return;
            }
            const cidrs = strings(props.publicAccessCidrs);
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
    ...IAM_RULES,
    ...WORKLOAD_RULES,
    ...NETWORK_RULES,
    ...DATA_RULES,
    ...STORAGE_RULES,
    ...BACKUP_RULES,
];

/** Rules over the whole stack. */
export const STACK_RULES: readonly StackRule[] = [...DATA_STACK_RULES];

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly type: string;
    readonly name: string;
    readonly message: string;
}

/** A resource as the offline preview records it (preview/run.ts PreviewResource). */
export interface CheckedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly urn?: string;
    readonly dependencies?: readonly string[];
    readonly retainOnDelete?: boolean;
}

/** Runs every rule over resources as the offline preview records them. */
export function checkResources(resources: readonly CheckedResource[], rules: readonly Rule[] = RULES, stackRules: readonly StackRule[] = STACK_RULES): Violation[] {
    const violations: Violation[] = [];
    for (const r of resources) {
        const opts: ResourceOptions = r.retainOnDelete === undefined ? {} : { retainOnDelete: r.retainOnDelete };
        for (const rule of rules) {
            rule.validate(r.type, r.inputs, (message) => violations.push({ policy: rule.name, enforcementLevel: rule.enforcementLevel, type: r.type, name: r.name, message }), opts);
        }
    }
    const stack: StackResource[] = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn ?? `${r.type}::${r.name}`, props: r.inputs, dependencies: r.dependencies ?? [] }));
    for (const rule of stackRules) {
        rule.validateStack(stack, (message, urn) => {
            const at = stack.find((r) => r.urn === urn);
            violations.push({ policy: rule.name, enforcementLevel: rule.enforcementLevel, type: at?.type ?? "", name: at?.name ?? urn, message });
        });
    }
    return violations;
}
