/** The validated, typed stack configuration that components receive. */
import type { IdentityMode } from "../core/iam/trustPolicy";
import type { AddonToggle } from "../components/addons/registry";
import type { WorkloadSettings } from "../core/workloadSettings";
import type { VeleroSchedule } from "./veleroSchedules";

export type NatGatewayStrategy = "single" | "onePerAz";

export interface CreatedNetworkConfig {
    readonly mode: "create";
    /** VPC CIDR. Default 10.0.0.0/16. */
    readonly cidr: string;
    /** Availability zones to spread subnets over. Default 3. */
    readonly azCount: number;
    /** NAT gateways: one per AZ (default, survives an AZ outage) or a single shared one. */
    readonly natGateways: NatGatewayStrategy;
}

export interface ExistingNetworkConfig {
    readonly mode: "existing";
    /** The VPC the ECS services already run in, so both sit behind the same load balancers. */
    readonly vpcId: string;
    readonly publicSubnetIds: readonly string[];
    readonly privateSubnetIds: readonly string[];
}

export type NetworkConfig = CreatedNetworkConfig | ExistingNetworkConfig;

export interface ClusterConfig {
    /** EKS cluster name; also used in subnet and autoscaler tags. Default ecs2eks-<stack>. */
    readonly name: string;
    /** Kubernetes minor version, "1.29" or later. */
    readonly version: string;
    /** CIDRs allowed to reach the public API endpoint. Empty (default): no public endpoint. */
    readonly publicAccessCidrs: readonly string[];
    /** Lets the public endpoint be open to 0.0.0.0/0 past the policy pack. Default false. */
    readonly allowPublicEndpointFromAnywhere: boolean;
    /** IAM role or user ARNs granted cluster admin through access entries. */
    readonly adminPrincipalArns: readonly string[];
    /** Refuse to delete the cluster until this is switched off. Default true. */
    readonly deletionProtection: boolean;
}

export type CapacityType = "ON_DEMAND" | "SPOT";
export type TaintEffect = "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
export type AmiType =
    | "AL2023_x86_64_STANDARD"
    | "AL2023_ARM_64_STANDARD"
    | "AL2023_x86_64_NVIDIA"
    | "BOTTLEROCKET_x86_64"
    | "BOTTLEROCKET_ARM_64";

export interface Taint {
    readonly key: string;
    readonly value: string;
    readonly effect: TaintEffect;
}

export interface NodeGroupConfig {
    readonly name: string;
    /** Default ["m6i.large"]. */
    readonly instanceTypes: readonly string[];
    /** Default ON_DEMAND. */
    readonly capacityType: CapacityType;
    /** Default 2. */
    readonly minSize: number;
    /** Default 6. */
    readonly maxSize: number;
    /** Default minSize. */
    readonly desiredSize: number;
    /** Root volume (gp3, encrypted) in GiB. Default 50. */
    readonly diskSizeGiB: number;
    /** Default: AL2023 for the instance types' architecture. */
    readonly amiType: AmiType;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly Taint[];
}

/** Defined with the trust policies it selects; config validates it. */
export type { IdentityMode };

export interface IdentityConfig {
    /** How workloads get AWS credentials. Default irsa. */
    readonly mode: IdentityMode;
}

export interface EfsAccessPointConfig {
    /** Names the access point; also the directory name unless path is given. */
    readonly name: string;
    /** Root directory, created on first mount with the owner and permissions below. */
    readonly path: string;
    readonly uid: number;
    readonly gid: number;
    /** Octal permissions for the root directory, e.g. "750". */
    readonly permissions: string;
}

export interface StorageConfig {
    /** Create an encrypted EFS file system and the efs-sc StorageClass. Default true. */
    readonly efs: boolean;
    /** Default elastic. */
    readonly efsThroughputMode: "elastic" | "bursting";
    /** AWS Backup daily backups. Default true. */
    readonly efsBackups: boolean;
    readonly efsAccessPoints: readonly EfsAccessPointConfig[];
}

/** The add-ons config can switch off, as the add-on registry declares them. */
export type AddonName = AddonToggle;

export interface AddonsConfig {
    /** Each add-on on (default) or off. */
    readonly enabled: Readonly<Record<AddonName, boolean>>;
    /** Chart or EKS add-on versions that replace the pins in components/addons/versions.ts. */
    readonly versionOverrides: Readonly<Record<string, string>>;
    /** addons:veleroSchedules: Velero's backup schedules, used when addons:velero is on. */
    readonly veleroSchedules: readonly VeleroSchedule[];
}

export type MigrationSource = "none" | "live" | "snapshot";

export interface MigrationConfig {
    /**
     * Where the ECS state comes from: none (platform only, the default), live
     * (read during preview and up) or snapshot (a committed file: the stack no
     * longer needs ECS, which is how it must run once ECS is destroyed).
     */
    readonly source: MigrationSource;
    /** Path of the snapshot, relative to the project directory. */
    readonly snapshotFile?: string;
    /** ECS clusters to read when live. */
    readonly clusters: readonly string[];
    /** Only these services when live; all when empty. */
    readonly services: readonly string[];
    /** Share of each service's traffic sent to EKS. */
    readonly cutover: CutoverConfig;
    /** Per ECS service, the kind of workload it becomes (migration:workloads; default: none, each keeps its kind). */
    readonly workloads: WorkloadSettings;
    /** The marker header of each service's test route to its EKS side (migration:testRoute). */
    readonly testRoute: TestRouteConfig;
    /**
     * ARNs and IDs of things the ECS stacks created that have been moved out
     * of them (imported here, or removed from their state), so destroying
     * them no longer deletes these. The decommission check trusts this list.
     */
    readonly adopted: readonly string[];
    /**
     * migration:adoptedResources: the file (relative to the project directory)
     * of resources moved here from the ECS stacks with pulumi state move, which
     * this stack declares (decommission-check --adopt-out writes it).
     */
    readonly adoptedResources?: string;
    /**
     * ECS services (or scheduled tasks) allowed to keep broad IAM: "*" actions,
     * iam:*, iam:PassRole on "*", AdministratorAccess, PowerUserAccess or
     * IAMFullAccess. Their roles carry the allowance tag the policy pack reads.
     */
    readonly allowBroadIam: readonly string[];
    /**
     * ECS services (or scheduled tasks) allowed privileged containers and host
     * access; their workloads carry the annotation the policy pack reads.
     */
    readonly allowPrivileged: readonly string[];
    /** Set when the stack is a migration shard (migration:platformStack): see ShardConfig. */
    readonly shard?: ShardConfig;
}

/**
 * A migration shard: deploys part of the estate onto the cluster of another
 * (platform) stack, read through a stack reference; it declares no platform resources.
 */
export interface ShardConfig {
    /** org/project/stack of the platform stack. */
    readonly platformStack: string;
    /** Service and scheduled-task name patterns (migration:services); empty: all. */
    readonly include: readonly string[];
    readonly exclude: readonly string[];
    /** migration:serviceTags: every one of these tags, key to value. */
    readonly tags: Readonly<Record<string, string>>;
    /** ECS clusters split with other shards whose namespaces another shard declares. */
    readonly sharedClusters: readonly string[];
}

export interface CutoverConfig {
    /** Default 0: EKS runs alongside ECS and gets no traffic. */
    readonly defaultEksWeight: number;
    /** Per ECS service name. */
    readonly services: Readonly<Record<string, number>>;
    /**
     * How each load-balanced service's traffic moves (its front door), when
     * not alb-weighted; "*" is the default's. Absent on stacks that never set
     * a strategy, so their config and plan stay as they were.
     */
    readonly strategies?: Readonly<Record<string, FrontDoorConfig>>;
}

/**
 * CloudFront sends at most this share (in percent) of viewers to a staging
 * distribution: SingleWeightConfig.Weight is 0 to 0.15 (AWS CloudFormation
 * template reference, AWS::CloudFront::ContinuousDeploymentPolicy SingleWeightConfig).
 */
export const CLOUDFRONT_MAX_STAGING_WEIGHT = 15;

/** The key of migration:cutover.default's front door in CutoverConfig.strategies. */
export const DEFAULT_FRONT_DOOR = "*";

/** Where the traffic of a service is split: the shared ALB listener, Route 53 weighted records, or CloudFront continuous deployment. */
export type CutoverStrategy = "alb-weighted" | "route53-weighted" | "cloudfront-staging";

export interface FrontDoorConfig {
    readonly strategy: CutoverStrategy;
    /** route53-weighted: TTL of the weighted CNAME records while both sides serve (default 60 s), restored at eksWeight 100. */
    readonly ttl?: number;
    /** cloudfront-staging: route requests carrying this header to EKS (testers) instead of a share of the viewers. */
    readonly header?: { readonly name: string; readonly value: string };
}

/** Who adds nodes when pods are Pending. */
export type NodeProvisioner = "cluster-autoscaler" | "karpenter";

export interface ComputeConfig {
    /** addons:nodeProvisioner. Default cluster-autoscaler (scales the node groups). */
    readonly nodeProvisioner: NodeProvisioner;
    /** cluster:autoMode: EKS Auto Mode manages compute, block storage and load balancing. Default false. */
    readonly autoMode: boolean;
    /** cluster:fargateNamespaces: namespaces whose pods Fargate can run get a Fargate profile. Default []. */
    readonly fargateNamespaces: readonly string[];
}

/** A request carrying this header with this value goes to the EKS target group, whatever the weights. */
export interface TestRouteConfig {
    readonly header: string;
    readonly value: string;
}

/** migration:testRoute when unset. */
export const DEFAULT_TEST_ROUTE: TestRouteConfig = Object.freeze({ header: "x-ecs2eks-canary", value: "eks" });

export interface StackConfig {
    readonly stack: string;
    /** aws:region, which controllers are told since IMDS is out of their reach. */
    readonly region: string;
    /** The partition of aws:region (aws, aws-cn, aws-us-gov), for ARNs. */
    readonly partition: string;
    readonly network: NetworkConfig;
    readonly cluster: ClusterConfig;
    readonly nodeGroups: readonly NodeGroupConfig[];
    readonly identity: IdentityConfig;
    readonly storage: StorageConfig;
    readonly addons: AddonsConfig;
    readonly migration: MigrationConfig;
    /** Node provisioner, Auto Mode, Fargate profiles. */
    readonly compute: ComputeConfig;
    /** Accepted but risky choices, to be shown to the user. */
    readonly warnings: readonly string[];
}
