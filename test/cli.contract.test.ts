/**
 * The CLI's contract with people and CI (issue 13): what each command accepts,
 * what it writes, what it exits with, and that every failure is one line.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EcsSnapshot } from "../migration/ecs/snapshot";
import { validateSnapshot } from "../migration/ecs/snapshotFile";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");

interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

function ecs2eks(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], {
        cwd: options.cwd ?? ROOT,
        encoding: "utf8",
        env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", ...options.env },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function sample(): EcsSnapshot {
    return JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as EcsSnapshot;
}

/** A mutable copy of the sample, to break on purpose. */
function editable(): { clusters: { services: Record<string, unknown>[] }[]; taskDefinitions: { containerDefinitions: Record<string, unknown>[] }[]; [key: string]: unknown } {
    return JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as ReturnType<typeof editable>;
}

function assertOneLineFailure(run: Run, status: number): void {
    assert.strictEqual(run.status, status, `exit ${run.status}: ${run.stderr}`);
    assert.ok(!/\n\s+at /.test(run.stderr), `stack trace in:\n${run.stderr}`);
    assert.match(run.stderr, /^error: /);
}

let tmp: string;
beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-contract-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("snapshot validation: every field the translator reads, with its path", () => {
    const problemsOf = (data: unknown): string => {
        try {
            validateSnapshot(data, "s.json");
        } catch (err) {
            return (err as Error).message;
        }
        return "";
    };

    it("accepts the sample shop", () => {
        assert.strictEqual(problemsOf(sample()), "");
    });

    it("rejects a negative desiredCount, a number given as a string and an empty service name, naming each path and service", () => {
        const s = editable();
        s.clusters[0].services[0].desiredCount = -4;
        s.clusters[0].services[1].desiredCount = "3";
        s.clusters[0].services[2].serviceName = "";
        const message = problemsOf(s);
        assert.match(message, /^s\.json is not a valid ECS snapshot \(3 problems/);
        assert.match(message, /\$\.clusters\[0\]\.services\[0\]\.desiredCount \(service cart, cluster shop\): expected a whole number 0 or more, found the number -4/);
        assert.match(message, /\$\.clusters\[0\]\.services\[1\]\.desiredCount \(service catalog, cluster shop\): .* found the string "3"; write it without quotes/);
        assert.match(message, /\$\.clusters\[0\]\.services\[2\]\.serviceName .*: expected a non-empty string, found an empty string/);
    });

    it("checks the ranges ECS itself enforces on containers, health checks, ports and scaling", () => {
        const s = editable();
        const c = s.taskDefinitions[0].containerDefinitions[0];
        c.memory = 0;
        c.portMappings = [{ containerPort: 70000 }];
        c.healthCheck = { command: ["CMD", "true"], retries: 0 };
        c.essential = "yes";
        const scaling = s.scaling as { targets: Record<string, unknown>[] };
        scaling.targets[0].MinCapacity = 5;
        scaling.targets[0].MaxCapacity = 2;
        const message = problemsOf(s);
        for (const expected of [
            /containerDefinitions\[0\]\.memory \(container cart, task definition shop-cart:1\): expected a whole number 1 or more, found the number 0/,
            /portMappings\[0\]\.containerPort .*: expected a whole number from 1 to 65535, found the number 70000/,
            /healthCheck\.retries .*: expected a whole number from 1 to 10/,
            /essential .*: expected true or false, found the string "yes"/,
            /\$\.scaling\.targets\[0\] .*: MinCapacity 5 is above MaxCapacity 2/,
        ]) {
            assert.match(message, expected);
        }
    });

    it("says to upgrade ecs2eks for a newer snapshot, and never 'version undefined' for a malformed one", () => {
        assert.match(problemsOf({ ...sample(), schemaVersion: 99 }), /written by a newer ecs2eks.*upgrade ecs2eks/);
        const malformed = problemsOf({ clusters: [] });
        assert.doesNotMatch(malformed, /undefined/);
        assert.match(malformed, /no schemaVersion, so it is not a snapshot ecs2eks wrote/);
    });

    it("plan refuses such a snapshot with exit 1 and writes nothing", () => {
        const s = editable();
        s.clusters[0].services[0].desiredCount = -4;
        const file = path.join(tmp, "bad.json");
        fs.writeFileSync(file, JSON.stringify(s));
        const run = ecs2eks(["plan", "--snapshot", file, "--out", path.join(tmp, "out")]);
        assertOneLineFailure(run, 1);
        assert.match(run.stderr, /desiredCount \(service cart, cluster shop\)/);
        assert.ok(!fs.existsSync(path.join(tmp, "out")));
    });
});
