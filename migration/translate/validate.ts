/**
 * Checks emitted objects the way the API server would: built-in kinds (as
 * kinds.ts marks them) against the Kubernetes OpenAPI schemas
 * (kubernetes-models, Kubernetes 1.30+), custom resources against the CRDs
 * of the pinned charts (customResources.ts), and
 * the rules a schema does not express (names, port
 * names, selectors, rollouts that can progress, requests within limits, one
 * handler per probe, mounts backed by volumes).
 */
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { PersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { DNS1035_LABEL, DNS1123_LABEL, IANA_SVC_NAME, MAX_LABEL, MAX_PORT_NAME } from "./names";
import { crossObjectProblems, customResourceProblems, isCustomResource } from "./customResources";
import { BuiltinKind, builtinKind } from "./kinds";
import { K8sObject } from "./types";

interface Model {
    validate(): void;
}
type ModelClass = new (data: never) => Model;

/** The schema model of each built-in kind of the registry (kinds.ts); tsc asks for one when a built-in kind is added there. */
const MODELS: Readonly<Record<BuiltinKind, ModelClass>> = {
    Namespace: Namespace as unknown as ModelClass,
    ServiceAccount: ServiceAccount as unknown as ModelClass,
    Secret: Secret as unknown as ModelClass,
    Service: Service as unknown as ModelClass,
    StorageClass: StorageClass as unknown as ModelClass,
    PersistentVolume: PersistentVolume as unknown as ModelClass,
    PersistentVolumeClaim: PersistentVolumeClaim as unknown as ModelClass,
    StatefulSet: StatefulSet as unknown as ModelClass,
    Deployment: Deployment as unknown as ModelClass,
    DaemonSet: DaemonSet as unknown as ModelClass,
    CronJob: CronJob as unknown as ModelClass,
    PodDisruptionBudget: PodDisruptionBudget as unknown as ModelClass,
    HorizontalPodAutoscaler: HorizontalPodAutoscaler as unknown as ModelClass,
    NetworkPolicy: NetworkPolicy as unknown as ModelClass,
    Ingress: Ingress as unknown as ModelClass,
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** A Kubernetes quantity in base units (cores, bytes), or undefined. */
export function parseQuantity(q: unknown): number | undefined {
    if (typeof q === "number") {
        return q;
    }
    if (typeof q !== "string") {
        return undefined;
    }
    const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
    if (!m) {
        return undefined;
    }
    const factor: Record<string, number> = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
    return Number(m[1]) * (m[2] ? factor[m[2]] : 1);
}

function checkPod(spec: Obj, at: string, selector: Obj | undefined, templateLabels: Obj | undefined, problems: string[]): void {
    if (selector && templateLabels) {
        for (const [k, v] of Object.entries(asObj(selector.matchLabels))) {
            if (templateLabels[k] !== v) {
                problems.push(`${at}: selector ${k}=${String(v)} does not match the template's labels`);
            }
        }
    }
    const volumes = new Set(asList(spec.volumes).map((v) => String(v.name)));
    for (const v of asList(spec.volumes)) {
        if (!DNS1123_LABEL.test(String(v.name)) || String(v.name).length > MAX_LABEL) {
            problems.push(`${at}: volume name ${JSON.stringify(v.name)} is not a DNS-1123 label`);
        }
    }
    const portNames = new Set<string>();
    const init = asList(spec.initContainers);
    const containers = [...init.map((c) => ({ c, init: true })), ...asList(spec.containers).map((c) => ({ c, init: false }))];
    const containerNames = new Set<string>();
    for (const { c, init: isInit } of containers) {
        const name = String(c.name);
        const where = `${at}: container ${name}`;
        if (!DNS1123_LABEL.test(name) || name.length > MAX_LABEL) {
            problems.push(`${where}: name is not a DNS-1123 label`);
        }
        if (containerNames.has(name)) {
            problems.push(`${where}: the pod has two containers of that name`);
        }
        containerNames.add(name);
        for (const p of asList(c.ports)) {
            if (p.name !== undefined) {
                const pn = String(p.name);
                if (pn.length > MAX_PORT_NAME || !IANA_SVC_NAME.test(pn)) {
                    problems.push(`${where}: port name ${JSON.stringify(pn)} is not an IANA service name of at most 15 characters`);
                }
                if (portNames.has(pn)) {
                    problems.push(`${where}: port name ${pn} is used twice in the pod`);
                }
                portNames.add(pn);
            }
            const n = Number(p.containerPort);
            if (!Number.isInteger(n) || n < 1 || n > 65535) {
                problems.push(`${where}: containerPort ${String(p.containerPort)} is not a port number`);
            }
        }
        for (const m of asList(c.volumeMounts)) {
            if (!volumes.has(String(m.name))) {
                problems.push(`${where}: volume mount ${String(m.name)} has no volume`);
            }
        }
        const resources = asObj(c.resources);
        for (const [res, req] of Object.entries(asObj(resources.requests))) {
            const limit = asObj(resources.limits)[res];
            const r = parseQuantity(req);
            const l = parseQuantity(limit);
            if (limit !== undefined && r !== undefined && l !== undefined && r > l) {
                problems.push(`${where}: ${res} request ${String(req)} is above its limit ${String(limit)}`);
            }
        }
        const sidecar = isInit && c.restartPolicy === "Always";
        for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
            if (c[probe] === undefined) {
                continue;
            }
            if (isInit && !sidecar) {
                problems.push(`${where}: init containers may not have a ${probe}`);
            }
            const handlers = ["exec", "httpGet", "tcpSocket", "grpc"].filter((h) => asObj(c[probe])[h] !== undefined);
            if (handlers.length !== 1) {
                problems.push(`${where}: ${probe} must have exactly one handler, has ${handlers.length}`);
            }
        }
    }
    if (asList(spec.containers).length === 0) {
        problems.push(`${at}: the pod has no containers`);
    }
}

function checkRollingUpdate(ru: Obj | undefined, at: string, problems: string[]): void {
    if (!ru) {
        return;
    }
    const zero = (v: unknown) => v === 0 || v === "0%" || v === "0";
    if (zero(ru.maxSurge ?? "25%") && zero(ru.maxUnavailable ?? "25%")) {
        problems.push(`${at}: maxSurge and maxUnavailable are both 0, so the rollout cannot progress`);
    }
}

const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/;
const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/;

/** NetworkPolicy rules the schema leaves to the API server's validation: port ranges and peers. */
function checkNetworkPolicy(spec: Obj, at: string, problems: string[]): void {
    for (const direction of ["ingress", "egress"]) {
        asList(spec[direction]).forEach((rule, i) => {
            const where = `${at}: ${direction}[${i}]`;
            for (const p of asList(rule.ports)) {
                if (p.protocol !== undefined && !["TCP", "UDP", "SCTP"].includes(String(p.protocol))) {
                    problems.push(`${where}: protocol ${String(p.protocol)} is not TCP, UDP or SCTP`);
                }
                if (typeof p.port === "number" && (p.port < 1 || p.port > 65535)) {
                    problems.push(`${where}: port ${p.port} is not a port number`);
                }
                if (p.endPort !== undefined && (typeof p.port !== "number" || Number(p.endPort) < p.port || Number(p.endPort) > 65535)) {
                    problems.push(`${where}: endPort ${String(p.endPort)} needs a numeric port at or below it, and at most 65535`);
                }
            }
            for (const peer of asList(rule[direction === "ingress" ? "from" : "to"])) {
                if (peer.ipBlock === undefined) {
                    continue;
                }
                if (peer.podSelector !== undefined || peer.namespaceSelector !== undefined) {
                    problems.push(`${where}: a peer with an ipBlock may not have a pod or namespace selector`);
                }
                for (const cidr of [asObj(peer.ipBlock).cidr, ...(Array.isArray(asObj(peer.ipBlock).except) ? (asObj(peer.ipBlock).except as unknown[]) : [])]) {
                    if (!IPV4_CIDR.test(String(cidr)) && !IPV6_CIDR.test(String(cidr))) {
                        problems.push(`${where}: ${JSON.stringify(cidr)} is not a CIDR`);
                    }
                }
            }
        });
    }
}

/** What the API server would reject in one object; [] when it would accept it. */
export function validateObject(obj: K8sObject): string[] {
    const problems: string[] = [];
    const key = `${obj.apiVersion}/${obj.kind}`;
    const at = `${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name}`;
    const builtin = builtinKind(obj.apiVersion, obj.kind);
    if (builtin) {
        const model = MODELS[builtin];
        try {
            new model(obj as never).validate();
        } catch (err) {
            problems.push(`${at}: ${(err as Error).message.split("\n")[0]}`);
        }
    } else if (isCustomResource(obj.apiVersion)) {
        problems.push(...customResourceProblems(obj).map((p) => `${at}: ${p}`));
    } else {
        problems.push(`${at}: no schema for ${key}`);
    }
    const name = obj.metadata?.name ?? "";
    const namePattern = obj.kind === "Service" ? DNS1035_LABEL : obj.kind === "Namespace" ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    if (!namePattern.test(name) || name.length > (obj.kind === "Service" || obj.kind === "Namespace" ? MAX_LABEL : 253)) {
        problems.push(`${at}: name is not a valid ${obj.kind} name`);
    }
    if (obj.kind === "CronJob" && name.length > 52) {
        problems.push(`${at}: CronJob names are limited to 52 characters`);
    }
    for (const [k, v] of Object.entries(obj.metadata?.labels ?? {})) {
        if (!LABEL_VALUE.test(v) || v.length > MAX_LABEL) {
            problems.push(`${at}: label ${k} value ${JSON.stringify(v)} is not a valid label value`);
        }
    }
    const spec = asObj(obj.spec);
    if (obj.kind === "Deployment" || obj.kind === "DaemonSet") {
        const template = asObj(spec.template);
        checkPod(asObj(template.spec), at, asObj(spec.selector), asObj(asObj(template.metadata).labels), problems);
        checkRollingUpdate(obj.kind === "Deployment" ? asObj(asObj(spec.strategy).rollingUpdate) : undefined, at, problems);
    }
    if (obj.kind === "StatefulSet") {
        // The claim templates are the pods' volumes too.
        const template = asObj(spec.template);
        const podSpec = asObj(template.spec);
        const claimVolumes = asList(spec.volumeClaimTemplates).map((c) => ({ name: asObj(c.metadata).name, persistentVolumeClaim: { claimName: asObj(c.metadata).name } }));
        checkPod({ ...podSpec, volumes: [...asList(podSpec.volumes), ...claimVolumes] }, at, asObj(spec.selector), asObj(asObj(template.metadata).labels), problems);
    }
    if (obj.kind === "CronJob") {
        const template = asObj(asObj(asObj(spec.jobTemplate).spec).template);
        checkPod(asObj(template.spec), at, undefined, undefined, problems);
        if (String(spec.schedule ?? "").trim().split(/\s+/).length !== 5) {
            problems.push(`${at}: schedule ${JSON.stringify(spec.schedule)} is not a 5-field cron expression`);
        }
    }
    if (obj.kind === "Service") {
        const ports = asList(spec.ports);
        const names = new Set<string>();
        for (const p of ports) {
            if (ports.length > 1 && !p.name) {
                problems.push(`${at}: a multi-port Service needs a name on every port`);
            }
            if (p.name !== undefined) {
                if (!DNS1123_LABEL.test(String(p.name))) {
                    problems.push(`${at}: port name ${JSON.stringify(p.name)} is not a DNS-1123 label`);
                }
                if (names.has(String(p.name))) {
                    problems.push(`${at}: port name ${String(p.name)} is used twice`);
                }
                names.add(String(p.name));
            }
        }
    }
    if (obj.kind === "NetworkPolicy") {
        checkNetworkPolicy(spec, at, problems);
    }
    if (obj.kind === "HorizontalPodAutoscaler") {
        const min = Number(spec.minReplicas ?? 1);
        if (min < 1 || min > Number(spec.maxReplicas)) {
            problems.push(`${at}: minReplicas ${min} must be at least 1 and at most maxReplicas ${String(spec.maxReplicas)}`);
        }
    }
    return problems;
}

/** Every problem of every object, by object, then those between objects applied together. */
export function validateObjects(objects: readonly K8sObject[]): string[] {
    return [...objects.flatMap(validateObject), ...crossObjectProblems(objects)];
}
