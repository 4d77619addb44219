/**
 * A task definition → a pod template, shared by services (Deployment,
 * DaemonSet) and scheduled tasks (CronJob). Pure.
 */
import type { TaskDefinitionSnapshot, EcsSnapshot } from "../ecs/snapshot";
import { parseSecretReference } from "../ecs/secrets";
import { BASELINE_CAPABILITIES, ContainerPort, ContainerResult, EcsContainer, SecretEnv, translateContainer } from "./containers";
import { Diagnostics } from "./diagnostics";
import { ContainerProbes, probesFor } from "./health";
import { NameScope, dns1123Label } from "./names";
import { externalSecret, registryOf, registryPullSecret } from "./secrets";
import { sizeContainers } from "./sizes";
import { K8sObject, PodSecurityLevel } from "./types";
import { mountsFor, translateVolumes } from "./volumes";
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Json } from "../ecs/snapshot";

/** Kernel parameters Kubernetes lets any pod set (the rest need the node's allow-list). */
const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
]);

export interface PodContext {
    readonly namespace: string;
    readonly workload: string;
    readonly labels: Record<string, string>;
    readonly snapshot: EcsSnapshot;
    /** Container name → the target group that health-checks it, and the port. */
    readonly targetGroups: ReadonlyMap<string, { tg: Json<TargetGroup>; containerPort: number }>;
    readonly gracePeriodSeconds?: number;
    readonly d: Diagnostics;
}

export interface PodResult {
    readonly spec: Record<string, unknown>;
    readonly annotations: Record<string, string>;
    /** PV/PVC and ExternalSecrets the pod needs. */
    readonly objects: K8sObject[];
    readonly ports: (ContainerPort & { container: string })[];
    readonly secretArns: string[];
    readonly ssmParameters: string[];
    readonly fileSystemIds: string[];
    readonly podSecurity: PodSecurityLevel;
}

type Role = "main" | "sidecar" | "init";

/**
 * How each container runs on Kubernetes. dependsOn START/HEALTHY makes the
 * dependency a native sidecar (started first, running alongside; HEALTHY
 * waits for its startup probe); COMPLETE/SUCCESS makes it an init container.
 */
function containerRoles(containers: readonly EcsContainer[], d: Diagnostics): Map<string, Role> {
    const roles = new Map<string, Role>(containers.map((c) => [c.name ?? "", "main"]));
    for (const c of containers) {
        for (const dep of c.dependsOn ?? []) {
            const name = dep.containerName ?? "";
            if (!roles.has(name)) {
                d.error("DEPENDS_ON_UNKNOWN", `containerDefinitions[${c.name}].dependsOn`, `depends on container ${JSON.stringify(name)}, which the task does not have`, "fix the task definition", c.name);
                continue;
            }
            const wanted: Role = dep.condition === "COMPLETE" || dep.condition === "SUCCESS" ? "init" : "sidecar";
            const current = roles.get(name);
            if (current !== "main" && current !== wanted) {
                d.error("DEPENDS_ON_CONFLICT", `containerDefinitions[${c.name}].dependsOn`, `${name} is waited on both to start and to complete`, "split it into two containers", name);
                continue;
            }
            roles.set(name, wanted);
            d.map(`containerDefinitions[${c.name}].dependsOn`);
            if (dep.condition === "COMPLETE") {
                d.info("DEPENDS_ON_COMPLETE", `containerDefinitions[${c.name}].dependsOn`, `${name} ran to completion with any exit code on ECS; an init container must exit 0`, `make ${name} exit 0 when it is done`, name);
            }
        }
    }
    return roles;
}

/** Init containers in dependency order: a container after those it depends on. */
function dependencyOrder(names: readonly string[], byName: ReadonlyMap<string, EcsContainer>): string[] {
    const ordered: string[] = [];
    const visiting = new Set<string>();
    const visit = (name: string) => {
        if (ordered.includes(name) || visiting.has(name)) {
            return;
        }
        visiting.add(name);
        for (const dep of byName.get(name)?.dependsOn ?? []) {
            if (names.includes(dep.containerName ?? "")) {
                visit(dep.containerName ?? "");
            }
        }
        ordered.push(name);
    };
    names.forEach(visit);
    return ordered;
}

export function buildPod(td: TaskDefinitionSnapshot, ctx: PodContext): PodResult {
    const { d, namespace, workload, labels } = ctx;
    const containers = td.containerDefinitions ?? [];
    const byName = new Map(containers.map((c) => [c.name ?? "", c]));
    const resources = sizeContainers(td, d);
    const volumes = translateVolumes(td, namespace, workload, labels, d);
    const roles = containerRoles(containers, d);
    const containerNames = new NameScope((t) => dns1123Label(t));
    const portNames = new NameScope((t) => t);
    const secretNames = { secretsmanager: dns1123Label(`${workload}-secrets`), ssm: dns1123Label(`${workload}-parameters`) };
    const healthyDeps = new Set(containers.flatMap((c) => (c.dependsOn ?? []).filter((x) => x.condition === "HEALTHY").map((x) => x.containerName ?? "")));

    const results = new Map<string, ContainerResult>();
    containers.forEach((c, index) => {
        const tg = ctx.targetGroups.get(c.name ?? "");
        let probes: ContainerProbes = probesFor(c.healthCheck, ctx.gracePeriodSeconds, tg, d, c.name ?? "", `containerDefinitions[${c.name}]`);
        const role = roles.get(c.name ?? "");
        if (role === "init") {
            // Init containers run to completion: Kubernetes allows them no probes.
            probes = {};
        } else if (role === "sidecar" && healthyDeps.has(c.name ?? "")) {
            if (!probes.livenessProbe) {
                d.warn("HEALTHY_WITHOUT_CHECK", `containerDefinitions[${c.name}].healthCheck`, `containers wait for ${c.name} to be HEALTHY, but it has no health check`, "add a health check, or the wait is only for it to start", c.name);
            } else {
                probes = { ...probes, startupProbe: probes.startupProbe ?? { ...probes.livenessProbe } };
            }
        }
        results.set(c.name ?? "", translateContainer(c, { index, resources: { ...(resources.get(c.name ?? "") ?? {}) }, probes, portNames, secretNames, names: containerNames, d }));
    });

    const specOf = (c: EcsContainer) => {
        const r = results.get(c.name ?? "");
        if (!r) {
            return {};
        }
        const mounts = [...((r.spec.volumeMounts as unknown[]) ?? []), ...mountsFor(c, byName, volumes.names, d)];
        return { ...r.spec, ...(mounts.length > 0 ? { volumeMounts: mounts } : {}) };
    };
    const initNames = dependencyOrder(
        containers.filter((c) => roles.get(c.name ?? "") !== "main").map((c) => c.name ?? ""),
        byName,
    );
    const initContainers = initNames.map((n) => {
        const c = byName.get(n) as EcsContainer;
        return roles.get(n) === "sidecar" ? { ...specOf(c), restartPolicy: "Always" } : specOf(c);
    });
    const mainContainers = containers.filter((c) => roles.get(c.name ?? "") === "main").map(specOf);
    if (containers.length === 0) {
        d.error("NO_CONTAINERS", "containerDefinitions", "the task definition has no containers", "fix the task definition; the workload cannot run");
    } else if (mainContainers.length === 0) {
        d.error("NO_MAIN_CONTAINER", "containerDefinitions", "every container is a dependency of another; nothing is left to run", "check the dependsOn chain");
    }
    for (const c of containers) {
        const at = `containerDefinitions[${c.name}]`;
        if (c.essential === false && roles.get(c.name ?? "") === "main") {
            d.info("NON_ESSENTIAL", `${at}.essential`, `${c.name} was not essential: ECS let it stop; Kubernetes restarts it whenever it exits`, "if it is a one-off job, make the others depend on it with COMPLETE so it becomes an init container", c.name);
        } else {
            d.map(`${at}.essential`);
        }
        if (c.logConfiguration?.logDriver) {
            d.info(
                "LOGGING",
                `${at}.logConfiguration`,
                `log driver ${c.logConfiguration.logDriver} does not exist on Kubernetes; the container writes to stdout and the cluster's log pipeline ships it`,
                "run Fluent Bit or the CloudWatch Observability add-on as the cluster log pipeline; keep the log group names in its config",
                c.name,
            );
        }
        if (c.firelensConfiguration) {
            d.info("FIRELENS", `${at}.firelensConfiguration`, `${c.name} is a FireLens log router; it is kept as a container but receives no logs`, "drop it once the cluster log pipeline runs", c.name);
        }
    }

    // Pod-level settings gathered from the containers.
    const spec: Record<string, unknown> = {};
    const secretEnv = [...results.values()].flatMap((r) => r.secretEnv);
    const objects: K8sObject[] = [...volumes.objects];
    const bySource = (source: SecretEnv["source"]) => secretEnv.filter((e) => e.source === source);
    if (bySource("secretsmanager").length > 0) {
        objects.push(externalSecret(secretNames.secretsmanager, namespace, labels, "secretsmanager", bySource("secretsmanager")));
    }
    if (bySource("ssm").length > 0) {
        objects.push(externalSecret(secretNames.ssm, namespace, labels, "ssm", bySource("ssm")));
    }
    const secretArns = secretEnv.filter((e) => e.source === "secretsmanager").map((e) => e.remoteKey);
    const ssmParameters = secretEnv.filter((e) => e.source === "ssm").map((e) => e.remoteKey);
    const pullSecrets: { name: string }[] = [];
    containers.forEach((c) => {
        const credentials = c.repositoryCredentials?.credentialsParameter;
        if (credentials && c.image) {
            const ref = parseSecretReference(credentials);
            const name = dns1123Label(`${workload}-registry-${pullSecrets.length}`);
            objects.push(registryPullSecret(name, namespace, labels, ref.id, registryOf(c.image)));
            pullSecrets.push({ name });
            secretArns.push(ref.id);
            d.map(`containerDefinitions[${c.name}].repositoryCredentials`);
        }
    });
    if (pullSecrets.length > 0) {
        spec.imagePullSecrets = pullSecrets;
    }

    const stopTimeouts = [...results.values()].map((r) => r.stopTimeout).filter((t): t is number => t !== undefined);
    if (stopTimeouts.length > 0) {
        spec.terminationGracePeriodSeconds = Math.max(...stopTimeouts);
        containers.filter((c) => c.stopTimeout !== undefined).forEach((c) => d.map(`containerDefinitions[${c.name}].stopTimeout`));
    }
    const hostnames = containers.map((c) => c.hostname).filter((h): h is string => !!h);
    if (hostnames.length > 0) {
        spec.hostname = dns1123Label(hostnames[0]);
        containers.filter((c) => c.hostname).forEach((c) => d.map(`containerDefinitions[${c.name}].hostname`));
    }
    const nameservers = [...new Set(containers.flatMap((c) => c.dnsServers ?? []))];
    const searches = [...new Set(containers.flatMap((c) => c.dnsSearchDomains ?? []))];
    if (nameservers.length > 0 || searches.length > 0) {
        if (nameservers.length > 0) {
            // Custom nameservers replace cluster DNS: Service names stop resolving.
            spec.dnsPolicy = "None";
            d.warn("DNS_SERVERS", "containerDefinitions[*].dnsServers", `the pod resolves with ${nameservers.join(", ")} only; Kubernetes Service names will not resolve`, "drop dnsServers and forward the zones in CoreDNS instead, if the pod calls other services");
        }
        spec.dnsConfig = { ...(nameservers.length > 0 ? { nameservers } : {}), ...(searches.length > 0 ? { searches } : {}) };
        containers.filter((c) => c.dnsServers || c.dnsSearchDomains).forEach((c) => d.map(`containerDefinitions[${c.name}].dnsSearchDomains`));
    }
    const hostAliases = new Map<string, string[]>();
    for (const c of containers) {
        for (const h of c.extraHosts ?? []) {
            if (h.ipAddress && h.hostname) {
                hostAliases.set(h.ipAddress, [...(hostAliases.get(h.ipAddress) ?? []), h.hostname]);
                d.map(`containerDefinitions[${c.name}].extraHosts`);
            }
        }
    }
    if (hostAliases.size > 0) {
        spec.hostAliases = [...hostAliases.entries()].map(([ip, hostnames]) => ({ ip, hostnames: [...new Set(hostnames)] }));
    }
    const sysctls: { name: string; value: string }[] = [];
    for (const c of containers) {
        for (const sc of c.systemControls ?? []) {
            if (!sc.namespace || sc.value === undefined) {
                continue;
            }
            if (SAFE_SYSCTLS.has(sc.namespace)) {
                sysctls.push({ name: sc.namespace, value: sc.value });
                d.map(`containerDefinitions[${c.name}].systemControls`);
            } else {
                d.warn("UNSAFE_SYSCTL", `containerDefinitions[${c.name}].systemControls`, `kernel parameter ${sc.namespace} is not in Kubernetes' safe set`, "allow it on the nodes (kubelet --allowed-unsafe-sysctls) and set it in the pod's securityContext", c.name);
            }
        }
    }

    // Host namespaces.
    let hostAccess = false;
    if (td.networkMode === "host") {
        spec.hostNetwork = true;
        spec.dnsPolicy ??= "ClusterFirstWithHostNet";
        hostAccess = true;
        d.warn("HOST_NETWORK", "networkMode", "the task used the host's network; the pod does too", "use pod networking unless this is a node agent");
    } else if (td.networkMode === "bridge" || td.networkMode === "none") {
        d.info("NETWORK_MODE", "networkMode", `network mode ${td.networkMode} becomes pod networking: the pod gets its own VPC address`, "callers use the pod's Service instead of host ports");
    } else {
        d.map("networkMode");
    }
    if (td.pidMode === "host") {
        spec.hostPID = true;
        hostAccess = true;
        d.warn("HOST_PID", "pidMode", "the pod shares the host's process namespace", "remove unless this is a node agent");
    } else if (td.pidMode === "task") {
        spec.shareProcessNamespace = true;
        d.map("pidMode");
    }
    if (td.ipcMode === "host") {
        spec.hostIPC = true;
        hostAccess = true;
        d.warn("HOST_IPC", "ipcMode", "the pod shares the host's IPC namespace", "remove unless this is a node agent");
    } else if (td.ipcMode) {
        d.info("IPC_MODE", "ipcMode", `ipcMode ${td.ipcMode}: containers of a pod share IPC already`, "nothing to do");
    }
    if (td.proxyConfiguration) {
        d.warn("APP_MESH", "proxyConfiguration", "the task routes through an App Mesh proxy, which is not carried over", "App Mesh is retired; use plain Services, or a service mesh (Istio, Linkerd) on EKS");
    }

    const podSecurityContext: Record<string, unknown> = { seccompProfile: { type: "RuntimeDefault" } };
    if (sysctls.length > 0) {
        podSecurityContext.sysctls = sysctls;
    }
    const needs = [...results.values()].map((r) => r.needs);
    if (needs.length > 0 && needs.every((n) => !n.runsAsRootOrUnknown)) {
        podSecurityContext.runAsNonRoot = true;
    }
    spec.securityContext = podSecurityContext;
    if (initContainers.length > 0) {
        spec.initContainers = initContainers;
    }
    spec.containers = mainContainers;
    const memoryVolumes = [...results.values()].flatMap((r) => r.memoryVolumes).map((v) => ({ name: v.name, emptyDir: { medium: "Memory", ...(v.sizeLimit ? { sizeLimit: v.sizeLimit } : {}) } }));
    const podVolumes = [...volumes.podVolumes, ...memoryVolumes];
    if (podVolumes.length > 0) {
        spec.volumes = podVolumes;
    }

    const privileged = hostAccess || volumes.usesHostPath || needs.some((n) => n.privileged || n.hostPorts || n.addedCapabilities.some((c) => !BASELINE_CAPABILITIES.has(c)));
    const baseline = needs.some((n) => n.runsAsRootOrUnknown || n.addedCapabilities.some((c) => c !== "NET_BIND_SERVICE"));
    const podSecurity: PodSecurityLevel = privileged ? "privileged" : baseline ? "baseline" : "restricted";
    if (podSecurity === "baseline" && needs.some((n) => n.runsAsRootOrUnknown)) {
        d.info("RUN_AS_USER", "containerDefinitions[*].user", "a container runs as root or as the image's default user, so the namespace cannot enforce Pod Security restricted", "set user to a numeric non-root uid:gid in the task definition (or runAsUser here)");
    }

    const annotations: Record<string, string> = {};
    for (const c of containers) {
        if (c.dockerLabels && Object.keys(c.dockerLabels).length > 0) {
            annotations[`ecs2eks.io/docker-labels.${dns1123Label(c.name ?? "container")}`] = JSON.stringify(c.dockerLabels);
            d.map(`containerDefinitions[${c.name}].dockerLabels`);
        }
    }
    const ports = containers.flatMap((c) => (results.get(c.name ?? "")?.ports ?? []).map((p) => ({ ...p, container: c.name ?? "" })));
    return {
        spec,
        annotations,
        objects,
        ports,
        secretArns: [...new Set(secretArns)].sort(),
        ssmParameters: [...new Set(ssmParameters)].sort(),
        fileSystemIds: [...new Set(volumes.fileSystemIds)].sort(),
        podSecurity,
    };
}
