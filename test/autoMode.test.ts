import * as assert from "assert";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { checkCapacity } from "../migration/capacity/check";
import { capacityOptions, installedAddons } from "../migration/capacity/stack";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { at, rawConfig, runPlatform } from "./harness";
import { ROOT } from "./runCli";

const SHOP = path.join(ROOT, "examples", "shop", "snapshot.json");

describe("EKS Auto Mode (cluster:autoMode)", () => {
    it("previews the cluster with Auto Mode, the cluster role's extra policies, its EBS StorageClass; no add-on it provides, no node group", async () => {
        const platform = await runPlatform(rawConfig({ "cluster:autoMode": "true" }));
        const cluster = platform.one("eks:index:Cluster");
        assert.deepStrictEqual(at(cluster.inputs, "autoMode"), { enabled: true, createNodeRole: true, computeConfig: { nodePools: ["general-purpose", "system"] } });
        assert.strictEqual(at(cluster.inputs, "bootstrapSelfManagedAddons"), false);
        const policies = platform.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => String(r.inputs.policyArn));
        for (const p of ["AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"]) {
            assert.ok(policies.some((a) => a.endsWith(`/${p}`)), p);
        }
        const addons = platform.ofType("aws:eks/addon:Addon").map((r) => r.inputs.addonName);
        assert.deepStrictEqual(addons, ["snapshot-controller", "aws-efs-csi-driver", "amazon-cloudwatch-observability"], "VPC CNI, kube-proxy, CoreDNS, the Pod Identity agent and the EBS CSI driver come with Auto Mode");
        // Auto Mode's own EBS driver makes the volumes and snapshots: the platform's classes name it.
        const gp3 = platform.ofType("kubernetes:storage.k8s.io/v1:StorageClass").find((r) => at(r.inputs, "metadata.name") === "gp3");
        assert.strictEqual(gp3?.inputs.provisioner, "ebs.csi.eks.amazonaws.com");
        const snapshotClass = platform.ofType("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass")[0];
        assert.strictEqual(snapshotClass?.inputs.driver, "ebs.csi.eks.amazonaws.com");
        assert.strictEqual(platform.ofType("aws:eks/nodeGroup:NodeGroup").length, 0);
        assert.ok(!platform.ofType("kubernetes:helm.sh/v3:Release").some((r) => r.inputs.chart === "cluster-autoscaler"));
        const sc = platform.ofType("kubernetes:storage.k8s.io/v1:StorageClass").find((r) => at(r.inputs, "metadata.name") === "auto-ebs-sc");
        assert.strictEqual(sc?.inputs.provisioner, "ebs.csi.eks.amazonaws.com");
        assert.deepStrictEqual(sc?.inputs.parameters, { type: "gp3", encrypted: "true" });
        // The load balancer controller stays: the cutover's TargetGroupBindings are its CRD.
        assert.ok(platform.ofType("kubernetes:helm.sh/v3:Release").some((r) => r.inputs.chart === "aws-load-balancer-controller"));
    });

    it("capacity planning sizes pods against Auto Mode's general-purpose NodePool, with no add-on DaemonSets", () => {
        const config = validateConfig(rawConfig({ "cluster:autoMode": "true" }), "t");
        assert.deepStrictEqual(installedAddons(config).filter((k) => ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "clusterAutoscaler"].includes(k)), []);
        const { capacity, plan } = checkCapacity(translate(readSnapshotFile(SHOP)), capacityOptions(config));
        assert.deepStrictEqual(capacity.pools.map((p) => [p.name, p.kind]), [["general-purpose", "Auto Mode NodePool"]]);
        // dcgm-exporter is listed but taken from GPU nodes only, which the general-purpose pool has none of.
        assert.deepStrictEqual(capacity.daemonSets.map((d) => d.name), ["efs-csi-node", "aws-for-fluent-bit", "cloudwatch-agent", "dcgm-exporter", "log-agent"]);
        assert.strictEqual(capacity.capacity.atMax, undefined, "no limits: unbounded");
        // The general-purpose pool is amd64 only: the arm64 web service has nowhere to go.
        assert.ok(plan.workloads.find((w) => w.name === "web")?.diagnostics.some((d) => d.code === "CAPACITY_NO_MATCHING_NODES"));
    });
});
