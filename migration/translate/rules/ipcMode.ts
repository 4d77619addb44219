/** `ipcMode`: `host` → `hostIPC` (reported); `task` and `none` need nothing, a pod's containers share IPC already. */
import { c } from "../ledgerEntry";
import { MappingRule } from "./types";

export const ipcMode: MappingRule = {
    id: "ipc-mode",
    ledger: { "TaskDefinition.ipcMode": c("`host` → `hostIPC` (reported HOST_IPC); otherwise nothing: a pod's containers share IPC already", "IPC_MODE") },
    apply({ td, d, pod, needsHostAccess }) {
        if (td.ipcMode === "host") {
            pod.hostIPC = true;
            needsHostAccess();
            d.warn("HOST_IPC", "ipcMode", "the pod shares the host's IPC namespace", "remove unless this is a node agent");
        } else if (td.ipcMode) {
            d.info("IPC_MODE", "ipcMode", `ipcMode ${td.ipcMode}: containers of a pod share IPC already`, "nothing to do");
        }
    },
};
