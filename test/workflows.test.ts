import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { findProject, listStacks } from "../preview/project";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");

interface Step {
    id?: string;
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

/** One entry of .github/verified-actions.json: an action checked once against its repository. */
interface VerifiedAction {
    action: string;
    tag: string;
    sha: string;
    source: string;
    checked: string;
    inputs: string[];
    outputs: string[];
}
const verified = (JSON.parse(fs.readFileSync(path.join(ROOT, ".github", "verified-actions.json"), "utf8")) as { actions: VerifiedAction[] }).actions;
const pulumiSdkVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];

/** A step's action without its ref, e.g. "actions/checkout". */
const actionOf = (uses: string) => uses.split("@")[0];
const verifiedFor = (uses: string) => verified.find((v) => v.action === actionOf(uses));
/** `uses:` lines as written, comments included (YAML parsing drops the version comment). */
const usesLines = (file: string) =>
    fs.readFileSync(path.join(DIR, file), "utf8").split("\n").map((l) => l.trim().replace(/^- /, "")).filter((l) => l.startsWith("uses:") && !l.startsWith("uses: ./"));

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
        const pulumiSteps = files.flatMap((f) => allSteps(workflows[f]).filter((s) => ((s.uses ?? "").startsWith("pulumi/actions@") && ["preview", "up"].includes(String(s.with?.command))) || /^\s*pulumi (preview|up) /m.test(s.run ?? "")));
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

    it("pin every action to a full commit SHA, with its version in a comment", () => {
        for (const f of files) {
            const lines = usesLines(f);
            assert.strictEqual(lines.length, allSteps(workflows[f]).filter((s) => s.uses).length, `${f}: every step's uses: is on one line`);
            for (const line of lines) {
                assert.match(line, /^uses: [\w.-]+\/[\w.-]+(\/[\w.-]+)*@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${f}: ${line}`);
            }
        }
    });

    it("use only actions checked against their repository, at the commit of the tag recorded in .github/verified-actions.json", () => {
        const used = new Set<string>();
        for (const f of files) {
            for (const line of usesLines(f)) {
                const [, ref, tag] = /^uses: (\S+) # (\S+)$/.exec(line) ?? [];
                const pin = verifiedFor(ref ?? "");
                assert.ok(pin, `${f}: ${actionOf(ref ?? line)} is not in .github/verified-actions.json; fetch its repository, resolve the tag to its commit, and record it there`);
                assert.strictEqual(ref, `${pin.action}@${pin.sha}`, `${f}: ${ref} is not the verified commit of ${pin.action} ${pin.tag}`);
                assert.strictEqual(tag, pin.tag, `${f}: ${ref} is commented ${tag}; the verified commit is ${pin.tag}`);
                used.add(pin.action);
            }
        }
        for (const v of verified) {
            assert.match(v.sha, /^[0-9a-f]{40}$/, v.action);
            assert.ok(v.source.startsWith(`${v.action}@${v.tag}:action.y`) && /^\d{4}-\d{2}-\d{2}$/.test(v.checked), `${v.action}: says where and when it was checked`);
            assert.ok(used.has(v.action), `${v.action} is verified but no workflow uses it; drop it from .github/verified-actions.json`);
        }
        assert.strictEqual(new Set(verified.map((v) => v.action)).size, verified.length, "one verified pin per action");
    });

    it("pass only inputs, and read only outputs, that the pinned version of each action declares", () => {
        for (const f of files) {
            const steps = allSteps(workflows[f]);
            for (const s of steps.filter((x) => x.uses)) {
                const pin = verifiedFor(s.uses ?? "");
                for (const input of Object.keys(s.with ?? {})) {
                    assert.ok(pin?.inputs.includes(input), `${f}: ${s.uses} has no input ${input}`);
                }
            }
            const text = fs.readFileSync(path.join(DIR, f), "utf8");
            for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
                const step = steps.find((x) => x.id === id);
                assert.ok(step?.uses, `${f}: steps.${id} is not an action step`);
                assert.ok(verifiedFor(step.uses)?.outputs.includes(output), `${f}: ${step.uses} has no output ${output}`);
            }
        }
    });

    it("install the Pulumi CLI of the SDK's version, by an action that exists, in every job that runs pulumi", () => {
        for (const f of files) {
            for (const [name, job] of Object.entries(workflows[f].jobs)) {
                const steps = job.steps ?? [];
                const pulumiAction = steps.findIndex((s) => actionOf(s.uses ?? "") === "pulumi/actions");
                const firstCli = steps.findIndex((s) => /(^|\n)\s*pulumi /.test(s.run ?? ""));
                assert.ok(!steps.some((s) => actionOf(s.uses ?? "") === "pulumi/setup-pulumi"), `${f}/${name}: pulumi/setup-pulumi is deprecated`);
                if (firstCli >= 0) {
                    assert.ok(pulumiAction >= 0 && pulumiAction < firstCli, `${f}/${name}: runs the pulumi CLI before installing it`);
                }
                for (const s of steps.filter((x) => actionOf(x.uses ?? "") === "pulumi/actions")) {
                    assert.strictEqual(String(s.with?.["pulumi-version"]), pulumiSdkVersion, `${f}/${name}: CLI and @pulumi/pulumi move together`);
                }
            }
        }
    });

    it("install without lifecycle scripts, then build, in every job that gets cloud credentials", () => {
        let jobs = 0;
        for (const f of files) {
            for (const [name, job] of Object.entries(workflows[f].jobs).filter(([, j]) => j.steps && assumesRoles(j))) {
                jobs++;
                const steps = job.steps ?? [];
                const runs = steps.map((s) => s.run ?? "");
                const install = runs.indexOf("npm ci --ignore-scripts");
                const build = runs.indexOf("npm run build");
                const credentials = steps.findIndex((s) => /configure-aws-credentials|pulumi\/auth-actions/.test(s.uses ?? ""));
                assert.ok(!runs.some((r) => /npm (ci|install)(?! --ignore-scripts)/.test(r)), `${f}/${name}: npm ci without --ignore-scripts`);
                assert.ok(install >= 0 && install < build && build < credentials, `${f}/${name}: npm ci --ignore-scripts, then npm run build, before any credentials`);
            }
        }
        assert.strictEqual(jobs, 3, "preview, drift and stack-up get credentials");
    });
});
