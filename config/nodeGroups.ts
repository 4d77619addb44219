import { amiArchitecture, architectureOf, defaultAmiType, isInstanceType } from "./instanceTypes";
import { labelKeyProblem, labelValueProblem } from "./labels";
import { ConfigReader, checkInteger } from "./reader";
import { AmiType, CapacityType, NodeGroupConfig, Taint, TaintEffect } from "./types";

const GROUP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CAPACITY_TYPES: readonly CapacityType[] = ["ON_DEMAND", "SPOT"];
const AMI_TYPES: readonly AmiType[] = [
    "AL2023_x86_64_STANDARD",
    "AL2023_ARM_64_STANDARD",
    "AL2023_x86_64_NVIDIA",
    "BOTTLEROCKET_x86_64",
    "BOTTLEROCKET_ARM_64",
];
/** Kubernetes spellings are accepted too, since that is what people copy from manifests. */
const TAINT_EFFECTS: Readonly<Record<string, TaintEffect>> = {
    NoSchedule: "NO_SCHEDULE",
    NoExecute: "NO_EXECUTE",
    PreferNoSchedule: "PREFER_NO_SCHEDULE",
    NO_SCHEDULE: "NO_SCHEDULE",
    NO_EXECUTE: "NO_EXECUTE",
    PREFER_NO_SCHEDULE: "PREFER_NO_SCHEDULE",
};
const FIELDS = ["instanceTypes", "capacityType", "minSize", "maxSize", "desiredSize", "diskSizeGiB", "amiType", "labels", "taints"];

/** The node disk (GiB) of a group that does not set diskSizeGiB. */
export const DEFAULT_DISK_SIZE_GIB = 50;

/** The group every stack gets when it configures none. */
export const DEFAULT_NODE_GROUP = "general";

type Fields = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Fields {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readGroup(r: ConfigReader, name: string, spec: Fields): NodeGroupConfig {
    const at = `nodeGroups.${name}`;
    const show = (v: unknown) => JSON.stringify(v);
    for (const field of Object.keys(spec).filter((f) => !FIELDS.includes(f))) {
        r.fail(`${at}.${field} is not a known field; known fields: ${FIELDS.join(", ")}`);
    }
    const int = (field: string, fallback: number, min: number, max: number) =>
        spec[field] === undefined
            ? fallback
            : checkInteger(spec[field], min, max, (msg) => r.fail(`${at}.${field} ${show(spec[field])} ${msg}`)) ?? fallback;

    let instanceTypes: string[] = ["m6i.large"];
    if (spec.instanceTypes !== undefined) {
        const list = spec.instanceTypes;
        if (!Array.isArray(list) || list.length === 0 || list.some((t) => typeof t !== "string" || !isInstanceType(t))) {
            r.fail(`${at}.instanceTypes ${show(list)} is not allowed; expected a non-empty list of EC2 instance types like ["m6i.large", "m6a.large"]`);
        } else {
            instanceTypes = list as string[];
        }
    }
    const archs = new Set(instanceTypes.map(architectureOf));
    if (archs.size > 1) {
        r.fail(`${at}.instanceTypes ${show(instanceTypes)} mixes arm64 and x86_64; one node group boots one image, so split them into two groups`);
    }

    let capacityType: CapacityType = "ON_DEMAND";
    if (spec.capacityType !== undefined) {
        if (CAPACITY_TYPES.includes(spec.capacityType as CapacityType)) {
            capacityType = spec.capacityType as CapacityType;
        } else {
            r.fail(`${at}.capacityType ${show(spec.capacityType)} is not allowed; use one of: ${CAPACITY_TYPES.join(", ")}`);
        }
    }
    if (capacityType === "SPOT" && instanceTypes.length === 1) {
        r.warn(`${at}: SPOT with the single instance type ${instanceTypes[0]} is often short of capacity; list several types of the same size`);
    }

    let amiType = defaultAmiType(instanceTypes);
    if (spec.amiType !== undefined) {
        if (!AMI_TYPES.includes(spec.amiType as AmiType)) {
            r.fail(`${at}.amiType ${show(spec.amiType)} is not allowed; use one of: ${AMI_TYPES.join(", ")}`);
        } else {
            amiType = spec.amiType as AmiType;
            if (archs.size === 1 && !archs.has(amiArchitecture(amiType))) {
                r.fail(`${at}.amiType ${show(amiType)} does not boot ${[...archs][0]} instance types ${show(instanceTypes)}; leave amiType out to get the matching image`);
            }
        }
    }

    const minSize = int("minSize", 2, 0, 1000);
    const maxSize = int("maxSize", Math.max(6, minSize), 1, 1000);
    const desiredSize = int("desiredSize", minSize, 0, 1000);
    if (minSize > maxSize) {
        r.fail(`${at}: minSize ${minSize} is greater than maxSize ${maxSize}`);
    } else if (desiredSize < minSize || desiredSize > maxSize) {
        r.fail(`${at}: desiredSize ${desiredSize} is outside minSize ${minSize} to maxSize ${maxSize}`);
    }
    const diskSizeGiB = int("diskSizeGiB", DEFAULT_DISK_SIZE_GIB, 20, 16384);

    const labels: Record<string, string> = {};
    if (spec.labels !== undefined) {
        if (!isObject(spec.labels)) {
            r.fail(`${at}.labels ${show(spec.labels)} is not allowed; expected a map of label keys to string values`);
        } else {
            for (const [key, value] of Object.entries(spec.labels)) {
                const problem = labelKeyProblem(key) ?? (typeof value === "string" ? labelValueProblem(value) : "is not a string");
                if (problem) {
                    r.fail(`${at}.labels.${key} ${show(value)} ${problem}`);
                } else {
                    labels[key] = value as string;
                }
            }
        }
    }

    const taints: Taint[] = [];
    if (spec.taints !== undefined) {
        if (!Array.isArray(spec.taints)) {
            r.fail(`${at}.taints ${show(spec.taints)} is not allowed; expected a list of {key, value, effect}`);
        } else {
            spec.taints.forEach((t: unknown, i: number) => {
                const taint = isObject(t) ? t : {};
                const key = typeof taint.key === "string" ? taint.key : "";
                const value = typeof taint.value === "string" ? taint.value : taint.value === undefined ? "" : undefined;
                const effect = typeof taint.effect === "string" ? TAINT_EFFECTS[taint.effect] : undefined;
                const problem =
                    labelKeyProblem(key) ??
                    (value === undefined ? "has a value that is not a string" : labelValueProblem(value)) ??
                    (effect === undefined ? "has an effect that is not NoSchedule, NoExecute or PreferNoSchedule" : undefined);
                if (problem) {
                    r.fail(`${at}.taints[${i}] ${show(t)} ${problem}`);
                } else {
                    taints.push(Object.freeze({ key, value: value ?? "", effect: effect as TaintEffect }));
                }
            });
        }
    }

    return Object.freeze({
        name,
        instanceTypes: Object.freeze([...instanceTypes]),
        capacityType,
        minSize,
        maxSize,
        desiredSize,
        diskSizeGiB,
        amiType,
        labels: Object.freeze(labels),
        taints: Object.freeze(taints),
    });
}

/**
 * Every key of the `nodeGroups` namespace is one managed node group, named by
 * the key (`nodeGroups:general`), holding its settings as structured config.
 */
export function readNodeGroups(r: ConfigReader): NodeGroupConfig[] {
    const names = r.keysIn("nodeGroups");
    if (names.length === 0) {
        return [readGroup(r, DEFAULT_NODE_GROUP, {})];
    }
    const groups: NodeGroupConfig[] = [];
    for (const name of names) {
        const spec = r.json(`nodeGroups:${name}`);
        if (!GROUP_NAME.test(name) || name.length > 40) {
            r.fail(`nodeGroups:${name} is not a valid node group name; use up to 40 lowercase letters, digits and -`);
        } else if (spec !== undefined && !isObject(spec)) {
            r.fail(`nodeGroups.${name} ${JSON.stringify(spec)} is not allowed; expected settings like {"instanceTypes": ["m6i.large"], "minSize": 2, "maxSize": 6}`);
        } else if (spec !== undefined) {
            groups.push(readGroup(r, name, spec));
        }
    }
    return groups;
}
