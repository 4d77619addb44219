/**
 * npm run bench:reader [-- --sizes 50,200,500 --latency-ms 30]
 *
 * Seeds N generated services into a fresh moto per size, then reads them
 * through a loopback proxy that adds a real AWS round trip to every request,
 * once with the reader and once with a naive sequential reader, and prints
 * calls per service and wall time side by side.
 */
import { Aws } from "../migration/ecs/aws";
import { readEcsSnapshot } from "../migration/ecs/reader";
import { BENCH_CLUSTER, seedEstate } from "./seedMany";
import { flag, runBench, withSeededMoto } from "./harness";
import { naiveRead } from "./naiveReader";

interface Row {
    readonly n: number;
    readonly calls: number;
    readonly seconds: number;
    readonly naiveCalls: number;
    readonly naiveSeconds: number;
}

async function measure(n: number, latencyMs: number): Promise<Row> {
    process.stderr.write(`seeding ${n} services...\n`);
    return withSeededMoto(latencyMs, (clients) => seedEstate(clients, n), async (_, proxy) => {
        const aws = new Aws({ region: "us-east-1", endpoint: proxy.endpoint });
        let t = Date.now();
        const snapshot = await readEcsSnapshot(aws, { clusters: [BENCH_CLUSTER] });
        const seconds = (Date.now() - t) / 1000;
        if (snapshot.clusters[0].services.length !== n) {
            throw new Error(`the reader saw ${snapshot.clusters[0].services.length} services, not ${n}`);
        }
        const naive = new Aws({ region: "us-east-1", endpoint: proxy.endpoint });
        t = Date.now();
        await naiveRead(naive, BENCH_CLUSTER);
        const naiveSeconds = (Date.now() - t) / 1000;
        aws.destroy();
        naive.destroy();
        return { n, calls: aws.totalCalls, seconds, naiveCalls: naive.totalCalls, naiveSeconds };
    });
}

async function main(): Promise<void> {
    const sizes = flag("sizes", "50,200,500").split(",").map(Number);
    const latencyMs = Number(flag("latency-ms", "30"));
    const rows: Row[] = [];
    for (const n of sizes) {
        rows.push(await measure(n, latencyMs));
    }
    const lines = [
        `| services | reader calls | calls/service | reader time | naive calls | naive calls/service | naive time | speed-up |`,
        `|---:|---:|---:|---:|---:|---:|---:|---:|`,
        ...rows.map(
            (r) =>
                `| ${r.n} | ${r.calls} | ${(r.calls / r.n).toFixed(2)} | ${r.seconds.toFixed(2)} s | ${r.naiveCalls} | ${(r.naiveCalls / r.n).toFixed(2)} | ${r.naiveSeconds.toFixed(2)} s | ${(r.naiveSeconds / r.seconds).toFixed(1)}× |`,
        ),
    ];
    process.stdout.write(`${lines.join("\n")}\n\n${latencyMs} ms added to every request by a loopback proxy in front of moto.\ncommand: npm run bench:reader -- --sizes ${sizes.join(",")} --latency-ms ${latencyMs}\n`);
    const last = rows[rows.length - 1];
    const ok = last.calls / last.n <= 1.2 && last.naiveSeconds / last.seconds >= 5;
    process.stdout.write(`targets at N=${last.n}: ≤ 1.2 calls/service and ≥ 5× faster than naive: ${ok ? "met" : "NOT met"}\n`);
}

runBench(main);
