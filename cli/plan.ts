import * as path from "path";
import { CutoverConfig, TestRouteConfig } from "../config";
import { readMigration } from "../config/migration";
import { DEFAULT_DISK_SIZE_GIB } from "../config/nodeGroups";
import { ConfigReader } from "../config/reader";
import { readTestRoute } from "../config/testRoute";
import { planCutover, withCutover } from "../migration/cutover";
import { planAlarms } from "../migration/cutover/alarms";
import { renderCutover } from "../migration/cutover/report";
import { renderObservability } from "../migration/observabilityReport";
import { unknownCutoverServices } from "../migration/cutover/weights";
import { stableStringify } from "../migration/ecs/json";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { renderCapacity } from "../migration/capacity/report";
import { placeOnPlatform, platformPlacement } from "../migration/capacity/placement";
import { summarizePlan } from "../migration/planSummary";
import { renderReport } from "../migration/translate/report";
import { translate } from "../migration/translate/translate";
import { ParsedArgs, UsageError, present, single } from "./args";
import { Command, EXIT } from "./command";
import { computeConfig } from "./compute";
import { GATE_FLAGS, GATE_HELP, failOn, gateFailure } from "./gate";
import { kustomization, manifestFiles, toYaml } from "./manifests";
import { MANIFESTS, claimOutputDirectory, writePlanDirectory } from "./planOutput";

export const planCommand: Command = {
    name: "plan",
    summary: "translate a snapshot into Kubernetes manifests, plan.json and a report",
    help: `Usage: ecs2eks plan --snapshot <file> --out <dir> [--json] [--cutover <json>]
                    [--node-disk-gib <n>] [--stack <name> | --node-groups <json>]
                    [--fail-on error|warning] [--allow-errors]

Translates an ECS snapshot into Kubernetes objects, offline, and writes
  <dir>/manifests/00-namespaces.yaml  namespaces and what they share
  <dir>/manifests/10-<workload>.yaml  the objects of each workload, in an
                                      order kubectl apply -f can create
  <dir>/kustomization.yaml            the same, for kubectl apply -k <dir>
  <dir>/plan.json                     services, objects, diagnostics, coverage,
                                      and the cutover: target groups, listener
                                      rules' weights, suspended schedules
  <dir>/report.md                     what was mapped, every warning with its
                                      suggestion, and the manual steps left
plan owns <dir>: it must be new, empty or written by plan before (it holds
a .ecs2eks-plan marker); manifests plan no longer produces are removed.
  --snapshot FILE     the snapshot to translate (from ecs2eks snapshot)
  --out DIR           the directory to write
  --cutover JSON      the stack's migration:cutover (each service's share
                      of traffic on EKS), e.g.
                      '{"default":{"eksWeight":10},"services":{"web":{"eksWeight":50}}}';
                      default: a new stack's eksWeight 0, where ECS keeps
                      all traffic and every CronJob stays suspended;
                      "strategy" (alb-weighted, route53-weighted,
                      cloudfront-staging) picks each service's front door
  --test-route JSON   the stack's migration:testRoute, the marker header
                      that reaches the EKS side before any user traffic
                      (default {"header":"x-ecs2eks-canary","value":"eks"})
  --node-disk-gib N   the largest node disk of the node groups (their
                      diskSizeGiB, default ${DEFAULT_DISK_SIZE_GIB}): a task whose ephemeral
                      storage does not fit on such a node is an error
  --stack NAME        the stack whose node groups (and add-ons, Karpenter
                      NodePools, Auto Mode, Fargate namespaces) the pods
                      must fit, read from Pulumi.<stack>.yaml; its cluster's
                      name tags the migrated EBS volumes, as the stack does
  --node-groups JSON  or the node groups alone, as nodeGroups:<name> config,
                      e.g. '{"general":{"instanceTypes":["m6i.xlarge"],"maxSize":6}}';
                      default: the one group a stack without nodeGroups gets.
                      A pod larger than every node is an error; the report's
                      Capacity section totals the estate against the maxima
  --json              print the summary as JSON on stdout
${GATE_HELP}`,
    flags: { snapshot: { value: true }, out: { value: true }, cutover: { value: true }, "test-route": { value: true }, "node-disk-gib": { value: true }, stack: { value: true }, "node-groups": { value: true }, json: {}, ...GATE_FLAGS },
    async run(args: ParsedArgs): Promise<number> {
        const file = single(args, "snapshot");
        const out = single(args, "out");
        if (!file || !out) {
            throw new UsageError(`${!file ? "--snapshot" : "--out"} is required`, "plan");
        }
        const level = failOn(args, "plan");
        const disk = single(args, "node-disk-gib") ?? String(DEFAULT_DISK_SIZE_GIB);
        if (!/^\d+$/.test(disk) || Number(disk) < 1) {
            throw new UsageError(`--node-disk-gib ${JSON.stringify(disk)} is not a whole number of GiB`, "plan");
        }
        const weights = cutoverWeights(single(args, "cutover"));
        const snapshot = readSnapshotFile(file);
        const compute = computeConfig(single(args, "stack"), single(args, "node-groups"));
        const raw = translate(snapshot, { nodeDiskGiB: Number(disk) });
        // With the stack known, its cluster's name too: the manifests' EBS volumes carry it, as the program's do.
        const clusterName = single(args, "stack") === undefined ? undefined : compute.cluster.name;
        const sized = placeOnPlatform(raw, snapshot, platformPlacement(compute), { ...(clusterName ? { clusterName } : {}), warn: (m) => process.stderr.write(`warning: ${m}\n`) });
        const translated = sized.plan;
        const services = [...new Set(translated.workloads.map((w) => w.source.name))].sort();
        const unknown = unknownCutoverServices(weights, services);
        if (unknown.length > 0) {
            throw new UsageError(`--cutover services.${unknown[0]} names no ECS service of the snapshot; services: ${services.join(", ")}`, "plan");
        }
        // What the EcsMigration component declares: the translation with the cutover applied.
        const cutover = planCutover(translated, snapshot, weights, testRouteHeader(single(args, "test-route")));
        if (cutover.frontDoors.errors.length > 0) {
            throw new UsageError(`--cutover: ${cutover.frontDoors.errors.join("; ")}`, "plan");
        }
        const plan = withCutover(translated, cutover);
        const alarms = planAlarms(translated, snapshot, cutover);
        claimOutputDirectory(out);
        const manifests = manifestFiles(plan);
        const files = new Map<string, string>([
            ...manifests.map((m): [string, string] => [`${MANIFESTS}/${m.name}`, toYaml(m.objects)]),
            ["kustomization.yaml", kustomization(manifests, MANIFESTS)],
            ["plan.json", stableStringify({ ...plan, cutover: { weights, canaries: cutover.canaries, schedules: cutover.schedules, testRoutes: cutover.testRoutes, ...frontDoorsJson(cutover) }, alarms: alarms.alarms, capacity: sized.capacity })],
            ["report.md", renderReport(plan) + renderCapacity(sized.capacity) + renderCutover(cutover) + renderObservability(plan.logs, alarms)],
        ]);
        const { removed } = writePlanDirectory(out, files);
        const summary = summarizePlan(plan);
        const objects = manifests.reduce((n, m) => n + m.objects.length, 0);
        const report = path.join(out, "report.md");
        if (present(args, "json")) {
            process.stdout.write(`${JSON.stringify({ out, report, ...summary, objects, files: [...files.keys()].sort(), removed }, null, 2)}\n`);
        }
        process.stderr.write(
            `wrote ${out}: ${summary.workloads} workload(s), ${objects} object(s); ${summary.errors} error(s), ${summary.warnings} warning(s)` +
                `${removed.length > 0 ? `; removed ${removed.length} stale manifest(s)` : ""}; see ${report}\n`,
        );
        const failure = gateFailure(summary, level, "the plan");
        if (failure) {
            process.stderr.write(`error: ${failure}\n`);
            return EXIT.problems;
        }
        return EXIT.ok;
    },
};

/** --test-route, read as the program reads migration:testRoute. */
export function testRouteHeader(json: string | undefined, command = "plan"): TestRouteConfig {
    const reader = new ConfigReader(json === undefined ? {} : { "migration:testRoute": json });
    const header = readTestRoute(reader);
    if (reader.problems.length > 0) {
        throw new UsageError(`--test-route: ${reader.problems.join("; ")}`, command);
    }
    return header;
}

/** --cutover, read as the program reads migration:cutover (same shape, same messages); unset, a new stack's eksWeight 0. */
export function cutoverWeights(json: string | undefined, command = "plan"): CutoverConfig {
    if (json !== undefined) {
        try {
            JSON.parse(json);
        } catch {
            throw new UsageError(`--cutover ${JSON.stringify(json)} is not JSON; e.g. --cutover '{"default":{"eksWeight":10}}'`, command);
        }
    }
    const reader = new ConfigReader(json === undefined ? {} : { "migration:cutover": json });
    const { cutover } = readMigration(reader);
    if (reader.problems.length > 0) {
        throw new UsageError(`--cutover: ${reader.problems.join("; ")}`, command);
    }
    return cutover;
}

/** The Route 53 and CloudFront cutovers for plan.json; absent when every service is alb-weighted, so such plans stay as they were. */
function frontDoorsJson(cutover: ReturnType<typeof planCutover>): { frontDoors?: object } {
    const { records, staging, ingresses } = cutover.frontDoors;
    return records.length + staging.length + ingresses.length > 0 ? { frontDoors: { records, staging, ingresses: ingresses.map((i) => ({ namespace: i.namespace, workload: i.workload, group: i.group })) } } : {};
}
