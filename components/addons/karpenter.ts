import { karpenterControllerPolicy, karpenterNames } from "../iam/karpenterPolicy";
import { addon } from "./types";

const SERVICE_ACCOUNT = "karpenter";

/**
 * Karpenter's controller (addons:nodeProvisioner karpenter), instead of
 * Cluster Autoscaler. It runs on the node groups; the nodes it launches, its
 * interruption queue, EC2NodeClass and NodePools are the Karpenter component's
 * (components/karpenter.ts), named as karpenterNames() says.
 */
export const karpenter = addon({
    key: "karpenter",
    title: "Karpenter",
    phase: "cluster",
    install: { kind: "helm", chart: "karpenter", namespace: "kube-system" },
    installWhen: (c) => c.nodeProvisioner === "karpenter" && !c.autoMode,
    identity: {
        namespace: "kube-system",
        serviceAccount: SERVICE_ACCOUNT,
        createdBy: "ecs2eks",
        policy: ({ clusterName, partition, region, account }) => karpenterControllerPolicy(clusterName, partition, region, account),
        permits: "launch, tag and terminate only instances, fleets and launch templates tagged for this cluster and a NodePool; pass only its node role; read its interruption queue",
    },
    about: "`addons:nodeProvisioner: karpenter` only (then no Cluster Autoscaler); interruption queue, EC2NodeClass, on-demand and Spot NodePools",
    deploy(ctx) {
        const role = ctx.role();
        ctx.helmRelease(
            {
                settings: { clusterName: ctx.env.clusterName, interruptionQueue: karpenterNames(ctx.env.clusterName).queue },
                serviceAccount: { create: false, name: SERVICE_ACCOUNT },
                replicas: 2,
            },
            role.serviceAccount ? [role.serviceAccount] : [],
        );
    },
});
