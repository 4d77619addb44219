import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { findProject, listStacks } from "../preview/project";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    shell?: string;
    if?: string;
    env?: Record<string, string>;
    with?: Record<string, unknown>;
    "continue-on-error"?: boolean;
}
interface Job {
    "runs-on"?: string;
    needs?: string | string[];
    if?: string;
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
const assumesRoles = (j: Job) => (j.steps ?? []).some((s) => /configure-aws-credentials|pulumi\/auth-actions/.test(s.uses ?? "")) || /\/(stack-up|stack-preview)\.yml$/.test(j.uses ?? "");

describe("GitHub Actions workflows", () => {
    it("exist for pull requests, one stack's preview, deploys, drift, the decommission check, and one stack's up", () => {
        assert.deepStrictEqual(files, ["decommission-check.yml", "deploy.yml", "drift.yml", "pull-request.yml", "stack-preview.yml", "stack-up.yml"]);
    });

    it("are triggered as documented", () => {
        assert.deepStrictEqual(workflows["pull-request.yml"].on, { pull_request: { branches: ["main"] } });
        assert.deepStrictEqual(workflows["deploy.yml"].on, { push: { branches: ["main"] } });
        assert.ok((workflows["drift.yml"].on.schedule as { cron: string }[])[0].cron.split(" ").length === 5);
        assert.deepStrictEqual(Object.keys(workflows["decommission-check.yml"].on), ["workflow_dispatch"]);
        assert.ok("workflow_call" in workflows["stack-up.yml"].on);
        assert.ok("workflow_call" in workflows["stack-preview.yml"].on);
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
                if (step?.run !== undefined) {
                    // A script's output: it must write exactly that name to $GITHUB_OUTPUT.
                    assert.match(step.run, new RegExp(`echo "${output}=.*>> "\\$GITHUB_OUTPUT"`), `${f}: steps.${id} writes no output ${output}`);
                    continue;
                }
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

/** The JSON block marked `<!-- policy: NAME -->` in docs/ci-trust.md: the policies to create, as the workflows need them. */
const trustDoc = fs.readFileSync(path.join(ROOT, "docs", "ci-trust.md"), "utf8");
function documentedPolicy<T>(name: string): T {
    const block = new RegExp(`<!-- policy: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(trustDoc);
    assert.ok(block, `docs/ci-trust.md has no JSON block marked "policy: ${name}"`);
    return JSON.parse(block[1]) as T;
}
interface TrustPolicy {
    Statement: { Effect: string; Principal: { Federated?: string }; Action: string; Condition: Record<string, Record<string, string | string[]>> }[];
}
interface PermissionPolicy {
    Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
}
interface PulumiIssuerPolicy {
    policies: { decision: string; tokenType: string; teamName?: string; rules: Record<string, string> }[];
}
const GITHUB_OIDC = "token.actions.githubusercontent.com";

/** The subjects an AWS role trusts for one stack, after checking the policy has the exact form docs/ci-trust.md promises. */
function trustedSubjects(policy: TrustPolicy, stack: string): string[] {
    assert.strictEqual(policy.Statement.length, 1);
    const [statement] = policy.Statement;
    assert.strictEqual(statement.Effect, "Allow");
    assert.strictEqual(statement.Action, "sts:AssumeRoleWithWebIdentity");
    assert.strictEqual(statement.Principal.Federated, `arn:aws:iam::ACCOUNT_ID:oidc-provider/${GITHUB_OIDC}`);
    assert.deepStrictEqual(Object.keys(statement.Condition), ["StringEquals"], "exact matches only: no StringLike, no wildcard subjects");
    const condition = statement.Condition.StringEquals;
    assert.deepStrictEqual(Object.keys(condition).sort(), [`${GITHUB_OIDC}:aud`, `${GITHUB_OIDC}:sub`]);
    assert.strictEqual(condition[`${GITHUB_OIDC}:aud`], "sts.amazonaws.com");
    return [condition[`${GITHUB_OIDC}:sub`]].flat().map((sub) => sub.replace("<stack>", stack));
}
const environmentSubject = (environment: string) => `repo:ORG/REPO:environment:${environment}`;
/** A workflow value for one stack: `${{ inputs.stack }}` and `${{ matrix.stack }}` replaced. */
const forStack = (value: string, stack: string) => value.replace(/\$\{\{ (inputs|matrix)\.stack \}\}/g, stack);
const stepOf = (job: Job, action: string): Step => {
    const step = (job.steps ?? []).find((s) => actionOf(s.uses ?? "") === action);
    assert.ok(step, `no ${action} step`);
    return step;
};
/** Jobs that run steps with OIDC credentials, as [file/job, job]. */
const credentialedJobs = files.flatMap((f) => Object.entries(workflows[f].jobs).filter(([, j]) => j.steps && assumesRoles(j)).map(([name, j]): [string, Job] => [`${f}/${name}`, j]));

describe("Pipeline privileges (docs/ci-trust.md)", () => {
    const previewTrust = documentedPolicy<TrustPolicy>("aws-trust-preview");
    const deployTrust = documentedPolicy<TrustPolicy>("aws-trust-deploy");
    const { preview, comment } = workflows["stack-preview.yml"].jobs;

    it("preview pull requests with the stack's read-only role and a team token that reads that one stack, never an organization token", () => {
        assert.strictEqual(preview.environment, "preview-${{ inputs.stack }}", "the preview environment: its role is the read-only one, preview-prod needs a reviewer");
        assert.strictEqual(stepOf(preview, "aws-actions/configure-aws-credentials").with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
        const auth = stepOf(preview, "pulumi/auth-actions");
        assert.strictEqual(auth.with?.["requested-token-type"], "urn:pulumi:token-type:access_token:team");
        assert.strictEqual(auth.with?.scope, "team:ecs2eks-preview-${{ inputs.stack }}");
        for (const [where, job] of credentialedJobs) {
            const token = stepOf(job, "pulumi/auth-actions").with ?? {};
            assert.strictEqual(token["requested-token-type"], "urn:pulumi:token-type:access_token:team", `${where}: no organization or personal tokens`);
        }
        for (const stack of stacks) {
            assert.deepStrictEqual(trustedSubjects(previewTrust, stack), [environmentSubject(`preview-${stack}`), environmentSubject(`drift-${stack}`)]);
            assert.deepStrictEqual(trustedSubjects(deployTrust, stack), [environmentSubject(stack)], "the deploy role trusts its gated environment only");
        }
        assert.match(trustDoc, /`arn:aws:iam::aws:policy\/ReadOnlyAccess`/);
        const deny = documentedPolicy<PermissionPolicy>("aws-permissions-preview").Statement;
        assert.ok(deny.every((st) => st.Effect === "Deny"), "the preview role's inline policy only takes away");
        const denied = deny.flatMap((st) => [st.Action].flat());
        for (const read of ["secretsmanager:GetSecretValue", "kms:Decrypt", "s3:GetObject", "ssm:GetParameter"]) {
            assert.ok(denied.includes(read), `the preview role may not ${read}`);
        }
    });

    it("give each credentialed job exactly the AWS role and Pulumi team that trust its environment, and no other subject a token", () => {
        const needed = new Set<string>();
        for (const [where, job] of credentialedJobs) {
            assert.ok(job.environment, `${where}: runs in an environment, so its OIDC subject names it`);
            const scope = String(stepOf(job, "pulumi/auth-actions").with?.scope);
            for (const stack of stacks) {
                const environment = forStack(job.environment, stack);
                const role = /^(preview|drift)-/.test(environment) ? "preview" : "deploy";
                const subject = environmentSubject(environment);
                assert.ok(trustedSubjects(role === "preview" ? previewTrust : deployTrust, stack).includes(subject), `${where}: the ${role} role of ${stack} does not trust ${subject}`);
                assert.strictEqual(forStack(scope, stack), `team:ecs2eks-${role}-${stack}`, `${where}: a ${role} job asks for the ${role} team of its own stack`);
                needed.add(`${forStack(scope, stack).slice("team:".length)} ${subject}`);
            }
        }
        const granted = documentedPolicy<PulumiIssuerPolicy>("pulumi-issuer").policies.map((p) => {
            assert.strictEqual(p.decision, "allow");
            assert.strictEqual(p.tokenType, "team", "no organization or personal tokens for anyone");
            assert.deepStrictEqual(Object.keys(p.rules).sort(), ["aud", "repository_id", "sub"]);
            assert.strictEqual(p.rules.aud, "urn:pulumi:org:PULUMI_ORG");
            assert.strictEqual(p.rules.repository_id, "REPOSITORY_ID");
            assert.ok(!/[*?]/.test(p.rules.sub), `${p.rules.sub}: no wildcards`);
            return `${p.teamName} ${p.rules.sub}`;
        });
        assert.deepStrictEqual(granted.sort(), [...needed].sort(), "the issuer policy allows what the workflows ask for, and nothing else");
    });

    it("post the comment from a job that holds pull-requests: write and nothing else; the job that runs the pull request's code cannot write to GitHub", () => {
        assert.deepStrictEqual(comment.permissions, { "pull-requests": "write" });
        assert.deepStrictEqual(preview.permissions, { contents: "read", "id-token": "write" });
        assert.deepStrictEqual(
            (comment.steps ?? []).map((s) => s.uses && actionOf(s.uses)),
            ["actions/download-artifact", "marocchino/sticky-pull-request-comment"],
            "no checkout, no script: nothing of the pull request runs there",
        );
        assert.ok(!/secrets\.|vars\.|token/i.test(JSON.stringify(comment)), "no secret, variable or token but the job's own GITHUB_TOKEN");
        assert.strictEqual(comment.needs, "preview");
        assert.match(comment.if ?? "", /!cancelled\(\)/, "a failed preview still gets its comment");
        const upload = stepOf(preview, "actions/upload-artifact");
        const download = stepOf(comment, "actions/download-artifact");
        assert.strictEqual(upload.if, "always()");
        assert.strictEqual(download.with?.name, upload.with?.name);
        assert.strictEqual(stepOf(comment, "marocchino/sticky-pull-request-comment").with?.path, `${String(download.with?.path)}/${path.basename(String(upload.with?.path))}`);
        const pulumi = stepOf(preview, "pulumi/actions").with ?? {};
        assert.strictEqual(pulumi["comment-on-pr"], false);
        assert.ok(!("github-token" in pulumi));
        for (const f of files) {
            for (const [name, job] of Object.entries(workflows[f].jobs).filter(([, j]) => j.steps)) {
                assert.ok(!(job.permissions?.["id-token"] === "write" && job.permissions?.["pull-requests"] === "write"), `${f}/${name}: cloud credentials and pull-request write in one job`);
            }
        }
    });

    it("never put a value into a script through ${{ }}: expressions reach run: through env:, and the only pull-request field read is its number", () => {
        for (const f of files) {
            for (const [name, job] of Object.entries(workflows[f].jobs)) {
                for (const s of (job.steps ?? []).filter((x) => x.run)) {
                    assert.ok(!s.run?.includes("${{"), `${f}/${name}: "${s.name ?? s.run}" interpolates into its script`);
                }
            }
            const text = fs.readFileSync(path.join(DIR, f), "utf8");
            for (const [, expression] of text.matchAll(/\$\{\{([^}]*)\}\}/g)) {
                if (/github\.(event|head_ref)/.test(expression)) {
                    assert.strictEqual(expression.trim(), "github.event.pull_request.number", `${f}: ${expression.trim()} is pull-request controlled`);
                }
            }
        }
    });
});

describe("The pull-request migration plan (stack-preview.yml)", () => {
    const steps = workflows["stack-preview.yml"].jobs.preview.steps ?? [];
    const plan = steps.find((s) => s.id === "plan");
    const write = steps.find((s) => s.name === "Write the comment");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-ci-"));
    // `npx ecs2eks` of the step, without npm: this checkout's CLI.
    const shims = path.join(tmp, "bin");
    fs.mkdirSync(shims);
    fs.writeFileSync(path.join(shims, "npx"), `#!/bin/sh\n[ "$1" = ecs2eks ] || exit 127\nshift\nexec node ${JSON.stringify(path.join(ROOT, "bin", "ecs2eks.js"))} "$@"\n`, { mode: 0o755 });
    let runs = 0;
    /** Runs a step's script as GitHub's `shell: bash` does, in `cwd`, with a fresh RUNNER_TEMP. */
    function runStep(step: Step | undefined, cwd: string, env: Record<string, string>, prepare?: (runnerTemp: string) => void) {
        assert.strictEqual(step?.shell, "bash");
        const runnerTemp = path.join(tmp, `runner-${++runs}`);
        fs.mkdirSync(runnerTemp);
        prepare?.(runnerTemp);
        const script = path.join(tmp, `step-${runs}.sh`);
        fs.writeFileSync(script, step?.run ?? "");
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
            cwd,
            encoding: "utf8",
            env: { PATH: `${shims}:${process.env.PATH}`, NODE_PATH: path.join(ROOT, "node_modules"), RUNNER_TEMP: runnerTemp, ...env },
        });
        const read = (file: string) => (fs.existsSync(path.join(runnerTemp, file)) ? fs.readFileSync(path.join(runnerTemp, file), "utf8") : undefined);
        return { status: result.status, stderr: result.stderr, read };
    }
    /** A directory with Pulumi.ci.yaml holding `config`, for the plan step. */
    function stackDir(config: Record<string, unknown>): string {
        const dir = fs.mkdtempSync(path.join(tmp, "stack-"));
        fs.writeFileSync(path.join(dir, "Pulumi.ci.yaml"), yaml.dump({ config }));
        return dir;
    }
    const snapshot = path.join(ROOT, "examples", "shop", "snapshot.json");
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("runs offline before any credential exists, and fails the job at its end, after the comment is written and uploaded", () => {
        assert.ok(plan?.run, "a step with id plan");
        const firstCredential = steps.findIndex((s) => /configure-aws-credentials|pulumi\/auth-actions/.test(s.uses ?? ""));
        assert.ok(steps.indexOf(plan) < firstCredential);
        assert.strictEqual(plan["continue-on-error"], true, "a plan with errors still lets the preview and the comment happen");
        assert.strictEqual((plan.run.match(/npx ecs2eks plan /g) ?? []).length, 2, "one run for the report, one for the gate");
        assert.strictEqual((plan.run.match(/--allow-errors/g) ?? []).length, 1);
        const last = steps[steps.length - 1];
        assert.match(last.if ?? "", /^always\(\) && steps\.plan\.outcome == 'failure'$/);
        assert.match(last.run ?? "", /exit 1\s*$/);
        assert.ok(steps.indexOf(write as Step) > firstCredential && write?.if === "always()");
        assert.ok(steps.findIndex((s) => actionOf(s.uses ?? "") === "actions/upload-artifact") < steps.length - 1);
    });

    it("passes on the stacks as committed", () => {
        for (const stack of stacks) {
            const { status, stderr, read } = runStep(plan, ROOT, { STACK: stack });
            assert.strictEqual(status, 0, `${stack}: ${stderr}`);
            assert.ok(read("report.md"), stack);
        }
    });

    it("asks for the largest node group's disk (50 GiB where a group sets none) and fails on error diagnostics, with the report still written", () => {
        const defaulted = runStep(plan, stackDir({ "migration:snapshotFile": snapshot, "nodeGroups:small": { diskSizeGiB: 30 }, "nodeGroups:general": { minSize: 2 } }), { STACK: "ci" });
        assert.strictEqual(defaulted.status, 0, defaulted.stderr);
        assert.doesNotMatch(defaulted.read("report.md") ?? "", /EPHEMERAL_STORAGE_TOO_LARGE/);

        const small = runStep(plan, stackDir({ "migration:snapshotFile": snapshot, "nodeGroups:small": { diskSizeGiB: 30 }, "nodeGroups:smaller": { diskSizeGiB: 25 } }), { STACK: "ci" });
        assert.strictEqual(small.status, 1, "the gate fails the step");
        assert.match(small.stderr, /error diagnostic/);
        const report = small.read("report.md") ?? "";
        assert.match(report, /EPHEMERAL_STORAGE_TOO_LARGE/, "the report with the errors goes into the comment");
        assert.match(report, /largest disk \(30 GiB\)/);

        const none = runStep(plan, stackDir({ "aws:region": "us-east-1" }), { STACK: "ci" });
        assert.strictEqual(none.status, 0, none.stderr);
        assert.match(none.read("report.md") ?? "", /No ECS snapshot configured/);
    });

    it("writes the comment with the preview and the report as text, never as shell, and within GitHub's size limit", () => {
        const hostile = "+ aws:eks:Cluster $(touch pwned) `touch pwned` ${HOME} '\"\n````\n</details>";
        const { status, stderr, read } = runStep(write, tmp, { STACK: "dev", PREVIEW: hostile, PLAN_OUTCOME: "failure" }, (t) => fs.writeFileSync(path.join(t, "report.md"), "# Migration report\n"));
        assert.strictEqual(status, 0, stderr);
        const text = read("comment/comment.md") ?? "";
        assert.ok(text.includes(hostile), "the preview appears as it was printed");
        assert.ok(!fs.existsSync(path.join(tmp, "pwned")), "nothing in it ran");
        assert.match(text, /The migration plan has error diagnostics/);
        assert.match(text, /# Migration report/);

        const long = runStep(write, tmp, { STACK: "prod", PREVIEW: "~ update\n".repeat(10000), PLAN_OUTCOME: "success" }, (t) => fs.writeFileSync(path.join(t, "report.md"), "r".repeat(30000)));
        const big = long.read("comment/comment.md") ?? "";
        assert.ok(big.length < 65536 && /preview truncated/.test(big) && /report truncated/.test(big), `${big.length} characters`);
        assert.doesNotMatch(big, /error diagnostics/);
        const missing = runStep(write, tmp, { STACK: "staging", PREVIEW: "", PLAN_OUTCOME: "failure" });
        assert.match(missing.read("comment/comment.md") ?? "", /could not be made/);
    });
});
