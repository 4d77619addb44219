import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { AUTO_MODE_EBS_DRIVER, CLUSTER_VOLUME_TAG, EBS_CSI_DRIVER } from "../core/ebsVolumeSpec";
import { writeSnapshotFile } from "../migration/ecs/snapshotFile";
import { dbService, dbTaskDefinition } from "./ebsFixture";
import { ROOT, runCli } from "./runCli";
import { snapshot } from "./translateHarness";

interface StorageClass {
    kind: string;
    metadata: { name: string };
    provisioner: string;
    parameters?: Record<string, string>;
}

/** The StorageClasses of a plan's manifests, as `kubectl apply -k` would create them. */
function storageClasses(out: string): StorageClass[] {
    const dir = path.join(out, "manifests");
    return fs
        .readdirSync(dir)
        .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), "utf8")) as StorageClass[])
        .filter((o) => o?.kind === "StorageClass");
}

const clusterTags = (sc: StorageClass): string[] => Object.values(sc.parameters ?? {}).filter((v) => v.startsWith(`${CLUSTER_VOLUME_TAG}=`));

describe("plan's manifests: migrated EBS volumes as the stack would make them", function () {
    this.timeout(120000);
    let tmp: string;
    let snapshotFile: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-volumes-"));
        snapshotFile = path.join(tmp, "snapshot.json");
        writeSnapshotFile(snapshotFile, snapshot([dbService()], [dbTaskDefinition()]));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("with --stack, tags the volumes for that stack's cluster, so Velero's role may snapshot them", async () => {
        const out = path.join(tmp, "dev");
        const run = await runCli(["plan", "--snapshot", snapshotFile, "--stack", "dev", "--out", out]);
        assert.strictEqual(run.status, 0, run.stderr);
        const [sc] = storageClasses(out);
        assert.strictEqual(sc.provisioner, EBS_CSI_DRIVER);
        assert.deepStrictEqual(clusterTags(sc), [`${CLUSTER_VOLUME_TAG}=ecs2eks-dev`]);
    });

    it("under an Auto Mode stack, names Auto Mode's EBS driver (the add-on's is not installed there)", async () => {
        const project = path.join(tmp, "auto");
        fs.mkdirSync(project);
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
        fs.writeFileSync(path.join(project, "Pulumi.auto.yaml"), "config:\n  aws:region: us-east-1\n  cluster:name: shop-auto\n  cluster:autoMode: true\n");
        const out = path.join(tmp, "auto-plan");
        const run = await runCli(["plan", "--snapshot", snapshotFile, "--stack", "auto", "--out", out], {}, project);
        assert.strictEqual(run.status, 0, run.stderr);
        const [sc] = storageClasses(out);
        assert.strictEqual(sc.provisioner, AUTO_MODE_EBS_DRIVER);
        assert.deepStrictEqual(clusterTags(sc), [`${CLUSTER_VOLUME_TAG}=shop-auto`]);
    });

    it("without --stack, the cluster is unknown: no cluster tag rather than a guessed one", async () => {
        const out = path.join(tmp, "nostack");
        const run = await runCli(["plan", "--snapshot", snapshotFile, "--out", out]);
        assert.strictEqual(run.status, 0, run.stderr);
        const [sc] = storageClasses(out);
        assert.strictEqual(sc.provisioner, EBS_CSI_DRIVER);
        assert.deepStrictEqual(clusterTags(sc), []);
    });
});
