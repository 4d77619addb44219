/** `proxyConfiguration`: the App Mesh proxy of a task. App Mesh is retired and has no EKS counterpart here: reported. */
import { c } from "../ledgerEntry";
import { MappingRule } from "./types";

export const appMesh: MappingRule = {
    id: "app-mesh",
    ledger: { "TaskDefinition.proxyConfiguration": c("nothing: App Mesh is retired; reported", "APP_MESH") },
    apply({ td, d }) {
        if (td.proxyConfiguration) {
            d.warn("APP_MESH", "proxyConfiguration", "the task routes through an App Mesh proxy, which is not carried over", "App Mesh is retired; use plain Services, or a service mesh (Istio, Linkerd) on EKS");
        }
    },
};
