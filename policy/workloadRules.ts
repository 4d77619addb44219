/** Rules on what runs in the cluster: host access, Pod Security, exposure to the internet. */
import { INTERNET_FACING_ALLOWED_ANNOTATION, PRIVILEGED_ALLOWED_ANNOTATION } from "../core/allowances";
import { WORKLOAD_TYPES, containersOf, list, obj, podOf, strings } from "./props";
import { Rule } from "./rule";

/**
 * The capabilities Docker (and containerd) give a container by default
 * (moby/moby, oci/caps/defaults.go): adding one of these gives a container
 * nothing ECS did not. Anything else widens what it can do to the node.
 */
const DEFAULT_CAPABILITIES = new Set([
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);

const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
const LEVELS = ["privileged", "baseline", "restricted"];

/** The host access a pod asks for, in words, for the report. */
function hostAccess(type: string, props: Record<string, unknown>): string[] {
    const { pod } = podOf(type, props);
    const found = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => pod[k] === true).map((k) => `${k}: true`);
    for (const v of list(pod.volumes).filter((v) => obj(v).hostPath !== undefined)) {
        found.push(`volume ${String(v.name)} mounts host path ${String(obj(v.hostPath).path)}`);
    }
    for (const c of containersOf(type, props).containers) {
        const added = strings(obj(obj(c.securityContext).capabilities).add).map((cap) => cap.toUpperCase().replace(/^CAP_/, ""));
        const extra = added.filter((cap) => !DEFAULT_CAPABILITIES.has(cap));
        if (extra.length > 0) {
            found.push(`container ${String(c.name)} adds ${extra.join(", ")}`);
        }
    }
    return found;
}

export const WORKLOAD_RULES: readonly Rule[] = [
    {
        name: "no-unapproved-host-access",
        description: `No host network, PID or IPC, host path or capability beyond Docker's default set unless the workload is annotated ${PRIVILEGED_ALLOWED_ANNOTATION}: "true".`,
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (!WORKLOAD_TYPES.has(type) || podOf(type, props).annotations[PRIVILEGED_ALLOWED_ANNOTATION] === "true") {
                return;
            }
            for (const access of hostAccess(type, props)) {
                report(`${access}: a pod with host access can take over the node; drop it, or, after review, list the ECS service in migration:allowPrivileged (annotates it ${PRIVILEGED_ALLOWED_ANNOTATION}: "true")`);
            }
        },
    },
    {
        name: "namespaces-enforce-pod-security",
        description: `Every Namespace has a ${ENFORCE_LABEL} label (privileged, baseline or restricted), so Pod Security Admission checks what runs in it.`,
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            if (type !== "kubernetes:core/v1:Namespace") {
                return;
            }
            const level = obj(obj(props.metadata).labels)[ENFORCE_LABEL];
            if (typeof level !== "string" || !LEVELS.includes(level)) {
                report(`namespace ${String(obj(props.metadata).name)} has ${ENFORCE_LABEL} ${JSON.stringify(level ?? null)}; set it to ${LEVELS.join(", ")} (restricted unless the pods need more)`);
            }
        },
    },
    {
        name: "no-unapproved-internet-facing-load-balancers",
        description: `No internet-facing load balancer from a Service or Ingress unless it is annotated ${INTERNET_FACING_ALLOWED_ANNOTATION}: "true".`,
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            const annotations = obj(obj(props.metadata).annotations);
            if (annotations[INTERNET_FACING_ALLOWED_ANNOTATION] === "true") {
                return;
            }
            // The AWS Load Balancer Controller makes internal load balancers unless told otherwise.
            const internetFacing =
                type === "kubernetes:core/v1:Service"
                    ? obj(props.spec).type === "LoadBalancer" &&
                      (annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internet-facing" || annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] === "false")
                    : type === "kubernetes:networking.k8s.io/v1:Ingress" && annotations["alb.ingress.kubernetes.io/scheme"] === "internet-facing";
            if (internetFacing) {
                report(`an internet-facing load balancer for ${String(obj(props.metadata).name)}; keep it internal and reach it through the existing front door, or annotate it ${INTERNET_FACING_ALLOWED_ANNOTATION}: "true" after review`);
            }
        },
    },
];
