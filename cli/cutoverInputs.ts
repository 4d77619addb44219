/**
 * Where `verify`, `loadtest` and `canary-gate` find the services they look
 * at: the stack's config and committed snapshot (--stack, as
 * decommission-check reads them), or, offline, a snapshot file with the
 * cutover given as flags (as plan takes them). Either way the cutover is
 * planned exactly as the EcsMigration component declares it.
 */
import * as path from "path";
import { validateConfig } from "../config/validate";
import { CutoverPlan, planCutover } from "../migration/cutover";
import { unknownCutoverServices } from "../migration/cutover/weights";
import { Aws } from "../migration/ecs/aws";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { VerifyTarget, verifyTargets } from "../migration/verify/targets";
import type { EcsSnapshot } from "../core/snapshot";
import { findProject, loadStackConfigValues } from "../preview/project";
import { StackConfigError } from "../preview/stackConfig";
import { ParsedArgs, UsageError, single } from "./args";
import { STACK_FLAGS } from "./command";
import { cutoverWeights, testRouteHeader } from "./plan";
import { endpointUrl } from "./snapshot";

export const INPUT_FLAGS = {
    ...STACK_FLAGS,
    snapshot: { value: true },
    cutover: { value: true },
    "test-route": { value: true },
    region: { value: true },
    "endpoint-url": { value: true },
} as const;

export const INPUT_HELP = `  --stack NAME        read the stack's config and committed snapshot
                      (migration:snapshotFile, migration:cutover,
                      migration:testRoute); default dev
  --config key=value  override one of the stack's config values
  --snapshot FILE     offline instead: this snapshot, with --cutover and
                      --test-route as ecs2eks plan takes them
  --region R          AWS region (default: the stack's aws:region, else
                      AWS_REGION, else the snapshot's)
  --endpoint-url URL  send every AWS call here (AWS_ENDPOINT_URL works too)`;

export interface CutoverInputs {
    readonly where: string;
    /** None when the stack migrates nothing (migration:source none). */
    readonly snapshot?: EcsSnapshot;
    readonly cutover: CutoverPlan;
    readonly targets: readonly VerifyTarget[];
    readonly region: string;
}

export function cutoverInputs(args: ParsedArgs, command: string): CutoverInputs {
    const file = single(args, "snapshot");
    let snapshot: EcsSnapshot;
    let cutover: CutoverPlan;
    let where: string;
    let configRegion: string | undefined;
    if (file !== undefined) {
        if (single(args, "stack") !== undefined || args.flags.config) {
            throw new UsageError("--snapshot reads no stack: give --snapshot (with --cutover) or --stack, not both", command);
        }
        snapshot = readSnapshotFile(file);
        const plan = translate(snapshot);
        const weights = cutoverWeights(single(args, "cutover"), command);
        const services = plan.workloads.map((w) => w.source.name);
        const unknown = unknownCutoverServices(weights, services);
        if (unknown.length > 0) {
            throw new UsageError(`--cutover services.${unknown[0]} names no ECS service of the snapshot; services: ${services.join(", ")}`, command);
        }
        cutover = planCutover(plan, snapshot, weights, testRouteHeader(single(args, "test-route"), command));
        where = `snapshot ${file}`;
    } else {
        if (single(args, "cutover") !== undefined || single(args, "test-route") !== undefined) {
            throw new UsageError("--cutover and --test-route go with --snapshot; with --stack they come from the stack's config (override with --config)", command);
        }
        const project = findProject(process.cwd());
        const stack = single(args, "stack") ?? "dev";
        const loaded = loadStackConfigValues(project, stack, args.flags.config ?? []);
        const config = validateConfig(loaded.values, stack);
        if (config.migration.source === "none") {
            // Nothing migrated, nothing routed: nothing to verify, load or gate.
            const none: CutoverPlan = { weights: config.migration.cutover, canaries: [], schedules: [], testRoutes: [], diagnostics: [], frontDoors: { services: [], ingresses: [], records: [], staging: [], errors: [] } };
            return { where: `stack ${stack} (migration:source none)`, cutover: none, targets: [], region: single(args, "region") ?? loaded.values["aws:region"] ?? process.env.AWS_REGION ?? "us-east-1" };
        }
        if (config.migration.source !== "snapshot" || !config.migration.snapshotFile) {
            throw new StackConfigError(
                `stack ${stack} has migration:source ${config.migration.source}: ${command} reads the services from a snapshot; take one with ecs2eks snapshot and pass --snapshot FILE --cutover '<the stack's migration:cutover>'`,
            );
        }
        snapshot = readSnapshotFile(path.resolve(project.dir, config.migration.snapshotFile));
        const plan = translate(snapshot);
        const services = plan.workloads.map((w) => w.source.name);
        const unknown = unknownCutoverServices(config.migration.cutover, services);
        if (unknown.length > 0) {
            throw new StackConfigError(`migration:cutover.services.${unknown[0]} names no ECS service of the snapshot; services: ${services.join(", ")}`);
        }
        cutover = planCutover(plan, snapshot, config.migration.cutover, config.migration.testRoute);
        where = `stack ${stack}`;
        configRegion = loaded.values["aws:region"];
    }
    const region = single(args, "region") ?? configRegion ?? process.env.AWS_REGION ?? snapshot.region;
    return { where, snapshot, cutover, targets: verifyTargets(cutover, snapshot), region };
}

/** The AWS clients for these flags. */
export function awsFor(args: ParsedArgs, region: string): Aws {
    const flag = single(args, "endpoint-url");
    const endpoint = flag !== undefined ? endpointUrl(flag, "--endpoint-url") : process.env.AWS_ENDPOINT_URL ? endpointUrl(process.env.AWS_ENDPOINT_URL, "AWS_ENDPOINT_URL") : undefined;
    return new Aws({ region, requestTimeoutMs: 10_000, maxAttempts: 4, ...(endpoint ? { endpoint } : {}) });
}

/** "15m", "1h", "900s" in seconds. */
export function durationSeconds(text: string, flag: string, command: string): number {
    const m = /^(\d+)(s|m|h)$/.exec(text);
    const seconds = m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"] : NaN;
    if (!m || seconds < 60 || seconds > 86400 * 14) {
        throw new UsageError(`${flag} ${JSON.stringify(text)} is not a duration from 1m to 336h; e.g. 15m, 1h, 900s`, command);
    }
    return seconds;
}
