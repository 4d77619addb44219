/**
 * Where each container's logs go on EKS. On ECS every container named its own
 * destination (awslogs options, or a FireLens output); on EKS one Fluent Bit
 * per node ships every container's stdout. The pod carries each container's
 * destination as annotations the pipeline keys off (components/addons/
 * logPipeline.ts), so the logs land in the same log group under the same
 * stream prefix, and metric filters, subscriptions and Logs Insights queries
 * keep working. Pure.
 */
import type { EcsSnapshot, TaskDefinitionSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { dns1123Label } from "./names";
import type { WorkloadPlan } from "./types";

/** Annotation prefix; the keys are `<prefix>/<what>.<pod container name>`. */
export const LOG_ANNOTATION_PREFIX = "logs.ecs2eks.io";

/** The annotation that names one container's log group, stream prefix or route. */
export function logAnnotation(what: "group" | "stream" | "route", podContainer: string): string {
    return `${LOG_ANNOTATION_PREFIX}/${what}.${podContainer}`;
}

/** Annotation names are at most 63 characters after the prefix. */
const MAX_ANNOTATION_NAME = 63;

/** The Fluent Bit outputs the pipeline has for FireLens outputs of the same kind. */
export type LogOutput = "cloudwatch_logs" | "firehose" | "kinesis_streams";

/**
 * An output besides the cluster's own CloudWatch Logs output: another
 * region's CloudWatch Logs, a Firehose delivery stream or a Kinesis stream.
 * Records reach it by the route annotation.
 */
export interface LogRoute {
    /** The route's tag part: `<output>.<region>[.<stream>]`. */
    readonly id: string;
    readonly output: LogOutput;
    readonly region: string;
    readonly deliveryStream?: string;
    readonly stream?: string;
}

/** One container's logs on EKS. */
export interface LogDestination {
    readonly namespace: string;
    readonly workload: string;
    /** The ECS container and the pod's container of the same name. */
    readonly container: string;
    readonly podContainer: string;
    /** What the task definition said: awslogs, a FireLens output, or nothing the pipeline can honour. */
    readonly via: "awslogs" | "firelens" | "cluster";
    readonly output: LogOutput;
    readonly region: string;
    /** CloudWatch Logs: the group, and the stream name's first part (`<prefix>/<container>` as on ECS). */
    readonly logGroup?: string;
    readonly streamPrefix?: string;
    /** awslogs-create-group / auto_create_group: the pipeline may create the group. */
    readonly createGroup?: boolean;
    readonly deliveryStream?: string;
    readonly stream?: string;
    readonly route?: string;
}

/** What the pipeline must be configured and allowed to do for the whole plan. */
export interface LogPlan {
    readonly destinations: readonly LogDestination[];
    /** Log groups the pipeline writes to, by region; create when any container allowed it. */
    readonly groups: readonly { readonly name: string; readonly region: string; readonly create: boolean }[];
    readonly routes: readonly LogRoute[];
}

export const NO_LOGS: LogPlan = { destinations: [], groups: [], routes: [] };

type Container = NonNullable<TaskDefinitionSnapshot["containerDefinitions"]>[number];

interface ContainerLogs {
    readonly destination: Omit<LogDestination, "namespace" | "workload">;
    readonly annotations: Readonly<Record<string, string>>;
}

const truthy = (v: string | undefined) => v !== undefined && /^(true|on|1)$/i.test(v.trim());

function routeOf(output: LogOutput, region: string, name?: string): LogRoute {
    const id = [output, region, ...(name ? [name] : [])].join(".");
    return { id, output, region, ...(output === "firehose" ? { deliveryStream: name } : output === "kinesis_streams" ? { stream: name } : {}) };
}

/** The FireLens output names Fluent Bit and Fluentd use for what the pipeline supports. */
function firelensOutput(name: string): LogOutput | undefined {
    const n = name.toLowerCase();
    if (n === "cloudwatch_logs" || n === "cloudwatch") {
        return "cloudwatch_logs";
    }
    if (n === "firehose" || n === "kinesis_firehose") {
        return "firehose";
    }
    if (n === "kinesis" || n === "kinesis_streams") {
        return "kinesis_streams";
    }
    return undefined;
}

/**
 * One container's destination, its annotations, and what could not be
 * carried over (as diagnostics, when given).
 */
function containerLogs(c: Container, clusterRegion: string, d?: Diagnostics): ContainerLogs {
    const name = c.name ?? "container";
    const podContainer = dns1123Label(name);
    const at = `containerDefinitions[${name}].logConfiguration`;
    const cluster: ContainerLogs = { destination: { container: name, podContainer, via: "cluster", output: "cloudwatch_logs", region: clusterRegion }, annotations: {} };
    const lc = c.logConfiguration;
    if (!lc?.logDriver) {
        return cluster;
    }
    if (`route.${podContainer}`.length > MAX_ANNOTATION_NAME) {
        d?.warn("LOG_CONTAINER_NAME_TOO_LONG", at, `container name ${podContainer} is too long for a log annotation; its logs go to the cluster's log group`, "shorten the container name to 57 characters or fewer", name);
        return cluster;
    }
    const opts = lc.options ?? {};
    if ((lc.secretOptions ?? []).length > 0) {
        d?.warn("LOG_SECRET_OPTIONS", `${at}.secretOptions`, `the ${lc.logDriver} options read from secrets (${(lc.secretOptions ?? []).map((s) => s.name).join(", ")}) are not carried over`, "give the cluster's Fluent Bit those settings, or drop them", name);
    }
    const cloudwatch = (via: "awslogs" | "firelens", group: string, prefix: string | undefined, create: boolean, region: string): ContainerLogs => {
        const streamPrefix = prefix ? `${prefix}/${name}` : name;
        const route = region !== clusterRegion ? routeOf("cloudwatch_logs", region) : undefined;
        return {
            destination: { container: name, podContainer, via, output: "cloudwatch_logs", region, logGroup: group, streamPrefix, createGroup: create, ...(route ? { route: route.id } : {}) },
            annotations: {
                [logAnnotation("group", podContainer)]: group,
                [logAnnotation("stream", podContainer)]: streamPrefix,
                ...(route ? { [logAnnotation("route", podContainer)]: route.id } : {}),
            },
        };
    };

    if (lc.logDriver === "awslogs") {
        const group = opts["awslogs-group"];
        if (!group) {
            d?.warn("LOG_GROUP_MISSING", `${at}.options`, "awslogs names no awslogs-group; the container's logs go to the cluster's log group", "set awslogs-group in the task definition, or accept the cluster's group", name);
            return cluster;
        }
        const region = opts["awslogs-region"] ?? clusterRegion;
        for (const key of Object.keys(opts).sort()) {
            if (["awslogs-datetime-format", "awslogs-multiline-pattern"].includes(key)) {
                d?.warn("LOG_MULTILINE", `${at}.options`, `${key} (${opts[key]}) joined lines into one event on ECS; the pipeline sends each line as an event`, "add a Fluent Bit multiline parser for this container, or log one line per event", name);
            } else if (key === "mode" || key === "max-buffer-size") {
                d?.info("LOG_DELIVERY_MODE", `${at}.options`, `${key} ${opts[key]} does not apply: the container writes to a file on the node and never waits for CloudWatch, as in non-blocking mode, with the node's disk as the buffer`, "nothing to do", name);
            } else if (key === "awslogs-endpoint" || key === "awslogs-credentials-endpoint") {
                d?.warn("LOG_ENDPOINT", `${at}.options`, `${key} ${opts[key]} is not carried over: the pipeline uses the regional CloudWatch Logs endpoint`, "if the VPC reaches CloudWatch Logs through an interface endpoint, private DNS serves the regional name", name);
            }
        }
        if (region !== clusterRegion) {
            d?.info("LOG_REGION", `${at}.options`, `logs go to ${group} in ${region}, as on ECS, through an output of the pipeline for that region`, "nothing to do", name);
        }
        d?.info(
            "LOGGING",
            at,
            `logs go to log group ${group}${region !== clusterRegion ? ` (${region})` : ""}, streams ${opts["awslogs-stream-prefix"] ? `${opts["awslogs-stream-prefix"]}/${name}/<pod>` : `${name}/<pod>`}${truthy(opts["awslogs-create-group"]) ? "; the pipeline may create the group" : ""}`,
            "nothing to do: the cluster's Fluent Bit ships them",
            name,
        );
        return cloudwatch("awslogs", group, opts["awslogs-stream-prefix"], truthy(opts["awslogs-create-group"]), region);
    }

    if (lc.logDriver === "awsfirelens") {
        const output = firelensOutput(opts.Name ?? opts.name ?? "");
        const region = opts.region ?? clusterRegion;
        if (output === "cloudwatch_logs" && (opts.log_group_name ?? opts.log_group)) {
            const group = (opts.log_group_name ?? opts.log_group) as string;
            d?.info("FIRELENS_ROUTE", at, `the FireLens CloudWatch output goes on: logs go to ${group}`, "nothing to do: the cluster's Fluent Bit ships them", name);
            return cloudwatch("firelens", group, opts.log_stream_prefix?.replace(/[-/]+$/, ""), truthy(opts.auto_create_group), region);
        }
        const target = output === "firehose" ? opts.delivery_stream : output === "kinesis_streams" ? opts.stream : undefined;
        if (output && output !== "cloudwatch_logs" && target) {
            const route = routeOf(output, region, target);
            d?.info("FIRELENS_ROUTE", at, `the FireLens ${output} output goes on: logs go to ${target} (${region})`, "nothing to do: the cluster's Fluent Bit ships them", name);
            return {
                destination: { container: name, podContainer, via: "firelens", output, region, route: route.id, ...(output === "firehose" ? { deliveryStream: target } : { stream: target }) },
                annotations: { [logAnnotation("route", podContainer)]: route.id },
            };
        }
        d?.warn(
            "FIRELENS_OUTPUT_UNSUPPORTED",
            `${at}.options`,
            `the FireLens output ${opts.Name ?? "(no Name)"} is not one the cluster pipeline carries (cloudwatch_logs, firehose, kinesis_streams with their group or stream); the container's logs go to the cluster's log group`,
            "add that output to the cluster's Fluent Bit by hand, or move the destination to CloudWatch Logs, Firehose or Kinesis",
            name,
        );
        return cluster;
    }

    d?.warn(
        "LOG_DRIVER_UNSUPPORTED",
        at,
        `log driver ${lc.logDriver} has no counterpart in the cluster pipeline; the container's logs go to the cluster's log group`,
        `ship them to where ${lc.logDriver} sent them with an output added to the cluster's Fluent Bit`,
        name,
    );
    return cluster;
}

/** The pod annotations for the task's containers, reporting what is not carried over. */
export function logAnnotations(containers: readonly Container[], clusterRegion: string, d: Diagnostics): Record<string, string> {
    return Object.assign({}, ...containers.map((c) => containerLogs(c, clusterRegion, d).annotations));
}

/**
 * The plan's log destinations: every container of every workload, the groups
 * the pipeline writes to and the routes it needs, sorted.
 */
export function planLogs(snapshot: EcsSnapshot, workloads: readonly WorkloadPlan[]): LogPlan {
    const tds = new Map(snapshot.taskDefinitions.map((td) => [td.taskDefinitionArn ?? "", td]));
    const destinations: LogDestination[] = [];
    for (const w of workloads) {
        const td = tds.get(w.source.taskDefinitionArn);
        if (!td || w.objects.length === 0) {
            continue;
        }
        for (const c of td.containerDefinitions ?? []) {
            destinations.push({ namespace: w.namespace, workload: w.name, ...containerLogs(c, snapshot.region).destination });
        }
    }
    const groups = new Map<string, { name: string; region: string; create: boolean }>();
    const routes = new Map<string, LogRoute>();
    for (const dst of destinations) {
        if (dst.logGroup) {
            const key = `${dst.region}|${dst.logGroup}`;
            const seen = groups.get(key);
            groups.set(key, { name: dst.logGroup, region: dst.region, create: (seen?.create ?? false) || (dst.createGroup ?? false) });
        }
        if (dst.route) {
            const [output, region, ...rest] = dst.route.split(".");
            routes.set(dst.route, routeOf(output as LogOutput, region, rest.length > 0 ? rest.join(".") : undefined));
        }
    }
    const by = <T>(key: (t: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
    return {
        destinations: destinations.sort(by((x) => `${x.namespace}/${x.workload}/${x.container}`)),
        groups: [...groups.values()].sort(by((g) => `${g.region}|${g.name}`)),
        routes: [...routes.values()].sort(by((r) => r.id)),
    };
}

/** One line for people: where the container's logs go, and under which stream names. */
export function describeDestination(d: LogDestination): string {
    if (d.logGroup) {
        return `${d.logGroup}${d.route ? ` (${d.region})` : ""}, streams ${d.streamPrefix}/<pod>`;
    }
    if (d.deliveryStream || d.stream) {
        return `${d.output === "firehose" ? "Firehose" : "Kinesis"} ${d.deliveryStream ?? d.stream} (${d.region})`;
    }
    return "the cluster's log group";
}

/** Log groups the ECS stacks' task definitions write to: what their destroy may delete. */
export function ecsLogGroups(snapshot: EcsSnapshot): string[] {
    const groups = snapshot.taskDefinitions.flatMap((td) =>
        (td.containerDefinitions ?? []).flatMap((c) => {
            const o = c.logConfiguration?.options ?? {};
            return c.logConfiguration?.logDriver === "awslogs" && o["awslogs-group"] ? [o["awslogs-group"]] : c.logConfiguration?.logDriver === "awsfirelens" && o.log_group_name ? [o.log_group_name] : [];
        }),
    );
    return [...new Set(groups)].sort();
}
