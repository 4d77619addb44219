/**
 * npm run bench:preview [-- --sizes 50,200,500] [--shards 2000:4]
 *
 * Runs the whole program offline (Pulumi runtime mocks) for generated
 * estates of N services, each size in a fresh process, and prints wall time,
 * Pulumi resources and peak RSS. Pulumi's own cost per registered resource
 * dominates, so resources per service is the number to watch.
 * Then an estate split into migration shards (ecs2eks shards --by count:n):
 * each shard previewed on its own, as CI runs them side by side.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { writeSnapshotFile } from "../migration/ecs/snapshotFile";
import { shardConfigFile } from "../cli/shards";
import { proposeShards } from "../migration/shards/plan";
import { estateUnits } from "../migration/shards/select";
import { generatedEstate } from "./translate";
import { flag } from "./harness";

const ROOT = path.join(__dirname, "..", "..");

/** What a child reports: CPU time is the column to compare on a busy machine, where wall time waits for a core. */
function measured(ms: number, resources: number): Omit<ChildResult, "wall"> {
    const cpu = process.cpuUsage();
    return { ms, resources, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS };
}

/** In the child: one offline preview of the dev stack against the given snapshot. */
async function one(snapshotFile: string): Promise<void> {
    const { runOffline } = await import("../preview/run");
    const { findProject, loadStackConfigValues } = await import("../preview/project");
    const project = findProject(ROOT);
    // The dev stack's reviewed allowance names the shop's log-agent, which a generated estate has not.
    const config = loadStackConfigValues(project, "dev", [`migration:snapshotFile=${snapshotFile}`, 'migration:cutover={"default":{"eksWeight":10}}', "migration:allowPrivileged=[]"]);
    const started = performance.now();
    const result = await runOffline({ project: project.name, stack: "dev", config, program: () => require(path.join(ROOT, "dist", "index")) as unknown });
    const ms = performance.now() - started;
    process.stdout.write(JSON.stringify(measured(ms, result.resources.length)));
}

/** In the child: one offline preview of a shard stack of the project in `dir`, its platform stack standing in offline. */
async function oneShard(dir: string, stack: string): Promise<void> {
    const { runOffline } = await import("../preview/run");
    const { findProject, loadStackConfigValues } = await import("../preview/project");
    const { offlinePlatformOutputs, platformStackOf } = await import("../preview/platformOutputs");
    const project = findProject(dir);
    const config = loadStackConfigValues(project, stack, []);
    const platform = platformStackOf(config) ?? "";
    const stackOutputs = { [platform]: offlinePlatformOutputs(project, platform) };
    const started = performance.now();
    const result = await runOffline({ project: project.name, stack, config, stackOutputs, program: () => require(path.join(ROOT, "dist", "index")) as unknown });
    const ms = performance.now() - started;
    process.stdout.write(JSON.stringify(measured(ms, result.resources.length)));
}

interface ChildResult {
    readonly ms: number;
    readonly resources: number;
    /** The whole child process, module loading included. */
    readonly cpuMs: number;
    readonly maxRssKb: number;
    readonly wall: number;
}

function child(args: string[]): ChildResult {
    const started = performance.now();
    const run = spawnSync(process.execPath, [__filename, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
    const wall = (performance.now() - started) / 1000;
    if (run.status !== 0) {
        process.stderr.write(run.stderr);
        process.exit(1);
    }
    return { ...(JSON.parse(run.stdout) as Omit<ChildResult, "wall">), wall };
}

/** An estate of `size` services split into `count` shards onto one platform stack, each shard previewed in a process of its own. */
function shardRows(dir: string, size: number, count: number): string[] {
    const project = path.join(dir, `shards-${size}`);
    fs.mkdirSync(project);
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
    const devConfig = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(/^ {2}migration:.*\n(?: {4}.*\n)*/gm, "");
    fs.writeFileSync(path.join(project, "Pulumi.platform.yaml"), `${devConfig.trimEnd()}\n  migration:source: none\n`);
    const estate = generatedEstate(size);
    const snapshotFile = path.join(project, "estate.json");
    writeSnapshotFile(snapshotFile, estate);
    const proposals = proposeShards(estateUnits(estate), { kind: "count", count }, "platform");
    for (const p of proposals) {
        const text = shardConfigFile(p, { platformStack: "organization/ecs2eks/platform", snapshotFile, region: "us-east-1", command: `npm run bench:preview` });
        fs.writeFileSync(path.join(project, `Pulumi.${p.name}.yaml`), text.replace("config:\n", 'config:\n  migration:cutover: {default: {eksWeight: 10}}\n'));
    }
    const rows: string[] = [];
    let ms = 0;
    let resources = 0;
    let peak = 0;
    let slowest = 0;
    let cpu = 0;
    for (const p of proposals) {
        const r = child(["--one-shard", project, p.name]);
        rows.push(`| ${p.name} | ${p.units.length} | ${r.resources} | ${(r.resources / p.units.length).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} s | ${r.wall.toFixed(1)} s | ${(r.cpuMs / 1000).toFixed(1)} s | ${(r.maxRssKb / 1024).toFixed(0)} MB |`);
        ms += r.ms;
        resources += r.resources;
        peak = Math.max(peak, r.maxRssKb);
        slowest = Math.max(slowest, r.wall);
        cpu += r.cpuMs;
        process.stderr.write(`shard ${p.name} done\n`);
    }
    rows.push(`| all ${proposals.length} shards | ${size} | ${resources} | ${(resources / size).toFixed(1)} | ${(ms / 1000).toFixed(1)} s in a row | ${slowest.toFixed(1)} s side by side | ${(cpu / 1000).toFixed(1)} s in all | ${(peak / 1024).toFixed(0)} MB each at most |`);
    const met = slowest < 10 && peak < 1024 * 1024;
    rows.push("", `each shard under 10 s and 1 GiB: ${met ? "met" : "NOT met"} (slowest ${slowest.toFixed(1)} s wall, largest ${(peak / 1024).toFixed(0)} MB)`);
    return rows;
}

function main(): void {
    const oneFile = flag("one", "");
    if (oneFile) {
        void one(oneFile);
        return;
    }
    const shardIndex = process.argv.indexOf("--one-shard");
    if (shardIndex >= 0) {
        void oneShard(process.argv[shardIndex + 1], process.argv[shardIndex + 2]);
        return;
    }
    const sizes = flag("sizes", "50,200,500").split(",").map(Number);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-preview-"));
    const rows: string[] = [];
    for (const n of sizes) {
        const file = path.join(dir, `estate-${n}.json`);
        writeSnapshotFile(file, generatedEstate(n));
        const r = child(["--one", file]);
        rows.push(`| ${n} | ${r.resources} | ${(r.resources / n).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} s | ${r.wall.toFixed(1)} s | ${(r.cpuMs / 1000).toFixed(1)} s | ${(r.maxRssKb / 1024).toFixed(0)} MB |`);
        process.stderr.write(`${n} services done\n`);
    }
    const [shardSize, shardCount] = flag("shards", "2000:4").split(":").map(Number);
    const shards = shardCount > 0 ? shardRows(dir, shardSize, shardCount) : [];
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(
        [
            "| services | Pulumi resources | per service | program run | process wall | process CPU | peak RSS |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            ...rows,
            "",
            "",
            `An estate of ${shardSize} services in ${shardCount} migration shards (ecs2eks shards --by count:${shardCount}), each previewed alone:`,
            "",
            "| shard | services | Pulumi resources | per service | program run | process wall | process CPU | peak RSS |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            ...shards,
            "",
            `command: npm run bench:preview -- --sizes ${sizes.join(",")} --shards ${shardSize}:${shardCount}`,
            `target: 500 services in under 60 s and 2 GiB, time growing linearly; each shard in under 10 s and 1 GiB; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (wall time waits for a core when the load is higher)`,
            "",
        ].join("\n"),
    );
}

main();
