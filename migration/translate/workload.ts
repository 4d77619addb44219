/** ECS services and scheduled tasks → workload plans. Pure. */
import type { EcsSnapshot, ScheduledTaskSnapshot, ServiceSnapshot, TaskDefinitionSnapshot } from "../../core/snapshot";
import type { WorkloadSetting } from "../../core/workloadSettings";
import { Diagnostics } from "./diagnostics";
import { configuredVolumeNames, serviceVolumeConfigurations, translateEbsVolumes, withEphemeralVolumes } from "./ebsVolumes";
import { TargetGroupCheck, TargetGroupTarget, chooseTargetGroup } from "./health";
import { cloneTaskRole } from "./identity";
import { byKindThenName } from "./kinds";
import { dns1123Label } from "./names";
import { translateServices } from "./networking";
import { translatePlacement } from "./placement";
import { scheduledTaskDefinition } from "./overrides";
import { PodResult, buildPod } from "./pod";
import { translateScaling } from "./scaling";
import { convertSchedule } from "./schedule";
import { statefulReasons } from "./statefulHints";
import { statefulSetObjects } from "./statefulSet";
import { K8sObject, WorkloadPlan } from "./types";

export const MANAGED_BY = "ecs2eks";
export const ANNOTATION_SERVICE_ARN = "ecs2eks.io/ecs-service-arn";
export const ANNOTATION_TASK_DEFINITION_ARN = "ecs2eks.io/task-definition-arn";
/** ECS's default deployment circuit: Kubernetes' default progress deadline. */
const PROGRESS_DEADLINE_SECONDS = 600;

export function workloadLabels(name: string, cluster: string): { labels: Record<string, string>; selector: Record<string, string> } {
    const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": dns1123Label(cluster) };
    return { selector, labels: { ...selector, "app.kubernetes.io/part-of": dns1123Label(cluster), "app.kubernetes.io/managed-by": MANAGED_BY } };
}

/**
 * maximumPercent / minimumHealthyPercent → maxSurge / maxUnavailable.
 * Never both zero: such a rollout cannot make progress.
 */
export function rollingUpdate(maximumPercent: number | undefined, minimumHealthyPercent: number | undefined, daemon: boolean): { maxSurge: string | number; maxUnavailable: string | number } {
    const max = maximumPercent ?? (daemon ? 100 : 200);
    const min = minimumHealthyPercent ?? (daemon ? 0 : 100);
    const surge = Math.max(0, max - 100);
    const unavailable = Math.max(0, 100 - min);
    if (surge === 0 && unavailable === 0) {
        return { maxSurge: daemon ? 0 : 1, maxUnavailable: daemon ? 1 : 0 };
    }
    return { maxSurge: `${surge}%`, maxUnavailable: `${unavailable}%` };
}

/**
 * Container → the target group its readiness probe follows. A container in
 * several target groups (two ports, two load balancers) keeps the others
 * beside it, so the choice is reported; every target group still gets its
 * LoadBalancerPlan from translateServices.
 */
function serviceTargetGroups(service: ServiceSnapshot, snapshot: EcsSnapshot): Map<string, TargetGroupCheck> {
    const byContainer = new Map<string, TargetGroupTarget[]>();
    for (const lb of service.loadBalancers ?? []) {
        const tg = snapshot.loadBalancing.targetGroups.find((t) => t.TargetGroupArn === lb.targetGroupArn);
        if (tg && lb.containerName && lb.containerPort !== undefined) {
            byContainer.set(lb.containerName, [...(byContainer.get(lb.containerName) ?? []), { tg, containerPort: lb.containerPort }]);
        }
    }
    const map = new Map<string, TargetGroupCheck>();
    for (const [container, targets] of byContainer) {
        const chosen = chooseTargetGroup(targets);
        if (chosen) {
            map.set(container, chosen);
        }
    }
    return map;
}

export function translateService(service: ServiceSnapshot, td: TaskDefinitionSnapshot, clusterName: string, namespace: string, name: string, snapshot: EcsSnapshot, setting?: WorkloadSetting): WorkloadPlan {
    const d = new Diagnostics(service.serviceName ?? name);
    const { labels, selector } = workloadLabels(name, clusterName);
    const daemon = service.schedulingStrategy === "DAEMON";
    const stateful = setting?.kind === "StatefulSet" && !daemon;
    if (setting?.kind === "StatefulSet" && daemon) {
        d.error("STATEFUL_DAEMON", "schedulingStrategy", "migration:workloads asks for a StatefulSet, but the service runs a task on every instance (DAEMON); it stays a DaemonSet", "drop the setting, or make the ECS service a REPLICA service first");
    }
    const kind = daemon ? "DaemonSet" : stateful ? "StatefulSet" : "Deployment";
    const ebsConfigs = serviceVolumeConfigurations(service.deployments);
    const pod = buildPod(td, {
        namespace,
        workload: name,
        labels,
        snapshot,
        service,
        targetGroups: serviceTargetGroups(service, snapshot),
        gracePeriodSeconds: service.healthCheckGracePeriodSeconds,
        launchConfigured: configuredVolumeNames(ebsConfigs),
        d,
    });
    const ebs = translateEbsVolumes(ebsConfigs, {
        namespace,
        workload: name,
        labels,
        podVolumeNames: pod.volumeNames,
        atLaunch: new Set((td.volumes ?? []).filter((v) => v.configuredAtLaunch).map((v) => v.name ?? "")),
        mode: stateful ? "claimTemplate" : "ephemeral",
        ...(setting?.snapshots ? { snapshotOverrides: setting.snapshots } : {}),
        d,
    });
    const hints = stateful ? [] : statefulReasons(service, td, ebsConfigs);
    if (hints.length > 0 && !daemon) {
        d.info("STATEFUL_CANDIDATE", "serviceName", `the service looks stateful: ${hints.join("; ")}`, `if each replica must keep its own data and name, set migration:workloads.${service.serviceName ?? name}.kind StatefulSet (docs/runbook.md, "Stateful services")`);
    }
    if (service.healthCheckGracePeriodSeconds !== undefined) {
        d.map("healthCheckGracePeriodSeconds");
    }
    const role = cloneTaskRole(td.taskRoleArn, namespace, name, snapshot, d);
    const placement = translatePlacement(service, td.runtimePlatform, td.placementConstraints ?? [], selector, d);
    const objects: K8sObject[] = [];

    if (role) {
        objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels } });
    }
    noteExecutionRole(td, d);

    const deployment = service.deploymentConfiguration;
    const template = {
        metadata: {
            labels,
            annotations: { ...pod.annotations },
        },
        spec: {
            ...(role ? { serviceAccountName: name } : {}),
            automountServiceAccountToken: false,
            ...placement,
            ...pod.spec,
            ...(placement.nodeSelector || (pod.spec.nodeSelector as object) ? { nodeSelector: { ...(placement.nodeSelector ?? {}) } } : {}),
            ...(ebs.volumes.size > 0 && !stateful ? { volumes: withEphemeralVolumes((pod.spec.volumes as Record<string, unknown>[] | undefined) ?? [], ebs, labels) } : {}),
        },
    };
    objects.push(...ebs.objects);
    const annotations = {
        [ANNOTATION_SERVICE_ARN]: service.serviceArn ?? "",
        [ANNOTATION_TASK_DEFINITION_ARN]: td.taskDefinitionArn ?? "",
        ...(service.tags && service.tags.length > 0 ? { "ecs2eks.io/ecs-tags": JSON.stringify(service.tags) } : {}),
    };
    if (service.tags && service.tags.length > 0) {
        d.map("tags");
    }
    // The workload is named after the service, made from its task definition, and annotated with both ARNs.
    ["serviceName", "taskDefinition", "serviceArn", "taskDefinitionArn"].forEach((field) => d.map(field));
    const strategy = rollingUpdate(deployment?.maximumPercent, deployment?.minimumHealthyPercent, daemon);
    if (deployment) {
        d.map("deploymentConfiguration");
    }
    const scaling = translateScaling({
        resourceId: `service/${clusterName}/${service.serviceName}`,
        kind,
        workload: name,
        namespace,
        labels,
        desiredCount: service.desiredCount ?? 0,
        td,
        podSpec: template.spec,
        snapshot,
        d,
    });
    objects.push(...scaling.objects);

    if (daemon) {
        objects.push({
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            metadata: { name, namespace, labels, annotations },
            spec: {
                selector: { matchLabels: selector },
                updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: strategy.maxUnavailable === "0%" ? 1 : strategy.maxUnavailable } },
                template,
            },
        });
        d.map("schedulingStrategy");
    } else {
        // An autoscaler owns the count: declaring it would reset a scaled-out service on every apply.
        const replicas = scaling.autoscaled ? undefined : (scaling.replicas ?? service.desiredCount ?? 0);
        if (service.desiredCount === 0 && replicas !== undefined) {
            d.info("SCALED_TO_ZERO", "desiredCount", `the ECS service runs no tasks; the ${kind} starts with 0 replicas`, "scale it up when it should run");
        }
        d.map("desiredCount");
        d.map("schedulingStrategy");
        if (stateful) {
            objects.push(...statefulSetObjects({ name, namespace, labels, selector, annotations, template, replicas, podManagementPolicy: setting?.podManagementPolicy ?? "OrderedReady", ports: pod.ports, ebs, d }));
        }
    }
    if (!daemon && !stateful) {
        const replicas = scaling.autoscaled ? undefined : (scaling.replicas ?? service.desiredCount ?? 0);
        objects.push({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name, namespace, labels, annotations },
            spec: {
                ...(replicas !== undefined ? { replicas } : {}),
                selector: { matchLabels: selector },
                strategy: { type: "RollingUpdate", rollingUpdate: strategy },
                progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
                template,
            },
        });
        const budget = disruptionBudget(deployment?.minimumHealthyPercent ?? 100, scaling.autoscaled ?? { min: replicas ?? 0, max: replicas ?? 0 });
        if (budget) {
            objects.push({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name, namespace, labels }, spec: { ...budget, selector: { matchLabels: selector } } });
            d.map("deploymentConfiguration.minimumHealthyPercent");
        }
    }
    if (deployment?.deploymentCircuitBreaker?.enable) {
        d.info(
            "CIRCUIT_BREAKER",
            "deploymentConfiguration.deploymentCircuitBreaker",
            `ECS stopped a failing deployment${deployment.deploymentCircuitBreaker.rollback ? " and rolled back" : ""}; Kubernetes marks it failed after progressDeadlineSeconds (${PROGRESS_DEADLINE_SECONDS} s) and pulumi up fails with it`,
            "roll back with pulumi up on the previous commit, or kubectl rollout undo; Argo Rollouts automates it",
        );
    }
    if (deployment?.alarms?.enable) {
        d.warn("DEPLOYMENT_ALARMS", "deploymentConfiguration.alarms", `deployments were rolled back on CloudWatch alarms ${(deployment.alarms.alarmNames ?? []).join(", ")}`, "use Argo Rollouts analysis or Flagger with the same metrics");
    }
    if (service.deploymentController?.type && service.deploymentController.type !== "ECS") {
        d.warn("DEPLOYMENT_CONTROLLER", "deploymentController", `deployments were run by ${service.deploymentController.type} (blue/green)`, "use Argo Rollouts or Flagger for blue/green; the Deployment rolls out in place");
    } else if (service.deploymentController?.type) {
        d.map("deploymentController.type");
    }
    if (deployment?.strategy && deployment.strategy !== "ROLLING") {
        d.warn("ECS_BLUE_GREEN", "deploymentConfiguration.strategy", `ECS deployed the service with its ${deployment.strategy} strategy; the Deployment rolls out in place`, "use Argo Rollouts (canary/blueGreen) or Flagger for progressive delivery on EKS");
    }

    const services = translateServices(name, namespace, selector, labels, pod.ports, service, snapshot, d);
    objects.push(...services.objects);

    const awsvpc = service.networkConfiguration?.awsvpcConfiguration;
    const network = podNetwork(awsvpc && { securityGroups: awsvpc.securityGroups, subnets: awsvpc.subnets, assignPublicIp: awsvpc.assignPublicIp }, name, namespace, labels, selector, d);
    objects.push(...network.objects);
    if (service.enableExecuteCommand) {
        d.info("EXECUTE_COMMAND", "enableExecuteCommand", "ECS Exec becomes kubectl exec", "grant pods/exec through RBAC to those who had ecs:ExecuteCommand");
    }
    const primary = service.deployments?.find((dep) => dep.status === "PRIMARY") ?? service.deployments?.[0];
    if (primary?.vpcLatticeConfigurations && primary.vpcLatticeConfigurations.length > 0) {
        d.warn("VPC_LATTICE", "deployments[PRIMARY].vpcLatticeConfigurations", "VPC Lattice target groups are not carried over", "use the AWS Gateway API Controller for VPC Lattice");
    }

    return assemble(
        { kind: "service", name: service.serviceName ?? name, arn: service.serviceArn ?? "", cluster: clusterName, taskDefinitionArn: td.taskDefinitionArn ?? "" },
        namespace,
        name,
        objects,
        role,
        pod,
        d,
        { securityGroupIds: network.securityGroupIds, loadBalancers: services.loadBalancers },
    );
}

/**
 * ECS minimumHealthyPercent → a PodDisruptionBudget for the fewest pods the
 * workload can run. None when one pod or none: nothing to keep. A percentage
 * of available pods rounds up, so at one pod it would block every node
 * drain: then, as for 100%, one pod at a time.
 */
function disruptionBudget(minHealthy: number, pods: { min: number; max: number }): { maxUnavailable: number } | { minAvailable: string } | undefined {
    if (minHealthy <= 0 || pods.max <= 1) {
        return undefined;
    }
    return minHealthy >= 100 || pods.min <= 1 ? { maxUnavailable: 1 } : { minAvailable: `${minHealthy}%` };
}

interface AwsVpc {
    readonly securityGroups?: readonly string[];
    readonly subnets?: readonly string[];
    readonly assignPublicIp?: string;
}

/** The task's awsvpc network → a SecurityGroupPolicy for its pods, and what does not carry over. */
function podNetwork(awsvpc: AwsVpc | undefined, name: string, namespace: string, labels: Record<string, string>, selector: Record<string, string>, d: Diagnostics): { objects: K8sObject[]; securityGroupIds: string[] } {
    const securityGroupIds = [...(awsvpc?.securityGroups ?? [])].sort();
    const objects: K8sObject[] = [];
    if (securityGroupIds.length > 0) {
        objects.push({
            apiVersion: "vpcresources.k8s.aws/v1beta1",
            kind: "SecurityGroupPolicy",
            metadata: { name, namespace, labels },
            spec: { podSelector: { matchLabels: selector }, securityGroups: { groupIds: securityGroupIds } },
        });
        d.map("networkConfiguration.awsvpcConfiguration.securityGroups");
    }
    if (awsvpc?.subnets && awsvpc.subnets.length > 0) {
        d.info("SUBNETS", "networkConfiguration.awsvpcConfiguration.subnets", "pods get addresses in the node groups' subnets", "if the ECS subnets matter (routing, NACLs), run a node group in them");
    }
    if (awsvpc?.assignPublicIp === "ENABLED") {
        d.warn("PUBLIC_IP", "networkConfiguration.awsvpcConfiguration.assignPublicIp", "tasks had public IPs; pods on private subnets do not", "reach the internet through NAT, and let the load balancer take inbound traffic");
    } else if (awsvpc?.assignPublicIp) {
        d.map("networkConfiguration.awsvpcConfiguration.assignPublicIp");
    }
    return { objects, securityGroupIds };
}

/** The workload plan from what its translation produced. */
function assemble(
    source: WorkloadPlan["source"],
    namespace: string,
    name: string,
    objects: readonly K8sObject[],
    role: WorkloadPlan["role"],
    pod: PodResult,
    d: Diagnostics,
    traffic: Pick<WorkloadPlan, "securityGroupIds" | "loadBalancers">,
): WorkloadPlan {
    return {
        source,
        namespace,
        name,
        objects: [...objects, ...pod.objects].sort(byKindThenName),
        ...(role ? { role } : {}),
        secretArns: pod.secretArns,
        ssmParameters: pod.ssmParameters,
        ...(pod.plaintextCredentials.length > 0 ? { plaintextCredentials: pod.plaintextCredentials } : {}),
        ...traffic,
        fileSystemIds: pod.fileSystemIds,
        podSecurity: pod.podSecurity,
        mapped: [...d.mapped].sort(),
        diagnostics: d.list,
    };
}

/** The execution role has no counterpart to create, for a service as for a scheduled task; said once per workload. */
function noteExecutionRole(td: TaskDefinitionSnapshot, d: Diagnostics): void {
    if (td.executionRoleArn) {
        d.info("EXECUTION_ROLE", "executionRoleArn", "the execution role pulled images and read secrets for the ECS agent", "nothing to do: nodes pull from ECR with the node role, and the namespace's SecretStore reads the secrets");
    }
}

export function translateScheduledTask(task: ScheduledTaskSnapshot, registered: TaskDefinitionSnapshot, clusterName: string, namespace: string, name: string, snapshot: EcsSnapshot): WorkloadPlan {
    const d = new Diagnostics(task.name);
    const { labels, selector } = workloadLabels(name, clusterName);
    // The pod runs the task as the schedule starts it: with its overrides (sizes, command, environment, role).
    const td = scheduledTaskDefinition(task, registered, d);
    const pod = buildPod(td, { namespace, workload: name, labels, snapshot, targetGroups: new Map(), job: true, d });
    const role = cloneTaskRole(td.taskRoleArn, namespace, name, snapshot, d);
    noteExecutionRole(td, d);
    const placement = translatePlacement(undefined, td.runtimePlatform, td.placementConstraints ?? [], selector, d);
    const converted = convertSchedule(task.scheduleExpression, task.timezone);
    const network = podNetwork(task.networkConfiguration?.awsvpcConfiguration && {
        securityGroups: task.networkConfiguration.awsvpcConfiguration.SecurityGroups,
        subnets: task.networkConfiguration.awsvpcConfiguration.Subnets,
        assignPublicIp: task.networkConfiguration.awsvpcConfiguration.AssignPublicIp,
    }, name, namespace, labels, selector, d);
    const objects: K8sObject[] = [...network.objects];
    if (role) {
        objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels } });
    }
    if (!converted.ok) {
        d.error("SCHEDULE", "scheduleExpression", `schedule ${task.scheduleExpression} cannot become a CronJob schedule: ${converted.reason}`, "write the CronJob's schedule by hand");
    } else {
        if (converted.schedule.approximation) {
            d.warn("SCHEDULE_APPROXIMATE", "scheduleExpression", `${task.scheduleExpression} → ${converted.schedule.cron}: ${converted.schedule.approximation}`, "check the CronJob's schedule; if the job must run exactly then, guard it or split it into several CronJobs");
        }
        if (converted.schedule.note) {
            d.info("SCHEDULE_RATE_START", "scheduleExpression", converted.schedule.note, "set the CronJob's minute and hour if the time of day matters");
        }
        d.map("scheduleExpression");
        d.map("taskDefinitionArn");
        const podSpec = { ...placement, ...pod.spec, ...(role ? { serviceAccountName: name } : {}), automountServiceAccountToken: false, restartPolicy: "Never" };
        objects.push({
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: { name, namespace, labels, annotations: { "ecs2eks.io/ecs-schedule-arn": task.arn, [ANNOTATION_TASK_DEFINITION_ARN]: registered.taskDefinitionArn ?? "" } },
            spec: {
                schedule: converted.schedule.cron,
                timeZone: converted.schedule.timeZone,
                suspend: task.state !== "ENABLED",
                concurrencyPolicy: "Allow",
                jobTemplate: {
                    spec: {
                        parallelism: task.taskCount,
                        completions: task.taskCount,
                        backoffLimit: 0,
                        template: { metadata: { labels, annotations: pod.annotations }, spec: podSpec },
                    },
                },
            },
        });
        d.info("SCHEDULED_TASK", "scheduleExpression", `${task.source === "scheduler" ? "EventBridge Scheduler schedule" : "EventBridge rule"} ${task.name} becomes a CronJob; ECS did not retry failed runs, so neither does the Job (backoffLimit 0)`, "disable the ECS schedule when the CronJob takes over, or both will run");
    }
    return assemble(
        { kind: "scheduledTask", name: task.name, arn: task.arn, cluster: clusterName, taskDefinitionArn: registered.taskDefinitionArn ?? "" },
        namespace,
        name,
        objects,
        role,
        pod,
        d,
        { securityGroupIds: network.securityGroupIds, loadBalancers: [] },
    );
}
