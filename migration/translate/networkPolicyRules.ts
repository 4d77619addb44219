/**
 * One ECS security group's ingress rules as NetworkPolicy ingress rules for
 * the workloads that wear it: sources that are pods of migrated workloads
 * become pod (and namespace) selectors, CIDRs become ipBlocks, and what no
 * selector can name (load balancers, prefix lists, groups nothing migrated
 * wears) is reported with what the pods admit instead. Pure.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import { ListeningPort, Permission, admits, portProtocol } from "./podTraffic";
import { dns1123Label } from "./names";
import type { Diagnostic, WorkloadPlan } from "./types";

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

export interface IngressRule {
    readonly from?: readonly Peer[];
    readonly ports?: readonly PolicyPort[];
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

export function listPorts(ports: readonly ListeningPort[]): string {
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
export function listIn<T>(map: Map<string, T[]>, key: string): T[] {
    const list = map.get(key) ?? [];
    map.set(key, list);
    return list;
}

export function dedupe<T>(items: readonly T[]): T[] {
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
export interface Estate {
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
export function translateGroup(groupId: string, estate: Estate, rulesOf: ReadonlyMap<WorkloadPlan, IngressRule[]>): Diagnostic[] {
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
