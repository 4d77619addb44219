import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { gateDecisions, parseRouting, raisedServices } from "../migration/verify/gate";
import { ROOT } from "./runCli";
import { SNAPSHOT, seededVerify } from "./verifyEmulator";

interface Step {
    id?: string;
    uses?: string;
    run?: string;
    shell?: string;
    env?: Record<string, string>;
    with?: Record<string, unknown>;
}
const upJob = (yaml.load(fs.readFileSync(path.join(ROOT, ".github", "workflows", "stack-up.yml"), "utf8")) as { jobs: { up: { steps: Step[] } } }).jobs.up;

describe("the canary gate's rules", () => {
    it("lets a raise through only on ready, and never blocks a lowered or unchanged weight", () => {
        const planned = [
            { service: "web", eksWeight: 25 },
            { service: "orders", eksWeight: 25 },
            { service: "cart", eksWeight: 0 },
            { service: "search", eksWeight: 10 },
        ];
        const deployed = [
            { service: "web", eksWeight: 10 },
            { service: "orders", eksWeight: 10 },
            { service: "cart", eksWeight: 50 },
            { service: "search", eksWeight: 10 },
        ];
        assert.deepStrictEqual(raisedServices(planned, deployed), ["orders", "web"]);
        const d = gateDecisions(planned, deployed, new Map([["web", "ready"], ["orders", "hold"], ["cart", "rollback"]] as const));
        assert.deepStrictEqual(
            d.map((x) => [x.service, x.raise, x.allowed]),
            [["cart", false, true], ["orders", true, false], ["search", false, true], ["web", true, true]],
        );
        assert.match(d[0].reason, /rollback is never blocked/);
        assert.match(d[1].reason, /verify says hold: keep the weight at 10/);
    });

    it("treats no routing output as nothing deployed, takes a service's largest weight, and refuses what is not the output", () => {
        assert.deepStrictEqual(parseRouting("null\n", "x"), []);
        assert.deepStrictEqual(parseRouting("", "x"), []);
        assert.deepStrictEqual(raisedServices([{ service: "web", eksWeight: 5 }], parseRouting("null", "x")), ["web"]);
        const two = parseRouting(JSON.stringify([{ service: "web", listenerArn: "a", priority: 9, ecsWeight: 90, eksWeight: 10 }, { service: "web", listenerArn: "b", priority: 19, ecsWeight: 70, eksWeight: 30 }]), "x");
        assert.deepStrictEqual(raisedServices([{ service: "web", eksWeight: 25 }], two), [], "25 is below the 30 already deployed on one of web's rules");
        assert.throws(() => parseRouting("{\"web\": 10}", "--deployed r.json"), /--deployed r\.json is not the stack's routing output/);
        assert.throws(() => parseRouting("Error: no output", "--deployed r.json"), /is not JSON/);
    });
});

describe("the canary gate in the deploy workflow (stack-up.yml), against moto", function () {
    this.timeout(180_000);
    const moto = seededVerify();
    const steps = upJob.steps;
    const gate = steps.find((s) => s.id === "gate");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-gate-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("runs before pulumi up, after the CLI is installed, with the stack's own credentials", () => {
        assert.ok(gate?.run, "a step with id gate");
        const at = steps.indexOf(gate);
        const up = steps.findIndex((s) => (s.uses ?? "").startsWith("pulumi/actions@") && s.with?.command === "up");
        const cli = steps.findIndex((s) => (s.uses ?? "").startsWith("pulumi/actions@") && s.with?.command === undefined);
        const credentials = steps.findIndex((s) => /configure-aws-credentials/.test(s.uses ?? ""));
        assert.ok(credentials < at && cli < at && at < up, "credentials and CLI, then the gate, then up");
        assert.strictEqual(gate.shell, "bash", "bash -eo pipefail: a blocked raise fails the step through the tee");
        assert.match(gate.run, /pulumi stack output routing --json/);
        assert.match(gate.run, /npx ecs2eks canary-gate --stack "\$STACK" --deployed/);
    });

    /** Runs the gate step as GitHub's shell: bash does, with `pulumi` answering `routing` (or failing) and `npx ecs2eks` this checkout's CLI. */
    function runGate(config: Record<string, unknown>, routing: unknown | undefined) {
        const dir = fs.mkdtempSync(path.join(tmp, "run-"));
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: ecs2eks\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "Pulumi.ci.yaml"), yaml.dump({ config: { "aws:region": "us-east-1", "migration:source": "snapshot", "migration:snapshotFile": SNAPSHOT, ...config } }));
        fs.writeFileSync(path.join(dir, "routing.json"), routing === undefined ? "" : JSON.stringify(routing));
        fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\n[ "$1 $2 $3" = "stack output routing" ] || exit 127\n${routing === undefined ? "echo 'error: current stack does not have output property routing' >&2; exit 255" : `cat ${JSON.stringify(path.join(dir, "routing.json"))}`}\n`, { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "npx"), `#!/bin/sh\n[ "$1" = ecs2eks ] || exit 127\nshift\nexec node ${JSON.stringify(path.join(ROOT, "bin", "ecs2eks.js"))} "$@"\n`, { mode: 0o755 });
        const runnerTemp = path.join(dir, "runner");
        fs.mkdirSync(runnerTemp);
        const script = path.join(dir, "step.sh");
        fs.writeFileSync(script, gate?.run ?? "");
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
            cwd: dir,
            encoding: "utf8",
            env: {
                PATH: `${bin}:${process.env.PATH}`,
                RUNNER_TEMP: runnerTemp,
                STACK: "ci",
                PULUMI_STACK: "org/ecs2eks/ci",
                AWS_ENDPOINT_URL: moto.endpoint,
                AWS_ACCESS_KEY_ID: "testing",
                AWS_SECRET_ACCESS_KEY: "testing",
                AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            },
        });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }
    const deployedAt = (weight: number) => [
        { service: "orders", listenerArn: "l", priority: 9, ecsWeight: 100 - weight, eksWeight: weight },
        { service: "web", listenerArn: "l", priority: 50000, ecsWeight: 100 - weight, eksWeight: weight },
    ];

    it("lets a raise of a ready service through", () => {
        const r = runGate({ "migration:cutover": { default: { eksWeight: 10 }, services: { web: { eksWeight: 25 } } } }, deployedAt(10));
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /ok +web: EKS weight 10 -> 25: raised, and verify says ready/);
        assert.match(r.stdout, /ok +orders: EKS weight 10 -> 10: unchanged/);
    });

    it("stops the raise of a service whose EKS side answers more 5xx than ECS", () => {
        const r = runGate({ "migration:cutover": { default: { eksWeight: 25 } } }, deployedAt(10));
        assert.strictEqual(r.status, 1, r.stdout);
        assert.match(r.stdout, /BLOCKED orders: EKS weight 10 -> 25: raised, but verify says rollback/);
        assert.match(r.stderr, /verify orders: rollback; 5xx rate: EKS 6\.00% \(30\/500\)/);
        assert.match(r.stderr, /error: the raise of orders is blocked/);
    });

    it("never blocks a rollback, even of a service that verify would roll back", () => {
        const r = runGate({ "migration:cutover": { default: { eksWeight: 0 } } }, deployedAt(10));
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /ok +orders: EKS weight 10 -> 0: lowered: a rollback is never blocked/);
        assert.doesNotMatch(r.stderr, /verify /, "nothing raised: verify does not even run");
    });

    it("counts a stack without a routing output as nothing deployed", () => {
        const r = runGate({ "migration:cutover": { default: { eksWeight: 0 }, services: { web: { eksWeight: 5 } } } }, undefined);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /ok +web: EKS weight 0 -> 5: raised, and verify says ready/);
    });

    it("passes a stack that migrates nothing", () => {
        const r = runGate({ "migration:source": "none" }, undefined);
        assert.strictEqual(r.status, 0, r.stderr);
    });
});
