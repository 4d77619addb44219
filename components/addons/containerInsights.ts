import { addon } from "./types";

/**
 * The add-on's own Fluent Bit stays off: the log pipeline (logPipeline.ts)
 * ships container logs to their ECS log groups, and two shippers would send
 * every line twice. `containerLogs.enabled` is the add-on's documented
 * opt-out (CloudWatch User Guide, install-CloudWatch-Observability-EKS-addon,
 * "Opt out of collecting container logs"); its schema is checked on the
 * first deploy (docs/first-real-deploy.md).
 */
export const CONTAINER_INSIGHTS_CONFIGURATION = { containerLogs: { enabled: false } } as const;

/**
 * Container Insights metrics (the ContainerInsights namespace: pod CPU and
 * memory, running pods per Service) from the CloudWatch agent of the
 * Amazon CloudWatch Observability EKS add-on: what the migrated alarms on ECS
 * CPU and memory watch on EKS (migration/cutover/alarms.ts).
 */
export const containerInsights = addon({
    key: "containerInsights",
    title: "Amazon CloudWatch Observability (Container Insights)",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "eks-addon", name: "amazon-cloudwatch-observability" },
    identity: {
        namespace: "amazon-cloudwatch",
        serviceAccount: "cloudwatch-agent",
        createdBy: "eks-addon",
        // The policy the EKS User Guide names for the agent (eks-add-ons.adoc, amazon-cloudwatch-observability).
        managedPolicies: ["CloudWatchAgentServerPolicy"],
        description: "CloudWatch agent: Container Insights metrics",
        permits: "`CloudWatchAgentServerPolicy`",
    },
    about: "Container Insights metrics on (CloudWatch agent); its own container logs off, the log pipeline ships them",
    deploy(ctx) {
        ctx.eksAddon({ role: ctx.role(), configurationValues: CONTAINER_INSIGHTS_CONFIGURATION });
    },
});
