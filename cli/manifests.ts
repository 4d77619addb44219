/**
 * The plan as manifest files that `kubectl apply -f <dir>` applies in a
 * working order: kubectl reads a directory's files in lexical order and each
 * file's documents in turn, so namespaces and what pods need before they
 * start (service accounts, secret stores, volumes, security group policies)
 * come first: the kinds' apply order (APPLY_ORDER in
 * migration/translate/kinds.ts).
 */
import * as yaml from "js-yaml";
import { applyRank } from "../migration/translate/kinds";
import { K8sObject, MigrationPlan } from "../migration/translate/types";

/** Stable: objects of one kind keep the translator's order. */
export function inApplyOrder(objects: readonly K8sObject[]): K8sObject[] {
    return objects.map((o, i) => ({ o, i })).sort((a, b) => applyRank(a.o.kind) - applyRank(b.o.kind) || a.i - b.i).map(({ o }) => o);
}

export function toYaml(objects: readonly K8sObject[]): string {
    return objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1, quotingType: '"' })).join("---\n");
}

export interface ManifestFile {
    /** Relative to the manifests directory. */
    readonly name: string;
    readonly objects: readonly K8sObject[];
}

/** 00-namespaces.yaml (every namespace and what its workloads share), then one 10-<workload>.yaml each. */
export function manifestFiles(plan: MigrationPlan): ManifestFile[] {
    const clash = new Set(plan.workloads.map((w) => w.name)).size !== plan.workloads.length;
    return [
        { name: "00-namespaces.yaml", objects: inApplyOrder(plan.namespaces.flatMap((ns) => ns.objects)) },
        ...plan.workloads.map((w) => ({ name: `10-${clash ? `${w.namespace}-` : ""}${w.name}.yaml`, objects: inApplyOrder(w.objects) })),
    ]
        .filter((f) => f.objects.length > 0)
        .sort((a, b) => a.name.localeCompare(b.name));
}

/** For `kubectl apply -k <out>`: the manifests in the same order. */
export function kustomization(files: readonly ManifestFile[], manifestsDir: string): string {
    return yaml.dump({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: files.map((f) => `${manifestsDir}/${f.name}`) }, { lineWidth: -1 });
}
