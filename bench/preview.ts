/**
 * npm run bench:preview [-- --sizes 50,200,500]
 *
 * Runs the whole program offline (Pulumi runtime mocks) for generated
 * estates of N services, each size in a fresh process, and prints wall time,
 * Pulumi resources and peak RSS. Pulumi's own cost per registered resource
 * dominates, so resources per service is the number to watch.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { writeSnapshotFile } from "../migration/ecs/snapshotFile";
import { generatedEstate } from "./translate";

const ROOT = path.join(__dirname, "..", "..");

function flag(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** In the child: one offline preview of the dev stack against the given snapshot. */
async function one(snapshotFile: string): Promise<void> {
    const { runOffline } = await import("../preview/run");
    const { findProject, loadStackConfigValues } = await import("../preview/project");
    const project = findProject(ROOT);
    const config = loadStackConfigValues(project, "dev", [`migration:snapshotFile=${snapshotFile}`, 'migration:cutover={"default":{"eksWeight":10}}']);
    const started = performance.now();
    const result = await runOffline({ project: project.name, stack: "dev", config, program: () => require(path.join(ROOT, "dist", "index")) as unknown });
    const ms = performance.now() - started;
    process.stdout.write(JSON.stringify({ ms, resources: result.resources.length, maxRssKb: process.resourceUsage().maxRSS }));
}

function main(): void {
    const oneFile = flag("one", "");
    if (oneFile) {
        void one(oneFile);
        return;
    }
    const sizes = flag("sizes", "50,200,500").split(",").map(Number);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-preview-"));
    const rows: string[] = [];
    for (const n of sizes) {
        const file = path.join(dir, `estate-${n}.json`);
        writeSnapshotFile(file, generatedEstate(n));
        const started = performance.now();
        const child = spawnSync(process.execPath, [__filename, "--one", file], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
        const wall = (performance.now() - started) / 1000;
        if (child.status !== 0) {
            process.stderr.write(child.stderr);
            process.exit(1);
        }
        const r = JSON.parse(child.stdout) as { ms: number; resources: number; maxRssKb: number };
        rows.push(`| ${n} | ${r.resources} | ${(r.resources / n).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} s | ${wall.toFixed(1)} s | ${(r.maxRssKb / 1024).toFixed(0)} MB |`);
        process.stderr.write(`${n} services done\n`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(
        [
            "| services | Pulumi resources | per service | program run | process wall | peak RSS |",
            "|---:|---:|---:|---:|---:|---:|",
            ...rows,
            "",
            `command: npm run bench:preview -- --sizes ${sizes.join(",")}`,
            "target: 500 services in under 60 s and 2 GiB, time growing linearly",
            "",
        ].join("\n"),
    );
}

main();
