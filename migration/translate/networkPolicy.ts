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
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { ListeningPort, Permission, admits, groupsWorn, hostNetwork, listeningPorts, podSpecOf, portProtocol } from "./podTraffic";
import { dns1123Label } from "./names";
import type { Diagnostic, K8sObject, WorkloadPlan } from "./types";
import { byKindThenName } from "./kinds";
import { MANAGED_BY, workloadLabels } from "./workload";

export const DEFAULT_DENY = "default-deny-ingress";
export const ANNOTATION_SECURITY_GROUPS = "ecs2eks.io/security-groups";
const API_VERSION = "networking.k8s.io/v1";
/** Set on every namespace by the API server (Kubernetes 1.22+). */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
const NAME_LABEL = "app.kubernetes.io/name";
const INSTANCE_LABEL = "app.kubernetes.io/instance";

interface PolicyPort {
    readonly protocol: ListeningPort["protocol"];
    readonly port?: number;
    readonly endPort?: number;
}

interface Peer {
    readonly podSelector?: Readonly<Record<string, unknown>>;
    readonly namespaceSelector?: Readonly<Record<string, unknown>>;
    readonly ipBlock?: { readonly cidr: string };
}

interface IngressRule {
    readonly from?: readonly Peer[];
    readonly ports?: readonly PolicyPort[];
}

export interface NetworkPolicyPlan {
    /** Each namespace's own policies: its default deny. */
    readonly namespaces: ReadonlyMap<string, readonly K8sObject[]>;
    /** Each workload's allow policy, if it admits anything, and what it could not carry over. */
    readonly workloads: ReadonlyMap<WorkloadPlan, { readonly objects: readonly K8sObject[]; readonly diagnostics: readonly Diagnostic[] }>;
    /** Rules of a security group that several workloads wear, reported once. */
    readonly diagnostics: readonly Diagnostic[];
}

/** The rule's ports; undefined ports for every protocol and port (IpProtocol -1). */
function policyPorts(p: Permission, protocol: ListeningPort["protocol"] | "all"): PolicyPort[] | undefined {
    if (protocol === "all") {
        return undefined;
    }
    const from = p.FromPort === undefined || p.FromPort < 1 ? 1 : p.FromPort;
    const to = p.ToPort === undefined || p.ToPort < 0 ? 65535 : p.ToPort;
    if (from <= 1 && to >= 65535) {
        return [{ protocol }];
    }
    return [from >= to ? { protocol, port: from } : { protocol, port: from, endPort: to }];
}

function describePorts(p: Permission): string {
    const protocol = (p.IpProtocol ?? "-1").toLowerCase();
    const kind = portProtocol(protocol);
    if (kind === "all") {
        return "all traffic";
    }
    if (kind === undefined) {
        return protocol;
    }
    if (p.FromPort === undefined || p.FromPort === p.ToPort) {
        return `${protocol} ${p.FromPort ?? "all ports"}`;
    }
    return `${protocol} ${p.FromPort}-${p.ToPort}`;
}

function listPorts(ports: readonly ListeningPort[]): string {
    return ports.map((p) => `${p.protocol.toLowerCase()} ${p.port}`).join(", ");
}

/** Pods of these workloads (one namespace, one instance label), as a peer seen from `from`. */
function podPeer(namespace: string, instance: string, names: readonly string[], from: string): Peer {
    const podSelector =
        names.length === 1
            ? { matchLabels: { [NAME_LABEL]: names[0], [INSTANCE_LABEL]: instance } }
            : { matchLabels: { [INSTANCE_LABEL]: instance }, matchExpressions: [{ key: NAME_LABEL, operator: "In", values: [...names] }] };
    return namespace === from ? { podSelector } : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector };
}

/** The list under `key`, made empty when there is none yet. */
function listIn<T>(map: Map<string, T[]>, key: string): T[] {
    const list = map.get(key) ?? [];
    map.set(key, list);
    return list;
}

function dedupe<T>(items: readonly T[]): T[] {
    return [...new Map(items.map((i) => [JSON.stringify(i), i])).values()];
}

/** The ports, among those the workload listens on, on which a load balancer reaches it through its target groups on that load balancer. */
function targetPorts(w: WorkloadPlan, loadBalancerArn: string, snapshot: EcsSnapshot): ListeningPort[] {
    const ports: ListeningPort[] = [];
    for (const lb of w.loadBalancers) {
        const tg = snapshot.loadBalancing.targetGroups.find((t) => t.TargetGroupArn === lb.ecsTargetGroupArn);
        if (!tg?.LoadBalancerArns?.includes(loadBalancerArn)) {
            continue;
        }
        const protocols: ListeningPort["protocol"][] = tg.Protocol === "UDP" ? ["UDP"] : tg.Protocol === "TCP_UDP" ? ["TCP", "UDP"] : ["TCP"];
        ports.push(...protocols.map((protocol) => ({ protocol, port: lb.containerPort })));
        if (tg.HealthCheckPort && /^\d+$/.test(tg.HealthCheckPort)) {
            ports.push({ protocol: "TCP", port: Number(tg.HealthCheckPort) });
        }
    }
    return ports;
}

/** What every rule is translated against: who wears which group, which load balancers wear which, what each workload listens on. */
interface Estate {
    readonly snapshot: EcsSnapshot;
    readonly wearers: ReadonlyMap<string, readonly WorkloadPlan[]>;
    readonly loadBalancersOf: ReadonlyMap<string, readonly { readonly arn: string; readonly name: string }[]>;
    readonly listening: (w: WorkloadPlan) => readonly ListeningPort[];
}

/** A source NetworkPolicy cannot select: admitted from anywhere, on the ports each workload listens on (or is a target on) that the rule covers. */
interface Opaque {
    readonly what: string;
    readonly loadBalancer: boolean;
    readonly portsFor: (w: WorkloadPlan) => ListeningPort[];
}

/** The sources of one ECS rule: CIDRs, the pods that wear its groups, and what no selector can name. */
function sourcesOf(p: Permission, estate: Estate): { cidrs: Peer[]; pods: WorkloadPlan[]; opaque: Opaque[] } {
    const cidrs: Peer[] = [...(p.IpRanges ?? []).map((r) => ({ ipBlock: { cidr: r.CidrIp ?? "" } })), ...(p.Ipv6Ranges ?? []).map((r) => ({ ipBlock: { cidr: r.CidrIpv6 ?? "" } }))];
    const pods: WorkloadPlan[] = [];
    const opaque: Opaque[] = [];
    const listened = (w: WorkloadPlan) => estate.listening(w).filter((port) => admits(p, port));
    for (const pair of p.UserIdGroupPairs ?? []) {
        const other = pair.GroupId ?? "";
        const wearers = estate.wearers.get(other);
        const balancers = estate.loadBalancersOf.get(other);
        if (wearers) {
            pods.push(...wearers);
        } else if (balancers) {
            for (const lb of balancers) {
                opaque.push({ what: `load balancer ${lb.name}'s group ${other}`, loadBalancer: true, portsFor: (w) => targetPorts(w, lb.arn, estate.snapshot).filter((port) => admits(p, port)) });
            }
        } else {
            opaque.push({ what: `group ${other}, which no migrated workload or load balancer wears (a container instances', a bastion's or a Lambda function's group?)`, loadBalancer: false, portsFor: listened });
        }
    }
    for (const pl of p.PrefixListIds ?? []) {
        opaque.push({ what: `prefix list ${pl.PrefixListId}`, loadBalancer: false, portsFor: listened });
    }
    return { cidrs, pods, opaque };
}

/** The peers of a rule as seen from each namespace (a source in another namespace needs a namespace selector too), made once per namespace. */
function peersByNamespace(cidrs: readonly Peer[], pods: readonly WorkloadPlan[]): (namespace: string) => Peer[] {
    const byNamespace = new Map<string, string[]>();
    for (const s of pods) {
        listIn(byNamespace, JSON.stringify([s.namespace, dns1123Label(s.source.cluster)])).push(s.name);
    }
    const sources = [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, names]) => ({ key: JSON.parse(key) as [string, string], names: [...new Set(names)].sort() }));
    const made = new Map<string, Peer[]>();
    return (namespace) => {
        const known = made.get(namespace);
        if (known) {
            return known;
        }
        const peers = dedupe([...cidrs, ...sources.map((x) => podPeer(x.key[0], x.key[1], x.names, namespace))]);
        made.set(namespace, peers);
        return peers;
    };
}

function opaqueDiagnostic(rule: string, field: string, o: Opaque, own: readonly WorkloadPlan[]): Diagnostic {
    const admitted = own.map((w) => ({ w, ports: o.portsFor(w) }));
    const open = admitted.filter((a) => a.ports.length > 0).map((a) => `${a.w.name} on ${listPorts(a.ports)}`);
    const closed = admitted.filter((a) => a.ports.length === 0).map((a) => a.w.name);
    const outcome =
        open.length === 0
            ? "nothing is admitted from it"
            : `the pods admit any source on the ports ${o.loadBalancer ? "it sends to" : "they listen on"} (${open.join("; ")})${closed.length > 0 ? `; ${closed.join(", ")} admit nothing from it (${o.loadBalancer ? "no target group of theirs is on it" : "they listen on none of those ports"})` : ""}`;
    return {
        code: o.loadBalancer ? "NETWORK_POLICY_LOAD_BALANCER" : "NETWORK_POLICY_SOURCE_UNKNOWN",
        severity: o.loadBalancer ? "info" : "warning",
        service: "",
        field,
        message: `${rule} from ${o.what}: a NetworkPolicy cannot select it, so ${outcome}; the security-group copy still admits only ${o.loadBalancer ? "that group" : "that source"}, and it filters all traffic from other hosts`,
        suggestion: o.loadBalancer
            ? "nothing to do: the load balancer reaches the pods on their target ports only"
            : "if those callers run in the cluster now, admit their pods in allow-<workload> instead; if they are outside it, narrow the rule with an ipBlock of their addresses",
    };
}

/** Adds to each wearer's ingress what the group's rules admit; returns what could not be carried over exactly. */
function translateGroup(groupId: string, estate: Estate, rulesOf: ReadonlyMap<WorkloadPlan, IngressRule[]>): Diagnostic[] {
    const group = estate.snapshot.securityGroups.find((g) => g.GroupId === groupId);
    const own = estate.wearers.get(groupId) ?? [];
    const names = own.map((w) => w.name).join(", ");
    if (!group) {
        return [
            {
                code: "NETWORK_POLICY_GROUP_MISSING",
                severity: "warning",
                service: "",
                field: `securityGroups[${groupId}]`,
                message: `security group ${groupId}, worn by ${names}, is not in the snapshot (it holds the groups services and load balancers wear): its rules cannot become NetworkPolicy allows, so ${names} admit nothing through it`,
                suggestion: `add to allow-<workload> of ${names} what ${groupId} admits`,
            },
        ];
    }
    const diagnostics: Diagnostic[] = [];
    (group.IpPermissions ?? []).forEach((p, i) => {
        const field = `securityGroups[${groupId}].IpPermissions[${i}]`;
        const rule = `${group.GroupName ?? groupId} (${groupId}) admits ${describePorts(p)}`;
        const protocol = portProtocol(p.IpProtocol);
        if (protocol === undefined) {
            diagnostics.push({
                code: "NETWORK_POLICY_PROTOCOL",
                severity: "info",
                service: "",
                field,
                message: `${rule}: NetworkPolicies match TCP, UDP and SCTP only, so under the namespace's default deny ${names} may no longer answer it from other pods (the security-group copy still admits it)`,
                suggestion: "nothing to do for ICMP (ping); for another protocol, exclude those pods from the default deny by hand",
            });
            return;
        }
        const ports = policyPorts(p, protocol);
        const { cidrs, pods, opaque } = sourcesOf(p, estate);
        const peersSeenFrom = peersByNamespace(cidrs, pods);
        for (const w of own) {
            const rules = rulesOf.get(w) as IngressRule[];
            const from = peersSeenFrom(w.namespace);
            if (from.length > 0) {
                rules.push({ from, ...(ports ? { ports } : {}) });
            }
            for (const o of opaque) {
                const open = o.portsFor(w);
                if (open.length > 0) {
                    rules.push({ ports: open.map((port) => ({ protocol: port.protocol, port: port.port })) });
                }
            }
        }
        diagnostics.push(...opaque.map((o) => opaqueDiagnostic(rule, field, o, own)));
    });
    return diagnostics;
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
