import { Aws, DEFAULT_REQUEST_TIMEOUT_MS } from "../migration/ecs/aws";
import { checkWritable } from "../migration/ecs/files";
import { lineProgress, terminalProgress } from "../migration/ecs/progress";
import { DEFAULT_CONCURRENCY, readEcsSnapshot } from "../migration/ecs/reader";
import { writeSnapshotFile } from "../migration/ecs/snapshotFile";
import { snapshotCredentialWarning } from "../migration/translate/credentials";
import { ParsedArgs, UsageError, present, single } from "./args";
import { Command, EXIT } from "./command";

export const DEFAULT_DEADLINE_S = 1800;

/** Says, every few seconds, which call a read has been waiting for, so a stuck read is not silent. */
const WAITING_NOTICE_MS = 5_000;

function seconds(args: ParsedArgs, flag: string, fallback: number, max: number): number {
    const text = single(args, flag) ?? String(fallback);
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0 || n > max) {
        throw new UsageError(`--${flag} ${JSON.stringify(text)} is not allowed; give seconds, above 0 and at most ${max}`, "snapshot");
    }
    return n;
}

/** An endpoint must be an http(s) URL; anything else fails deep inside the SDK with a stack trace. */
export function endpointUrl(text: string, flag: string): string {
    let url: URL | undefined;
    try {
        url = new URL(text);
    } catch {
        url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
        throw new UsageError(`${flag} ${JSON.stringify(text)} is not a URL; give one like http://127.0.0.1:5000 or https://ecs.us-east-1.amazonaws.com`, "snapshot");
    }
    return text;
}

export const snapshotCommand: Command = {
    name: "snapshot",
    summary: "read a live ECS cluster into a snapshot file",
    help: `Usage: ecs2eks snapshot --cluster <name|arn> [--region R] [--endpoint-url URL]
                        [--service NAME ...] [--skip-unreadable] [--concurrency N] --out <file>

Reads the cluster's services, task definitions and everything they use
(autoscaling, load balancers, Cloud Map, task roles, schedules, EFS, secret
metadata: never a secret value) into a snapshot file the program can run from
(migration:source snapshot). Uses the standard AWS credential chain.
  --cluster NAME|ARN  the ECS cluster (repeat for several)
  --region R          default: AWS_REGION, then AWS_DEFAULT_REGION
  --endpoint-url URL  send every call here (AWS_ENDPOINT_URL works too)
  --service NAME      read only these services (repeatable)
  --skip-unreadable   record services whose task definition cannot be read as
                      diagnostics instead of failing
  --concurrency N     calls in flight at once (default ${DEFAULT_CONCURRENCY})
  --request-timeout S seconds one AWS request may take, connecting included
                      (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}); the SDK retries a timed-out request
  --deadline S        seconds the whole read may take (default ${DEFAULT_DEADLINE_S})
  --out FILE          where to write the snapshot (parent directories are created)`,
    flags: {
        cluster: { value: true, repeatable: true },
        region: { value: true },
        "endpoint-url": { value: true },
        service: { value: true, repeatable: true },
        "skip-unreadable": {},
        concurrency: { value: true },
        "request-timeout": { value: true },
        deadline: { value: true },
        out: { value: true },
    },
    async run(args: ParsedArgs): Promise<number> {
        const clusters = args.flags.cluster ?? [];
        const out = single(args, "out");
        if (clusters.length === 0 || !out) {
            throw new UsageError(`${clusters.length === 0 ? "--cluster" : "--out"} is required`, "snapshot");
        }
        const region = single(args, "region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
        if (!region) {
            throw new UsageError("no AWS region: pass --region or set AWS_REGION", "snapshot");
        }
        const concurrencyText = single(args, "concurrency") ?? String(DEFAULT_CONCURRENCY);
        const concurrency = Number(concurrencyText);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
            throw new UsageError(`--concurrency ${JSON.stringify(concurrencyText)} is not allowed; use a whole number from 1 to 64`, "snapshot");
        }
        const flagEndpoint = single(args, "endpoint-url");
        const endpoint = flagEndpoint !== undefined ? endpointUrl(flagEndpoint, "--endpoint-url") : undefined;
        if (endpoint === undefined && process.env.AWS_ENDPOINT_URL) {
            endpointUrl(process.env.AWS_ENDPOINT_URL, "AWS_ENDPOINT_URL");
        }
        // Before the read, not after it: a read of 500 services should not end in "cannot write".
        checkWritable(out);
        const requestTimeout = seconds(args, "request-timeout", DEFAULT_REQUEST_TIMEOUT_MS / 1000, 3600);
        const deadline = seconds(args, "deadline", DEFAULT_DEADLINE_S, 86400);
        const aws = new Aws({ region, requestTimeoutMs: requestTimeout * 1000, deadlineMs: deadline * 1000, ...(endpoint ? { endpoint } : {}) });
        const started = Date.now();
        // Checked every second, told every WAITING_NOTICE_MS of a call's wait: a notice timer of its own
        // period would miss a call that opened just after a tick.
        let told = 0;
        const waiting = setInterval(() => {
            const call = aws.oldestOpenCall();
            const step = call ? Math.floor((Date.now() - call.since) / WAITING_NOTICE_MS) : 0;
            if (call && step > told) {
                process.stderr.write(`${process.stderr.isTTY ? "\r\x1b[K" : ""}waiting for ${call.action} on ${call.resource}: ${step * (WAITING_NOTICE_MS / 1000)} s (request timeout ${requestTimeout} s)\n`);
            }
            told = step;
        }, 1_000);
        waiting.unref();
        try {
            const snapshot = await readEcsSnapshot(aws, {
                clusters,
                services: args.flags.service ?? [],
                concurrency,
                skipUnreadable: present(args, "skip-unreadable"),
                progress: process.stderr.isTTY ? terminalProgress(process.stderr) : lineProgress((line) => process.stderr.write(`${line}\n`)),
            });
            writeSnapshotFile(out, snapshot);
            const services = snapshot.clusters.reduce((n, c) => n + c.services.length, 0);
            const seconds = ((Date.now() - started) / 1000).toFixed(1);
            process.stderr.write(
                `wrote ${out}: ${snapshot.clusters.length} cluster(s), ${services} service(s), ${snapshot.taskDefinitions.length} task definition(s), ` +
                    `${snapshot.diagnostics.length} diagnostic(s); ${aws.totalCalls} API calls in ${seconds} s\n`,
            );
            for (const d of snapshot.diagnostics) {
                process.stderr.write(`${d.severity}: ${d.code} ${d.resource}: ${d.message}\n`);
            }
            process.stderr.write(snapshotCredentialWarning(snapshot, out));
            return EXIT.ok;
        } finally {
            clearInterval(waiting);
            aws.destroy();
        }
    },
};
