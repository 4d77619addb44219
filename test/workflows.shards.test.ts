/**
 * The shard matrix of the workflows: after an environment's platform stack,
 * its shards go up in parallel (one stack-up.yml run each, so each its own
 * concurrency group and environment); pull requests preview the shards they
 * can change. The matrix comes from the Pulumi.<stack>.yaml files.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");
interface Job {
    needs?: string | string[];
    if?: string;
    uses?: string;
    with?: Record<string, unknown>;
    permissions?: Record<string, string>;
    outputs?: Record<string, string>;
    strategy?: { "fail-fast"?: boolean; matrix?: { stack?: unknown } };
    steps?: { id?: string; run?: string; env?: Record<string, string>; uses?: string; with?: Record<string, unknown> }[];
}
const jobsOf = (file: string) => (yaml.load(fs.readFileSync(path.join(DIR, file), "utf8")) as { jobs: Record<string, Job> }).jobs;
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], { cwd, encoding: "utf8" });

describe("workflows: migration shards", () => {
    const deploy = jobsOf("deploy.yml");
    const pr = jobsOf("pull-request.yml");

    it("deploy each environment's shards after its platform stack, in parallel, one stack-up run (and concurrency group) each", () => {
        for (const env of ["dev", "staging", "prod"]) {
            const job = deploy[`${env}-shards`];
            assert.ok(job, `no ${env}-shards job`);
            assert.deepStrictEqual(job.needs, ["shard-matrix", env], "the platform stack first");
            assert.strictEqual(job.uses, "./.github/workflows/stack-up.yml");
            assert.deepStrictEqual(job.with, { stack: "${{ matrix.stack }}" });
            assert.strictEqual(job.strategy?.matrix?.stack, `\${{ fromJSON(needs.shard-matrix.outputs.shards).${env} }}`);
            assert.strictEqual(job.strategy?.["fail-fast"], false, "one shard's failure does not cancel the others");
            assert.strictEqual(job.if, `\${{ toJSON(fromJSON(needs.shard-matrix.outputs.shards).${env}) != '[]' }}`, "an environment without shards skips the job instead of failing on an empty matrix");
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
        }
        const up = yaml.load(fs.readFileSync(path.join(DIR, "stack-up.yml"), "utf8")) as { concurrency: { group: string } };
        assert.strictEqual(up.concurrency.group, "pulumi-${{ inputs.stack }}", "each shard its own concurrency group");
    });

    it("compute the matrix with no credentials, from the stack files", () => {
        for (const jobs of [deploy, pr]) {
            const m = jobs["shard-matrix"];
            assert.deepStrictEqual(m.permissions, { contents: "read" });
            assert.strictEqual(m.needs, "test");
            assert.strictEqual(m.outputs?.shards, "${{ steps.shards.outputs.shards }}");
            assert.match(m.steps?.find((s) => s.id === "shards")?.run ?? "", /npx ecs2eks shards --matrix/);
        }
        assert.strictEqual(cli(["shards", "--matrix"], ROOT).stdout, '{"dev":[],"prod":[],"staging":[]}\n', "the repository's stacks have no shards yet");
        assert.strictEqual(cli(["shards", "--matrix"], path.join(ROOT, "examples", "shards")).stdout, '{"shop-platform":["shop-a","shop-b"]}\n');
    });

    it("preview in a pull request the shards it touches, each in its own stack-preview run", () => {
        const job = pr["shard-preview"];
        assert.strictEqual(job.uses, "./.github/workflows/stack-preview.yml");
        assert.deepStrictEqual(job.with, { stack: "${{ matrix.stack }}" });
        assert.strictEqual(job.strategy?.matrix?.stack, "${{ fromJSON(needs.shard-matrix.outputs.shards) }}");
        assert.strictEqual(job.if, "${{ needs.shard-matrix.outputs.shards != '[]' }}");
        const step = pr["shard-matrix"].steps?.find((s) => s.id === "shards");
        assert.deepStrictEqual(step?.env, { BASE_REF: "${{ github.base_ref }}" });
        const dir = path.join(ROOT, "examples", "shards");
        const touched = (files: string[]) => {
            const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "changed-")), "changed.txt");
            fs.writeFileSync(list, files.join("\n"));
            return JSON.parse(cli(["shards", "--matrix", "--changed", list], dir).stdout) as string[];
        };
        assert.deepStrictEqual(touched(["Pulumi.shop-b.yaml"]), ["shop-b"]);
        assert.deepStrictEqual(touched(["Pulumi.shop-platform.yaml"]), ["shop-a", "shop-b"], "the platform's config reaches every shard");
        assert.deepStrictEqual(touched(["../shop/snapshot.json"]), ["shop-a", "shop-b"], "so does the snapshot they read");
        assert.deepStrictEqual(touched(["README.md", "docs/runbook.md"]), [], "documentation previews nothing");
        assert.deepStrictEqual(touched(["migration/ecsMigration.ts"]), ["shop-a", "shop-b"], "code reaches every shard");
    });

    it("run the overlap check in the pull request, through policy:check", () => {
        assert.ok((pr.test.steps ?? []).some((s) => s.run === "npm run policy:check"));
    });
});
