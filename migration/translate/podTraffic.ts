/**
 * What a workload's pods listen on and which ECS security groups they wore:
 * the facts both the NetworkPolicies and the security-group copies are
 * derived from. Pure.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import type { WorkloadPlan } from "./types";

export type PortProtocol = "TCP" | "UDP" | "SCTP";

export interface ListeningPort {
    readonly protocol: PortProtocol;
    readonly port: number;
}

/** One ingress rule of an ECS security group, as DescribeSecurityGroups returns it. */
export type Permission = NonNullable<EcsSnapshot["securityGroups"][number]["IpPermissions"]>[number];

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

const POD_OWNERS = new Set(["Deployment", "StatefulSet", "DaemonSet", "CronJob"]);
const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];

/** The pod spec of the workload's Deployment, StatefulSet, DaemonSet or CronJob; undefined when it has none (its translation failed). */
export function podSpecOf(w: WorkloadPlan): Obj | undefined {
    const owner = w.objects.find((o) => POD_OWNERS.has(o.kind));
    if (!owner) {
        return undefined;
    }
    const spec = asObj(owner.spec);
    return asObj(asObj(owner.kind === "CronJob" ? asObj(asObj(spec.jobTemplate).spec).template : spec.template).spec);
}

/** The containers that run beside the app: regular ones and sidecars (init containers that keep running). */
function runningContainers(spec: Obj): Obj[] {
    return [...asList(spec.initContainers).filter((c) => c.restartPolicy === "Always"), ...asList(spec.containers)];
}

function byProtocolAndPort(a: ListeningPort, b: ListeningPort): number {
    return a.protocol.localeCompare(b.protocol) || a.port - b.port;
}

function unique(ports: readonly ListeningPort[]): ListeningPort[] {
    const seen = new Map(ports.map((p) => [`${p.protocol}/${p.port}`, p]));
    return [...seen.values()].sort(byProtocolAndPort);
}

/** Ports the kubelet connects to for httpGet, tcpSocket and grpc probes (exec probes use no network). */
export function probePorts(w: WorkloadPlan): ListeningPort[] {
    const spec = podSpecOf(w);
    if (!spec) {
        return [];
    }
    const ports: ListeningPort[] = [];
    for (const c of runningContainers(spec)) {
        for (const probe of PROBES.map((p) => asObj(c[p]))) {
            for (const handler of ["httpGet", "tcpSocket", "grpc"]) {
                const port = asObj(probe[handler]).port;
                // A named port is the container's port of that name.
                const n = typeof port === "number" ? port : asList(c.ports).find((p) => p.name === port)?.containerPort;
                if (typeof n === "number") {
                    ports.push({ protocol: "TCP", port: n });
                }
            }
        }
    }
    return unique(ports);
}

/** The ports the workload's pods listen on: their containers' ports and the ports their probes reach. */
export function listeningPorts(w: WorkloadPlan): ListeningPort[] {
    const spec = podSpecOf(w);
    if (!spec) {
        return [];
    }
    const declared = runningContainers(spec).flatMap((c) =>
        asList(c.ports).map((p): ListeningPort => ({ protocol: (typeof p.protocol === "string" ? p.protocol : "TCP") as PortProtocol, port: Number(p.containerPort) })),
    );
    return unique([...declared, ...probePorts(w)]);
}

export function hostNetwork(w: WorkloadPlan): boolean {
    return podSpecOf(w)?.hostNetwork === true;
}

/**
 * The ECS security groups the workload's tasks wore: a service's awsvpc
 * groups, or the groups its schedule's RunTask target gave (EventBridge and
 * EventBridge Scheduler both spell them `awsvpcConfiguration.SecurityGroups`).
 */
export function groupsWorn(w: WorkloadPlan, snapshot: EcsSnapshot): string[] {
    if (w.source.kind === "service") {
        return [...w.securityGroupIds];
    }
    const task = snapshot.clusters.flatMap((c) => c.scheduledTasks).find((t) => t.arn === w.source.arn && t.name === w.source.name);
    const awsvpc = asObj(asObj(task?.networkConfiguration).awsvpcConfiguration);
    const ids = awsvpc.SecurityGroups ?? awsvpc.securityGroups;
    return Array.isArray(ids) ? [...new Set(ids.filter((id): id is string => typeof id === "string"))].sort() : [];
}

/** An EC2 protocol (name or number) as a Kubernetes port protocol; "all" for -1; undefined when Kubernetes has none (ICMP, GRE, ...). */
export function portProtocol(ipProtocol: string | undefined): PortProtocol | "all" | undefined {
    switch ((ipProtocol ?? "-1").toLowerCase()) {
        case "-1":
        case "all":
            return "all";
        case "tcp":
        case "6":
            return "TCP";
        case "udp":
        case "17":
            return "UDP";
        case "sctp":
        case "132":
            return "SCTP";
        default:
            return undefined;
    }
}

/** Whether an ECS ingress rule admits traffic to this port. */
export function admits(p: Permission, port: ListeningPort): boolean {
    const protocol = portProtocol(p.IpProtocol);
    if (protocol === "all") {
        return true;
    }
    return protocol === port.protocol && (p.FromPort === undefined || p.FromPort === -1 || p.FromPort <= port.port) && (p.ToPort === undefined || p.ToPort === -1 || port.port <= p.ToPort);
}
