/** `pidMode`: `task` → `shareProcessNamespace`, `host` → `hostPID` (a node agent's setting: reported). */
import { c } from "../ledgerEntry";
import { MappingRule } from "./types";

export const pidMode: MappingRule = {
    id: "pid-mode",
    ledger: { "TaskDefinition.pidMode": c("`task` → `shareProcessNamespace`; `host` → `hostPID`", "HOST_PID") },
    apply({ td, d, pod, needsHostAccess }) {
        if (td.pidMode === "host") {
            pod.hostPID = true;
            needsHostAccess();
            d.warn("HOST_PID", "pidMode", "the pod shares the host's process namespace", "remove unless this is a node agent");
        } else if (td.pidMode === "task") {
            pod.shareProcessNamespace = true;
            d.map("pidMode");
        }
    },
};
