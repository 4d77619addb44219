import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";

/** moto's server on a free loopback port, started through our launcher (see launcher.py). */
export interface Moto {
    readonly endpoint: string;
    stop(): Promise<void>;
}

const LAUNCHER = path.join(__dirname, "..", "..", "emulator", "launcher.py");
const READY = /moto listening on (http:\/\/127\.0\.0\.1:\d+)/;

export interface MotoOptions {
    readonly timeoutMs?: number;
    /** Seeds the IDs moto makes up: the same requests then get the same IDs. */
    readonly seed?: number;
    /** An ISO 8601 instant (UTC) at which moto's clock stands: every creation time it records. */
    readonly clock?: string;
}

/** Starts moto, failing with what to install when it cannot. */
export function startMoto(options: MotoOptions = {}): Promise<Moto> {
    const timeoutMs = options.timeoutMs ?? 30000;
    const args = [LAUNCHER, ...(options.seed !== undefined ? ["--seed", String(options.seed)] : []), ...(options.clock !== undefined ? ["--clock", options.clock] : [])];
    return new Promise((resolve, reject) => {
        const child: ChildProcess = spawn("python3", args, { stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        const timer = setTimeout(() => {
            child.kill();
            reject(new Error(`moto did not start within ${timeoutMs} ms: ${stderr.slice(-500)}`));
        }, timeoutMs);
        child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(new Error(`cannot run python3 for moto (${err.message}); install Python 3 and moto[server] 5.2`));
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`moto exited with code ${code} before it was ready: ${/No module named/.test(stderr) ? "moto is not installed; pip install 'moto[server]==5.2.1'" : stderr.slice(-500)}`));
        });
        readline.createInterface({ input: child.stdout! }).on("line", (line) => {
            const m = READY.exec(line);
            if (m) {
                clearTimeout(timer);
                child.removeAllListeners("exit");
                resolve({
                    endpoint: m[1],
                    stop: () =>
                        new Promise((done) => {
                            if (child.exitCode !== null) {
                                done();
                                return;
                            }
                            child.once("exit", () => done());
                            child.kill("SIGTERM");
                        }),
                });
            }
        });
    });
}
