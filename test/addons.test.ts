import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { README_MARKERS, renderAddonTable } from "../components/addons/readme";
import { ADDONS, ADDON_TOGGLES, VERSION_OVERRIDE_KEYS, addonsOf, pinKey } from "../components/addons/registry";
import { AddonModule, DEFAULT_COMPUTE } from "../components/addons/types";
import { CLUSTER_AUTOSCALER_IMAGE_PATCH, EKS_ADDONS, EKS_ADDON_SOURCES, HELM_CHARTS, PINNED_KUBERNETES_VERSION, PINNED_VERSION_KEYS } from "../components/addons/versions";
import { VPC_CNI_CONFIGURATION } from "../components/addons/vpcCni";
import { AddonName } from "../config";
import { knownConfigKeys, validateConfig } from "../config/validate";
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

/** What an add-on toggle brings, as its module declares it: its Helm release or EKS add-on, and its role. */
function ownResources(key: AddonName): { release?: string; eksAddon?: string; role?: string } {
    const module = (ADDONS as readonly AddonModule[]).find((a) => a.key === key);
    assert.ok(module, `no add-on ${key}`);
    return {
        ...(module.install.kind === "helm" ? { release: HELM_CHARTS[module.install.chart].chart } : { eksAddon: module.install.name }),
        ...(module.identity ? { role: `addons-${key}` } : {}),
    };
}

describe("cluster add-ons", () => {
    let platform: Platform;
    before(async () => {
        platform = await runPlatform();
    });

    it("installs every chart at its pinned version from its pinned repository", () => {
        const releases = platform.ofType(RELEASE).map((r) => [r.inputs.chart, r.inputs.version, at(r.inputs, "repositoryOpts.repo")]);
        assert.deepStrictEqual(
            releases.sort(),
            // Karpenter's chart only with addons:nodeProvisioner karpenter (test/karpenter.test.ts); Velero's only with addons:velero (test/velero.test.ts).
            Object.values(HELM_CHARTS).filter((c) => c.chart !== "karpenter" && c.chart !== "velero").map((c) => [c.chart, c.version, c.repo]).sort(),
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

    // Add-ons off by default (Velero) are checked both ways in their own tests (test/velero.test.ts).
    for (const { key: name } of ADDON_TOGGLES.filter((t) => t.default)) {
        it(`creates nothing of ${name} when addons:${name} is false`, async () => {
            const own = ownResources(name);
            const off = await runPlatform(rawConfig({ [`addons:${name}`]: "false", "storage:efs": name === "efsCsi" ? "false" : "true" }));
            const releases = off.ofType(RELEASE).map((r) => r.inputs.chart);
            const eksAddons = off.ofType(EKS_ADDON).map((a) => a.inputs.addonName);
            const roles = off.ofType("ecs2eks:identity:IrsaRole").map((r) => r.name);
            if (own.release) {
                assert.ok(!releases.includes(own.release) && platform.ofType(RELEASE).some((r) => r.inputs.chart === own.release));
            }
            if (own.eksAddon) {
                assert.ok(!eksAddons.includes(own.eksAddon) && platform.ofType(EKS_ADDON).some((a) => a.inputs.addonName === own.eksAddon));
            }
            if (own.role) {
                assert.ok(!roles.includes(own.role) && platform.ofType("ecs2eks:identity:IrsaRole").some((r) => r.name === own.role));
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
        assert.strictEqual(releases.length, Object.keys(HELM_CHARTS).length - 2, "all but Karpenter's and Velero's, which test/karpenter.test.ts and test/velero.test.ts check");
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

describe("the add-on registry", () => {
    const README = path.join(__dirname, "..", "..", "README.md");
    const modules = ADDONS as readonly AddonModule[];

    it("is what README's add-on table shows", () => {
        const readme = fs.readFileSync(README, "utf8");
        const begin = readme.indexOf(README_MARKERS.begin);
        const end = readme.indexOf(README_MARKERS.end);
        assert.ok(begin >= 0 && end > begin, `README.md lacks the add-on table markers ${README_MARKERS.begin} ... ${README_MARKERS.end}`);
        const table = readme.slice(begin + README_MARKERS.begin.length, end).trim();
        assert.strictEqual(table, renderAddonTable(), `README.md's add-on table is not the registry's; put this between the markers:\n${renderAddonTable()}`);
    });

    it("names each add-on once and installs core add-ons before cluster add-ons", () => {
        const keys = modules.map((a) => a.key);
        assert.deepStrictEqual([...new Set(keys)], keys);
        const phases = modules.map((a) => a.phase);
        assert.ok(phases.lastIndexOf("core") < phases.indexOf("cluster"), `a core add-on after a cluster add-on: ${keys.join(", ")}`);
        assert.deepStrictEqual(addonsOf("core").map((a) => a.key), ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);
    });

    it("gives every pin in versions.ts to exactly one add-on, and every add-on a pin", () => {
        const pins = modules.map((a) => pinKey(a.install));
        assert.deepStrictEqual([...new Set(pins)], pins, "two add-ons install the same pin");
        assert.deepStrictEqual([...pins].sort(), [...PINNED_VERSION_KEYS]);
        assert.deepStrictEqual(VERSION_OVERRIDE_KEYS, PINNED_VERSION_KEYS);
    });

    it("is where config finds the add-on keys: one toggle per switchable add-on, and versionOverrides", () => {
        const addonKeys = knownConfigKeys().filter((k) => k.startsWith("addons:"));
        assert.deepStrictEqual(addonKeys, [...modules.filter((a) => a.toggle).map((a) => `addons:${a.key}`), "addons:nodeProvisioner", "addons:veleroSchedules", "addons:versionOverrides"].sort());
        // Stacks set these keys: renaming one would turn its add-on back on in every stack that turned it off.
        for (const key of ["loadBalancerController", "efsCsi", "metricsServer", "clusterAutoscaler", "keda", "externalSecrets"]) {
            assert.ok(ADDON_TOGGLES.some((t) => t.key === key && t.default), `addons:${key} is gone or off by default`);
        }
        // An add-on without a toggle is not a config key: setting one is a typo.
        assert.throws(() => validateConfig(rawConfig({ "addons:coredns": "false" }), "dev"), /addons:coredns/);
    });

    for (const { key, default: on } of ADDON_TOGGLES) {
        it(`reads addons:${key} from the registry: flipping it changes only it, anything but true or false is refused`, () => {
            const config = validateConfig(rawConfig({ [`addons:${key}`]: String(!on), "storage:efs": "false" }), "dev");
            assert.deepStrictEqual(
                Object.entries(config.addons.enabled).filter(([k, v]) => v !== ADDON_TOGGLES.find((t) => t.key === k)?.default).map(([k]) => k),
                [key],
            );
            assert.throws(() => validateConfig(rawConfig({ [`addons:${key}`]: "off" }), "dev"), new RegExp(`addons:${key} "off" is not allowed; use true or false`));
        });
    }

    it("accepts a version override for every add-on's pin and names them all when one is unknown", () => {
        for (const a of modules) {
            const key = pinKey(a.install);
            assert.strictEqual(validateConfig(rawConfig({ "addons:versionOverrides": { [key]: "9.9.9" } }), "dev").addons.versionOverrides[key], "9.9.9", key);
        }
        assert.throws(
            () => validateConfig(rawConfig({ "addons:versionOverrides": { traefik: "1.0.0" } }), "dev"),
            (err: Error) => err.message.includes(`addons:versionOverrides.traefik is not a pinned component; known: ${VERSION_OVERRIDE_KEYS.join(", ")}`),
        );
    });

    it("makes one role per add-on that declares identity needs, named after it, for its service account", async () => {
        const platform = await runPlatform();
        const roles = platform.ofType("ecs2eks:identity:IrsaRole").map((r) => r.name).sort();
        // The default compute choice: Karpenter's role only with addons:nodeProvisioner karpenter.
        const installed = modules.filter((a) => (!a.installWhen || a.installWhen(DEFAULT_COMPUTE)) && (!a.toggle || a.toggle.default));
        const declared = installed.filter((a) => a.identity).map((a) => `${a.phase === "core" ? "core" : "addons"}-${a.key}`).sort();
        assert.deepStrictEqual(roles, declared);
        for (const a of installed.filter((m) => m.identity?.createdBy === "ecs2eks")) {
            const sa = platform.one("kubernetes:core/v1:ServiceAccount", `addons-${a.key}`);
            assert.deepStrictEqual([at(sa.inputs, "metadata.namespace"), at(sa.inputs, "metadata.name")], [a.identity?.namespace, a.identity?.serviceAccount]);
        }
    });

    it("loads neither Pulumi nor an AWS SDK client for config validation or the README table", () => {
        const script = `require(${JSON.stringify(path.join(__dirname, "..", "config", "validate.js"))});
require(${JSON.stringify(path.join(__dirname, "..", "components", "addons", "readme.js"))});
process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules[\\\\/]@(pulumi|aws-sdk)[\\\\/]/.test(k))));`;
        const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as string[];
        assert.deepStrictEqual(loaded, []);
    });
});
