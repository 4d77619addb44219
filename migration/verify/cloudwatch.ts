/**
 * The AWS side of `verify` and `loadtest`: EKS target groups by name, their
 * target health, and both target groups' ALB metrics from CloudWatch. Calls
 * are batched (GetMetricData takes 500 queries a call) and bounded in
 * concurrency, so 200 services cost a handful of metric calls and one
 * DescribeTargetHealth each, 16 at a time.
 */
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Aws } from "../ecs/aws";
import { chunk, mapLimit } from "../ecs/concurrency";
import { VerifyTarget, metricDimension } from "./targets";
import type { SideFigures, TargetHealthFigures } from "./verdict";

/** GetMetricData's limit per call. */
const QUERIES_PER_CALL = 500;
/** DescribeTargetGroups takes up to 20 names a call. */
const NAMES_PER_CALL = 20;
const CONCURRENCY = 32;

/** The figures of one service: undefined EKS parts while its target group does not exist. */
export interface ServiceFigures {
    readonly target: VerifyTarget;
    readonly eksTargetGroupArn?: string;
    readonly health?: TargetHealthFigures;
    readonly ecs: SideFigures;
    readonly eks?: SideFigures;
}

const notFound = (err: unknown) => err instanceof Error && /TargetGroupNotFound/.test(err.name);

/** The EKS target groups' ARNs by name; a name AWS does not know is left out. */
async function targetGroupArns(aws: Aws, names: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const describe = async (batch: readonly string[]): Promise<TargetGroup[]> =>
        (await aws.call("elasticloadbalancing", "DescribeTargetGroups", batch.join(","), () => aws.elb.send(new DescribeTargetGroupsCommand({ Names: [...batch] })))).TargetGroups ?? [];
    await mapLimit(chunk(names, NAMES_PER_CALL), CONCURRENCY, async (batch) => {
        let groups: TargetGroup[];
        try {
            groups = await describe(batch);
        } catch (err) {
            // One unknown name fails the whole call: ask for each alone to learn which exist.
            if (!notFound(err)) {
                throw err;
            }
            groups = (await mapLimit(batch, CONCURRENCY, (n) => describe([n]).catch((e: unknown) => (notFound(e) ? [] : Promise.reject(e))))).flat();
        }
        for (const g of groups) {
            if (g.TargetGroupName && g.TargetGroupArn) {
                found.set(g.TargetGroupName, g.TargetGroupArn);
            }
        }
    });
    return found;
}

async function targetHealth(aws: Aws, arn: string, desired: number): Promise<TargetHealthFigures> {
    const out = await aws.call("elasticloadbalancing", "DescribeTargetHealth", arn, () => aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })));
    const states = (out.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State);
    const healthy = states.filter((s) => s === "healthy").length;
    // Draining targets are on their way out: neither healthy nor a problem.
    return { healthy, unhealthy: states.filter((s) => s !== "healthy" && s !== "draining").length, desired };
}

const METRICS = [
    ["requests", "RequestCount", "Sum"],
    ["target5xx", "HTTPCode_Target_5XX_Count", "Sum"],
    ["connectionErrors", "TargetConnectionErrorCount", "Sum"],
    ["p90", "TargetResponseTime", "p90"],
    ["average", "TargetResponseTime", "Average"],
] as const;
type MetricKey = (typeof METRICS)[number][0];

export interface MetricWindow {
    readonly start: Date;
    readonly end: Date;
    /** Seconds: one data point per query when it spans the window. */
    readonly period: number;
}

/** The window ending now, its period a whole number of minutes (CloudWatch's rule for periods over 60 s). */
export function metricWindow(seconds: number, now: Date): MetricWindow {
    const period = Math.max(60, Math.ceil(seconds / 60) * 60);
    return { start: new Date(now.getTime() - period * 1000), end: now, period };
}

const isPercentile = (q: MetricDataQuery) => /^p\d/.test(q.MetricStat?.Stat ?? "");

function queries(loadBalancerArn: string, targetGroupArn: string, prefix: string, period: number): MetricDataQuery[] {
    const dimensions = [
        { Name: "LoadBalancer", Value: metricDimension(loadBalancerArn) },
        { Name: "TargetGroup", Value: metricDimension(targetGroupArn) },
    ];
    return METRICS.map(([key, name, stat]) => ({
        Id: `${prefix}_${key}`,
        MetricStat: { Metric: { Namespace: "AWS/ApplicationELB", MetricName: name, Dimensions: dimensions }, Period: period, Stat: stat },
        ReturnData: true,
    }));
}

/** Every query's values, following NextToken; many queries per call. */
export async function metricData(aws: Aws, all: readonly MetricDataQuery[], window: MetricWindow, client: CloudWatchClient = aws.cloudWatch): Promise<Map<string, number[]>> {
    const values = new Map<string, number[]>();
    // An empty batch is no call: GetMetricData wants at least one query.
    await mapLimit(chunk(all, QUERIES_PER_CALL), CONCURRENCY, async (batch) => {
        let token: string | undefined;
        do {
            const out = await aws.call("cloudwatch", "GetMetricData", `${batch.length} metric queries`, () =>
                client.send(new GetMetricDataCommand({ MetricDataQueries: batch, StartTime: window.start, EndTime: window.end, ...(token ? { NextToken: token } : {}) })),
            );
            for (const r of out.MetricDataResults ?? ([] as MetricDataResult[])) {
                values.set(r.Id ?? "", [...(values.get(r.Id ?? "") ?? []), ...(r.Values ?? []).filter((v) => Number.isFinite(v))]);
            }
            token = out.NextToken;
        } while (token);
    });
    return values;
}

function side(values: Map<string, number[]>, prefix: string): SideFigures {
    const get = (k: MetricKey) => values.get(`${prefix}_${k}`) ?? [];
    const sum = (k: MetricKey) => get(k).reduce((a, b) => a + b, 0);
    // One period spans the window; should CloudWatch split it, the largest p90 and the mean average stand for it.
    const p90 = get("p90");
    const average = get("average");
    return {
        requests: sum("requests"),
        errors5xx: sum("target5xx") + sum("connectionErrors"),
        ...(p90.length > 0 ? { p90: Math.max(...p90) } : {}),
        ...(average.length > 0 ? { average: average.reduce((a, b) => a + b, 0) / average.length } : {}),
    };
}

/**
 * The queries' values; percentiles in calls of their own, so that an
 * endpoint that cannot compute them (moto 5.2 answers p90 with HTTP 500)
 * costs the p90 comparison and a note, not the verdict.
 */
async function allMetrics(aws: Aws, all: readonly MetricDataQuery[], window: MetricWindow, notes: string[]): Promise<Map<string, number[]>> {
    // Few retries there: a server error on percentiles is not worth seconds of backoff.
    const percentileClient = new CloudWatchClient({ region: aws.options.region, retryMode: "adaptive", maxAttempts: 3, ...(aws.options.endpoint ? { endpoint: aws.options.endpoint } : {}) });
    try {
        const [plain, percentiles] = await Promise.all([
            metricData(aws, all.filter((q) => !isPercentile(q)), window),
            metricData(aws, all.filter(isPercentile), window, percentileClient).catch((err: unknown) => {
                notes.push(`p90 response times not compared: ${err instanceof Error ? err.message : String(err)}`);
                return new Map<string, number[]>();
            }),
        ]);
        return new Map([...plain, ...percentiles]);
    } finally {
        percentileClient.destroy();
    }
}

/** Target health and both sides' figures for every target, over `window`, and what could not be read. */
export async function fetchFigures(aws: Aws, targets: readonly VerifyTarget[], window: MetricWindow): Promise<{ figures: ServiceFigures[]; notes: string[] }> {
    const notes: string[] = [];
    const arns = await targetGroupArns(aws, [...new Set(targets.map((t) => t.eksTargetGroupName))]);
    const [health, values] = await Promise.all([
        mapLimit(targets, CONCURRENCY, (t) => {
            const arn = arns.get(t.eksTargetGroupName);
            return arn ? targetHealth(aws, arn, t.desiredReplicas) : Promise.resolve(undefined);
        }),
        allMetrics(
            aws,
            targets.flatMap((t, i) => {
                const eks = arns.get(t.eksTargetGroupName);
                return [...queries(t.loadBalancerArn, t.ecsTargetGroupArn, `s${i}_ecs`, window.period), ...(eks ? queries(t.loadBalancerArn, eks, `s${i}_eks`, window.period) : [])];
            }),
            window,
            notes,
        ),
    ]);
    const figures = targets.map((target, i) => {
        const arn = arns.get(target.eksTargetGroupName);
        const h = health[i];
        return { target, ecs: side(values, `s${i}_ecs`), ...(arn && h ? { eksTargetGroupArn: arn, health: h, eks: side(values, `s${i}_eks`) } : {}) };
    });
    return { figures, notes };
}

/** The ECS target group's busiest minute of the last hour, in requests per second; undefined without data. */
export async function recentRequestRate(aws: Aws, target: VerifyTarget, now: Date): Promise<number | undefined> {
    const window = { start: new Date(now.getTime() - 3600_000), end: now, period: 60 };
    const dimensions = [
        { Name: "LoadBalancer", Value: metricDimension(target.loadBalancerArn) },
        { Name: "TargetGroup", Value: metricDimension(target.ecsTargetGroupArn) },
    ];
    const values = await metricData(aws, [{ Id: "rate", MetricStat: { Metric: { Namespace: "AWS/ApplicationELB", MetricName: "RequestCount", Dimensions: dimensions }, Period: 60, Stat: "Sum" }, ReturnData: true }], window);
    const perMinute = values.get("rate") ?? [];
    return perMinute.length > 0 ? Math.max(...perMinute) / 60 : undefined;
}
