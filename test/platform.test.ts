import * as assert from "assert";
import { CONTROL_PLANE_LOG_TYPES } from "../components/cluster";
import { NODE_MANAGED_POLICIES } from "../components/nodeGroups";
import { Platform, at, rawConfig, runPlatform } from "./harness";

const EKS = "eks:index:Cluster";
const VPC = "awsx:ec2:Vpc";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

describe("platform under mocks", () => {
    let platform: Platform;
    before(async () => {
        platform = await runPlatform();
    });

    describe("Network", () => {
        it("creates a VPC with DNS, NAT per AZ and three AZs by default", () => {
            assert.strictEqual(platform.input(VPC, "network", "cidrBlock"), "10.0.0.0/16");
            assert.strictEqual(platform.input(VPC, "network", "numberOfAvailabilityZones"), 3);
            assert.deepStrictEqual(platform.input(VPC, "network", "natGateways"), { strategy: "OnePerAz" });
            assert.strictEqual(platform.input(VPC, "network", "enableDnsSupport"), true);
            assert.strictEqual(platform.input(VPC, "network", "enableDnsHostnames"), true);
        });

        it("tags subnets so the load balancer controller finds them", () => {
            const specs = platform.input(VPC, "network", "subnetSpecs");
            assert.deepStrictEqual(specs, [
                { type: "Public", tags: { "kubernetes.io/cluster/ecs2eks-test": "shared", "kubernetes.io/role/elb": "1" } },
                { type: "Private", tags: { "kubernetes.io/cluster/ecs2eks-test": "shared", "kubernetes.io/role/internal-elb": "1" } },
            ]);
        });

        it("parents the VPC to the Network component", () => {
            assert.strictEqual(platform.parentOf(platform.one(VPC))?.type, "ecs2eks:platform:Network");
        });
    });

    describe("Cluster", () => {
        it("keeps the API endpoint private", () => {
            assert.strictEqual(platform.input(EKS, "cluster", "endpointPrivateAccess"), true);
            assert.strictEqual(platform.input(EKS, "cluster", "endpointPublicAccess"), false);
            assert.strictEqual(platform.input(EKS, "cluster", "publicAccessCidrs"), undefined);
        });

        it("authenticates with access entries, has an OIDC provider and no default node group", () => {
            assert.strictEqual(platform.input(EKS, "cluster", "authenticationMode"), "API");
            assert.strictEqual(platform.input(EKS, "cluster", "createOidcProvider"), true);
            assert.strictEqual(platform.input(EKS, "cluster", "skipDefaultNodeGroup"), true);
            assert.strictEqual(platform.input(EKS, "cluster", "name"), "ecs2eks-test");
            assert.strictEqual(platform.input(EKS, "cluster", "version"), "1.33");
            assert.strictEqual(platform.input(EKS, "cluster", "deletionProtection"), true);
        });

        it("keeps the audit logs", () => {
            assert.deepStrictEqual(platform.input(EKS, "cluster", "enabledClusterLogTypes"), [...CONTROL_PLANE_LOG_TYPES]);
            assert.deepStrictEqual([...CONTROL_PLANE_LOG_TYPES], ["api", "audit", "authenticator"]);
        });

        it("encrypts Secrets with a rotating KMS key of its own", () => {
            const key = platform.one("aws:kms/key:Key", "cluster-secrets");
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.strictEqual(key.inputs.deletionWindowInDays, 30);
            assert.match(String(platform.input(EKS, "cluster", "encryptionConfigKeyArn")), /^arn:aws:kms:.*cluster-secrets/);
        });

        it("puts the control plane on private subnets of the network", () => {
            assert.deepStrictEqual(platform.input(EKS, "cluster", "privateSubnetIds"), platform.result.outputs.privateSubnetIds);
            assert.strictEqual(platform.input(EKS, "cluster", "vpcId"), platform.result.outputs.vpcId);
        });

        it("gives other components a Kubernetes provider whose kubeconfig is secret", () => {
            const provider = platform.one("pulumi:providers:kubernetes", "cluster-k8s");
            assert.strictEqual(provider.inputs.kubeconfig, "[secret]");
            assert.strictEqual(platform.result.outputs.kubeconfig, "[secret]");
        });
    });

    describe("NodeGroups", () => {
        it("requires IMDSv2 with a hop limit of 1 and encrypts the root volume", () => {
            const lt = platform.one(LAUNCH_TEMPLATE, "nodes-general");
            assert.deepStrictEqual(at(lt.inputs, "metadataOptions"), {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            });
            assert.deepStrictEqual(at(lt.inputs, "blockDeviceMappings.0.ebs"), { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" });
        });

        it("launches the managed node group from that template on private subnets", () => {
            const ng = platform.one(NODE_GROUP, "nodes-general");
            assert.match(String(at(ng.inputs, "launchTemplate.id")), /^lt-/);
            assert.deepStrictEqual(ng.inputs.subnetIds, platform.result.outputs.privateSubnetIds);
            assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: 2, maxSize: 6, desiredSize: 2 });
            assert.strictEqual(ng.inputs.capacityType, "ON_DEMAND");
            assert.strictEqual(ng.inputs.clusterName, "ecs2eks-test");
        });

        it("carries the Cluster Autoscaler discovery tags", () => {
            const tags = at(platform.one(NODE_GROUP, "nodes-general").inputs, "tags") as Record<string, string>;
            assert.strictEqual(tags["k8s.io/cluster-autoscaler/enabled"], "true");
            assert.strictEqual(tags["k8s.io/cluster-autoscaler/ecs2eks-test"], "owned");
        });

        it("gives the node role only the managed policies nodes need", () => {
            const attached = platform
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.name.startsWith("nodes-node-"))
                .map((a) => a.inputs.policyArn)
                .sort();
            assert.deepStrictEqual(attached, NODE_MANAGED_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p}`).sort());
            const trust = JSON.parse(String(platform.input("aws:iam/role:Role", "nodes-node", "assumeRolePolicy")));
            assert.deepStrictEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } } }]);
        });
    });

    it("exports what later stacks and tools need", () => {
        assert.deepStrictEqual(Object.keys(platform.result.outputs).sort(), [
            "clusterEndpoint",
            "clusterName",
            "ecsSource",
            "efsFileSystemId",
            "identityMode",
            "kubeconfig",
            "largestNodeDiskGiB",
            "logPipelineRoleArn",
            "logPipelineRoleName",
            "logRouting",
            "nodeRoleArn",
            "nodeSecurityGroupId",
            "oidcProviderArn",
            "oidcProviderUrl",
            "placement",
            "privateSubnetIds",
            "publicSubnetIds",
            "region",
            "routing",
            "vpcId",
        ]);
        assert.match(String(platform.result.outputs.nodeSecurityGroupId), /^sg-/);
    });
});

describe("platform config reaches the resources", () => {
    it("opens the public endpoint only to the listed CIDRs", async () => {
        const platform = await runPlatform(rawConfig({ "cluster:publicAccessCidrs": JSON.stringify(["203.0.113.0/24"]) }));
        assert.strictEqual(platform.input(EKS, "cluster", "endpointPublicAccess"), true);
        assert.strictEqual(platform.input(EKS, "cluster", "endpointPrivateAccess"), true);
        assert.deepStrictEqual(platform.input(EKS, "cluster", "publicAccessCidrs"), ["203.0.113.0/24"]);
    });

    it("grants cluster admin to the configured principals through access entries", async () => {
        const platform = await runPlatform(
            rawConfig({ "aws:region": "us-gov-west-1", "cluster:adminPrincipalArns": JSON.stringify(["arn:aws-us-gov:iam::123456789012:role/admins"]) }),
        );
        assert.deepStrictEqual(platform.input(EKS, "cluster", "accessEntries"), {
            "admin-0": {
                principalArn: "arn:aws-us-gov:iam::123456789012:role/admins",
                accessPolicies: {
                    admin: {
                        policyArn: "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                        accessScope: { type: "cluster" },
                    },
                },
            },
        });
    });

    it("builds each node group with its sizes, capacity type, labels and taints", async () => {
        const platform = await runPlatform(rawConfig({
            "network:natGateways": "single",
            "network:azCount": "2",
            "nodeGroups:general": JSON.stringify({ minSize: 3, maxSize: 9, desiredSize: 4 }),
            "nodeGroups:spot": JSON.stringify({
                instanceTypes: ["m7g.large", "m6g.large"],
                capacityType: "SPOT",
                minSize: 0,
                maxSize: 5,
                labels: { capacity: "spot" },
                taints: [{ key: "capacity", value: "spot", effect: "NoSchedule" }],
            }),
        }));
        assert.deepStrictEqual(platform.input(VPC, "network", "natGateways"), { strategy: "Single" });
        assert.strictEqual(platform.input(VPC, "network", "numberOfAvailabilityZones"), 2);
        const general = platform.one(NODE_GROUP, "nodes-general").inputs;
        assert.deepStrictEqual(general.scalingConfig, { minSize: 3, maxSize: 9, desiredSize: 4 });
        const spot = platform.one(NODE_GROUP, "nodes-spot").inputs;
        assert.deepStrictEqual(spot.scalingConfig, { minSize: 0, maxSize: 5, desiredSize: 0 });
        assert.strictEqual(spot.capacityType, "SPOT");
        assert.strictEqual(spot.amiType, "AL2023_ARM_64_STANDARD");
        assert.deepStrictEqual(spot.instanceTypes, ["m7g.large", "m6g.large"]);
        assert.deepStrictEqual(spot.labels, { capacity: "spot" });
        assert.deepStrictEqual(spot.taints, [{ key: "capacity", value: "spot", effect: "NO_SCHEDULE" }]);
        // Scale from zero: Cluster Autoscaler reads the labels and taints off the Auto Scaling group.
        const asgTags = platform.ofType("aws:autoscaling/tag:Tag").map((t) => at(t.inputs, "tag"));
        assert.deepStrictEqual(asgTags, [
            { key: "k8s.io/cluster-autoscaler/node-template/label/capacity", value: "spot", propagateAtLaunch: false },
            { key: "k8s.io/cluster-autoscaler/node-template/taint/capacity", value: "spot:NoSchedule", propagateAtLaunch: false },
        ]);
        assert.strictEqual(platform.ofType(LAUNCH_TEMPLATE).length, 2);
    });

    it("joins an existing VPC without creating one, adding only tags to its subnets", async () => {
        const privateSubnetIds = ["subnet-0ccc3333dddd44445", "subnet-0ccc3333dddd44446"];
        const platform = await runPlatform(rawConfig({
            "network:mode": "existing",
            "network:vpcId": "vpc-0abc12345def67890",
            "network:publicSubnetIds": JSON.stringify(["subnet-0aaa1111bbbb22223"]),
            "network:privateSubnetIds": JSON.stringify(privateSubnetIds),
        }));
        assert.strictEqual(platform.ofType(VPC).length, 0);
        assert.strictEqual(platform.ofType("aws:ec2/subnet:Subnet").length, 0);
        assert.strictEqual(platform.input(EKS, "cluster", "vpcId"), "vpc-0abc12345def67890");
        assert.deepStrictEqual(platform.input(EKS, "cluster", "privateSubnetIds"), privateSubnetIds);
        const tags = platform.ofType("aws:ec2/tag:Tag").map((t) => [t.inputs.resourceId, t.inputs.key, t.inputs.value]);
        assert.deepStrictEqual(tags.sort(), [
            ["subnet-0aaa1111bbbb22223", "kubernetes.io/cluster/ecs2eks-test", "shared"],
            ["subnet-0aaa1111bbbb22223", "kubernetes.io/role/elb", "1"],
            ["subnet-0ccc3333dddd44445", "kubernetes.io/cluster/ecs2eks-test", "shared"],
            ["subnet-0ccc3333dddd44445", "kubernetes.io/role/internal-elb", "1"],
            ["subnet-0ccc3333dddd44446", "kubernetes.io/cluster/ecs2eks-test", "shared"],
            ["subnet-0ccc3333dddd44446", "kubernetes.io/role/internal-elb", "1"],
        ]);
    });
});
