import * as assert from "assert";
import { VPC_CNI_CONFIGURATION } from "../components/addons/coreAddons";
import { EKS_ADDONS, HELM_CHARTS } from "../components/addons/versions";
import { ADDON_NAMES } from "../config/addons";
import { Platform, at, rawConfig, runPlatform } from "./harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const EKS_ADDON = "aws:eks/addon:Addon";

/** What each add-on toggle brings: its Helm release or EKS add-on, and its role. */
const OWN_RESOURCES: Readonly<Record<(typeof ADDON_NAMES)[number], { release?: string; eksAddon?: string; role?: string }>> = {
    loadBalancerController: { release: "aws-load-balancer-controller", role: "addons-loadBalancerController" },
    efsCsi: { eksAddon: "aws-efs-csi-driver", role: "addons-efsCsi" },
    metricsServer: { release: "metrics-server" },
    clusterAutoscaler: { release: "cluster-autoscaler", role: "addons-clusterAutoscaler" },
    keda: { release: "keda", role: "addons-keda" },
    externalSecrets: { release: "external-secrets" },
};

describe("cluster add-ons", () => {
    let platform: Platform;
    before(async () => {
        platform = await runPlatform();
    });

    it("installs every chart at its pinned version from its pinned repository", () => {
        const releases = platform.ofType(RELEASE).map((r) => [r.inputs.chart, r.inputs.version, at(r.inputs, "repositoryOpts.repo")]);
        assert.deepStrictEqual(
            releases.sort(),
            Object.values(HELM_CHARTS).map((c) => [c.chart, c.version, c.repo]).sort(),
        );
    });

    it("installs every EKS add-on at its pinned version", () => {
        const addons = platform.ofType(EKS_ADDON).map((a) => [a.inputs.addonName, a.inputs.addonVersion]);
        assert.deepStrictEqual(addons.sort(), Object.entries(EKS_ADDONS).sort());
    });

    it("takes a version override from config", async () => {
        const overridden = await runPlatform(rawConfig({ "addons:versionOverrides": { keda: "2.16.1", coredns: "v1.11.4-eksbuild.2" } }));
        assert.strictEqual(overridden.input(RELEASE, "addons-keda", "version"), "2.16.1");
        assert.strictEqual(overridden.input(EKS_ADDON, "addons-coredns", "addonVersion"), "v1.11.4-eksbuild.2");
    });

    it("turns on pod ENIs (security groups for pods) and network policy in the VPC CNI", () => {
        const values = JSON.parse(String(platform.input(EKS_ADDON, "core-vpc-cni", "configurationValues")));
        assert.deepStrictEqual(values, VPC_CNI_CONFIGURATION);
        assert.strictEqual(values.env.ENABLE_POD_ENI, "true");
        assert.strictEqual(values.enableNetworkPolicy, "true");
    });

    it("installs networking before the node groups, and controllers and CoreDNS after them", () => {
        const nodeGroupUrns = platform.ofType("aws:eks/nodeGroup:NodeGroup").map((n) => n.urn);
        for (const waiting of [...platform.ofType(RELEASE), platform.one(EKS_ADDON, "addons-coredns"), platform.one(EKS_ADDON, "addons-aws-efs-csi-driver")]) {
            assert.ok(nodeGroupUrns.every((urn) => waiting.dependencies.includes(urn)), `${waiting.name} does not wait for the node groups`);
        }
        const core = platform.one("ecs2eks:addons:CoreAddons");
        assert.strictEqual(platform.parentOf(platform.one(EKS_ADDON, "core-vpc-cni"))?.urn, core.urn);
        assert.ok(platform.one("ecs2eks:platform:NodeGroups").dependencies.includes(platform.one(EKS_ADDON, "core-vpc-cni").urn));
    });

    it("tells the load balancer controller its region and VPC, since pods cannot reach IMDS", () => {
        const values = platform.input(RELEASE, "addons-aws-load-balancer-controller", "values");
        assert.strictEqual(at(values, "region"), "us-east-1");
        assert.strictEqual(at(values, "vpcId"), platform.result.outputs.vpcId);
        assert.strictEqual(at(values, "clusterName"), "ecs2eks-test");
        assert.deepStrictEqual(at(values, "serviceAccount"), { create: false, name: "aws-load-balancer-controller" });
    });

    it("points Cluster Autoscaler at this cluster's node groups with an image for its Kubernetes version", () => {
        const values = platform.input(RELEASE, "addons-cluster-autoscaler", "values");
        assert.deepStrictEqual(at(values, "autoDiscovery"), { clusterName: "ecs2eks-test" });
        assert.strictEqual(at(values, "image.tag"), "v1.33.0");
        assert.strictEqual(at(values, "awsRegion"), "us-east-1");
    });

    for (const name of ADDON_NAMES) {
        it(`creates nothing of ${name} when addons:${name} is false`, async () => {
            const own = OWN_RESOURCES[name];
            const off = await runPlatform(rawConfig({ [`addons:${name}`]: "false", "storage:efs": name === "efsCsi" ? "false" : "true" }));
            const releases = off.ofType(RELEASE).map((r) => r.inputs.chart);
            const eksAddons = off.ofType(EKS_ADDON).map((a) => a.inputs.addonName);
            const roles = off.ofType("ecs2eks:identity:IrsaRole").map((r) => r.name);
            if (own.release) {
                assert.ok(!releases.includes(own.release) && platform.ofType(RELEASE).some((r) => r.inputs.chart === own.release));
            }
            if (own.eksAddon) {
                assert.ok(!eksAddons.includes(own.eksAddon));
            }
            if (own.role) {
                assert.ok(!roles.includes(own.role));
            }
            // Everything else stays.
            assert.strictEqual(releases.length + eksAddons.length, platform.ofType(RELEASE).length + platform.ofType(EKS_ADDON).length - 1);
        });
    }
});
