/**
 * How traffic moves from ECS to EKS, planned from the migration plan, the
 * snapshot and migration:cutover: the canaries (a target group, its
 * binding, a weighted listener rule each) and the schedules' suspension.
 * Plain data that `ecs2eks plan` writes and the EcsMigration component
 * declares; nothing here calls Pulumi or AWS. Pure.
 */
import { CutoverConfig, DEFAULT_TEST_ROUTE, TestRouteConfig } from "../../config/types";
import type { EcsSnapshot } from "../../core/snapshot";
import { byKindThenName } from "../translate/kinds";
import type { K8sObject, MigrationPlan, WorkloadPlan } from "../translate/types";
import { bindingVpcId, targetGroupBinding } from "./bindings";
import { CanaryPlan, CutoverDiagnostic, planCanaries } from "./canary";
import { SchedulePlan, planSchedules, withSuspension } from "./schedules";
import { TestRoutePlan, planTestRoutes } from "./testRoute";
import { StagingPlan, planStaging } from "./cloudfront";
import { WeightedRecordPlan, planWeightedRecords } from "./route53";
import { FrontDoorService, IngressPlan, planStrategies } from "./strategy";

/** The services whose traffic moves through Route 53 or CloudFront, on an EKS load balancer of their own. */
export interface FrontDoorPlan {
    readonly services: readonly FrontDoorService[];
    readonly ingresses: readonly IngressPlan[];
    readonly records: readonly WeightedRecordPlan[];
    readonly staging: readonly StagingPlan[];
    /** Config the snapshot cannot carry out: pulumi preview and ecs2eks plan stop on these. */
    readonly errors: readonly string[];
}

export interface CutoverPlan {
    /** The weights it was planned with (migration:cutover). */
    readonly weights: CutoverConfig;
    readonly canaries: readonly CanaryPlan[];
    readonly schedules: readonly SchedulePlan[];
    /** A rule per canary that sends requests with the marker header to EKS (migration:testRoute). */
    readonly testRoutes: readonly TestRoutePlan[];
    readonly diagnostics: readonly CutoverDiagnostic[];
    readonly frontDoors: FrontDoorPlan;
}

export function planCutover(plan: MigrationPlan, snapshot: EcsSnapshot, weights: CutoverConfig, testRoute: TestRouteConfig = DEFAULT_TEST_ROUTE): CutoverPlan {
    const { canaries, diagnostics } = planCanaries(plan, snapshot, weights);
    const tested = planTestRoutes(canaries, snapshot, testRoute);
    const { services, ingresses, errors } = planStrategies(plan, snapshot, weights);
    const frontDoors = { services, ingresses, records: planWeightedRecords(snapshot, services, weights), staging: planStaging(snapshot, services, weights), errors };
    return { weights, canaries, schedules: planSchedules(plan.workloads, weights), testRoutes: tested.testRoutes, diagnostics: [...diagnostics, ...tested.diagnostics], frontDoors };
}

export function ingressesOf(w: WorkloadPlan, cutover: CutoverPlan): IngressPlan[] {
    return cutover.frontDoors.ingresses.filter(owns(w));
}

const owns = (w: WorkloadPlan) => (x: { readonly namespace: string; readonly workload: string }) => x.namespace === w.namespace && x.workload === w.name;

export function canariesOf(w: WorkloadPlan, cutover: CutoverPlan): CanaryPlan[] {
    return cutover.canaries.filter(owns(w));
}

/** The workload's objects as declared: its CronJobs suspended as the cutover says. The bindings come with the canaries. */
export function declaredObjects(w: WorkloadPlan, cutover: CutoverPlan): readonly K8sObject[] {
    const schedules = cutover.schedules.filter(owns(w));
    return w.objects.map((o) => {
        const schedule = o.kind === "CronJob" ? schedules.find((s) => s.cronJob === o.metadata.name) : undefined;
        return schedule ? withSuspension(o, schedule) : o;
    });
}

/**
 * The plan as it will be declared, for `ecs2eks plan`: each workload with
 * its CronJobs suspended as planned, the TargetGroupBindings of its
 * canaries (naming the target groups, which exist only once created), and
 * the cutover's diagnostics about it.
 */
export function withCutover(plan: MigrationPlan, cutover: CutoverPlan): MigrationPlan {
    return {
        ...plan,
        workloads: plan.workloads.map((w) => ({
            ...w,
            objects: [
                ...declaredObjects(w, cutover),
                ...canariesOf(w, cutover).map((c) => targetGroupBinding(c, { targetGroupName: c.targetGroup.name }, bindingVpcId(c))),
                ...ingressesOf(w, cutover).map((i) => i.object),
            ].sort(byKindThenName),
            diagnostics: [...w.diagnostics, ...cutover.diagnostics.filter(owns(w)).map((d) => d.diagnostic)],
        })),
    };
}
