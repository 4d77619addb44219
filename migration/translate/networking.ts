/**
 * Kubernetes Services that keep every name callers use working: the
 * workload's own, Service Connect client aliases and Cloud Map registry
 * names, so `http://orders:8080` resolves on EKS as it did on ECS. Pure.
 */
import type { ClusterSnapshot, EcsSnapshot, ServiceSnapshot } from "../../core/snapshot";
import { ContainerPort } from "./containers";
import { Diagnostics } from "./diagnostics";
import { DNS1035_LABEL, DNS1123_LABEL, dns1035Label } from "./names";
import { K8sObject, LoadBalancerPlan } from "./types";

interface ServicePort {
    readonly name: string;
    readonly port: number;
    readonly targetPort: string;
    readonly protocol: "TCP" | "UDP";
    readonly appProtocol?: string;
}

/** ECS appProtocol → Service appProtocol. */
const APP_PROTOCOL: Readonly<Record<string, string>> = { http: "http", http2: "kubernetes.io/h2c", grpc: "grpc" };

/**
 * On a Service: the names and ports ECS callers dialled to reach it (Service
 * Connect aliases, Cloud Map names), comma-separated. A Service without it is
 * the workload's own, which no ECS caller used.
 */
export const ANNOTATION_CALLED_AS = "ecs2eks.io/ecs-called-as";

export interface ServicesResult {
    readonly objects: K8sObject[];
    readonly loadBalancers: LoadBalancerPlan[];
}

export function translateServices(
    workload: string,
    namespace: string,
    selector: Record<string, string>,
    labels: Record<string, string>,
    ports: readonly (ContainerPort & { container: string })[],
    service: ServiceSnapshot | undefined,
    snapshot: EcsSnapshot,
    d: Diagnostics,
): ServicesResult {
    const services = new Map<string, ServicePort[]>();
    /** Service name → the names and ports ECS callers used to reach it. */
    const calledAs = new Map<string, Set<string>>();
    const addPort = (serviceName: string, p: ServicePort, field: string, caller?: string) => {
        if (caller) {
            calledAs.set(serviceName, (calledAs.get(serviceName) ?? new Set()).add(caller));
        }
        const list = services.get(serviceName) ?? [];
        const clash = list.find((q) => q.port === p.port && q.protocol === p.protocol);
        if (clash) {
            if (clash.targetPort !== p.targetPort) {
                d.error("SERVICE_PORT_CLASH", field, `Service ${serviceName} would send port ${p.port} to both ${clash.targetPort} and ${p.targetPort}`, "give the two ports different client alias ports");
            }
            return;
        }
        const name = list.some((q) => q.name === p.name) ? `${p.name}-${p.port}` : p.name;
        services.set(serviceName, [...list, { ...p, name }]);
    };
    const toServicePort = (p: ContainerPort, port = p.containerPort): ServicePort => ({
        name: p.name,
        port,
        targetPort: p.name,
        protocol: p.protocol,
        ...(p.appProtocol && APP_PROTOCOL[p.appProtocol] ? { appProtocol: APP_PROTOCOL[p.appProtocol] } : {}),
    });

    const primary = dns1035Label(workload);
    for (const p of ports) {
        addPort(primary, toServicePort(p), "portMappings");
    }

    // Service Connect: each client alias is an endpoint, a name and port that
    // clients dial. An entry without client aliases registers a discovery name
    // in Cloud Map but gives clients nothing to call (ECS API reference,
    // ServiceConnectService.clientAliases / ServiceConnectClientAlias), so it
    // gets no Service of its own.
    const connect = service?.deployments?.find((dep) => dep.status === "PRIMARY")?.serviceConnectConfiguration ?? service?.deployments?.[0]?.serviceConnectConfiguration;
    const connectNamespace = connect ? cloudMapNamespaceName(connect.namespace ?? clusterOf(service, snapshot)?.serviceConnectDefaults?.namespace, snapshot) : undefined;
    (connect?.services ?? []).forEach((sc, i) => {
        const field = `serviceConnectConfiguration.services[${i}]`;
        const port = ports.find((p) => p.ecsName === sc.portName);
        if (!port) {
            d.error("SERVICE_CONNECT_PORT", `${field}.portName`, `Service Connect names port ${JSON.stringify(sc.portName)}, which no container port mapping has`, "name the port mapping in the task definition");
            return;
        }
        d.map("serviceConnectConfiguration");
        const discoveryName = sc.discoveryName ?? sc.portName ?? workload;
        if (!sc.clientAliases || sc.clientAliases.length === 0) {
            d.info(
                "SERVICE_CONNECT_NO_ALIAS",
                `${field}.clientAliases`,
                `Service Connect registers ${discoveryName} (port ${sc.portName}) without a client alias, so no client could dial it; no Service is made for that name`,
                `the port stays reachable on the workload's own Service ${primary}:${port.containerPort}; add a client alias in ECS first if clients should call ${discoveryName}`,
            );
            return;
        }
        sc.clientAliases.forEach((alias, j) => {
            const aliasField = `${field}.clientAliases[${j}]`;
            const aliasPort = alias.port ?? port.containerPort;
            // ECS: an alias without dnsName is <discoveryName>.<namespace>.
            const dnsName = alias.dnsName ?? (connectNamespace ? `${discoveryName}.${connectNamespace}` : discoveryName);
            const [first, ...rest] = dnsName.split(".");
            const name = dns1035Label(first);
            if (rest.length > 0) {
                const fix = callerFix(dnsName, name, namespace, aliasPort);
                if (fix.resolves) {
                    d.info("SERVICE_CONNECT_FQDN", aliasField, `callers dial ${dnsName}:${aliasPort}, which resolves on EKS to Service ${name} in namespace ${namespace}`, "nothing to do");
                } else {
                    d.warn(
                        alias.dnsName ? "SERVICE_CONNECT_FQDN" : "SERVICE_CONNECT_DEFAULT_NAME",
                        aliasField,
                        `callers dial ${dnsName}:${aliasPort}${alias.dnsName ? "" : " (the default name of an alias without dnsName)"}; on EKS that is Service ${name} in namespace ${namespace}, and ${dnsName} does not resolve`,
                        fix.suggestion,
                    );
                }
            } else if (name !== first) {
                d.warn("SERVICE_CONNECT_NAME", aliasField, `alias ${dnsName} is not a valid Service name; the Service is ${name}`, `change callers to ${name}:${aliasPort}`);
            }
            addPort(name, toServicePort(port, aliasPort), aliasField, `${dnsName}:${aliasPort}`);
        });
    });
    if (connect?.logConfiguration) {
        d.info("SERVICE_CONNECT_LOGS", "serviceConnectConfiguration.logConfiguration", "the Service Connect proxy's logs have no counterpart: there is no proxy", "nothing to do");
    }

    // Cloud Map registries: callers resolve <registry name>.<namespace name> (DNS
    // namespaces) or ask the Cloud Map API (HTTP namespaces).
    (service?.serviceRegistries ?? []).forEach((r, i) => {
        const field = `serviceRegistries[${i}]`;
        const registry = snapshot.serviceDiscovery.services.find((s) => s.Arn === r.registryArn);
        if (!registry?.Name) {
            d.warn("REGISTRY_UNKNOWN", field, `Cloud Map service ${r.registryArn} is not in the snapshot`, "add a Service with the name callers resolve by hand");
            return;
        }
        const port = ports.find((p) => (r.containerName ? p.container === r.containerName : true) && (r.containerPort ? p.containerPort === r.containerPort : true)) ?? ports[0];
        if (!port) {
            d.warn("REGISTRY_NO_PORT", field, `Cloud Map service ${registry.Name} registers no port`, "add a port mapping so a Service can point at it");
            return;
        }
        const name = dns1035Label(registry.Name);
        const servicePort = r.port ?? port.containerPort;
        const namespaceId = registry.DnsConfig?.NamespaceId ?? (registry as { NamespaceId?: string }).NamespaceId;
        const namespaceName = snapshot.serviceDiscovery.namespaces.find((n) => n.Id === namespaceId)?.Name;
        const fqdn = namespaceName ? `${registry.Name}.${namespaceName}` : undefined;
        addPort(name, toServicePort(port, servicePort), field, `${fqdn ?? registry.Name}:${servicePort}`);
        d.map("serviceRegistries");
        if (registry.Type === "HTTP") {
            d.warn(
                "CLOUD_MAP_API",
                field,
                `callers find ${registry.Name} through the Cloud Map API (DiscoverInstances), which pods on EKS do not register in`,
                `change callers to dial ${name}.${namespace}.svc.cluster.local:${servicePort}`,
            );
        } else if (!fqdn) {
            d.warn("CLOUD_MAP_NAMESPACE", field, `callers resolve ${registry.Name}.<its Cloud Map namespace>, which is not in the snapshot; on EKS the Service is ${name} in namespace ${namespace}`, `make <name>.<namespace> resolve to ${name}.${namespace}.svc.cluster.local (CoreDNS rewrite), or change callers to ${name}:${servicePort}`);
        } else {
            const fix = callerFix(fqdn, name, namespace, servicePort);
            if (fix.resolves) {
                d.info("CLOUD_MAP_NAMESPACE", field, `callers resolve ${fqdn}, which resolves on EKS to Service ${name} in namespace ${namespace}`, "nothing to do");
            } else {
                d.warn("CLOUD_MAP_NAMESPACE", field, `callers resolve ${fqdn}:${servicePort}; on EKS that is Service ${name} in namespace ${namespace}, and ${fqdn} does not resolve`, fix.suggestion);
            }
        }
    });

    const loadBalancers: LoadBalancerPlan[] = [];
    (service?.loadBalancers ?? []).forEach((lb, i) => {
        const field = `loadBalancers[${i}]`;
        if (!lb.targetGroupArn) {
            d.error("CLASSIC_ELB", field, `Classic Load Balancer ${lb.loadBalancerName} cannot send traffic to pods`, "move the service to an Application or Network Load Balancer first");
            return;
        }
        const port = ports.find((p) => p.container === lb.containerName && p.containerPort === lb.containerPort);
        if (!port) {
            d.error("LOAD_BALANCER_PORT", field, `the load balancer sends traffic to ${lb.containerName}:${lb.containerPort}, which has no port mapping`, "add the port mapping to the task definition");
            return;
        }
        loadBalancers.push({ ecsTargetGroupArn: lb.targetGroupArn, containerName: lb.containerName ?? "", containerPort: port.containerPort, serviceName: primary, servicePort: port.containerPort });
        d.map("loadBalancers");
    });

    const objects: K8sObject[] = [...services.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, servicePorts]) => {
            const callers = [...(calledAs.get(name) ?? [])].sort();
            return {
                apiVersion: "v1",
                kind: "Service",
                metadata: { name, namespace, labels, ...(callers.length > 0 ? { annotations: { [ANNOTATION_CALLED_AS]: callers.join(",") } } : {}) },
                spec: { type: "ClusterIP", selector, ports: servicePorts.map((p) => ({ ...p })) },
            };
        });
    return { objects, loadBalancers };
}


function clusterOf(service: ServiceSnapshot | undefined, snapshot: EcsSnapshot): ClusterSnapshot["cluster"] | undefined {
    return snapshot.clusters.find((c) => c.cluster.clusterArn !== undefined && c.cluster.clusterArn === service?.clusterArn)?.cluster;
}

/** A Cloud Map namespace's name from how ECS refers to it: its name, ARN or id. */
function cloudMapNamespaceName(ref: string | undefined, snapshot: EcsSnapshot): string | undefined {
    if (!ref) {
        return undefined;
    }
    const found = snapshot.serviceDiscovery.namespaces.find((n) => n.Arn === ref || n.Id === ref || n.Name === ref);
    return found?.Name ?? (ref.startsWith("arn:") || /^ns-[a-z0-9]+$/.test(ref) ? undefined : ref);
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * What keeps `fqdn`, a name ECS callers dial, resolving to Service `service`
 * in `namespace`. Pods resolve `a.b` through their `svc.cluster.local` search
 * domain as Service a of namespace b; any other name needs CoreDNS to rewrite
 * it (plugin/rewrite: a regex name rule with the answer rewritten back, so
 * resolvers that compare question and answer accept it).
 */
function callerFix(fqdn: string, service: string, namespace: string, port: number): { resolves: boolean; suggestion: string } {
    const target = `${service}.${namespace}.svc.cluster.local`;
    const labels = fqdn.split(".");
    if (labels.length === 2 && labels[0] === service && labels[1] === namespace) {
        return { resolves: true, suggestion: "nothing to do" };
    }
    const rewrite = `rewrite stop name regex ^${escapeRegex(fqdn)}\\.?$ ${target} answer name ^${escapeRegex(target)}\\.?$ ${fqdn}`;
    const change = `or change callers to ${service}:${port} (same namespace) or ${target}:${port}`;
    if (labels.length === 2 && DNS1035_LABEL.test(labels[0]) && labels[0].length <= 63 && DNS1123_LABEL.test(labels[1]) && labels[1].length <= 63) {
        return {
            resolves: false,
            suggestion: `pods resolve ${fqdn} as Service ${labels[0]} of namespace ${labels[1]}: create it as an ExternalName (kubectl create namespace ${labels[1]}; kubectl -n ${labels[1]} create service externalname ${labels[0]} --external-name ${target}), or add this CoreDNS rewrite to the Corefile: ${rewrite}; ${change}`,
        };
    }
    return { resolves: false, suggestion: `add this CoreDNS rewrite to the Corefile: ${rewrite}; ${change}` };
}
