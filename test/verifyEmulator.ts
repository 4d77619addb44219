/**
 * The sample shop in moto with what verify reads once the migration runs:
 * each load-balanced service's EKS target group (named as the plan names
 * it) with its pods registered, and ALB metrics for both target groups
 * written with PutMetricData. web's EKS side is as good as ECS; orders'
 * answers 6% 5xx. Three hours back, web's EKS side had 20 requests.
 */
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTargetGroupCommand, RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import * as path from "path";
import { Moto, startMoto } from "../emulator/moto";
import { SeedClients, seedClients } from "../examples/shop/clients";
import { SHOP_EMULATOR, seedShop } from "../examples/shop/seed";
import { planCutover } from "../migration/cutover";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { VerifyTarget, metricDimension, verifyTargets } from "../migration/verify/targets";
import { ROOT } from "./runCli";

export const SNAPSHOT = path.join(ROOT, "examples", "shop", "snapshot.json");
export const snapshot = readSnapshotFile(SNAPSHOT);
export const cutover = planCutover(translate(snapshot), snapshot, { defaultEksWeight: 10, services: {} });
export const targets = verifyTargets(cutover, snapshot);
export const targetOf = (service: string) => targets.find((t) => t.service === service) as VerifyTarget;

export interface Minute {
    readonly requests: number;
    readonly target5xx: number;
    readonly average: number;
}

/** One minute's ALB figures for a target group, as CloudWatch would hold them. */
export async function putFigures(c: SeedClients, lb: string, tg: string, at: Date, f: Minute): Promise<void> {
    const Dimensions = [
        { Name: "LoadBalancer", Value: metricDimension(lb) },
        { Name: "TargetGroup", Value: metricDimension(tg) },
    ];
    await c.cloudWatch.send(
        new PutMetricDataCommand({
            Namespace: "AWS/ApplicationELB",
            MetricData: [
                { MetricName: "RequestCount", Dimensions, Timestamp: at, Value: f.requests, Unit: "Count" },
                { MetricName: "HTTPCode_Target_5XX_Count", Dimensions, Timestamp: at, Value: f.target5xx, Unit: "Count" },
                { MetricName: "TargetResponseTime", Dimensions, Timestamp: at, Values: [f.average], Counts: [f.requests], Unit: "Seconds" },
            ],
        }),
    );
}

export interface VerifyEmulator {
    readonly endpoint: string;
    readonly now: Date;
    readonly eksArns: ReadonlyMap<string, string>;
    minutesAgo(m: number): Date;
}

/** Registers before/after hooks in the calling describe. */
export function seededVerify(): VerifyEmulator {
    let moto: Moto | undefined;
    // Set when the hook runs, not when the file loads: the CLI reads the window ending at its own now.
    let now = new Date();
    const eksArns = new Map<string, string>();
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    before(async function () {
        this.timeout(120_000);
        now = new Date();
        process.env.AWS_ACCESS_KEY_ID ??= "testing";
        process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
        moto = await startMoto(SHOP_EMULATOR);
        const c = seedClients(moto.endpoint);
        await seedShop(c);
        for (const t of targets) {
            const canary = cutover.canaries.find((x) => x.ecsService === t.service && x.priority === t.priority);
            const tg = (await c.elb.send(new CreateTargetGroupCommand({ Name: t.eksTargetGroupName, Protocol: "HTTP", Port: canary?.targetGroup.port, VpcId: canary?.targetGroup.vpcId, TargetType: "ip" }))).TargetGroups?.[0];
            eksArns.set(t.service, tg?.TargetGroupArn ?? "");
            // As many pods as the ECS service's desired count, registered by the load balancer controller.
            const ips = Array.from({ length: t.desiredReplicas }, (_, i) => ({ Id: `10.0.1.${10 + i}`, Port: canary?.targetGroup.port }));
            await c.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg?.TargetGroupArn, Targets: ips }));
        }
        const web = targetOf("web");
        const orders = targetOf("orders");
        await putFigures(c, web.loadBalancerArn, web.ecsTargetGroupArn, minutesAgo(5), { requests: 9000, target5xx: 9, average: 0.08 });
        await putFigures(c, web.loadBalancerArn, eksArns.get("web") ?? "", minutesAgo(5), { requests: 1000, target5xx: 1, average: 0.085 });
        await putFigures(c, orders.loadBalancerArn, orders.ecsTargetGroupArn, minutesAgo(5), { requests: 4000, target5xx: 4, average: 0.1 });
        await putFigures(c, orders.loadBalancerArn, eksArns.get("orders") ?? "", minutesAgo(5), { requests: 500, target5xx: 30, average: 0.1 });
        await putFigures(c, web.loadBalancerArn, web.ecsTargetGroupArn, minutesAgo(180), { requests: 3000, target5xx: 3, average: 0.08 });
        await putFigures(c, web.loadBalancerArn, eksArns.get("web") ?? "", minutesAgo(180), { requests: 20, target5xx: 0, average: 0.08 });
    });
    after(async () => moto?.stop());
    return {
        get endpoint(): string {
            if (!moto) {
                throw new Error("the emulator is not started yet: read its endpoint inside a test or a later hook");
            }
            return moto.endpoint;
        },
        get now(): Date {
            return now;
        },
        eksArns,
        minutesAgo,
    };
}
