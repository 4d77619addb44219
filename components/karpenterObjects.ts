/**
 * The EC2NodeClass and NodePools Karpenter launches nodes from, as plain
 * objects (no Pulumi), so tests and the CRD contract (crds/karpenter/) can
 * check them. Field names and enums: aws/karpenter-provider-aws, release
 * commit fe623d537f85b0e6a69fc3eebc3692f80efda891 (v1.13.0),
 * pkg/apis/crds/karpenter.sh_nodepools.yaml and
 * karpenter.k8s.aws_ec2nodeclasses.yaml.
 */
import { SPREAD_LABEL, spreadDomains } from "../migration/capacity/spread";
import { CapacityPool } from "../migration/capacity/types";
import { K8sObject } from "../migration/translate/types";

export const NODE_CLASS = "default";
/** The tag the EC2NodeClass finds the private subnets and the node security group by. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";
/** The EKS AL2023 AMI release read for the kubelet's reserve (migration/capacity/kubelet.ts); pinned so nodes do not change under a re-deploy. */
export const AMI_ALIAS = "al2023@v20260724";
/** What each NodePool may grow to: a bound for a runaway scale-out and for capacity planning. */
export const NODEPOOL_LIMITS = { cpu: 64, memoryGiB: 256 } as const;
/** The families capacity planning sizes a NodePool by: c, m and r of generation 6 and later that the table knows. */
export const NODEPOOL_FAMILIES = ["c6i", "c7g", "c7i", "m6a", "m6g", "m6i", "m7g", "m7i", "r6i", "r7g", "r7i"] as const;
/** Spot nodes carry the taint the dev stack's Spot node group has, which the translator's Spot pods tolerate. */
export const SPOT_TAINT = { key: "capacity", value: "spot", effect: "NoSchedule" } as const;

export function ec2NodeClass(clusterName: string, nodeRoleName: string, diskSizeGiB: number, tags: Readonly<Record<string, string>>): K8sObject {
    return {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: NODE_CLASS },
        spec: {
            role: nodeRoleName,
            amiSelectorTerms: [{ alias: AMI_ALIAS }],
            subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: clusterName } }],
            securityGroupSelectorTerms: [{ tags: { [DISCOVERY_TAG]: clusterName } }],
            // IMDSv2 only, one hop: pods cannot reach the node's credentials.
            metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: `${diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true } }],
            tags: { ...tags },
        },
    };
}

function nodePool(name: "on-demand" | "spot"): K8sObject {
    const spot = name === "spot";
    return {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name },
        spec: {
            template: {
                spec: {
                    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS },
                    requirements: [
                        { key: "karpenter.sh/capacity-type", operator: "In", values: [spot ? "spot" : "on-demand"] },
                        { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
                        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
                        { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
                        // The domains a workload's capacity-provider strategy spreads over (migration/capacity/spread.ts).
                        { key: SPREAD_LABEL, operator: "In", values: spreadDomains(spot ? "spot" : "od") },
                    ],
                    ...(spot ? { taints: [{ ...SPOT_TAINT }] } : {}),
                    expireAfter: "720h",
                },
            },
            limits: { cpu: String(NODEPOOL_LIMITS.cpu), memory: `${NODEPOOL_LIMITS.memoryGiB}Gi` },
            disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m" },
            // On-demand first for pods that may run on either.
            weight: spot ? 10 : 50,
        },
    };
}

export function nodePools(): K8sObject[] {
    return [nodePool("on-demand"), nodePool("spot")];
}

/** The NodePools as capacity planning sees them: any of the families, bounded by the limits. */
export function nodePoolCapacity(): CapacityPool[] {
    const types = NODEPOOL_FAMILIES.flatMap((f) => ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s) => `${f}.${s}`));
    const limits = { cpuMilli: NODEPOOL_LIMITS.cpu * 1000, memoryMiB: NODEPOOL_LIMITS.memoryGiB * 1024 };
    return [
        { name: "on-demand", kind: "Karpenter NodePool", instanceTypes: types, capacityType: "ON_DEMAND", taints: [], desiredNodes: 0, limits },
        { name: "spot", kind: "Karpenter NodePool", instanceTypes: types, capacityType: "SPOT", taints: [{ ...SPOT_TAINT }], desiredNodes: 0, limits },
    ];
}
