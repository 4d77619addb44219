/**
 * How the cluster gets compute: managed node groups scaled by Cluster
 * Autoscaler (the default), Karpenter NodePools next to them, EKS Auto Mode,
 * and Fargate profiles for chosen namespaces.
 */
import { ConfigReader } from "./reader";
import { ComputeConfig, NodeProvisioner } from "./types";

const PROVISIONERS: readonly NodeProvisioner[] = ["cluster-autoscaler", "karpenter"];
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function readCompute(r: ConfigReader): ComputeConfig {
    const nodeProvisioner = r.oneOf<NodeProvisioner>("addons:nodeProvisioner", "cluster-autoscaler", PROVISIONERS);
    const autoMode = r.boolean("cluster:autoMode", false);
    const fargateNamespaces = r.stringList("cluster:fargateNamespaces", (ns) =>
        NAMESPACE.test(ns) && ns.length <= 63 ? (["kube-system", "default"].includes(ns) ? "is a namespace of the cluster itself; name a namespace of migrated services" : undefined) : "is not a Kubernetes namespace name",
    );
    if (autoMode && nodeProvisioner === "karpenter") {
        r.fail(`addons:nodeProvisioner "karpenter" and cluster:autoMode true both provision nodes; Auto Mode runs Karpenter itself, so choose one`);
    }
    return Object.freeze({ nodeProvisioner, autoMode, fargateNamespaces: Object.freeze([...new Set(fargateNamespaces)].sort()) });
}
