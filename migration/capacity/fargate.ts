/**
 * Fargate profiles select pods by namespace and label. In a namespace of
 * cluster:fargateNamespaces, the pods Fargate can run get FARGATE_LABEL and
 * the profile selects that label; the others (DaemonSets, privileged or host
 * access, host ports, hostPath volumes, GPUs: "AWS Fargate considerations",
 * Amazon EKS User Guide) keep to the nodes. Pure.
 */
import { K8sObject, MigrationPlan } from "../translate/types";
import { demandsOf } from "./demand";

export const FARGATE_LABEL = { key: "ecs2eks.io/compute", value: "fargate" } as const;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

function labelTemplate(template: Obj): Obj {
    const metadata = asObj(template.metadata);
    return { ...template, metadata: { ...metadata, labels: { ...asObj(metadata.labels), [FARGATE_LABEL.key]: FARGATE_LABEL.value } } };
}

function labelled(o: K8sObject): K8sObject {
    const spec = asObj(o.spec);
    if (o.kind === "Deployment") {
        return { ...o, spec: { ...spec, template: labelTemplate(asObj(spec.template)) } };
    }
    if (o.kind === "CronJob") {
        const job = asObj(spec.jobTemplate);
        const jobSpec = asObj(job.spec);
        return { ...o, spec: { ...spec, jobTemplate: { ...job, spec: { ...jobSpec, template: labelTemplate(asObj(jobSpec.template)) } } } };
    }
    return o;
}

/** The plan with Fargate's label on the pods that go there. */
export function withFargateLabels(plan: MigrationPlan, namespaces: readonly string[]): MigrationPlan {
    if (namespaces.length === 0) {
        return plan;
    }
    const capable = new Set(demandsOf(plan.workloads).filter((d) => namespaces.includes(d.namespace) && d.fargateBlockers.length === 0).map((d) => d.workload));
    return { ...plan, workloads: plan.workloads.map((w) => (capable.has(w.name) ? { ...w, objects: w.objects.map(labelled) } : w)) };
}
