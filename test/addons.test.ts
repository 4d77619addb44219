import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CLUSTER_AUTOSCALER_IMAGE_PATCH, EKS_ADDONS, EKS_ADDON_SOURCES, HELM_CHARTS, PINNED_KUBERNETES_VERSION } from "../components/addons/versions";
import { VPC_CNI_CONFIGURATION } from "../components/addons/vpcCni";
import { ADDON_NAMES } from "../config/addons";
import { Platform, at, rawConfig, runPlatform } from "./harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const FIRST_REAL_DEPLOY = path.join(__dirname, "..", "..", "docs", "first-real-deploy.md");

/** Every path to a value that is not itself a map: what a chart's values.yaml must declare. */
function leafPaths(value: unknown, prefix = ""): string[] {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return [prefix];
    }
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}
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

    it("records where every chart pin was checked, and the record follows the pin", () => {
        for (const [key, pin] of Object.entries(HELM_CHARTS)) {
            const src = pin.source;
            assert.match(src.repository, /^[\w.-]+\/[\w.-]+$/, `${key}: source repository is owner/name`);
            assert.ok(src.tag.length > 0 && src.path.endsWith("Chart.yaml"), `${key}: source names a tag and the Chart.yaml read there`);
            assert.strictEqual(src.chartVersion, pin.version, `${key}: pinned ${pin.version} but the recorded check read ${src.chartVersion} at ${src.repository}@${src.tag}; check the new version upstream and update its source`);
            assert.ok(src.appVersion.length > 0 && src.kubernetesSupport.length > 0, `${key}: appVersion and Kubernetes support recorded`);
        }
    });

    it("passes each chart only values found in that chart's values.yaml at the pinned version", () => {
        const releases = platform.ofType(RELEASE);
        assert.strictEqual(releases.length, Object.keys(HELM_CHARTS).length);
        for (const release of releases) {
            const pin = Object.values(HELM_CHARTS).find((c) => c.chart === release.inputs.chart);
            assert.ok(pin, `no pin for chart ${String(release.inputs.chart)}`);
            const unchecked = leafPaths(release.inputs.values).filter((p) => !(pin.source.values as readonly string[]).includes(p));
            assert.deepStrictEqual(unchecked, [], `${pin.chart}: values not checked in ${pin.source.repository}@${pin.source.tag}`);
        }
    });

    it("runs the Cluster Autoscaler image of the chart's own release for the pinned Kubernetes minor", () => {
        const ca = HELM_CHARTS["cluster-autoscaler"].source;
        assert.strictEqual(ca.appVersion, `${PINNED_KUBERNETES_VERSION}.${CLUSTER_AUTOSCALER_IMAGE_PATCH}`);
    });

    it("says for every EKS add-on build where AWS lists it, or that it is unconfirmed and how to check", () => {
        assert.deepStrictEqual(Object.keys(EKS_ADDON_SOURCES).sort(), Object.keys(EKS_ADDONS).sort());
        for (const [addon, version] of Object.entries(EKS_ADDONS)) {
            const { confirmed, source } = EKS_ADDON_SOURCES[addon as keyof typeof EKS_ADDONS];
            if (confirmed) {
                assert.ok(source.includes(`${PINNED_KUBERNETES_VERSION} -> ${version}`), `${addon}: the confirming page must list ${version} for ${PINNED_KUBERNETES_VERSION}: ${source}`);
            } else {
                assert.ok(source.startsWith("not confirmed"), `${addon}: ${source}`);
                assert.ok(source.includes(`aws eks describe-addon-versions --addon-name ${addon} --kubernetes-version ${PINNED_KUBERNETES_VERSION}`), `${addon}: says how to check`);
            }
        }
    });

    it("lists every unconfirmed EKS add-on build in the first-real-deploy checklist", () => {
        const checklist = fs.readFileSync(FIRST_REAL_DEPLOY, "utf8");
        for (const [addon, version] of Object.entries(EKS_ADDONS)) {
            if (!EKS_ADDON_SOURCES[addon as keyof typeof EKS_ADDONS].confirmed) {
                assert.ok(checklist.includes(`\`${addon}\` \`${version}\``), `docs/first-real-deploy.md does not list ${addon} ${version}`);
            }
        }
    });
});
