import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { DEFAULT_DISK_SIZE_GIB } from "../config/nodeGroups";
import { stableStringify } from "../migration/ecs/json";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { renderReport } from "../migration/translate/report";
import { translate } from "../migration/translate/translate";
import { K8sObject } from "../migration/translate/types";
import { UsageError, parseArgs } from "./args";

export const PLAN_USAGE = `Usage: ecs2eks plan --snapshot <file> --out <dir> [--node-disk-gib <n>]

Translates an ECS snapshot into Kubernetes objects, offline, and writes
  <dir>/manifests/<workload>.yaml   the objects of each workload (multi-document)
  <dir>/plan.json                   services, objects, diagnostics, coverage
  <dir>/report.md                   what was mapped, every warning with its
                                    suggestion, and the manual steps left
  --node-disk-gib <n>   the largest node disk of the node groups (their
                        diskSizeGiB, default 50): a task whose ephemeral
                        storage does not fit on such a node is an error
Exits 0 with warnings; 1 when the snapshot is missing or invalid.`;

export function toYaml(objects: readonly K8sObject[]): string {
    return objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1, quotingType: '"' })).join("---\n");
}

export async function planCommand(argv: readonly string[]): Promise<number> {
    const args = parseArgs(argv, { snapshot: { value: true }, out: { value: true }, "node-disk-gib": { value: true } });
    const file = args.flags.snapshot?.[0];
    const out = args.flags.out?.[0];
    if (!file || !out) {
        throw new UsageError(`${!file ? "--snapshot" : "--out"} is required\n${PLAN_USAGE}`);
    }
    const disk = args.flags["node-disk-gib"]?.[0] ?? String(DEFAULT_DISK_SIZE_GIB);
    if (!/^\d+$/.test(disk) || Number(disk) < 1) {
        throw new UsageError(`--node-disk-gib ${JSON.stringify(disk)} is not a whole number of GiB\n${PLAN_USAGE}`);
    }
    const plan = translate(readSnapshotFile(file), { nodeDiskGiB: Number(disk) });
    const manifests = path.join(out, "manifests");
    fs.mkdirSync(manifests, { recursive: true });
    const clash = new Set(plan.workloads.map((w) => w.name)).size !== plan.workloads.length;
    for (const ns of plan.namespaces) {
        fs.writeFileSync(path.join(manifests, `namespace-${ns.name}.yaml`), toYaml(ns.objects));
    }
    for (const w of plan.workloads) {
        fs.writeFileSync(path.join(manifests, `${clash ? `${w.namespace}-` : ""}${w.name}.yaml`), toYaml(w.objects));
    }
    fs.writeFileSync(path.join(out, "plan.json"), stableStringify(plan));
    fs.writeFileSync(path.join(out, "report.md"), renderReport(plan));
    const all = [...plan.diagnostics, ...plan.workloads.flatMap((w) => w.diagnostics)];
    const n = (s: string) => all.filter((d) => d.severity === s).length;
    process.stderr.write(`wrote ${out}: ${plan.workloads.length} workload(s), ${plan.workloads.reduce((k, w) => k + w.objects.length, 0)} object(s); ${n("error")} error(s), ${n("warning")} warning(s); see ${path.join(out, "report.md")}\n`);
    return 0;
}
