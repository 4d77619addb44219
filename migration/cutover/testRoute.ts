/**
 * The test route of each canary: a listener rule of this stack, just before
 * the weighted one, that sends a request carrying the marker header
 * (migration:testRoute) to the EKS target group and nothing else, so people
 * and load tests (`ecs2eks loadtest`) exercise the EKS side through the real
 * load balancer while every other request still follows the weights (0 on
 * EKS until the cutover raises them). Pure: the component declares it.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import type { TestRouteConfig } from "../../config/types";
import { CanaryPlan, CutoverDiagnostic, priorityBefore } from "./canary";

/** An ALB rule matches on at most 5 condition values (AWS quota "condition values per rule"). */
export const MAX_CONDITION_VALUES = 5;

export interface TestRoutePlan {
    readonly workload: string;
    readonly namespace: string;
    readonly ecsService: string;
    readonly listenerArn: string;
    readonly loadBalancerArn: string;
    readonly priority: number;
    /** The priority of the weighted rule it comes just before. */
    readonly weightedPriority: number;
    readonly header: TestRouteConfig;
    /** The weighted rule's conditions, and the marker header. */
    readonly conditions: readonly unknown[];
    /** The EKS target group it forwards everything it matches to (by the name the canary gives it). */
    readonly eksTargetGroupName: string;
}

export interface TestRouteResult {
    readonly testRoutes: readonly TestRoutePlan[];
    readonly diagnostics: readonly CutoverDiagnostic[];
}

/** How many values a condition (as the Pulumi provider spells it) adds to the rule's quota. */
function conditionValues(condition: unknown): number {
    const c = condition as Record<string, { values?: unknown[] } | unknown[] | undefined>;
    return Object.values(c).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : (v?.values?.length ?? 0)), 0);
}

export function planTestRoutes(canaries: readonly CanaryPlan[], snapshot: EcsSnapshot, testRoute: TestRouteConfig): TestRouteResult {
    const taken = new Map<string, Set<number>>();
    const take = (listenerArn: string, priority: number) => taken.set(listenerArn, (taken.get(listenerArn) ?? new Set<number>()).add(priority));
    for (const r of snapshot.loadBalancing.rules) {
        if (r.rule.Priority && r.rule.Priority !== "default") {
            take(r.listenerArn, Number(r.rule.Priority));
        }
    }
    for (const c of canaries) {
        take(c.listenerArn, c.priority);
    }
    const testRoutes: TestRoutePlan[] = [];
    const diagnostics: CutoverDiagnostic[] = [];
    for (const c of canaries) {
        const fail = (code: string, message: string, suggestion: string) =>
            diagnostics.push({ namespace: c.namespace, workload: c.workload, diagnostic: { code, severity: "error", service: c.ecsService, field: "loadBalancers", message, suggestion } });
        const values = c.conditions.reduce<number>((n, x) => n + conditionValues(x), 0);
        if (values + 1 > MAX_CONDITION_VALUES) {
            fail(
                "TEST_ROUTE_TOO_MANY_CONDITIONS",
                `the listener rule of ${c.ecsService} matches on ${values} condition values; with the ${testRoute.header} header the test route would need ${values + 1}, over the load balancer's ${MAX_CONDITION_VALUES} per rule`,
                `split the ECS rule in two with fewer path or host values each, or route the test traffic to the EKS target group by hand`,
            );
            continue;
        }
        const used = taken.get(c.listenerArn) ?? new Set<number>();
        const priority = priorityBefore(used, c.priority);
        if (priority === undefined) {
            const below = [...used].filter((p) => p < c.priority);
            fail(
                "TEST_ROUTE_NO_PRIORITY",
                `no free rule priority on ${c.listenerArn} between ${below.length > 0 ? Math.max(...below) : 0} and ${c.priority} (the weighted rule of ${c.ecsService}) for its test route`,
                `renumber the ECS stack's rules on that listener to leave a gap of at least 2 before the rule of ${c.ecsService}`,
            );
            continue;
        }
        used.add(priority);
        taken.set(c.listenerArn, used);
        testRoutes.push({
            workload: c.workload,
            namespace: c.namespace,
            ecsService: c.ecsService,
            listenerArn: c.listenerArn,
            loadBalancerArn: c.loadBalancerArn,
            priority,
            weightedPriority: c.priority,
            header: testRoute,
            conditions: [...c.conditions, { httpHeader: { httpHeaderName: testRoute.header, values: [testRoute.value] } }],
            eksTargetGroupName: c.targetGroup.name,
        });
    }
    return { testRoutes, diagnostics };
}

/** The test route in front of a canary's weighted rule, if it got one. */
export function testRouteOf(c: CanaryPlan, testRoutes: readonly TestRoutePlan[]): TestRoutePlan | undefined {
    return testRoutes.find((t) => t.listenerArn === c.listenerArn && t.weightedPriority === c.priority);
}
