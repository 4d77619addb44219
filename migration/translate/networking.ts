/**
 * Kubernetes Services that keep every name callers use working: the
 * workload's own, Service Connect client aliases and Cloud Map registry
 * names, so `http://orders:8080` resolves on EKS as it did on ECS. Pure.
 */
import type { EcsSnapshot, ServiceSnapshot } from "../ecs/snapshot";
import { ContainerPort } from "./containers";
import { Diagnostics } from "./diagnostics";
import { dns1035Label } from "./names";
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
    const addPort = (serviceName: string, p: ServicePort, field: string) => {
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

    // Service Connect: every client alias is a name and port callers dial.
    const connect = service?.deployments?.find((dep) => dep.status === "PRIMARY")?.serviceConnectConfiguration ?? service?.deployments?.[0]?.serviceConnectConfiguration;
    (connect?.services ?? []).forEach((sc, i) => {
        const field = `serviceConnectConfiguration.services[${i}]`;
        const port = ports.find((p) => p.ecsName === sc.portName);
        if (!port) {
            d.error("SERVICE_CONNECT_PORT", `${field}.portName`, `Service Connect names port ${JSON.stringify(sc.portName)}, which no container port mapping has`, "name the port mapping in the task definition");
            return;
        }
        const aliases = sc.clientAliases && sc.clientAliases.length > 0 ? sc.clientAliases : [{ port: port.containerPort, dnsName: sc.discoveryName ?? sc.portName }];
        for (const alias of aliases) {
            const dnsName = alias.dnsName ?? sc.discoveryName ?? sc.portName ?? workload;
            const [first, ...rest] = dnsName.split(".");
            const name = dns1035Label(first);
            if (rest.length > 0) {
                d.warn(
                    "SERVICE_CONNECT_FQDN",
                    `${field}.clientAliases`,
                    `callers dial ${dnsName}:${alias.port}; the Kubernetes Service is ${name}.${namespace}`,
                    `callers in namespace ${namespace} can dial ${name}:${alias.port}; to keep ${dnsName} resolving, add a CoreDNS rewrite to ${name}.${namespace}.svc.cluster.local`,
                );
            } else if (name !== first) {
                d.warn("SERVICE_CONNECT_NAME", `${field}.clientAliases`, `alias ${dnsName} is not a valid Service name; the Service is ${name}`, `change callers to ${name}:${alias.port}`);
            }
            addPort(name, toServicePort(port, alias.port ?? port.containerPort), field);
        }
        d.map("serviceConnectConfiguration");
    });
    if (connect?.logConfiguration) {
        d.info("SERVICE_CONNECT_LOGS", "serviceConnectConfiguration.logConfiguration", "the Service Connect proxy's logs have no counterpart: there is no proxy", "nothing to do");
    }

    // Cloud Map registries: the registry service's name is what callers resolve.
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
        const namespaceName = snapshot.serviceDiscovery.namespaces.find((n) => n.Id === (registry as { NamespaceId?: string }).NamespaceId)?.Name;
        addPort(dns1035Label(registry.Name), toServicePort(port, r.port ?? port.containerPort), field);
        d.map("serviceRegistries");
        if (namespaceName) {
            d.info("CLOUD_MAP_NAMESPACE", field, `callers that resolve ${registry.Name}.${namespaceName} need a CoreDNS rewrite or must use ${dns1035Label(registry.Name)}`, `add a CoreDNS rewrite from ${namespaceName} to ${namespace}.svc.cluster.local`);
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
        .map(([name, servicePorts]) => ({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name, namespace, labels },
            spec: { type: "ClusterIP", selector, ports: servicePorts.map((p) => ({ ...p })) },
        }));
    return { objects, loadBalancers };
}
