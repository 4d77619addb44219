/**
 * An ECS service made a StatefulSet (migration:workloads.<service>.kind):
 * stable pod names, one retained claim per ordinal from the service's EBS
 * configuration, a headless Service for the pods' own DNS names, and a
 * PodDisruptionBudget. Pure.
 */
import type { PodManagementPolicy } from "../../core/workloadSettings";
import { ContainerPort } from "./containers";
import { Diagnostics } from "./diagnostics";
import { EbsVolumesResult } from "./ebsVolumes";
import { dns1035Label } from "./names";
import { K8sObject } from "./types";

export interface StatefulSetInput {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly selector: Record<string, string>;
    readonly annotations: Record<string, string>;
    /** The pod template, with the EBS volumes still among its volumes (they become claim templates). */
    readonly template: { readonly metadata: Record<string, unknown>; readonly spec: Record<string, unknown> };
    /** Undefined when an autoscaler owns the count. */
    readonly replicas: number | undefined;
    readonly podManagementPolicy: PodManagementPolicy;
    readonly ports: readonly ContainerPort[];
    readonly ebs: EbsVolumesResult;
    readonly d: Diagnostics;
}

/** The headless Service that governs the set: `<pod>-<ordinal>.<this>.<namespace>.svc` names each pod. */
export function headlessServiceName(workload: string): string {
    return dns1035Label(`${workload}-headless`);
}

export function statefulSetObjects(input: StatefulSetInput): K8sObject[] {
    const { name, namespace, labels, selector, ebs, d } = input;
    const podVolumes = ((input.template.spec.volumes as Record<string, unknown>[] | undefined) ?? []).filter((v) => !ebs.volumes.has(String(v.name)));
    const claimTemplates = [...ebs.volumes.values()].map((v) => ({ metadata: { name: v.name, labels }, spec: v.claimSpec }));
    const serviceName = headlessServiceName(name);
    const specWithoutVolumes = Object.fromEntries(Object.entries(input.template.spec).filter(([k]) => k !== "volumes"));
    const statefulSet: K8sObject = {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name, namespace, labels, annotations: input.annotations },
        spec: {
            ...(input.replicas !== undefined ? { replicas: input.replicas } : {}),
            serviceName,
            selector: { matchLabels: selector },
            podManagementPolicy: input.podManagementPolicy,
            updateStrategy: { type: "RollingUpdate" },
            // Data is never deleted by Kubernetes: not when the set is deleted, not when it is scaled down.
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template: { ...input.template, spec: { ...specWithoutVolumes, ...(podVolumes.length > 0 ? { volumes: podVolumes } : {}) } },
            ...(claimTemplates.length > 0 ? { volumeClaimTemplates: claimTemplates } : {}),
        },
    };
    const headless: K8sObject = {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: serviceName, namespace, labels },
        spec: {
            clusterIP: "None",
            selector,
            // Peers of a clustered store find each other before they are ready (they become ready by finding each other).
            publishNotReadyAddresses: true,
            ...(input.ports.length > 0 ? { ports: input.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol })) } : {}),
        },
    };
    // One pod at a time, whatever the size: a drain moves one replica, and its claim's volume with it.
    const budget: K8sObject = {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name, namespace, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    };
    d.info(
        "STATEFUL_SET",
        "serviceName",
        `the service becomes a StatefulSet (${input.podManagementPolicy}) with ${claimTemplates.length === 0 ? "no volume claim templates (the service has no managed EBS volume)" : `a retained claim per replica for ${claimTemplates.map((c) => c.metadata.name).join(", ")}`}; pods are ${name}-0, ${name}-1, … under the headless Service ${serviceName}`,
        "an EBS volume lives in one Availability Zone: keep a node group in every zone the claims are in, or a moved pod stays Pending",
    );
    if (claimTemplates.length === 0) {
        d.warn("STATEFUL_SET_NO_VOLUME", "serviceName", "the StatefulSet has no managed EBS volume to keep per replica", "add a volumeConfiguration with a managed EBS volume to the ECS service, or keep the service a Deployment");
    }
    return [statefulSet, headless, budget];
}
