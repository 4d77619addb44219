import {
    DescribeListenersCommand,
    DescribeLoadBalancersCommand,
    DescribeRulesCommand,
    DescribeTargetGroupsCommand,
    Listener,
    LoadBalancer,
    Rule,
    TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { forwardTargets } from "../../core/listenerActions";
import { Aws } from "./aws";
import { allPages, chunk, distinct, mapLimit } from "./concurrency";

/** ELBv2 describes at most 20 target groups or load balancers by ARN a call. */
export const ELB_BATCH = 20;

export interface LoadBalancingRead {
    readonly targetGroups: TargetGroup[];
    readonly loadBalancers: LoadBalancer[];
    readonly listeners: Listener[];
    readonly rules: { listenerArn: string; rule: Rule }[];
}

/**
 * The services' target groups (health checks included), their load balancers,
 * and the listeners and rules that forward to them, weights included.
 */
export async function readLoadBalancing(aws: Aws, targetGroupArns: readonly string[], concurrency: number): Promise<LoadBalancingRead> {
    const tgArns = distinct(targetGroupArns);
    if (tgArns.length === 0) {
        return { targetGroups: [], loadBalancers: [], listeners: [], rules: [] };
    }
    const targetGroups = (
        await mapLimit(chunk(tgArns, ELB_BATCH), concurrency, async (batch) =>
            (await aws.call("elasticloadbalancing", "DescribeTargetGroups", batch[0], () => aws.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: batch })))).TargetGroups ?? [],
        )
    ).flat();
    const lbArns = distinct(targetGroups.flatMap((tg) => tg.LoadBalancerArns ?? []));
    const loadBalancers = (
        await mapLimit(chunk(lbArns, ELB_BATCH), concurrency, async (batch) =>
            (await aws.call("elasticloadbalancing", "DescribeLoadBalancers", batch[0], () => aws.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: batch })))).LoadBalancers ?? [],
        )
    ).flat();
    const allListeners = (
        await mapLimit(lbArns, concurrency, (lbArn) =>
            allPages(
                (Marker) => aws.call("elasticloadbalancing", "DescribeListeners", lbArn, () => aws.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn, Marker }))),
                (p) => p.Listeners,
                (p) => p.NextMarker,
            ),
        )
    ).flat();
    const ours = new Set(tgArns);
    const forwardsToOurs = (actions: Parameters<typeof forwardTargets>[0]) => forwardTargets(actions).some((arn) => ours.has(arn));
    const rulesByListener = await mapLimit(allListeners, concurrency, async (listener) => {
        const rules = await allPages(
            (Marker) =>
                aws.call("elasticloadbalancing", "DescribeRules", listener.ListenerArn ?? "", () =>
                    aws.elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker, PageSize: 400 })),
                ),
            (p) => p.Rules,
            (p) => p.NextMarker,
        );
        return rules.filter((r) => forwardsToOurs(r.Actions)).map((rule) => ({ listenerArn: listener.ListenerArn ?? "", rule }));
    });
    const rules = rulesByListener.flat();
    const listenersWithOurs = new Set(rules.map((r) => r.listenerArn));
    const listeners = allListeners.filter((l) => listenersWithOurs.has(l.ListenerArn ?? "") || forwardsToOurs(l.DefaultActions));
    return { targetGroups, loadBalancers, listeners, rules };
}
