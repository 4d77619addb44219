import * as assert from "assert";
import * as path from "path";
import { VeleroSchedule } from "../config/veleroSchedules";
import { validateConfig } from "../config/validate";
import { bucketPrefix } from "../components/addons/context";
import { HELM_CHARTS, VELERO_AWS_PLUGIN_IMAGE } from "../components/addons/versions";
import { veleroPolicy } from "../components/iam/veleroPolicy";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { decommissionChecks } from "../migration/decommission";
import { BACKUP_CHECK_TITLE } from "../migration/decommission/backupCheck";
import { translate } from "../migration/translate/translate";
import { RULES } from "../policy/rules";
import { buildStack } from "../program";
import { runOffline } from "../preview/run";
import { Platform, at, rawConfig, runPlatform } from "./harness";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
const RELEASE = "kubernetes:helm.sh/v3:Release";
const VELERO_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"];

type Statement = { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> };

/** The chart values' paths with each schedule's name replaced by <name>, as versions.ts records them. */
function valuePaths(value: unknown, prefix = ""): string[] {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return [prefix];
    }
    return Object.entries(value).flatMap(([k, v]) => valuePaths(v, prefix ? `${prefix}.${prefix === "schedules" ? "<name>" : k}` : k));
}

describe("Velero (addons:velero)", () => {
    let platform: Platform;
    let shopNamespaces: string[];
    before(async () => {
        const snapshot = readSnapshotFile(SAMPLE);
        shopNamespaces = translate(snapshot).namespaces.map((n) => n.name).sort();
        const raw = rawConfig({ "addons:velero": "true", "migration:source": "snapshot", "migration:snapshotFile": SAMPLE });
        const result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snapshot) }) });
        platform = new Platform(result);
    });

    it("keeps backups in a bucket of this stack: versioned, encrypted with its own rotated key, never public, old versions expire, kept on destroy", () => {
        const bucket = platform.one("aws:s3/bucket:Bucket");
        assert.strictEqual(bucket.retainOnDelete, true, "the bucket outlives the stack");
        assert.strictEqual(at(bucket.inputs, "tags.ecs2eks:backups"), "ecs2eks-test");
        const pab = platform.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            assert.strictEqual(pab.inputs[k], true, k);
        }
        assert.strictEqual(platform.input("aws:s3/bucketVersioning:BucketVersioning", undefined, "versioningConfiguration.status"), "Enabled");
        const sse = platform.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        assert.strictEqual(at(sse.inputs, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"), "aws:kms");
        const key = platform.ofType("aws:kms/key:Key").find((k) => String(k.inputs.description).startsWith("Bucket of add-on velero"));
        assert.ok(key, "the bucket's own key");
        assert.strictEqual(key.retainOnDelete, true, "the key that reads the backups outlives the stack too");
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        assert.ok(sse.dependencies.includes(key.urn), "the bucket is encrypted with that key");
        const rules = at(platform.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs, "rules") as Record<string, unknown>[];
        assert.deepStrictEqual(rules.map((r) => [r.id, r.status]), [["expire-replaced-versions", "Enabled"], ["abort-incomplete-uploads", "Enabled"]]);
        assert.strictEqual(at(rules[0], "noncurrentVersionExpiration.noncurrentDays"), 30);
        // Every bucket setting is attached to this bucket.
        for (const type of VELERO_TYPES.slice(1)) {
            assert.ok(platform.one(type).dependencies.includes(bucket.urn), type);
        }
    });

    it("gives Velero a role for its service account scoped to that bucket, its key, and this cluster's EBS snapshots", () => {
        const role = platform.one("ecs2eks:identity:IrsaRole", "addons-velero");
        assert.ok(role);
        const sa = platform.one("kubernetes:core/v1:ServiceAccount", "addons-velero");
        assert.deepStrictEqual([at(sa.inputs, "metadata.namespace"), at(sa.inputs, "metadata.name")], ["velero", "velero-server"]);
        const doc = JSON.parse(String(platform.input("aws:iam/rolePolicy:RolePolicy", "addons-velero-policy", "policy"))) as { Statement: Statement[] };
        const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
        const objects = bySid.BackupObjects.Resource as string;
        assert.match(objects, /^arn:aws:s3:::ecs2eks-test-velero-.*\/\*$/, "objects of the stack's bucket only");
        assert.strictEqual(bySid.ListBackupBucket.Resource, objects.slice(0, -2));
        assert.match(String(bySid.UseBucketKey.Resource), /^arn:aws:kms:/);
        assert.ok(!doc.Statement.some((s) => s.Resource === "*" && [s.Action].flat().some((a) => !a.startsWith("ec2:Describe"))), "only Describe calls on every resource");
        assert.deepStrictEqual(bySid.DeleteClusterSnapshots.Condition, { StringEquals: { "aws:ResourceTag/ecs2eks:cluster": "ecs2eks-test" } });
        assert.deepStrictEqual(bySid.RestoreFromClusterSnapshots.Condition, { StringEquals: { "aws:ResourceTag/ecs2eks:cluster": "ecs2eks-test" } });
    });

    it("installs the pinned chart with the AWS plugin, the bucket, snapshots in the region, no stored key, and a daily 30-day schedule of every migrated namespace", () => {
        const release = platform.ofType(RELEASE).find((r) => r.inputs.chart === "velero");
        assert.ok(release, "the velero release");
        assert.deepStrictEqual([release.inputs.version, at(release.inputs, "repositoryOpts.repo"), release.inputs.namespace], [HELM_CHARTS.velero.version, HELM_CHARTS.velero.repo, "velero"]);
        const values = release.inputs.values;
        const bsl = at(values, "configuration.backupStorageLocation.0") as Record<string, unknown>;
        assert.deepStrictEqual([bsl.provider, bsl.default, at(bsl, "config.region")], ["aws", true, "us-east-1"]);
        assert.match(String(bsl.bucket), /^ecs2eks-test-velero-/);
        assert.deepStrictEqual(at(values, "configuration.volumeSnapshotLocation"), [{ name: "default", provider: "aws", config: { region: "us-east-1" } }]);
        assert.strictEqual(at(values, "initContainers.0.image"), VELERO_AWS_PLUGIN_IMAGE);
        assert.strictEqual(VELERO_AWS_PLUGIN_IMAGE, "velero/velero-plugin-for-aws:v1.13.2", "v1.13.x is the plugin for Velero 1.17.x");
        assert.ok(HELM_CHARTS.velero.source.appVersion.startsWith("1.17."));
        assert.deepStrictEqual(at(values, "serviceAccount.server"), { create: false, name: "velero-server" });
        assert.strictEqual(at(values, "credentials.useSecret"), false);
        assert.ok(shopNamespaces.length > 0);
        assert.deepStrictEqual(at(values, "schedules"), {
            daily: { schedule: "0 3 * * *", useOwnerReferencesInBackup: false, template: { ttl: "720h", storageLocation: "default", includedNamespaces: shopNamespaces } },
        });
        const unchecked = valuePaths(values).filter((p) => !(HELM_CHARTS.velero.source.values as readonly string[]).includes(p));
        assert.deepStrictEqual(unchecked, [], "values not checked in the chart's values.yaml at the pinned tag");
        // The release waits for its service account and its bucket.
        assert.ok(release.dependencies.includes(platform.one("kubernetes:core/v1:ServiceAccount", "addons-velero").urn));
        assert.ok(release.dependencies.includes(platform.one("aws:s3/bucket:Bucket").urn));
    });

    it("passes the policy pack's backup rule", () => {
        const rule = RULES.find((r) => r.name === "backup-bucket-private-and-kept");
        assert.ok(rule);
        for (const r of platform.result.resources.filter((x) => VELERO_TYPES.includes(x.type))) {
            const problems: string[] = [];
            rule.validate(r.type, r.inputs, (m) => problems.push(m), { retainOnDelete: r.retainOnDelete });
            assert.deepStrictEqual(problems, [], r.name);
        }
    });

    it("is off by default: no bucket, no role, no release", async () => {
        const off = await runPlatform(rawConfig());
        for (const type of VELERO_TYPES) {
            assert.strictEqual(off.ofType(type).length, 0, type);
        }
        assert.ok(!off.ofType("ecs2eks:identity:IrsaRole").some((r) => r.name === "addons-velero"));
        assert.ok(!off.ofType(RELEASE).some((r) => r.inputs.chart === "velero"));
        assert.ok(!off.ofType("kubernetes:core/v1:Namespace").some((r) => at(r.inputs, "metadata.name") === "velero"));
    });

    it("takes schedules from addons:veleroSchedules, with their own namespaces", async () => {
        const schedules = [{ name: "hourly", schedule: "0 * * * *", ttl: "72h", includedNamespaces: ["shop"] }];
        const p = await runPlatform(rawConfig({ "addons:velero": "true", "addons:veleroSchedules": schedules }));
        const release = p.ofType(RELEASE).find((r) => r.inputs.chart === "velero");
        assert.deepStrictEqual(at(release?.inputs, "values.schedules"), {
            hourly: { schedule: "0 * * * *", useOwnerReferencesInBackup: false, template: { ttl: "72h", storageLocation: "default", includedNamespaces: ["shop"] } },
        });
    });

    it("backs up every namespace when the stack migrates nothing", async () => {
        const p = await runPlatform(rawConfig({ "addons:velero": "true" }));
        assert.deepStrictEqual(at(p.ofType(RELEASE).find((r) => r.inputs.chart === "velero")?.inputs, "values.schedules.daily.template.includedNamespaces"), ["*"]);
    });
});

describe("addons:veleroSchedules", () => {
    const read = (value: unknown): readonly VeleroSchedule[] => validateConfig(rawConfig({ "addons:veleroSchedules": value }), "dev").addons.veleroSchedules;

    it("defaults to daily at 03:00, kept 30 days, the migrated namespaces", () => {
        assert.deepStrictEqual(validateConfig(rawConfig(), "dev").addons.veleroSchedules, [{ name: "daily", schedule: "0 3 * * *", ttl: "720h" }]);
    });

    it("refuses a misspelt field, a bad cron, a bad duration, a duplicate name, and names the fix", () => {
        assert.throws(() => read([{ name: "daily", schedule: "0 3 * * *", ttl: "720h", includeNamespaces: ["shop"] }]), /addons:veleroSchedules\[0\]\.includeNamespaces is not a schedule field; known: name, schedule, ttl, includedNamespaces/);
        assert.throws(() => read([{ name: "daily", schedule: "03:00", ttl: "720h" }]), /addons:veleroSchedules\[0\]\.schedule "03:00" is not a five-field cron expression/);
        assert.throws(() => read([{ name: "daily", schedule: "0 3 * * *", ttl: "30d" }]), /addons:veleroSchedules\[0\]\.ttl "30d" is not a duration like "720h"/);
        assert.throws(() => read([{ name: "a", schedule: "0 3 * * *", ttl: "1h" }, { name: "a", schedule: "0 4 * * *", ttl: "1h" }]), /addons:veleroSchedules\[1\]\.name "a" is used twice/);
        assert.throws(() => read({ name: "daily" }), /addons:veleroSchedules .* is not a list of schedules/);
        assert.deepStrictEqual(read([{ name: "weekly", schedule: "0 2 * * 0", ttl: "2160h", includedNamespaces: ["shop"] }]), [{ name: "weekly", schedule: "0 2 * * 0", ttl: "2160h", includedNamespaces: ["shop"] }]);
    });
});

describe("the backup bucket's name", () => {
    it("is a valid S3 prefix for any EKS cluster name: lowercase, no underscores, at most 37 characters", () => {
        assert.strictEqual(bucketPrefix("ecs2eks-test", "velero"), "ecs2eks-test-velero-");
        const long = bucketPrefix("Prod_Payments_Cluster_In_Eu_West_1_Blue", "velero");
        assert.ok(long.length <= 37 && /^[a-z0-9][a-z0-9-]*-velero-$/.test(long), long);
    });
});

describe("the Velero role's policy", () => {
    const doc = veleroPolicy("aws", "eu-west-1", "123456789012", "prod-eks", { bucketArn: "arn:aws:s3:::prod-backups", keyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" });

    it("reaches no other bucket or key, and deletes and restores only snapshots tagged for this cluster", () => {
        const resources = doc.Statement.flatMap((s) => [s.Resource].flat().map((r) => [s.Action, String(r)] as const));
        assert.ok(resources.filter(([a]) => [a].flat().some((x) => x.startsWith("s3:"))).every(([, r]) => r === "arn:aws:s3:::prod-backups" || r === "arn:aws:s3:::prod-backups/*"));
        assert.ok(resources.filter(([a]) => [a].flat().some((x) => x.startsWith("kms:"))).every(([, r]) => r === "arn:aws:kms:eu-west-1:123456789012:key/k"));
        for (const action of ["ec2:DeleteSnapshot", "ec2:CreateVolume"]) {
            const onSnapshots = doc.Statement.filter((s) => [s.Action].flat().includes(action) && [s.Resource].flat().some((r) => String(r).includes(":snapshot/")));
            assert.ok(onSnapshots.length > 0 && onSnapshots.every((s) => JSON.stringify(s.Condition) === JSON.stringify({ StringEquals: { "aws:ResourceTag/ecs2eks:cluster": "prod-eks" } })), action);
        }
        const createTags = doc.Statement.find((s) => s.Action === "ec2:CreateTags");
        assert.deepStrictEqual(createTags?.Condition, { StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } });
    });
});

describe("decommission-check with Velero on", () => {
    const snapshot = readSnapshotFile(SAMPLE);
    const checks = (overrides: Record<string, unknown>) => {
        const config = validateConfig(rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, ...overrides }), "prod");
        return decommissionChecks(config, " --stack prod", snapshot, translate(snapshot));
    };

    it("lists a manual check for a backup newer than the last cutover change, with the commands to run", () => {
        const check = checks({ "addons:velero": "true" }).find((c) => c.title === BACKUP_CHECK_TITLE);
        assert.ok(check, "the backup check");
        assert.strictEqual(check.ok, false, "never passed without reading the cluster");
        assert.match(check.detail, /manual check/);
        assert.ok(check.fix?.includes("`velero backup get`") && check.fix.includes("`kubectl -n velero get backups.velero.io -o json`"), check.fix);
        assert.ok(check.fix?.includes("--from-schedule velero-daily"), check.fix);
    });

    it("asks nothing of backups when Velero is off", () => {
        assert.ok(!checks({}).some((c) => c.title === BACKUP_CHECK_TITLE));
    });
});
