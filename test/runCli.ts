/** Runs bin/ecs2eks.js in a child process without blocking this one (a test server may answer in it). */
import { spawn } from "child_process";
import * as path from "path";

export const ROOT = path.join(__dirname, "..", "..");

export interface CliRun {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Emulator credentials always: a test must never reach for a real account's. */
export function runCli(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliRun> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], {
            cwd,
            env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", ...env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}
