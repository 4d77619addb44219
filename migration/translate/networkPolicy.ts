/**
 * NetworkPolicies that keep inside the cluster the isolation the ECS
 * services' security groups gave: each migrated namespace denies all
 * ingress, and each workload admits what its groups' ingress rules admitted.
 * Pure.
 *
 * Only ingress is mirrored. ECS egress rules stay on the security-group
 * copies; pods' egress is not restricted by policy (an egress policy would
 * also have to admit DNS, the API server and every AWS endpoint).
 *
 * The kubelet needs no rule: the VPC CNI's network policy agent always
 * admits the pod's own node (aws/aws-network-policy-agent v1.4.1,
 * pkg/fwruleprocessor/fw_rule_processor.go: "Traffic from the local node
 * should always be allowed"), which is also what Kubernetes documents for
 * NetworkPolicy implementations.
 *
 * What one security group's rules become is networkPolicyRules.ts; this
 * module makes the policies of the namespaces and workloads from them.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { ListeningPort, groupsWorn, hostNetwork, listeningPorts, podSpecOf } from "./podTraffic";
import { dns1123Label } from "./names";
import { Estate, IngressRule, dedupe, listIn, listPorts, translateGroup } from "./networkPolicyRules";
import type { Diagnostic, K8sObject, WorkloadPlan } from "./types";
import { byKindThenName } from "./kinds";
import { MANAGED_BY, workloadLabels } from "./workload";

export const DEFAULT_DENY = "default-deny-ingress";
export const ANNOTATION_SECURITY_GROUPS = "ecs2eks.io/security-groups";
const API_VERSION = "networking.k8s.io/v1";

export interface NetworkPolicyPlan {
    /** Each namespace's own policies: its default deny. */
    readonly namespaces: ReadonlyMap<string, readonly K8sObject[]>;
    /** Each workload's allow policy, if it admits anything, and what it could not carry over. */
    readonly workloads: ReadonlyMap<WorkloadPlan, { readonly objects: readonly K8sObject[]; readonly diagnostics: readonly Diagnostic[] }>;
    /** Rules of a security group that several workloads wear, reported once. */
    readonly diagnostics: readonly Diagnostic[];
}

function defaultDeny(namespace: string, cluster: string): K8sObject {
    return {
        apiVersion: API_VERSION,
        kind: "NetworkPolicy",
        metadata: { name: DEFAULT_DENY, namespace, labels: { "app.kubernetes.io/part-of": dns1123Label(cluster), "app.kubernetes.io/managed-by": MANAGED_BY } },
        spec: { podSelector: {}, policyTypes: ["Ingress"] },
    };
}

/**
 * A workload that wore no group of its own: a host-network pod is out of
 * NetworkPolicy's reach; any other admits any source on the ports it
 * listens on, since the container instances' group that admitted its
 * callers is not in the snapshot.
 */
function withoutGroups(w: WorkloadPlan, ports: readonly ListeningPort[]): { rules: IngressRule[]; diagnostic: Diagnostic } {
    if (hostNetwork(w)) {
        return {
            rules: [],
            diagnostic: {
                code: "NETWORK_POLICY_HOST_NETWORK",
                severity: "info",
                service: w.source.name,
                field: "networkMode",
                message: `${w.name} uses the host's network, where NetworkPolicies do not apply: ${listPorts(ports)} are reachable as the node's security group allows`,
                suggestion: "nothing to do for a node agent; otherwise use awsvpc mode in ECS (pod networking) before migrating",
            },
        };
    }
    return {
        rules: [{ ports: ports.map((p) => ({ protocol: p.protocol, port: p.port })) }],
        diagnostic: {
            code: "NETWORK_POLICY_NO_SECURITY_GROUPS",
            severity: "warning",
            service: w.source.name,
            field: "networkConfiguration",
            message: `${w.name}'s tasks wore no security group of their own (bridge mode, or no awsvpc security groups), so which callers they admitted is unknown: NetworkPolicy allow-${w.name} admits any source on the ports they listen on (${listPorts(ports)}) and nothing else`,
            suggestion: `narrow allow-${w.name} to its callers (podSelector, namespaceSelector or ipBlock)`,
        },
    };
}

function allowPolicy(w: WorkloadPlan, groups: readonly string[], ingress: readonly IngressRule[]): K8sObject {
    const { labels, selector } = workloadLabels(w.name, w.source.cluster);
    return {
        apiVersion: API_VERSION,
        kind: "NetworkPolicy",
        metadata: { name: `allow-${w.name}`, namespace: w.namespace, labels, ...(groups.length > 0 ? { annotations: { [ANNOTATION_SECURITY_GROUPS]: groups.join(",") } } : {}) },
        spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress"], ingress },
    };
}

export function planNetworkPolicies(snapshot: EcsSnapshot, workloads: readonly WorkloadPlan[], namespaces: ReadonlyMap<string, string>): NetworkPolicyPlan {
    const withPods = workloads.filter((w) => podSpecOf(w) !== undefined);
    const worn = new Map(withPods.map((w) => [w, groupsWorn(w, snapshot)]));
    const wearers = new Map<string, WorkloadPlan[]>();
    for (const [w, groups] of worn) {
        for (const g of groups) {
            listIn(wearers, g).push(w);
        }
    }
    const loadBalancersOf = new Map<string, { arn: string; name: string }[]>();
    for (const lb of snapshot.loadBalancing.loadBalancers) {
        for (const g of lb.SecurityGroups ?? []) {
            listIn(loadBalancersOf, g).push({ arn: lb.LoadBalancerArn ?? "", name: lb.LoadBalancerName ?? lb.LoadBalancerArn ?? "" });
        }
    }
    const listeningOf = new Map(withPods.map((w) => [w, listeningPorts(w)]));
    const estate: Estate = { snapshot, wearers, loadBalancersOf, listening: (w) => listeningOf.get(w) ?? [] };

    const rulesOf = new Map<WorkloadPlan, IngressRule[]>(withPods.map((w) => [w, []]));
    const diagnostics = [...wearers.keys()].sort().flatMap((groupId) => translateGroup(groupId, estate, rulesOf));

    const perWorkload = new Map<WorkloadPlan, { objects: K8sObject[]; diagnostics: Diagnostic[] }>();
    for (const w of withPods) {
        const groups = worn.get(w) ?? [];
        const ports = estate.listening(w);
        const bare = groups.length === 0 && ports.length > 0 ? withoutGroups(w, ports) : undefined;
        const rules = bare ? bare.rules : dedupe(rulesOf.get(w) ?? []);
        perWorkload.set(w, { objects: rules.length > 0 ? [allowPolicy(w, groups, rules)] : [], diagnostics: bare ? [bare.diagnostic] : [] });
    }
    const namespaceObjects = new Map([...namespaces.entries()].map(([name, cluster]) => [name, [defaultDeny(name, cluster)]]));
    return { namespaces: namespaceObjects, workloads: perWorkload, diagnostics };
}

/** The workload with its allow policy in apply order (before its pods) and its diagnostics. */
export function withNetworkPolicy(w: WorkloadPlan, plan: NetworkPolicyPlan): WorkloadPlan {
    const own = plan.workloads.get(w);
    if (!own || (own.objects.length === 0 && own.diagnostics.length === 0)) {
        return w;
    }
    return { ...w, objects: [...w.objects, ...own.objects].sort(byKindThenName), diagnostics: [...w.diagnostics, ...own.diagnostics] };
}
