import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { findProject, listStacks } from "../preview/project";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    "runs-on"?: string;
    needs?: string | string[];
    uses?: string;
    with?: Record<string, unknown>;
    permissions?: Record<string, string>;
    environment?: string;
    strategy?: { matrix?: { stack?: string[] } };
    steps?: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    jobs: Record<string, Job>;
}

function load(file: string): Workflow {
    // js-yaml reads the `on:` key as the string "on" (YAML 1.2 core schema).
    return yaml.load(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
}

const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort();
const workflows = Object.fromEntries(files.map((f) => [f, load(f)]));
const stacks = listStacks(findProject(ROOT));
const allSteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
/** A job talks to AWS or Pulumi Cloud with OIDC credentials. */
const assumesRoles = (j: Job) => (j.steps ?? []).some((s) => /configure-aws-credentials|pulumi\/auth-actions/.test(s.uses ?? "")) || (j.uses ?? "").endsWith("stack-up.yml");

describe("GitHub Actions workflows", () => {
    it("exist for pull requests, deploys, drift, the decommission check, and one stack's up", () => {
        assert.deepStrictEqual(files, ["decommission-check.yml", "deploy.yml", "drift.yml", "pull-request.yml", "stack-up.yml"]);
    });

    it("are triggered as documented", () => {
        assert.deepStrictEqual(workflows["pull-request.yml"].on, { pull_request: { branches: ["main"] } });
        assert.deepStrictEqual(workflows["deploy.yml"].on, { push: { branches: ["main"] } });
        assert.ok((workflows["drift.yml"].on.schedule as { cron: string }[])[0].cron.split(" ").length === 5);
        assert.deepStrictEqual(Object.keys(workflows["decommission-check.yml"].on), ["workflow_dispatch"]);
        assert.ok("workflow_call" in workflows["stack-up.yml"].on);
    });

    it("preview and check drift on exactly the stacks with a Pulumi.<stack>.yaml", () => {
        assert.deepStrictEqual([...(workflows["pull-request.yml"].jobs.preview.strategy?.matrix?.stack ?? [])].sort(), stacks);
        assert.deepStrictEqual([...(workflows["drift.yml"].jobs.drift.strategy?.matrix?.stack ?? [])].sort(), stacks);
        const choices = (workflows["decommission-check.yml"].on.workflow_dispatch as { inputs: { stack: { options: string[] } } }).inputs.stack.options;
        assert.deepStrictEqual([...choices].sort(), stacks);
    });

    it("deploy every stack in order, dev, then staging, then prod, each after the last", () => {
        const jobs = workflows["deploy.yml"].jobs;
        const order = ["dev", "staging", "prod"];
        assert.deepStrictEqual(order.filter((s) => stacks.includes(s)), stacks.slice().sort((a, b) => order.indexOf(a) - order.indexOf(b)));
        for (const [i, stack] of order.entries()) {
            assert.strictEqual(jobs[stack].uses, "./.github/workflows/stack-up.yml");
            assert.deepStrictEqual(jobs[stack].with, { stack });
            assert.strictEqual(jobs[stack].needs, i === 0 ? "test" : order[i - 1]);
        }
        const up = workflows["stack-up.yml"];
        assert.strictEqual(up.jobs.up.environment, "${{ inputs.stack }}", "each environment gates its own stack");
        assert.deepStrictEqual(up.concurrency, { group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false }, "two runs never touch one stack");
    });

    it("pass the policy pack to every preview and up", () => {
        const pulumiSteps = files.flatMap((f) => allSteps(workflows[f]).filter((s) => (s.uses ?? "").startsWith("pulumi/actions@") || /^\s*pulumi (preview|up) /m.test(s.run ?? "")));
        assert.ok(pulumiSteps.length >= 3);
        for (const s of pulumiSteps) {
            assert.ok(s.with?.policyPacks === "policy" || /--policy-pack policy/.test(s.run ?? ""), JSON.stringify(s));
        }
    });

    it("run the tests before previewing or deploying", () => {
        assert.strictEqual(workflows["pull-request.yml"].jobs.preview.needs, "test");
        for (const f of ["pull-request.yml", "deploy.yml"]) {
            const runs = (workflows[f].jobs.test.steps ?? []).map((s) => s.run);
            assert.ok(runs.includes("npm ci") && runs.includes("npm test"), f);
        }
    });

    it("grant least privilege: nothing by default, id-token only where roles are assumed", () => {
        for (const f of files) {
            assert.deepStrictEqual(workflows[f].permissions, {}, `${f}: top-level permissions must be {}`);
            for (const [name, job] of Object.entries(workflows[f].jobs)) {
                const idToken = job.permissions?.["id-token"] === "write";
                assert.strictEqual(idToken, assumesRoles(job), `${f}/${name}: id-token write only with OIDC role assumption`);
                for (const [scope, level] of Object.entries(job.permissions ?? {})) {
                    assert.ok(["contents:read", "id-token:write", "pull-requests:write", "issues:write"].includes(`${scope}:${level}`), `${f}/${name}: ${scope}: ${level}`);
                }
            }
        }
    });

    it("use no long-lived keys", () => {
        for (const f of files) {
            const text = fs.readFileSync(path.join(DIR, f), "utf8");
            assert.ok(!/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN|secrets\./.test(text), f);
        }
    });

    it("pin every action to a version", () => {
        for (const f of files) {
            for (const s of allSteps(workflows[f]).filter((x) => x.uses)) {
                assert.match(s.uses ?? "", /^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/, `${f}: ${s.uses}`);
            }
        }
    });
});
