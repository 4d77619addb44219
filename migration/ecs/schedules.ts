import { DescribeRuleCommand, ListRuleNamesByTargetCommand, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetScheduleCommand, ListSchedulesCommand } from "@aws-sdk/client-scheduler";
import { Aws } from "./aws";
import { allPages, mapLimit } from "./concurrency";
import { ScheduledTaskSnapshot, runTaskOverrides } from "../../core/snapshot";
import { toJson } from "./json";

/** The target's input: RunTask overrides when it is an overrides object, else kept as AWS stores it. */
function targetInput(input: string | undefined): Pick<ScheduledTaskSnapshot, "overrides" | "input"> {
    if (!input) {
        return {};
    }
    const overrides = runTaskOverrides(input);
    return overrides ? { overrides } : { input };
}

/**
 * Scheduled tasks that run on the cluster: EventBridge rules with an ECS
 * target (found by target ARN) and EventBridge Scheduler schedules (listed,
 * then read, since their target is only in the detail).
 */
export async function readScheduledTasks(aws: Aws, clusterArn: string, concurrency: number): Promise<ScheduledTaskSnapshot[]> {
    const ruleNames = await allPages(
        (NextToken) => aws.call("events", "ListRuleNamesByTarget", clusterArn, () => aws.events.send(new ListRuleNamesByTargetCommand({ TargetArn: clusterArn, NextToken }))),
        (p) => p.RuleNames,
        (p) => p.NextToken,
    );
    const fromRules = (
        await mapLimit(ruleNames, concurrency, async (name) => {
            const [rule, targets] = await Promise.all([
                aws.call("events", "DescribeRule", name, () => aws.events.send(new DescribeRuleCommand({ Name: name }))),
                aws.call("events", "ListTargetsByRule", name, () => aws.events.send(new ListTargetsByRuleCommand({ Rule: name }))),
            ]);
            return (targets.Targets ?? [])
                .filter((t) => t.Arn === clusterArn && t.EcsParameters && rule.ScheduleExpression)
                .map(
                    (t): ScheduledTaskSnapshot => ({
                        source: "eventbridge",
                        name: `${name}/${t.Id}`,
                        arn: rule.Arn ?? name,
                        scheduleExpression: rule.ScheduleExpression ?? "",
                        state: rule.State ?? "ENABLED",
                        clusterArn,
                        taskDefinitionArn: t.EcsParameters?.TaskDefinitionArn ?? "",
                        taskCount: t.EcsParameters?.TaskCount ?? 1,
                        ...(t.EcsParameters?.LaunchType ? { launchType: t.EcsParameters.LaunchType } : {}),
                        ...(t.EcsParameters?.NetworkConfiguration ? { networkConfiguration: toJson(t.EcsParameters.NetworkConfiguration) } : {}),
                        ...targetInput(t.Input),
                    }),
                );
        })
    ).flat();

    const summaries = await allPages(
        (NextToken) => aws.call("scheduler", "ListSchedules", "*", () => aws.scheduler.send(new ListSchedulesCommand({ NextToken, MaxResults: 100 }))),
        (p) => p.Schedules,
        (p) => p.NextToken,
    );
    // Only schedules that target ECS can run tasks on the cluster.
    const ecsSchedules = summaries.filter((s) => (s.Target?.Arn ?? "") === clusterArn || (s.Target?.Arn ?? "").startsWith("arn:aws:ecs") || !s.Target?.Arn);
    const fromScheduler = (
        await mapLimit(ecsSchedules, concurrency, async (summary) => {
            const s = await aws.call("scheduler", "GetSchedule", summary.Name ?? "", () =>
                aws.scheduler.send(new GetScheduleCommand({ Name: summary.Name, GroupName: summary.GroupName })),
            );
            if (s.Target?.Arn !== clusterArn || !s.Target.EcsParameters) {
                return [];
            }
            const ecs = s.Target.EcsParameters;
            return [
                {
                    source: "scheduler" as const,
                    name: `${s.GroupName ?? "default"}/${s.Name}`,
                    arn: s.Arn ?? "",
                    scheduleExpression: s.ScheduleExpression ?? "",
                    ...(s.ScheduleExpressionTimezone ? { timezone: s.ScheduleExpressionTimezone } : {}),
                    state: s.State ?? "ENABLED",
                    clusterArn,
                    taskDefinitionArn: ecs.TaskDefinitionArn ?? "",
                    taskCount: ecs.TaskCount ?? 1,
                    ...(ecs.LaunchType ? { launchType: ecs.LaunchType } : {}),
                    ...(ecs.NetworkConfiguration ? { networkConfiguration: toJson(ecs.NetworkConfiguration) } : {}),
                    ...targetInput(s.Target.Input),
                },
            ];
        })
    ).flat();
    return [...fromRules, ...fromScheduler];
}
