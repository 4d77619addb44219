/**
 * npm run bench:verify [-- --sizes 50,200 --latency-ms 30]
 *
 * Creates N services' ECS and EKS target groups behind one load balancer in
 * a fresh moto, registers their pods and writes their ALB metrics, then
 * runs verify's reads through a loopback proxy that adds a real AWS round
 * trip to every request, and prints calls and wall time per size.
 */
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { CreateLoadBalancerCommand, CreateTargetGroupCommand, RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SeedClients } from "../examples/shop/clients";
import { Aws } from "../migration/ecs/aws";
import { chunk, mapLimit } from "../migration/ecs/concurrency";
import { fetchFigures, metricWindow } from "../migration/verify/cloudwatch";
import { judge } from "../migration/verify/report";
import { VerifyTarget, metricDimension } from "../migration/verify/targets";
import { DEFAULT_TOLERANCES } from "../migration/verify/verdict";
import { flag, runBench, withSeededMoto } from "./harness";

interface Row {
    readonly n: number;
    readonly calls: number;
    readonly seconds: number;
    readonly verdicts: string;
}

async function seed(c: SeedClients, n: number, now: Date): Promise<VerifyTarget[]> {
    const vpc = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc?.VpcId;
    const subnets = await Promise.all(["a", "b"].map(async (az, i) => (await c.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `us-east-1${az}` }))).Subnet?.SubnetId ?? ""));
    const lb = (await c.elb.send(new CreateLoadBalancerCommand({ Name: "bench-alb", Subnets: subnets }))).LoadBalancers?.[0].LoadBalancerArn ?? "";
    const seeded = await mapLimit(Array.from({ length: n }, (_, i) => i), 8, async (i) => {
        const create = async (name: string) => (await c.elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 8080, VpcId: vpc, TargetType: "ip" }))).TargetGroups?.[0].TargetGroupArn ?? "";
        const ecs = await create(`svc-${i}`);
        const eks = await create(`eks-svc-${i}`);
        await c.elb.send(new RegisterTargetsCommand({ TargetGroupArn: eks, Targets: [{ Id: `10.0.1.${i % 250}`, Port: 8080 }, { Id: `10.0.2.${i % 250}`, Port: 8080 }] }));
        const target: VerifyTarget = { service: `svc-${i}`, namespace: "bench", workload: `svc-${i}`, listenerArn: "", priority: i + 1, eksWeight: 10, ecsTargetGroupArn: ecs, eksTargetGroupName: `eks-svc-${i}`, loadBalancerArn: lb, desiredReplicas: 2, binding: `svc-${i}-${i + 1}` };
        return { target, eks };
    });
    const at = new Date(now.getTime() - 5 * 60_000);
    // moto answers larger PutMetricData calls, and concurrent ones, with HTTP 500: 30 values a call, one at a time.
    // Both sides of every service: ECS with 9 times EKS's traffic, the same error rate and response time.
    const series = seeded.flatMap(({ target, eks }) =>
        [
            [target.ecsTargetGroupArn, 9000],
            [eks, 1000],
        ].map(([tg, requests]) => ({
            requests: requests as number,
            dims: [
                { Name: "LoadBalancer", Value: metricDimension(lb) },
                { Name: "TargetGroup", Value: metricDimension(tg as string) },
            ],
        })),
    );
    await mapLimit(chunk(series, 10), 1, (batch) =>
        c.cloudWatch.send(
            new PutMetricDataCommand({
                Namespace: "AWS/ApplicationELB",
                MetricData: batch.flatMap((b) => [
                    { MetricName: "RequestCount", Dimensions: b.dims, Timestamp: at, Value: b.requests, Unit: "Count" },
                    { MetricName: "HTTPCode_Target_5XX_Count", Dimensions: b.dims, Timestamp: at, Value: b.requests / 1000, Unit: "Count" },
                    { MetricName: "TargetResponseTime", Dimensions: b.dims, Timestamp: at, Value: 0.1, Unit: "Seconds" },
                ]),
            }),
        ),
    );
    const targets = seeded.map((s) => s.target);
    return targets;
}

async function measure(n: number, latencyMs: number): Promise<Row> {
    process.stderr.write(`seeding ${n} services...\n`);
    const now = new Date();
    return withSeededMoto(latencyMs, (clients) => seed(clients, n, now), async (targets, proxy) => {
        const aws = new Aws({ region: "us-east-1", endpoint: proxy.endpoint, maxAttempts: 4 });
        const t = Date.now();
        const result = judge(await fetchFigures(aws, targets, metricWindow(900, now)), DEFAULT_TOLERANCES, "15m");
        const seconds = (Date.now() - t) / 1000;
        aws.destroy();
        const counts = new Map<string, number>();
        for (const s of result.services) {
            counts.set(s.verdict, (counts.get(s.verdict) ?? 0) + 1);
        }
        const calls = [...proxy.counts.values()].reduce((a, b) => a + b, 0);
        return { n, calls, seconds, verdicts: [...counts].map(([v, k]) => `${k} ${v}`).join(", ") };
    });
}

async function main(): Promise<void> {
    const sizes = flag("sizes", "50,200").split(",").map(Number);
    const latencyMs = Number(flag("latency-ms", "30"));
    const rows: Row[] = [];
    for (const n of sizes) {
        rows.push(await measure(n, latencyMs));
    }
    const lines = [
        "| services | calls (all, through the proxy) | time | verdicts |",
        "|---:|---:|---:|---|",
        ...rows.map((r) => `| ${r.n} | ${r.calls} | ${r.seconds.toFixed(2)} s | ${r.verdicts} |`),
    ];
    process.stdout.write(`${lines.join("\n")}\n\n${latencyMs} ms added to every request by a loopback proxy in front of moto.\ncommand: npm run bench:verify -- --sizes ${sizes.join(",")} --latency-ms ${latencyMs}\n`);
    const last = rows[rows.length - 1];
    process.stdout.write(`target at N=${last.n}: under 10 s: ${last.seconds < 10 ? "met" : "NOT met"}\n`);
}

runBench(main);
