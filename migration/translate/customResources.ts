/**
 * Custom resources checked the way the cluster we install would check them:
 * the apiVersion must be served by the CRD of the pinned chart (or of the
 * controller EKS runs), the object must satisfy that version's schema from
 * our contract in crds/ (a field the API server would prune is a problem),
 * and the controllers' admission rules the schema cannot express hold. When
 * the full upstream CRDs are on disk (upstreamCrds.ts), upstream's own schema
 * is checked too.
 */
import { ErrorObject, ValidateFunction } from "ajv";
import { HELM_CHARTS } from "../../components/addons/versions";
import { CONTRACT_FILES, CrdContract, CrdContractEntry, CrdVersion, EKS_MANAGED_CONTROLLERS } from "../../crds";
import { K8sObject } from "./types";
import { crdAjv, upstreamCrds, upstreamValidator } from "./upstreamCrds";

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Which component's CRD defines each group/kind, from every contract of any version. */
const OWNER = new Map<string, string>();
for (const c of Object.values(CONTRACT_FILES)) {
    for (const crd of c.crds) {
        OWNER.set(`${crd.group}/${crd.kind}`, c.component);
    }
}
const CUSTOM_GROUPS = new Set([...OWNER.keys()].map((k) => k.slice(0, k.lastIndexOf("/"))));

/** The version of a component the cluster runs: the chart pin, or the controller release EKS runs. */
function pinnedVersion(component: string): string | undefined {
    return (HELM_CHARTS as Readonly<Record<string, { version: string }>>)[component]?.version ?? EKS_MANAGED_CONTROLLERS[component];
}

function installer(component: string, version: string): string {
    return component in HELM_CHARTS ? `the pinned ${component} chart ${version}` : `the ${component} ${version} that EKS runs`;
}

/** Whether the group is one of the CRD groups we have contracts for. */
export function isCustomResource(apiVersion: string): boolean {
    const slash = apiVersion.indexOf("/");
    return slash > 0 && CUSTOM_GROUPS.has(apiVersion.slice(0, slash));
}

const ajv = crdAjv();
const validators = new Map<object, ValidateFunction>();

function validatorFor(version: CrdVersion): ValidateFunction {
    let v = validators.get(version);
    if (!v) {
        v = ajv.compile(version.schema as object);
        validators.set(version, v);
    }
    return v;
}

function pathOf(instancePath: string): string {
    return instancePath
        .split("/")
        .slice(1)
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}

/** The value at an ajv instance path (ajv's verbose mode would carry it, at twice the compile time). */
function valueAt(obj: unknown, instancePath: string): unknown {
    return instancePath
        .split("/")
        .slice(1)
        .reduce<unknown>((v, p) => (typeof v === "object" && v !== null ? (v as Obj)[p.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), obj);
}

/** One line per schema error, saying what the API server would do with it. */
function schemaProblems(obj: unknown, errors: readonly ErrorObject[], schemaName: string): string[] {
    const lines = errors
        .filter((e) => e.keyword !== "anyOf")
        .map((e) => {
            const at = pathOf(e.instancePath) || "the object";
            const value = valueAt(obj, e.instancePath);
            switch (e.keyword) {
                case "additionalProperties": {
                    const field = `${pathOf(e.instancePath) ? `${pathOf(e.instancePath)}.` : ""}${String(e.params.additionalProperty)}`;
                    return `${field} is not in the ${schemaName}: the API server would prune it (or reject it under strict field validation)`;
                }
                case "required":
                    return `${pathOf(e.instancePath) ? `${pathOf(e.instancePath)}.` : ""}${String(e.params.missingProperty)} is required by the ${schemaName}`;
                case "enum":
                    return `${at} is ${JSON.stringify(value)}, not one of ${(e.params.allowedValues as unknown[]).join(", ")} (${schemaName})`;
                default:
                    return `${at} ${e.message ?? "is invalid"} (${schemaName}${value !== undefined && typeof value !== "object" ? `; is ${JSON.stringify(value)}` : ""})`;
            }
        });
    return [...new Set(lines)];
}

/** The problems the cluster would find in one custom resource; [] when it would accept it. */
export function customResourceProblems(obj: K8sObject): string[] {
    const [group, version] = obj.apiVersion.split("/");
    const component = OWNER.get(`${group}/${obj.kind}`);
    if (!component) {
        const file = Object.entries(CONTRACT_FILES).find(([, c]) => c.crds.some((crd) => crd.group === group))?.[0];
        return [`no CRD contract for ${obj.kind} in ${group}: add it to crds/${file ?? "<component>/<version>.json"} from the upstream CRD (crds/README.md)`];
    }
    const pinned = pinnedVersion(component) ?? "";
    const contract: CrdContract | undefined = CONTRACT_FILES[`${component}/${pinned}.json`];
    if (!contract) {
        return [`no CRD contract for ${installer(component, pinned)}: write crds/${component}/${pinned}.json from its CRDs (crds/README.md)`];
    }
    const crd: CrdContractEntry | undefined = contract.crds.find((c) => c.group === group && c.kind === obj.kind);
    if (!crd) {
        return [`crds/${component}/${pinned}.json has no ${obj.kind}: add it from the CRD of ${installer(component, pinned)} (crds/README.md)`];
    }
    const served = crd.versions.filter((v) => v.served);
    const servedList = served.map((v) => v.name).join(", ");
    const fix = `emit ${group}/${crd.versions.find((v) => v.storage)?.name ?? served[0]?.name}`;
    const v = crd.versions.find((x) => x.name === version);
    if (!v) {
        return [`${obj.kind} ${obj.apiVersion} is not a version of the ${crd.plural}.${group} CRD of ${installer(component, pinned)} (served: ${servedList}); ${fix}`];
    }
    if (!v.served) {
        return [`${obj.kind} ${obj.apiVersion} is not served by ${installer(component, pinned)} (served: ${servedList}); ${fix}`];
    }
    const problems: string[] = [];
    const validate = validatorFor(v);
    // Read as plain data: ajv's guard would narrow obj away.
    const data: unknown = obj;
    if (!validate(data)) {
        problems.push(...schemaProblems(obj, validate.errors ?? [], `${obj.apiVersion} ${obj.kind} schema of ${installer(component, pinned)}`));
    }
    problems.push(...(ADMISSION[obj.kind]?.(asObj(obj.spec), obj) ?? []));
    problems.push(...upstreamProblems(obj, component, pinned, group, version));
    return problems;
}

/** Checked against upstream's own CRD when it is on disk: nothing otherwise. */
function upstreamProblems(obj: K8sObject, component: string, pinned: string, group: string, version: string): string[] {
    const crd = upstreamCrds(component, pinned)?.find((c) => c.group === group && c.kind === obj.kind);
    if (!crd) {
        return [];
    }
    const v = crd.versions.find((x) => x.name === version);
    if (!v?.served) {
        return [`${obj.kind} ${obj.apiVersion} is not served by the upstream CRD in ${component}/${pinned}/${crd.file} (served: ${crd.versions.filter((x) => x.served).map((x) => x.name).join(", ")})`];
    }
    const validate = upstreamValidator(v);
    const data: unknown = obj;
    return validate(data) ? [] : schemaProblems(obj, validate.errors ?? [], `${obj.apiVersion} ${obj.kind} schema of the upstream CRD ${component}/${pinned}/${crd.file}`);
}

/*
 * Admission (and reconcile) rules of the controllers, beyond the schema.
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
const ADMISSION: Readonly<Record<string, (spec: Obj, obj: K8sObject) => string[]>> = {
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

const ref = (o: K8sObject): string => {
    const t = asObj(asObj(o.spec).scaleTargetRef);
    return `${o.metadata.namespace ?? ""}/${String(t.apiVersion ?? "apps/v1")}/${String(t.kind ?? "Deployment")}/${String(t.name)}`;
};

/**
 * Rules that involve several objects applied together: what KEDA's webhook
 * checks against the HPAs, ScaledObjects and workloads it finds in the
 * namespace, and the load balancer controller against other bindings.
 */
export function crossObjectProblems(objects: readonly K8sObject[]): string[] {
    const problems: string[] = [];
    const scaled = objects.filter((o) => o.apiVersion.startsWith("keda.sh/") && o.kind === "ScaledObject");
    const bindings = objects.filter((o) => o.apiVersion.startsWith("elbv2.k8s.aws/") && o.kind === "TargetGroupBinding");
    if (scaled.length === 0 && bindings.length < 2) {
        return problems;
    }
    const name = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
    for (const so of scaled) {
        for (const hpa of objects.filter((o) => o.kind === "HorizontalPodAutoscaler" && ref(o) === ref(so))) {
            if (hpa.metadata.annotations?.["validations.keda.sh/hpa-ownership"] === "false") {
                continue;
            }
            if (so.metadata.annotations?.["scaledobject.keda.sh/transfer-hpa-ownership"] === "true") {
                // A takeover names the HPA it takes; 2.18 says so in its own message, 2.17 reported a plain conflict.
                if (asObj(asObj(asObj(so.spec).advanced).horizontalPodAutoscalerConfig).name !== hpa.metadata.name) {
                    problems.push(`${name(so)}: transfer-hpa-ownership is set, but advanced.horizontalPodAutoscalerConfig.name does not name the HorizontalPodAutoscaler ${hpa.metadata.name} it would take over: KEDA's webhook rejects it`);
                }
            } else {
                problems.push(`${name(so)}: its target ${String(asObj(asObj(so.spec).scaleTargetRef).name)} is already scaled by the HorizontalPodAutoscaler ${hpa.metadata.name}: KEDA's webhook rejects it; scale it with one or the other`);
            }
        }
        for (const other of scaled.filter((o) => o !== so && ref(o) === ref(so) && o.metadata.name < so.metadata.name)) {
            problems.push(`${name(so)}: its target is already scaled by the ScaledObject ${other.metadata.name}: KEDA's webhook rejects it`);
        }
        // A cpu or memory trigger needs that request on the target's containers (no LimitRange is emitted to default it).
        const target = asObj(asObj(so.spec).scaleTargetRef);
        const workload = objects.find((o) => o.kind === String(target.kind ?? "Deployment") && o.apiVersion === String(target.apiVersion ?? "apps/v1") && o.metadata.name === target.name && o.metadata.namespace === so.metadata.namespace);
        const containers = asList(asObj(asObj(asObj(workload?.spec).template).spec).containers);
        for (const t of asList(asObj(so.spec).triggers).filter((x) => x.type === "cpu" || x.type === "memory")) {
            const only = asObj(t.metadata).containerName;
            for (const c of containers.filter((x) => only === undefined || x.name === only)) {
                const res = asObj(c.resources);
                if (asObj(res.requests)[String(t.type)] === undefined && asObj(res.limits)[String(t.type)] === undefined) {
                    problems.push(`${name(so)}: a ${String(t.type)} trigger, but container ${String(c.name)} has no ${String(t.type)} request: KEDA's webhook rejects it`);
                }
            }
        }
    }
    const byArn = new Map<string, K8sObject[]>();
    for (const b of bindings) {
        const arn = asObj(b.spec).targetGroupARN;
        if (typeof arn === "string" && arn !== "") {
            byArn.set(arn, [...(byArn.get(arn) ?? []), b]);
        }
    }
    for (const [arn, same] of byArn) {
        if (same.length > 1 && !same.every((b) => asObj(b.spec).multiClusterTargetGroup === true)) {
            problems.push(`${same.map(name).join(", ")}: all bind target group ${arn}: the load balancer controller's webhook rejects all but the first unless every one sets multiClusterTargetGroup`);
        }
    }
    return problems;
}
