/**
 * Custom resources checked the way the cluster we install would check them:
 * the apiVersion must be served by the CRD of the pinned chart (or of the
 * controller EKS runs), the object must satisfy that version's schema from
 * our contract in crds/ (a field the API server would prune is a problem),
 * and the controllers' admission rules the schema cannot express hold. When
 * the full upstream CRDs are on disk (upstreamCrds.ts), upstream's own schema
 * is checked too. The controllers' admission rules are in crdAdmission.ts,
 * the rules across objects in crdCrossObject.ts.
 */
import { ErrorObject, ValidateFunction } from "ajv";
import { HELM_CHARTS } from "../../components/addons/versions";
import { CONTRACT_FILES, CrdContract, CrdContractEntry, CrdVersion, EKS_MANAGED_CONTROLLERS } from "../../crds";
import { ADMISSION } from "./crdAdmission";
import { Obj, asObj } from "./plainData";
import { K8sObject } from "./types";
import { crdAjv, upstreamCrds, upstreamValidator } from "./upstreamCrds";


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

export { crossObjectProblems } from "./crdCrossObject";
