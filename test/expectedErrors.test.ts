import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError } from "../cli/args";
import { ConfigError } from "../config/errors";
import { ExpectedError } from "../core/errors";
import { ReaderError, describeAwsError } from "../migration/ecs/errors";
import { FileError, fileError } from "../migration/ecs/files";
import { SnapshotError } from "../migration/ecs/snapshotFile";
import { StackConfigError } from "../preview/stackConfig";

const ROOT = path.join(__dirname, "..", "..");

function ecs2eks(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The lines of stderr that are the error, without the program's own warnings. */
function errorLines(stderr: string): string[] {
    return stderr.split("\n").filter((l) => l !== "" && !l.startsWith("warning: ") && !l.startsWith("info: "));
}

describe("expected errors: one list, one line each", () => {
    it("every error a user can fix is an ExpectedError, under its own name", () => {
        const errors: Error[] = [
            new UsageError("--x needs a value", "plan"),
            new ConfigError(["identity:mode \"x\" is not allowed"]),
            new StackConfigError("no stack file Pulumi.qa.yaml"),
            describeAwsError({ name: "AccessDeniedException", message: "User: x is not authorized to perform: ecs:ListClusters" }, "ecs:ListClusters", "*") ?? new Error("no ReaderError"),
            new SnapshotError("not valid JSON"),
            fileError(Object.assign(new Error("EACCES"), { code: "EACCES" }), "write", "out/plan.json"),
        ];
        assert.deepStrictEqual(
            errors.map((e) => [e instanceof ExpectedError, e.name]),
            [UsageError, ConfigError, StackConfigError, ReaderError, SnapshotError, FileError].map((c) => [true, c.name]),
        );
    });

    // One case per class the CLI used to list by name; each must stay one line, with no stack trace.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-expected-"));
    const badSnapshot = path.join(dir, "cut-short.json");
    fs.writeFileSync(badSnapshot, '{"schemaVersion": 1,');
    const cases: { name: string; args: string[]; status: number; message: RegExp }[] = [
        { name: "UsageError", args: ["plan", "--snapshot"], status: 2, message: /^error: --snapshot needs a value$/ },
        { name: "StackConfigError", args: ["preview", "--stack", "qa"], status: 1, message: /^error: no stack file Pulumi\.qa\.yaml in .*; stacks here: dev, prod, staging$/ },
        { name: "ConfigError (decommission-check validates the stack config itself)", args: ["decommission-check", "--config", "identity:mode=bogus"], status: 1, message: /^error: identity:mode "bogus" is not allowed; use one of: irsa, pod-identity$/ },
        { name: "SnapshotError", args: ["plan", "--snapshot", badSnapshot, "--out", path.join(dir, "plan")], status: 1, message: /^error: .*cut-short\.json is not valid JSON/ },
        { name: "FileError", args: ["plan", "--snapshot", "examples/shop/snapshot.json", "--out", "package.json"], status: 1, message: /^error: --out package\.json is a file; give a directory/ },
        { name: "SnapshotError inside the program, as a RunError", args: ["preview", "--config", "migration:snapshotFile=missing.json"], status: 1, message: /^error: snapshot file .*missing\.json does not exist; write it with npx ecs2eks snapshot/ },
    ];
    for (const c of cases) {
        it(`${c.name}: exit ${c.status} and one line, no stack trace`, () => {
            const run = ecs2eks(...c.args);
            assert.strictEqual(run.status, c.status, run.stderr);
            const lines = errorLines(run.stderr).filter((l) => !l.startsWith("Run ecs2eks "));
            assert.strictEqual(lines.length, 1, run.stderr);
            assert.match(lines[0], c.message);
            assert.doesNotMatch(run.stderr, /^\s+at /m);
        });
    }

    it("--debug still shows the stack trace of an expected error", () => {
        const run = ecs2eks("plan", "--snapshot", badSnapshot, "--out", path.join(dir, "plan"), "--debug");
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /^SnapshotError: .*cut-short\.json is not valid JSON/m);
        assert.match(run.stderr, /^\s+at /m);
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));
});
