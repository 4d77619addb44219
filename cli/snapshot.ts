import { Aws } from "../migration/ecs/aws";
import { lineProgress, terminalProgress } from "../migration/ecs/progress";
import { DEFAULT_CONCURRENCY, readEcsSnapshot } from "../migration/ecs/reader";
import { writeSnapshotFile } from "../migration/ecs/snapshotFile";
import { snapshotCredentialWarning } from "../migration/translate/credentials";
import { UsageError, parseArgs } from "./args";

export const SNAPSHOT_USAGE = `Usage: ecs2eks snapshot --cluster <name|arn> [--region R] [--endpoint-url URL]
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
  --out FILE          where to write the snapshot`;

const FLAGS = {
    cluster: { value: true, repeatable: true },
    region: { value: true },
    "endpoint-url": { value: true },
    service: { value: true, repeatable: true },
    "skip-unreadable": {},
    concurrency: { value: true },
    out: { value: true },
} as const;

export async function snapshotCommand(argv: readonly string[]): Promise<number> {
    const args = parseArgs(argv, FLAGS);
    const clusters = args.flags.cluster ?? [];
    const out = args.flags.out?.[0];
    if (clusters.length === 0 || !out) {
        throw new UsageError(`${clusters.length === 0 ? "--cluster" : "--out"} is required\n${SNAPSHOT_USAGE}`);
    }
    const region = args.flags.region?.[0] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new UsageError("no AWS region: pass --region or set AWS_REGION");
    }
    const concurrencyText = args.flags.concurrency?.[0] ?? String(DEFAULT_CONCURRENCY);
    const concurrency = Number(concurrencyText);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        throw new UsageError(`--concurrency ${JSON.stringify(concurrencyText)} is not allowed; use a whole number from 1 to 64`);
    }
    const endpoint = args.flags["endpoint-url"]?.[0];
    const aws = new Aws({ region, ...(endpoint ? { endpoint } : {}) });
    const started = Date.now();
    try {
        const snapshot = await readEcsSnapshot(aws, {
            clusters,
            services: args.flags.service ?? [],
            concurrency,
            skipUnreadable: args.flags["skip-unreadable"] !== undefined,
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
        return 0;
    } finally {
        aws.destroy();
    }
}
