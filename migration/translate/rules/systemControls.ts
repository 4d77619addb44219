/**
 * `systemControls` of the containers → the pod's `securityContext.sysctls`.
 * Sysctls are per pod on Kubernetes (they are per network/IPC namespace on
 * ECS too, which a task's containers share). Only the safe set goes in: the
 * rest would keep the pod from starting unless the kubelet allows them.
 */
import { c } from "../ledgerEntry";
import { MappingRule } from "./types";

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

export const systemControls: MappingRule = {
    id: "system-controls",
    ledger: { "ContainerDefinition.systemControls": c("`securityContext.sysctls` of the pod, for the sysctls Kubernetes calls safe", "UNSAFE_SYSCTL") },
    apply({ containers, d, sysctls }) {
        for (const container of containers) {
            for (const sc of container.systemControls ?? []) {
                if (!sc.namespace || sc.value === undefined) {
                    continue;
                }
                if (SAFE_SYSCTLS.has(sc.namespace)) {
                    sysctls.push({ name: sc.namespace, value: sc.value });
                    d.map(`containerDefinitions[${container.name}].systemControls`);
                } else {
                    d.warn(
                        "UNSAFE_SYSCTL",
                        `containerDefinitions[${container.name}].systemControls`,
                        `kernel parameter ${sc.namespace} is not in Kubernetes' safe set`,
                        "allow it on the nodes (kubelet --allowed-unsafe-sysctls) and set it in the pod's securityContext",
                        container.name,
                    );
                }
            }
        }
    },
};
