/**
 * A task definition → a pod template, shared by services (Deployment,
 * DaemonSet) and scheduled tasks (CronJob). Pure.
 */
import type { TaskDefinitionSnapshot, EcsSnapshot, ServiceSnapshot } from "../../core/snapshot";
import { parseSecretReference } from "../../core/secretReference";
import { BASELINE_CAPABILITIES, ContainerPort, ContainerResult, EcsContainer, SecretEnv, translateContainer } from "./containers";
import { VALUES_FROM_ANNOTATION, credentialsSecretName } from "./credentials";
import { Diagnostics } from "./diagnostics";
import { ContainerProbes, probesFor } from "./health";
import { Role, containerLifecycle } from "./lifecycle";
import { logAnnotations } from "./logging";
import { NameScope, dns1123Label } from "./names";
import { RULES } from "./rules";
import { applyRules } from "./rules/apply";
import { linkAliases, portConflicts } from "./sharedNetwork";
import { externalSecret, registryOf, registryPullSecret } from "./secrets";
import { sizeContainers } from "./sizes";
import { K8sObject, PlaintextCredential, PodSecurityLevel } from "./types";
import { mountsFor, translateVolumes } from "./volumes";
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Json } from "../../core/snapshot";

export interface PodContext {
    readonly namespace: string;
    readonly workload: string;
    readonly labels: Record<string, string>;
    readonly snapshot: EcsSnapshot;
    /** The ECS service, for the mapping rules; absent for a scheduled task. */
    readonly service?: ServiceSnapshot;
    /** Container name → the target group that health-checks it, and the port. */
    readonly targetGroups: ReadonlyMap<string, { tg: Json<TargetGroup>; containerPort: number }>;
    readonly gracePeriodSeconds?: number;
    /** The pod runs to completion (a scheduled task's Job) rather than forever. */
    readonly job?: boolean;
    /** The configuredAtLaunch volumes the service configures (managed EBS volumes). */
    readonly launchConfigured?: ReadonlySet<string>;
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
    /** Credentials found in literal environment values, delivered through the credentials Secret among the objects. */
    readonly plaintextCredentials: PlaintextCredential[];
    /** ECS volume name → pod volume name. */
    readonly volumeNames: ReadonlyMap<string, string>;
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

/**
 * The container that carries the task's ephemeral storage request: the first
 * essential regular container, so that the request lasts as long as the pod.
 */
function storageContainer(containers: readonly EcsContainer[], roles: ReadonlyMap<string, Role>): string | undefined {
    const running = containers.filter((c) => roles.get(c.name ?? "") === "main" || roles.get(c.name ?? "") === "sidecar");
    return (running.find((c) => c.essential !== false && roles.get(c.name ?? "") === "main") ?? running.find((c) => c.essential !== false) ?? running[0])?.name;
}

export function buildPod(td: TaskDefinitionSnapshot, ctx: PodContext): PodResult {
    const { d, namespace, workload, labels } = ctx;
    const containers = td.containerDefinitions ?? [];
    const byName = new Map(containers.map((c) => [c.name ?? "", c]));
    const job = ctx.job === true;
    const lifecycle = containerLifecycle(containers, job, d);
    const roles = lifecycle.roles;
    const resources = sizeContainers(td, d, storageContainer(containers, roles));
    const volumes = translateVolumes(td, namespace, workload, labels, d, ctx.launchConfigured);
    const containerNames = new NameScope((t) => dns1123Label(t));
    const portNames = new NameScope((t) => t);
    const secretNames = { secretsmanager: dns1123Label(`${workload}-secrets`), ssm: dns1123Label(`${workload}-parameters`) };
    const credentialsSecret = credentialsSecretName(workload);
    const healthyDeps = new Set(containers.flatMap((c) => (c.dependsOn ?? []).filter((x) => x.condition === "HEALTHY").map((x) => x.containerName ?? "")));

    const results = new Map<string, ContainerResult>();
    containers.forEach((c, index) => {
        if (roles.get(c.name ?? "") === "omit") {
            return;
        }
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
        results.set(c.name ?? "", translateContainer(c, { index, resources: { ...(resources.get(c.name ?? "") ?? {}) }, probes, portNames, secretNames, credentialsSecret, names: containerNames, networkMode: td.networkMode, job, d }));
    });

    // The mapping rules (rules/): what they add to the pod, its containers and objects.
    const ruled = applyRules({ td, service: ctx.service, job, d }, RULES);
    const specOf = (c: EcsContainer) => {
        const r = results.get(c.name ?? "");
        if (!r) {
            return {};
        }
        const mounts = [...((r.spec.volumeMounts as unknown[]) ?? []), ...mountsFor(c, byName, volumes.names, d)];
        return { ...r.spec, ...ruled.containers.get(c.name ?? ""), ...(mounts.length > 0 ? { volumeMounts: mounts } : {}) };
    };
    // Sidecars first, so that the run-once containers already have their proxies and log routers; dependsOn still orders them.
    const inInit = (role: Role) => containers.filter((c) => roles.get(c.name ?? "") === role).map((c) => c.name ?? "");
    const initNames = dependencyOrder([...inInit("sidecar"), ...inInit("init")], byName);
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
    const kept = containers.filter((c) => roles.get(c.name ?? "") !== "omit");
    for (const c of kept) {
        if (c.firelensConfiguration) {
            d.info("FIRELENS", `containerDefinitions[${c.name}].firelensConfiguration`, `${c.name} is a FireLens log router; it is kept, but no container sends it logs any more`, "drop it: the cluster's Fluent Bit carries the routes", c.name);
        }
    }
    const logs = logAnnotations(kept, ctx.snapshot.region, d);

    // Pod-level settings gathered from the containers.
    const spec: Record<string, unknown> = {};
    const secretEnv = [...results.values()].flatMap((r) => r.secretEnv);
    const objects: K8sObject[] = [...volumes.objects, ...ruled.objects];
    const bySource = (source: SecretEnv["source"]) => secretEnv.filter((e) => e.source === source);
    if (bySource("secretsmanager").length > 0) {
        objects.push(externalSecret(secretNames.secretsmanager, namespace, labels, "secretsmanager", bySource("secretsmanager")));
    }
    if (bySource("ssm").length > 0) {
        objects.push(externalSecret(secretNames.ssm, namespace, labels, "ssm", bySource("ssm")));
    }
    const plaintextCredentials = [...new Map([...results.values()].flatMap((r) => r.plaintextCredentials).map((p) => [p.key, p])).values()];
    if (plaintextCredentials.length > 0) {
        objects.push(credentialsSecretObject(credentialsSecret, namespace, labels, td.taskDefinitionArn ?? "", plaintextCredentials));
    }
    const secretArns = secretEnv.filter((e) => e.source === "secretsmanager").map((e) => e.remoteKey);
    const ssmParameters = secretEnv.filter((e) => e.source === "ssm").map((e) => e.remoteKey);
    const pullSecrets: { name: string }[] = [];
    kept.forEach((c) => {
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
    const resolved = new Set([...hostAliases.values()].flat().map((h) => h.toLowerCase()));
    if (typeof spec.hostname === "string") {
        resolved.add(spec.hostname);
    }
    const linked = linkAliases(kept, resolved, d);
    if (linked.length > 0) {
        hostAliases.set("127.0.0.1", [...(hostAliases.get("127.0.0.1") ?? []), ...linked]);
    }
    if (hostAliases.size > 0) {
        spec.hostAliases = [...hostAliases.entries()].map(([ip, hostnames]) => ({ ip, hostnames: [...new Set(hostnames)] }));
    }
    // Host namespaces.
    let hostAccess = ruled.hostAccess;
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
    Object.assign(spec, ruled.pod);

    const podSecurityContext: Record<string, unknown> = { seccompProfile: { type: "RuntimeDefault" } };
    if (ruled.sysctls.length > 0) {
        podSecurityContext.sysctls = ruled.sysctls;
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
    if (lifecycle.activeDeadlineSeconds !== undefined) {
        spec.activeDeadlineSeconds = lifecycle.activeDeadlineSeconds;
    }
    const memoryVolumes = [...results.values()].flatMap((r) => r.memoryVolumes).map((v) => ({ name: v.name, emptyDir: { medium: "Memory", ...(v.sizeLimit ? { sizeLimit: v.sizeLimit } : {}) } }));
    const podVolumes = [...volumes.podVolumes, ...memoryVolumes];
    if (podVolumes.length > 0) {
        spec.volumes = podVolumes;
    }

    const privileged = hostAccess || volumes.usesHostPath || needs.some((n) => n.privileged || n.addedCapabilities.some((c) => !BASELINE_CAPABILITIES.has(c)));
    const baseline = needs.some((n) => n.runsAsRootOrUnknown || n.addedCapabilities.some((c) => c !== "NET_BIND_SERVICE"));
    const podSecurity: PodSecurityLevel = privileged ? "privileged" : baseline ? "baseline" : "restricted";
    if (podSecurity === "baseline" && needs.some((n) => n.runsAsRootOrUnknown)) {
        d.info("RUN_AS_USER", "containerDefinitions[*].user", "a container runs as root or as the image's default user, so the namespace cannot enforce Pod Security restricted", "set user to a numeric non-root uid:gid in the task definition (or runAsUser here)");
    }

    const annotations: Record<string, string> = { ...logs };
    for (const c of containers) {
        if (c.dockerLabels && Object.keys(c.dockerLabels).length > 0) {
            annotations[`ecs2eks.io/docker-labels.${dns1123Label(c.name ?? "container")}`] = JSON.stringify(c.dockerLabels);
            d.map(`containerDefinitions[${c.name}].dockerLabels`);
        }
    }
    const ports = containers.flatMap((c) => (results.get(c.name ?? "")?.ports ?? []).map((p) => ({ ...p, container: c.name ?? "" })));
    if (td.networkMode === "bridge") {
        portConflicts(ports, d);
    }
    return {
        spec,
        annotations,
        objects,
        ports,
        secretArns: [...new Set(secretArns)].sort(),
        ssmParameters: [...new Set(ssmParameters)].sort(),
        fileSystemIds: [...new Set(volumes.fileSystemIds)].sort(),
        podSecurity,
        plaintextCredentials,
        volumeNames: volumes.names,
    };
}

/**
 * The Secret the pod reads its plain-text credentials from, without the
 * values: an annotation says where each comes from. The EcsMigration
 * component adds them from the snapshot as Pulumi secrets; applied as a raw
 * manifest it has no keys, so the pod waits (CreateContainerConfigError)
 * instead of starting with a wrong value.
 */
function credentialsSecretObject(name: string, namespace: string, labels: Record<string, string>, taskDefinitionArn: string, credentials: readonly PlaintextCredential[]): K8sObject {
    const from = Object.fromEntries(credentials.map((c) => [c.key, `task definition ${taskDefinitionArn}, container ${c.container}, environment variable ${c.name}`]));
    return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace, labels, annotations: { [VALUES_FROM_ANNOTATION]: JSON.stringify(from) } }, type: "Opaque" };
}
