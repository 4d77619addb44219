/**
 * Admission (and reconcile) rules of the controllers, beyond the schema, per
 * kind: what customResourceProblems adds to the CRD schema check. Pure.
 * Sources, at the pinned versions: external-secrets v0.19.2
 * apis/externalsecrets/v1/externalsecret_validator.go, secretstore_validator.go,
 * pkg/provider/aws/provider.go; kedacore/keda v2.18.3
 * apis/keda/v1alpha1/scaledobject_webhook.go, scaledobject_types.go,
 * scaletriggers_types.go, triggerauthentication_webhook.go,
 * pkg/scalers/cpu_memory_scaler.go (crds/keda/2.18.3.json notes what changed
 * since 2.17.2); aws-load-balancer-controller
 * v2.13.4 webhooks/elbv2/targetgroupbinding_validator.go; amazon-vpc-resource-controller-k8s
 * v1.7.19 pkg/utils/helper.go.
 */
import { Obj, asList, asObj } from "./plainData";
import { K8sObject } from "./types";

export const ADMISSION: Readonly<Record<string, (spec: Obj, obj: K8sObject) => string[]>> = {
    ExternalSecret: (spec) => {
        const problems: string[] = [];
        const target = asObj(spec.target);
        // The CRD defaults both before the webhook sees the object.
        const creation = String(target.creationPolicy ?? "Owner");
        const deletion = String(target.deletionPolicy ?? "Retain");
        if (deletion === "Delete" && (creation === "Merge" || creation === "None")) {
            problems.push(`target.deletionPolicy Delete needs creationPolicy Owner (is ${creation}): ESO's webhook rejects it`);
        }
        if (deletion === "Merge" && creation === "None") {
            problems.push("target.deletionPolicy Merge with creationPolicy None leaves no Secret to merge with: ESO's webhook rejects it");
        }
        const data = asList(spec.data);
        if (data.length === 0 && asList(spec.dataFrom).length === 0) {
            problems.push("either data or dataFrom must be given: ESO's webhook rejects it");
        }
        asList(spec.dataFrom).forEach((ref, i) => {
            const generator = asObj(ref.sourceRef).generatorRef !== undefined;
            if ([ref.find !== undefined, ref.extract !== undefined, generator].filter(Boolean).length > 1) {
                problems.push(`dataFrom[${i}]: extract, find and sourceRef.generatorRef exclude each other`);
            }
            if (ref.find === undefined && ref.extract === undefined && ref.sourceRef === undefined) {
                problems.push(`dataFrom[${i}]: needs extract, find or sourceRef`);
            }
            if (ref.sourceRef !== undefined && !generator && asObj(ref.sourceRef).storeRef === undefined) {
                problems.push(`dataFrom[${i}].sourceRef: needs generatorRef or storeRef`);
            }
        });
        if (deletion === "Retain") {
            const seen = new Set<string>();
            for (const d of data) {
                const key = String(d.secretKey);
                if (seen.has(key)) {
                    problems.push(`data: secretKey ${key} is given twice: ESO's webhook rejects duplicates (with deletionPolicy Retain)`);
                }
                seen.add(key);
            }
        }
        return problems;
    },
    SecretStore: (spec, obj) => {
        const problems: string[] = [];
        asList(spec.conditions).forEach((c, ci) =>
            asList(c.namespaceRegexes).forEach((r, ri) => {
                try {
                    new RegExp(String(r));
                } catch {
                    problems.push(`conditions[${ci}].namespaceRegexes[${ri}] ${JSON.stringify(r)} does not compile`);
                }
            }),
        );
        const aws = asObj(asObj(spec.provider).aws);
        if (Object.keys(aws).length === 0) {
            return problems;
        }
        // ESO resolves the service endpoint for the region; the SDK's resolver wants a DNS host label.
        if (typeof aws.region === "string" && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(aws.region)) {
            problems.push(`provider.aws.region ${JSON.stringify(aws.region)} is not a region: ESO's webhook answers "region not found"`);
        }
        const sm = asObj(aws.secretsManager);
        const window = Number(sm.recoveryWindowInDays ?? 0);
        if (window !== 0 && (window < 7 || window > 30)) {
            problems.push(`provider.aws.secretsManager.recoveryWindowInDays ${window} must be 7 to 30`);
        }
        if (window !== 0 && sm.forceDeleteWithoutRecovery === true) {
            problems.push("provider.aws.secretsManager: forceDeleteWithoutRecovery conflicts with recoveryWindowInDays");
        }
        // A namespaced store may only use its own namespace's service account and secrets.
        const auth = asObj(aws.auth);
        const refs: [string, unknown][] = [
            ["auth.jwt.serviceAccountRef", asObj(auth.jwt).serviceAccountRef],
            ...Object.entries(asObj(auth.secretRef)).map(([k, v]): [string, unknown] => [`auth.secretRef.${k}`, v]),
        ];
        for (const [field, ref] of refs) {
            const ns = asObj(ref).namespace;
            if (ns !== undefined && ns !== obj.metadata.namespace) {
                problems.push(`provider.aws.${field}.namespace ${String(ns)} is not the store's namespace ${String(obj.metadata.namespace)}: a SecretStore may not reach into another namespace`);
            }
        }
        return problems;
    },
    ScaledObject: (spec) => {
        const problems: string[] = [];
        const triggers = asList(spec.triggers);
        if (triggers.length === 0) {
            problems.push("no triggers: KEDA's webhook rejects it");
        }
        const names = new Set<string>();
        triggers.forEach((t, i) => {
            if (t.type !== "cpu" && t.type !== "memory") {
                return;
            }
            // KEDA 2.18 removed the scaler's own metadata.type (Utilization/AverageValue): the scaler now fails on it.
            if (asObj(t.metadata).type !== undefined) {
                problems.push(`triggers[${i}] (${t.type}): metadata.type was removed in KEDA 2.18; set the trigger's metricType (Utilization or AverageValue) instead: the ${t.type} scaler fails and the ScaledObject is not Ready`);
            }
            if (t.metricType !== "Utilization" && t.metricType !== "AverageValue") {
                problems.push(`triggers[${i}] (${t.type}): metricType is ${t.metricType === undefined ? "unset" : JSON.stringify(t.metricType)}; the ${t.type} scaler needs Utilization or AverageValue: the ScaledObject is not Ready`);
            }
        });
        for (const t of triggers) {
            if (t.useCachedMetrics === true && ["cpu", "memory", "cron"].includes(String(t.type))) {
                problems.push(`trigger ${String(t.type)}: useCachedMetrics is not supported for it`);
            }
            if (t.name !== undefined && t.name !== "") {
                if (names.has(String(t.name))) {
                    problems.push(`trigger name ${String(t.name)} is used twice; names must be unique`);
                }
                names.add(String(t.name));
            }
        }
        const resourceOnly = triggers.length > 0 && triggers.every((t) => t.type === "cpu" || t.type === "memory");
        if (resourceOnly && !spec.minReplicaCount) {
            problems.push("only cpu/memory triggers and minReplicaCount 0 (or unset): KEDA's webhook rejects it, such a ScaledObject can never scale to zero");
        }
        // The operator refuses to reconcile these (the ScaledObject stays not Ready), with its own defaults of 1 and 100.
        const min = spec.minReplicaCount === undefined ? 0 : Number(spec.minReplicaCount) > 0 ? Number(spec.minReplicaCount) : 1;
        const max = spec.maxReplicaCount === undefined ? 100 : Number(spec.maxReplicaCount);
        if (min > max) {
            problems.push(`minReplicaCount ${min} is above maxReplicaCount ${max}: KEDA does not reconcile it`);
        }
        if (spec.idleReplicaCount !== undefined && Number(spec.idleReplicaCount) >= min) {
            problems.push(`idleReplicaCount ${String(spec.idleReplicaCount)} must be below minReplicaCount ${min}: KEDA does not reconcile it`);
        }
        if (spec.fallback !== undefined) {
            const fb = asObj(spec.fallback);
            if (Number(fb.failureThreshold) < 0 || Number(fb.replicas) < 0) {
                problems.push("fallback.failureThreshold and fallback.replicas must be at least 0");
            }
            // Since KEDA 2.18 (keda#6655) any metricType will do; 2.17 wanted AverageValue.
            if (asObj(spec.advanced).scalingModifiers === undefined && !triggers.some((t) => t.type !== "cpu" && t.type !== "memory")) {
                problems.push("fallback needs a trigger other than cpu or memory: KEDA's webhook rejects it");
            }
        }
        return problems;
    },
    TriggerAuthentication: (spec) => {
        const pi = asObj(spec.podIdentity);
        if (pi.provider === "aws" && typeof pi.roleArn === "string" && pi.roleArn !== "" && pi.identityOwner === "workload") {
            return ["podIdentity.roleArn can't be set when identityOwner is workload: KEDA's webhook rejects it"];
        }
        return [];
    },
    TargetGroupBinding: (spec) => {
        const problems: string[] = [];
        if (!spec.targetGroupARN && !spec.targetGroupName) {
            problems.push("spec needs targetGroupARN or targetGroupName: the AWS Load Balancer Controller's webhook rejects it");
        }
        if (spec.targetType === "ip" && spec.nodeSelector !== undefined) {
            problems.push("nodeSelector cannot be set when targetType is ip");
        }
        if (spec.vpcID !== undefined && spec.vpcID !== "" && !/^(?:vpc-[0-9a-f]{8}|vpc-[0-9a-f]{17}|vpc-[0-9a-f]{32})$/.test(String(spec.vpcID))) {
            problems.push(`vpcID ${JSON.stringify(spec.vpcID)} is not a VPC id (vpc- and 8, 17 or 32 hex digits)`);
        }
        if (spec.iamRoleArnToAssume && spec.targetType === "instance") {
            problems.push("iamRoleArnToAssume cannot be used with targetType instance");
        }
        return problems;
    },
    SecurityGroupPolicy: (spec) => {
        const problems: string[] = [];
        if (spec.podSelector === undefined && spec.serviceAccountSelector === undefined) {
            problems.push("neither podSelector nor serviceAccountSelector: the VPC resource controller ignores the policy");
        }
        if (asList(asObj(spec.securityGroups).groupIds).length === 0) {
            problems.push("no securityGroups.groupIds: the VPC resource controller ignores the policy");
        }
        return problems;
    },
    // The CRDs' CEL rules (x-kubernetes-validations) at kubernetes-csi/external-snapshotter v8.6.0.
    VolumeSnapshotContent: (spec) => {
        const problems: string[] = [];
        const source = asObj(spec.source);
        if ((source.volumeHandle === undefined) === (source.snapshotHandle === undefined)) {
            problems.push("spec.source: exactly one of volumeHandle and snapshotHandle must be set: the API server rejects it");
        }
        const target = asObj(spec.volumeSnapshotRef);
        if (target.name === undefined || target.namespace === undefined) {
            problems.push("spec.volumeSnapshotRef: both name and namespace must be set: the API server rejects it");
        }
        return problems;
    },
    VolumeSnapshot: (spec) => {
        const source = asObj(spec.source);
        return (source.persistentVolumeClaimName === undefined) === (source.volumeSnapshotContentName === undefined)
            ? ["spec.source: exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set: the API server rejects it"]
            : [];
    },
};
