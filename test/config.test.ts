import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config";
import { PINNED_VERSION_KEYS } from "../components/addons/versions";
import { knownConfigKeys, validateConfig } from "../config/validate";
import { findProject, listStacks, loadStackConfigValues } from "../preview/project";
import { rawConfig } from "./harness";

const ROOT = path.join(__dirname, "..", "..");

/** The problems a config produces, or [] when it validates. */
function problems(overrides: Record<string, unknown>): readonly string[] {
    try {
        validateConfig(rawConfig(overrides), "dev");
        return [];
    } catch (err) {
        if (err instanceof ConfigError) {
            return err.problems;
        }
        throw err;
    }
}

function rejects(overrides: Record<string, unknown>, message: string): void {
    assert.deepStrictEqual(problems(overrides), [message]);
}

describe("stack config", () => {
    it("defaults to the production-safe choices", () => {
        const config = validateConfig(rawConfig(), "prod");
        assert.deepStrictEqual(config.network, { mode: "create", cidr: "10.0.0.0/16", azCount: 3, natGateways: "onePerAz" });
        assert.deepStrictEqual(config.cluster, {
            name: "ecs2eks-prod",
            version: "1.33",
            publicAccessCidrs: [],
            allowPublicEndpointFromAnywhere: false,
            adminPrincipalArns: [],
            deletionProtection: true,
        });
        assert.deepStrictEqual(config.nodeGroups, [
            {
                name: "general",
                instanceTypes: ["m6i.large"],
                capacityType: "ON_DEMAND",
                minSize: 2,
                maxSize: 6,
                desiredSize: 2,
                diskSizeGiB: 50,
                amiType: "AL2023_x86_64_STANDARD",
                labels: {},
                taints: [],
            },
        ]);
        assert.strictEqual(config.identity.mode, "irsa");
        assert.deepStrictEqual(config.warnings, []);
    });

    it("is frozen so components cannot change what they were given", () => {
        const config = validateConfig(rawConfig(), "dev");
        assert.ok(Object.isFrozen(config) && Object.isFrozen(config.cluster) && Object.isFrozen(config.nodeGroups[0].labels));
        assert.throws(() => {
            (config.cluster.publicAccessCidrs as string[]).push("0.0.0.0/0");
        });
    });

    describe("network", () => {
        it("names the key, the value and what is allowed", () => {
            rejects({ "network:cidr": "10.0.0.0/33" }, 'network:cidr "10.0.0.0/33" is not an IPv4 CIDR');
            rejects({ "network:cidr": "10.0.3.0/16" }, 'network:cidr "10.0.3.0/16" has host bits set; did you mean 10.0.0.0/16?');
            rejects({ "network:cidr": "10.0.0.0/8" }, 'network:cidr "10.0.0.0/8" is not allowed; a VPC takes a prefix from /16 to /24 (EKS gives every pod a VPC address, so prefer /16)');
            rejects({ "network:azCount": "7" }, 'network:azCount "7" is not allowed; expected a whole number from 2 to 6');
            rejects({ "network:natGateways": "none" }, 'network:natGateways "none" is not allowed; use one of: onePerAz, single');
            rejects({ "network:mode": "import" }, 'network:mode "import" is not allowed; use one of: create, existing');
        });

        it("joins an existing VPC by ID", () => {
            const config = validateConfig(
                rawConfig({
                    "network:mode": "existing",
                    "network:vpcId": "vpc-0abc12345def67890",
                    "network:privateSubnetIds": ["subnet-0ccc3333dddd44445", "subnet-0ccc3333dddd44446"],
                }),
                "dev",
            );
            assert.deepStrictEqual(config.network, {
                mode: "existing",
                vpcId: "vpc-0abc12345def67890",
                publicSubnetIds: [],
                privateSubnetIds: ["subnet-0ccc3333dddd44445", "subnet-0ccc3333dddd44446"],
            });
        });

        it("says what an existing VPC is missing", () => {
            assert.deepStrictEqual(problems({ "network:mode": "existing", "network:privateSubnetIds": ["subnet-0ccc3333dddd44445"] }), [
                "network:vpcId is required with network:mode existing; set it to the VPC the ECS services run in (vpc-...)",
                'network:privateSubnetIds ["subnet-0ccc3333dddd44445"] is not allowed; EKS needs private subnets in at least two availability zones',
            ]);
            rejects(
                { "network:mode": "existing", "network:vpcId": "vpc-1", "network:privateSubnetIds": ["subnet-0ccc3333dddd44445", "subnet-0ccc3333dddd44446"] },
                'network:vpcId "vpc-1" is not an ID like vpc-0abc12345def67890',
            );
            rejects(
                { "network:mode": "existing", "network:vpcId": "vpc-0abc12345def67890", "network:privateSubnetIds": ["subnet-0ccc3333dddd44445", "sn-2"] },
                'network:privateSubnetIds "sn-2" is not an ID like subnet-0abc12345def67890',
            );
        });

        it("rejects keys of the other mode instead of ignoring them", () => {
            rejects({ "network:vpcId": "vpc-0abc12345def67890" }, "network:vpcId is only used with network:mode existing; remove it or set network:mode to existing");
        });
    });

    describe("cluster", () => {
        it("keeps the API endpoint private unless CIDRs are listed", () => {
            assert.deepStrictEqual(validateConfig(rawConfig(), "dev").cluster.publicAccessCidrs, []);
            const open = validateConfig(rawConfig({ "cluster:publicAccessCidrs": ["203.0.113.0/24"] }), "dev");
            assert.deepStrictEqual(open.cluster.publicAccessCidrs, ["203.0.113.0/24"]);
            assert.deepStrictEqual(open.warnings, []);
        });

        it("accepts 0.0.0.0/0 only when written, and warns", () => {
            const config = validateConfig(rawConfig({ "cluster:publicAccessCidrs": ["0.0.0.0/0"] }), "dev");
            assert.deepStrictEqual(config.cluster.publicAccessCidrs, ["0.0.0.0/0"]);
            assert.match(config.warnings.join("\n"), /cluster:publicAccessCidrs includes 0\.0\.0\.0\/0/);
        });

        it("names the key, the value and what is allowed", () => {
            rejects({ "cluster:publicAccessCidrs": ["0.0.0.0"] }, 'cluster:publicAccessCidrs "0.0.0.0" is not an IPv4 CIDR');
            rejects({ "cluster:version": "1.28" }, 'cluster:version "1.28" is not allowed; use a Kubernetes minor version 1.29 or later, like "1.33"');
            rejects({ "cluster:name": "-bad" }, 'cluster:name "-bad" is not allowed; expected 1-100 letters, digits, - or _, starting with a letter or digit');
            rejects({ "cluster:deletionProtection": "yes" }, 'cluster:deletionProtection "yes" is not allowed; use true or false');
            rejects(
                { "cluster:adminPrincipalArns": ["arn:aws:sts::123456789012:assumed-role/Admin/jane"] },
                'cluster:adminPrincipalArns "arn:aws:sts::123456789012:assumed-role/Admin/jane" is a session, not a principal; use the role ARN arn:aws:iam::123456789012:role/Admin',
            );
            rejects({ "cluster:publicAccessCidrs": "203.0.113.0/24" }, 'cluster:publicAccessCidrs "203.0.113.0/24" is not valid structured config; set it as YAML in Pulumi.<stack>.yaml or with `pulumi config set --path`');
        });
    });

    describe("node groups", () => {
        it("reads one group per key of the nodeGroups namespace", () => {
            const config = validateConfig(
                rawConfig({
                    "nodeGroups:arm": { instanceTypes: ["m7g.large", "c7g.large"], capacityType: "SPOT", minSize: 0, maxSize: 10, desiredSize: 1 },
                    "nodeGroups:gpu": { instanceTypes: ["g5.xlarge"], minSize: 0, maxSize: 2, taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }] },
                }),
                "dev",
            );
            assert.deepStrictEqual(
                config.nodeGroups.map((g) => [g.name, g.capacityType, g.minSize, g.maxSize, g.desiredSize, g.amiType]),
                [
                    ["arm", "SPOT", 0, 10, 1, "AL2023_ARM_64_STANDARD"],
                    ["gpu", "ON_DEMAND", 0, 2, 0, "AL2023_x86_64_NVIDIA"],
                ],
            );
            assert.deepStrictEqual(config.nodeGroups[1].taints, [{ key: "nvidia.com/gpu", value: "", effect: "NO_SCHEDULE" }]);
        });

        it("names the group, the field and the value", () => {
            rejects({ "nodeGroups:general": { minSize: 3, maxSize: 2 } }, "nodeGroups.general: minSize 3 is greater than maxSize 2");
            rejects({ "nodeGroups:general": { minSize: 1, maxSize: 3, desiredSize: 5 } }, "nodeGroups.general: desiredSize 5 is outside minSize 1 to maxSize 3");
            rejects({ "nodeGroups:general": { capacityType: "spot" } }, 'nodeGroups.general.capacityType "spot" is not allowed; use one of: ON_DEMAND, SPOT');
            rejects({ "nodeGroups:general": { maxSize: 0 } }, "nodeGroups.general.maxSize 0 is not allowed; expected a whole number from 1 to 1000");
            rejects({ "nodeGroups:general": { diskSizeGiB: 8 } }, "nodeGroups.general.diskSizeGiB 8 is not allowed; expected a whole number from 20 to 16384");
            rejects({ "nodeGroups:general": { instanceTypes: [] } }, 'nodeGroups.general.instanceTypes [] is not allowed; expected a non-empty list of EC2 instance types like ["m6i.large", "m6a.large"]');
            rejects(
                { "nodeGroups:general": { instanceTypes: ["m6i.large", "m7g.large"] } },
                'nodeGroups.general.instanceTypes ["m6i.large","m7g.large"] mixes arm64 and x86_64; one node group boots one image, so split them into two groups',
            );
            rejects(
                { "nodeGroups:general": { instanceTypes: ["m7g.large"], amiType: "AL2023_x86_64_STANDARD" } },
                'nodeGroups.general.amiType "AL2023_x86_64_STANDARD" does not boot arm64 instance types ["m7g.large"]; leave amiType out to get the matching image',
            );
            rejects({ "nodeGroups:general": { minsize: 1 } }, "nodeGroups.general.minsize is not a known field; known fields: instanceTypes, capacityType, minSize, maxSize, desiredSize, diskSizeGiB, amiType, labels, taints");
            rejects({ "nodeGroups:general": { labels: { "team/": "x" } } }, 'nodeGroups.general.labels.team/ "x" is not a label key: up to 63 letters, digits, -, _ or ., starting and ending with a letter or digit');
            rejects(
                { "nodeGroups:general": { taints: [{ key: "dedicated", value: "db", effect: "NoRun" }] } },
                'nodeGroups.general.taints[0] {"key":"dedicated","value":"db","effect":"NoRun"} has an effect that is not NoSchedule, NoExecute or PreferNoSchedule',
            );
            rejects({ "nodeGroups:General": {} }, "nodeGroups:General is not a valid node group name; use up to 40 lowercase letters, digits and -");
        });

        it("warns about SPOT with a single instance type", () => {
            const config = validateConfig(rawConfig({ "nodeGroups:spot": { capacityType: "SPOT", instanceTypes: ["m6i.large"] } }), "dev");
            assert.deepStrictEqual(config.warnings, [
                "nodeGroups.spot: SPOT with the single instance type m6i.large is often short of capacity; list several types of the same size",
            ]);
        });
    });

    describe("storage and add-ons", () => {
        it("creates EFS and every add-on but Velero by default", () => {
            const config = validateConfig(rawConfig(), "dev");
            assert.deepStrictEqual(config.storage, { efs: true, efsThroughputMode: "elastic", efsBackups: true, efsAccessPoints: [] });
            // Velero makes a bucket that outlives the stack: asked for, not assumed.
            assert.deepStrictEqual(Object.entries(config.addons.enabled).filter(([, on]) => !on).map(([k]) => k), ["velero"]);
            assert.strictEqual(config.partition, "aws");
        });

        it("fills in access point defaults", () => {
            const config = validateConfig(rawConfig({ "storage:efsAccessPoints": [{ name: "media" }] }), "dev");
            assert.deepStrictEqual(config.storage.efsAccessPoints, [{ name: "media", path: "/media", uid: 1000, gid: 1000, permissions: "750" }]);
        });

        it("names the access point field and the value", () => {
            rejects({ "storage:efsAccessPoints": [{ name: "media", permissions: 750 }] }, 'storage:efsAccessPoints[0].permissions 750 is not allowed; use octal permissions as a string, like "750"');
            rejects({ "storage:efsAccessPoints": [{ name: "media", path: "media" }] }, 'storage:efsAccessPoints[0].path "media" is not allowed; use an absolute directory below /, like /shared');
            rejects({ "storage:efsAccessPoints": [{ name: "a" }, { name: "a" }] }, 'storage:efsAccessPoints has two access points named "a"; names must be unique');
            rejects({ "storage:efs": "false", "storage:efsAccessPoints": [{ name: "a" }] }, "storage:efsAccessPoints needs storage:efs true; access points live on the file system this stack creates");
        });

        it("accepts overrides only for pinned components", () => {
            rejects({ "addons:versionOverrides": { traefik: "1.0.0" } }, `addons:versionOverrides.traefik is not a pinned component; known: ${PINNED_VERSION_KEYS.join(", ")}`);
            rejects({ "addons:versionOverrides": { keda: "latest" } }, 'addons:versionOverrides.keda "latest" is not a version like 1.2.3 or v1.2.3-eksbuild.1');
        });

        it("asks for a kube-proxy build when the cluster is on another minor than the pins", () => {
            assert.match(problems({ "cluster:version": "1.32" })[0], /^cluster:version "1\.32" needs a kube-proxy build for that minor \(the pin is for 1\.33\); set addons:versionOverrides\.kube-proxy/);
            assert.deepStrictEqual(problems({ "cluster:version": "1.32", "addons:versionOverrides": { "kube-proxy": "v1.32.0-eksbuild.2" } }), []);
        });

        it("warns when EFS is created but nothing can mount it", () => {
            assert.match(validateConfig(rawConfig({ "addons:efsCsi": "false" }), "dev").warnings.join(), /addons:efsCsi is off while storage:efs is on/);
        });
    });

    it("needs aws:region, and keeps ARNs in its partition", () => {
        assert.throws(() => validateConfig({}, "dev"), /aws:region is required; set it with `pulumi config set aws:region us-east-1`/);
        rejects({ "aws:region": "useast1" }, 'aws:region "useast1" is not an AWS region like us-east-1');
        assert.strictEqual(validateConfig(rawConfig({ "aws:region": "cn-north-1" }), "dev").partition, "aws-cn");
        rejects(
            { "aws:region": "us-gov-west-1", "cluster:adminPrincipalArns": ["arn:aws:iam::123456789012:role/admins"] },
            'cluster:adminPrincipalArns "arn:aws:iam::123456789012:role/admins" is not in partition aws-us-gov of aws:region us-gov-west-1; use a principal of that partition',
        );
    });

    describe("migration source", () => {
        it("builds only the platform unless a source is set", () => {
            assert.deepStrictEqual(validateConfig(rawConfig(), "dev").migration, { source: "none", clusters: [], services: [], cutover: { defaultEksWeight: 0, services: {} }, testRoute: { header: "x-ecs2eks-canary", value: "eks" }, workloads: {}, adopted: [], allowBroadIam: [], allowPrivileged: [] });
        });

        it("says what each source needs", () => {
            rejects({ "migration:source": "snapshot" }, "migration:snapshotFile is required with migration:source snapshot; write one with npx ecs2eks snapshot --cluster <name> --out <file>");
            rejects({ "migration:source": "live" }, 'migration:clusters is required with migration:source live; list the ECS clusters to migrate, e.g. ["shop"]');
            rejects({ "migration:source": "frozen" }, 'migration:source "frozen" is not allowed; use one of: none, live, snapshot');
            rejects(
                { "migration:source": "snapshot", "migration:snapshotFile": "s.json", "migration:services": ["web"] },
                "migration:services only filters a live read; a snapshot holds the services it was taken with (npx ecs2eks snapshot --service)",
            );
        });

        it("reads a live source's clusters and services", () => {
            const config = validateConfig(rawConfig({ "migration:source": "live", "migration:clusters": ["shop"], "migration:services": ["web"] }), "dev");
            assert.deepStrictEqual(config.migration, { source: "live", clusters: ["shop"], services: ["web"], cutover: { defaultEksWeight: 0, services: {} }, testRoute: { header: "x-ecs2eks-canary", value: "eks" }, workloads: {}, adopted: [], allowBroadIam: [], allowPrivileged: [] });
        });
    });

    it("rejects identity modes it does not know", () => {
        rejects({ "identity:mode": "kiam" }, 'identity:mode "kiam" is not allowed; use one of: irsa, pod-identity');
    });

    it("reports a typo in one of its namespaces with the keys it knows", () => {
        rejects({ "cluster:verison": "1.30" }, "cluster:verison is not a known key; known cluster keys: adminPrincipalArns, allowPublicEndpointFromAnywhere, autoMode, deletionProtection, fargateNamespaces, name, publicAccessCidrs, version");
    });

    it("leaves other namespaces to their owners", () => {
        assert.doesNotThrow(() => validateConfig(rawConfig({ "aws:region": "eu-west-1", "kubernetes:context": "x" }), "dev"));
    });

    it("reports every problem at once", () => {
        assert.strictEqual(problems({ "network:cidr": "x", "cluster:version": "2", "identity:mode": "y" }).length, 3);
    });

    describe("the stack files in the repository", () => {
        const project = findProject(ROOT);

        for (const stack of listStacks(project)) {
            it(`Pulumi.${stack}.yaml validates`, () => {
                assert.doesNotThrow(() => validateConfig(loadStackConfigValues(project, stack, []).values, stack));
            });
        }

        it("Pulumi.dev.yaml shows every key", () => {
            const text = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
            const missing = knownConfigKeys().filter((key) => !text.includes(`${key}:`));
            assert.deepStrictEqual(missing, []);
            assert.match(text, /nodeGroups:general:/);
        });
    });
});
