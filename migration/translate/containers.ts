/**
 * One ECS container definition → one Kubernetes container. Pure. Pod-level
 * consequences (shared memory volumes, secrets to fetch, security needs) are
 * returned for the workload to assemble.
 */
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import type { Json } from "../../core/snapshot";
import { parseSecretReference } from "../../core/secretReference";
import { detectCredential } from "../../core/credentialDetection";
import { secretsManagerSteps } from "./credentials";
import { Diagnostics } from "./diagnostics";
import { ContainerProbes } from "./health";
import { MAX_LABEL, NameScope, dns1123Label, portName } from "./names";
import type { PlaintextCredential } from "./types";

export type EcsContainer = Json<ContainerDefinition>;

export interface ContainerPort {
    readonly name: string;
    readonly containerPort: number;
    readonly protocol: "TCP" | "UDP";
    /** ECS appProtocol (http, http2, grpc), for the Service port. */
    readonly appProtocol?: string;
    /** The ECS portMapping name, which Service Connect refers to. */
    readonly ecsName?: string;
}

export interface SecretEnv {
    /** Key in the workload's Kubernetes Secret. */
    readonly key: string;
    readonly source: "secretsmanager" | "ssm";
    /** Secret ARN (without JSON key and version) or SSM parameter name. */
    readonly remoteKey: string;
    readonly property?: string;
    /** ESO version: a stage name, or uuid/<version id>. */
    readonly version?: string;
}

export interface ContainerResult {
    readonly name: string;
    readonly spec: Record<string, unknown>;
    readonly ports: readonly ContainerPort[];
    readonly secretEnv: readonly SecretEnv[];
    /** Credentials it held as literal environment values, now read from the credentials Secret. */
    readonly plaintextCredentials: readonly PlaintextCredential[];
    /** emptyDir volumes (shared memory, tmpfs) the container needs. */
    readonly memoryVolumes: readonly { readonly name: string; readonly sizeLimit?: string }[];
    /** What it needs from Pod Security. Host ports are never carried over (every pod has its own IP), so they need nothing. */
    readonly needs: { readonly privileged: boolean; readonly addedCapabilities: readonly string[]; readonly runsAsRootOrUnknown: boolean };
    readonly stopTimeout?: number;
}

/** Capabilities the Pod Security "baseline" level allows to be added. */
export const BASELINE_CAPABILITIES = new Set([
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);

function parseUser(user: string | undefined): { uid?: number; gid?: number; named?: string } {
    if (!user) {
        return {};
    }
    const [u, g] = user.split(":");
    const uid = /^\d+$/.test(u) ? Number(u) : undefined;
    const gid = g !== undefined && /^\d+$/.test(g) ? Number(g) : undefined;
    return { ...(uid !== undefined ? { uid } : { named: user }), ...(gid !== undefined ? { gid } : {}), ...(g !== undefined && gid === undefined ? { named: user } : {}) };
}

function secretKey(container: string, env: string): string {
    return `${container}.${env}`.replace(/[^-._a-zA-Z0-9]/g, "_");
}

export interface ContainerContext {
    readonly index: number;
    readonly resources: Record<string, unknown>;
    readonly probes: ContainerProbes;
    readonly portNames: NameScope;
    /** The Kubernetes Secrets its ExternalSecrets write, per source. */
    readonly secretNames: { readonly secretsmanager: string; readonly ssm: string };
    /** The Secret that holds the workload's credentials found in plain environment values. */
    readonly credentialsSecret: string;
    readonly names: NameScope;
    /** The task's network mode: host ports meant something in bridge mode. */
    readonly networkMode?: string;
    /** The pod runs to completion (a Job), with restartPolicy Never. */
    readonly job: boolean;
    readonly d: Diagnostics;
}

export function translateContainer(c: EcsContainer, ctx: ContainerContext): ContainerResult {
    const { d } = ctx;
    const ecsName = c.name ?? `container-${ctx.index}`;
    const name = ctx.names.claim(ecsName);
    const at = `containerDefinitions[${ecsName}]`;
    if (name !== c.name) {
        d.info("CONTAINER_RENAMED", `${at}.name`, `container ${JSON.stringify(c.name)} is named ${name} on Kubernetes (DNS-1123 labels only)`, "update scripts that name the container (kubectl logs -c)", ecsName);
    } else {
        d.map(`${at}.name`);
    }
    const spec: Record<string, unknown> = { name };
    const mark = (field: string) => d.map(`${at}.${field}`);

    if (!c.image) {
        d.error("IMAGE_MISSING", `${at}.image`, "the container has no image", "set an image in the task definition", ecsName);
    } else {
        spec.image = c.image;
        mark("image");
    }
    if (c.entryPoint && c.entryPoint.length > 0) {
        spec.command = [...c.entryPoint];
        mark("entryPoint");
    }
    if (c.command && c.command.length > 0) {
        spec.args = [...c.command];
        mark("command");
    }
    if (c.workingDirectory) {
        spec.workingDir = c.workingDirectory;
        mark("workingDirectory");
    }

    // A credential in a literal value is read from the workload's credentials Secret instead: never a literal in a manifest.
    const plaintextCredentials: PlaintextCredential[] = [];
    const env: Record<string, unknown>[] = (c.environment ?? [])
        .filter((e): e is typeof e & { name: string } => !!e.name)
        .map((e) => {
            const found = detectCredential(e.name, e.value);
            if (!found) {
                return { name: e.name, value: e.value ?? "" };
            }
            const key = secretKey(name, e.name);
            plaintextCredentials.push({ container: ecsName, name: e.name, key, reason: found.reason });
            d.warn(
                "PLAINTEXT_CREDENTIAL",
                `${at}.environment[${e.name}]`,
                `environment variable ${e.name} holds a credential in plain text (${found.reason}): the pod reads it from Secret ${ctx.credentialsSecret} (key ${key}), which the EcsMigration component fills from the snapshot as a Pulumi secret; the value is still in the task definition and in the snapshot file`,
                secretsManagerSteps(d.service, e.name),
                ecsName,
            );
            return { name: e.name, valueFrom: { secretKeyRef: { name: ctx.credentialsSecret, key } } };
        });
    if (env.length > 0) {
        mark("environment");
    }
    const secretEnv: SecretEnv[] = [];
    for (const s of c.secrets ?? []) {
        if (!s.name || !s.valueFrom) {
            continue;
        }
        const ref = parseSecretReference(s.valueFrom);
        const key = secretKey(name, s.name);
        secretEnv.push({
            key,
            source: ref.source,
            remoteKey: ref.id,
            ...(ref.jsonKey ? { property: ref.jsonKey } : {}),
            ...(ref.versionId ? { version: `uuid/${ref.versionId}` } : ref.versionStage ? { version: ref.versionStage } : {}),
        });
        env.push({ name: s.name, valueFrom: { secretKeyRef: { name: ctx.secretNames[ref.source], key } } });
    }
    if (secretEnv.length > 0) {
        mark("secrets");
    }
    if (env.length > 0) {
        spec.env = env;
    }
    if (c.environmentFiles && c.environmentFiles.length > 0) {
        d.warn(
            "ENVIRONMENT_FILES",
            `${at}.environmentFiles`,
            `the container loads environment files from S3 (${c.environmentFiles.map((f) => f.value).join(", ")}), which Kubernetes cannot`,
            "put the variables in a ConfigMap (or an ExternalSecret if they are secret) and add envFrom to the container",
            ecsName,
        );
    }

    // Ports: names must be unique in the pod and fit IANA service names.
    const ports: ContainerPort[] = [];
    (c.portMappings ?? []).forEach((pm, i) => {
        const field = `${at}.portMappings[${i}]`;
        if (pm.containerPortRange) {
            d.error("PORT_RANGE", `${field}.containerPortRange`, `port range ${pm.containerPortRange} has no Kubernetes equivalent`, "list the ports the container really listens on one by one", ecsName);
            return;
        }
        if (pm.containerPort === undefined) {
            return;
        }
        const protocol = (pm.protocol ?? "tcp").toUpperCase() === "UDP" ? "UDP" : "TCP";
        const pn = ctx.portNames.claim(portName(pm.name, pm.containerPort, protocol));
        ports.push({ name: pn, containerPort: pm.containerPort, protocol, ...(pm.appProtocol ? { appProtocol: pm.appProtocol } : {}), ...(pm.name ? { ecsName: pm.name } : {}) });
        mark("portMappings");
        // The pod gets no hostPort either way, so it needs no host access (Pod Security baseline forbids host ports).
        if (pm.hostPort !== undefined && pm.hostPort !== 0 && pm.hostPort !== pm.containerPort) {
            d.warn("HOST_PORT_DROPPED", `${field}.hostPort`, `host port ${pm.hostPort} (remapped to container port ${pm.containerPort}) is not carried over: every pod has its own IP, so the pod binds no host port and needs no host access`, `callers reach the pod through its Service on port ${pm.containerPort}, not on port ${pm.hostPort} of a node`, ecsName);
        } else if (ctx.networkMode === "bridge" && pm.hostPort !== undefined && pm.hostPort !== 0) {
            d.info("HOST_PORT_DROPPED", `${field}.hostPort`, `host port ${pm.hostPort} of the instance is not carried over: the pod binds port ${pm.containerPort} on its own IP, not on the node's`, "callers that used the instance's address reach the pod through its Service", ecsName);
        }
    });
    if (ports.length > 0) {
        spec.ports = ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }));
    }

    spec.resources = ctx.resources;
    Object.assign(spec, ctx.probes);

    // Security: least privilege unless ECS asked for more.
    const securityContext: Record<string, unknown> = { allowPrivilegeEscalation: false };
    const user = parseUser(c.user);
    if (user.uid !== undefined) {
        securityContext.runAsUser = user.uid;
        securityContext.runAsNonRoot = user.uid !== 0;
        mark("user");
    }
    if (user.gid !== undefined) {
        securityContext.runAsGroup = user.gid;
    }
    if (user.named) {
        d.warn("USER_NAME", `${at}.user`, `user ${JSON.stringify(c.user)} is a name; Kubernetes takes numeric IDs`, "use the numeric uid:gid from the image's /etc/passwd", ecsName);
    }
    const runsAsRootOrUnknown = user.uid === undefined || user.uid === 0;
    if (c.privileged) {
        securityContext.privileged = true;
        securityContext.allowPrivilegeEscalation = true;
        mark("privileged");
        d.warn("PRIVILEGED", `${at}.privileged`, "the container runs privileged, with full access to the node", "drop privileged and add only the capabilities it needs; the namespace needs Pod Security level privileged", ecsName);
    }
    if (c.readonlyRootFilesystem !== undefined) {
        securityContext.readOnlyRootFilesystem = c.readonlyRootFilesystem;
        mark("readonlyRootFilesystem");
    }
    const lp = c.linuxParameters;
    const added = (lp?.capabilities?.add ?? []).map((cap) => cap.replace(/^CAP_/, ""));
    const dropped = (lp?.capabilities?.drop ?? []).map((cap) => cap.replace(/^CAP_/, ""));
    if (lp?.capabilities) {
        mark("linuxParameters.capabilities");
    }
    if (dropped.length > 0) {
        securityContext.capabilities = { drop: dropped, ...(added.length > 0 ? { add: added } : {}) };
    } else if (!runsAsRootOrUnknown) {
        // A non-root process needs none of Docker's default capabilities: drop them all (Pod Security restricted).
        securityContext.capabilities = { drop: ["ALL"], ...(added.length > 0 ? { add: added } : {}) };
        if (added.length === 0) {
            d.info("CAPABILITIES_DROPPED", `${at}.linuxParameters.capabilities`, "the container runs as a non-root user with no Linux capabilities (ECS gave Docker's defaults)", "if it binds ports below 1024, add NET_BIND_SERVICE", ecsName);
        }
    } else {
        // Root (or the image's user): keep Docker's defaults as ECS did (a root nginx needs SETUID to drop to its worker user), less raw sockets.
        securityContext.capabilities = { drop: ["NET_RAW"], ...(added.length > 0 ? { add: added } : {}) };
    }
    spec.securityContext = securityContext;

    const memoryVolumes: { name: string; sizeLimit?: string }[] = [];
    const mounts: Record<string, unknown>[] = [];
    if (lp?.sharedMemorySize) {
        const vol = dns1123Label(`${name}-shm`, MAX_LABEL);
        memoryVolumes.push({ name: vol, sizeLimit: `${lp.sharedMemorySize}Mi` });
        mounts.push({ name: vol, mountPath: "/dev/shm" });
        mark("linuxParameters.sharedMemorySize");
    }
    (lp?.tmpfs ?? []).forEach((t, i) => {
        if (!t.containerPath) {
            return;
        }
        const vol = dns1123Label(`${name}-tmpfs-${i}`, MAX_LABEL);
        memoryVolumes.push({ name: vol, ...(t.size ? { sizeLimit: `${t.size}Mi` } : {}) });
        mounts.push({ name: vol, mountPath: t.containerPath });
        mark("linuxParameters.tmpfs");
        if (t.mountOptions && t.mountOptions.length > 0) {
            d.info("TMPFS_OPTIONS", `${at}.linuxParameters.tmpfs[${i}].mountOptions`, `tmpfs mount options ${t.mountOptions.join(",")} are not carried over`, "an emptyDir with medium Memory takes no mount options", ecsName);
        }
    });
    if (mounts.length > 0) {
        spec.volumeMounts = mounts;
    }
    if (lp?.initProcessEnabled) {
        d.info("INIT_PROCESS", `${at}.linuxParameters.initProcessEnabled`, "ECS ran an init process (tini) as PID 1; Kubernetes does not", "use an image with an init (tini, dumb-init) as its entry point, or set shareProcessNamespace on the pod", ecsName);
    }
    if (lp?.devices && lp.devices.length > 0) {
        d.warn("DEVICES", `${at}.linuxParameters.devices`, `host devices ${lp.devices.map((dev) => dev.hostPath).join(", ")} are not mounted`, "use a device plugin for the hardware, or a privileged container with a hostPath volume", ecsName);
    }
    if (lp?.maxSwap !== undefined || lp?.swappiness !== undefined) {
        d.info("SWAP", `${at}.linuxParameters.maxSwap`, "swap settings are not carried over", "Kubernetes manages swap per node (NodeSwap); nothing to do per container", ecsName);
    }
    if (c.ulimits && c.ulimits.length > 0) {
        ulimits(c.ulimits, `${at}.ulimits`, ecsName, d);
    }
    if (c.dockerSecurityOptions && c.dockerSecurityOptions.length > 0) {
        d.warn("DOCKER_SECURITY_OPTIONS", `${at}.dockerSecurityOptions`, `Docker security options ${c.dockerSecurityOptions.join(", ")} are not carried over`, "use securityContext.seLinuxOptions, appArmorProfile or seccompProfile instead", ecsName);
    }
    if (c.disableNetworking) {
        d.warn("DISABLE_NETWORKING", `${at}.disableNetworking`, "the container had networking disabled; pod containers share the pod's network", "add a NetworkPolicy that denies the pod's traffic if it must be isolated", ecsName);
    }
    if (c.interactive) {
        spec.stdin = true;
        mark("interactive");
    }
    if (c.pseudoTerminal) {
        spec.tty = true;
        mark("pseudoTerminal");
    }
    if (c.resourceRequirements?.some((r) => r.type === "InferenceAccelerator")) {
        d.error("INFERENCE_ACCELERATOR", `${at}.resourceRequirements`, "Elastic Inference accelerators do not exist on EKS (and are retired)", "run the model on a GPU or Inferentia node group", ecsName);
    }
    if (c.credentialSpecs && c.credentialSpecs.length > 0) {
        d.warn("CREDENTIAL_SPECS", `${at}.credentialSpecs`, "gMSA credential specs are not carried over", "configure gMSA for Windows pods (securityContext.windowsOptions.gmsaCredentialSpecName)", ecsName);
    }
    if (c.restartPolicy?.enabled) {
        if (ctx.job) {
            d.warn("RESTART_POLICY", `${at}.restartPolicy`, "ECS restarted this container in place when it failed; the Job's pod restarts no container (restartPolicy Never)", "set the Job template's restartPolicy to OnFailure if the container should be retried in place", ecsName);
        } else {
            d.info("RESTART_POLICY", `${at}.restartPolicy`, "ECS restarted this container in place; a Deployment's pod restarts every container that exits, in place", "nothing to do", ecsName);
        }
    }

    return {
        name,
        spec,
        ports,
        secretEnv,
        plaintextCredentials,
        memoryVolumes,
        needs: { privileged: c.privileged === true, addedCapabilities: added, runsAsRootOrUnknown },
        ...(c.stopTimeout !== undefined ? { stopTimeout: c.stopTimeout } : {}),
    };
}

/**
 * The open-files limits every container gets on EKS AL2023 nodes: containerd's
 * base runtime spec as nodeadm writes it (awslabs/amazon-eks-ami, tag
 * v20260724, nodeadm/internal/containerd/base-runtime-spec.json: RLIMIT_NOFILE
 * soft 65536, hard 1048576; set so since v20240615). Fargate gave 65535/65535.
 */
export const EKS_AL2023_NOFILE = { soft: 65536, hard: 1048576 } as const;

/** ECS ulimits have no Kubernetes field: say what the container gets instead, and whether that is less. */
function ulimits(list: readonly { name?: string; softLimit?: number; hardLimit?: number }[], field: string, container: string, d: Diagnostics): void {
    const shown = list.map((u) => `${u.name}=${u.softLimit}:${u.hardLimit}`).join(", ");
    const maybeLower = list.filter((u) => u.name !== "nofile" || (u.softLimit ?? 0) > EKS_AL2023_NOFILE.soft || (u.hardLimit ?? 0) > EKS_AL2023_NOFILE.hard);
    const nodes = `containers on EKS AL2023 nodes get nofile ${EKS_AL2023_NOFILE.soft} (soft) and ${EKS_AL2023_NOFILE.hard} (hard) and the node's defaults for the rest`;
    if (maybeLower.length === 0) {
        d.info("ULIMITS", field, `ulimits ${shown} have no Kubernetes field; ${nodes}, which is at least as much`, "nothing to do, unless the container relied on the lower limit", container);
        return;
    }
    d.warn(
        "ULIMITS",
        field,
        `ulimits ${shown} have no Kubernetes field; ${nodes}, so ${maybeLower.map((u) => u.name).join(", ")} may be lower than the task had`,
        "raise them for every container of the node group in containerd's base runtime spec (nodeadm NodeConfig spec.containerd.baseRuntimeSpec process.rlimits on AL2023, settings.oci-defaults.resource-limits on Bottlerocket), or raise the soft limit up to the hard one in the entry point (ulimit -n)",
        container,
    );
}
