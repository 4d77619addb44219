/** Tag conventions that AWS controllers read. Pure. */

/** The tag that marks a subnet as usable by one cluster (`owned`) or several (`shared`). */
export function clusterTag(clusterName: string, value: "owned" | "shared"): Record<string, string> {
    return { [`kubernetes.io/cluster/${clusterName}`]: value };
}

/** Where the AWS Load Balancer Controller puts internet-facing load balancers. */
export const PUBLIC_ELB_TAG = { "kubernetes.io/role/elb": "1" } as const;

/** Where it puts internal load balancers. */
export const INTERNAL_ELB_TAG = { "kubernetes.io/role/internal-elb": "1" } as const;

/** Cluster Autoscaler's auto-discovery tags for the node groups of one cluster. */
export function autoscalerDiscoveryTags(clusterName: string): Record<string, string> {
    return {
        "k8s.io/cluster-autoscaler/enabled": "true",
        [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
    };
}
