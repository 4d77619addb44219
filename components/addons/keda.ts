import { kedaPolicy } from "../iam/addonPolicies";
import { addon } from "./types";

const SERVICE_ACCOUNT = "keda-operator";

/** Scales the migrated services whose ECS scaling used request counts, SQS queues, custom metrics or schedules. */
export const keda = addon({
    key: "keda",
    title: "KEDA",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "helm", chart: "keda", namespace: "keda" },
    identity: {
        namespace: "keda",
        serviceAccount: SERVICE_ACCOUNT,
        createdBy: "ecs2eks",
        policy: ({ partition, region, account }) => kedaPolicy(partition, region, account),
        permits: "read SQS queue attributes and CloudWatch metrics in this account and region, never messages",
    },
    about: "the `aws-sqs-queue` and `aws-cloudwatch` scalers, with the operator's identity",
    deploy(ctx) {
        const ns = ctx.namespace();
        const role = ctx.role({ dependsOn: [ns] });
        ctx.helmRelease({ serviceAccount: { operator: { create: false, name: SERVICE_ACCOUNT } } }, role.serviceAccount ? [role.serviceAccount] : [ns]);
    },
});
