import { clusterAutoscalerPolicy } from "../iam/addonPolicies";
import { addon } from "./types";
import { CLUSTER_AUTOSCALER_IMAGE_PATCH } from "./versions";

const SERVICE_ACCOUNT = "cluster-autoscaler";

/** Resizes the managed node groups it finds by their discovery tags. */
export const clusterAutoscaler = addon({
    key: "clusterAutoscaler",
    title: "Cluster Autoscaler",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "helm", chart: "cluster-autoscaler", namespace: "kube-system" },
    // Karpenter (or Auto Mode) adds the nodes instead; two provisioners would fight over Pending pods.
    installWhen: (c) => c.nodeProvisioner === "cluster-autoscaler" && !c.autoMode,
    identity: {
        namespace: "kube-system",
        serviceAccount: SERVICE_ACCOUNT,
        createdBy: "ecs2eks",
        policy: ({ clusterName, partition, region, account }) => clusterAutoscalerPolicy(clusterName, partition, region, account),
        permits: "resize and terminate only in Auto Scaling groups tagged `k8s.io/cluster-autoscaler/<cluster>=owned`",
    },
    about: "auto-discovery by tag, image for the cluster's Kubernetes minor",
    deploy(ctx) {
        const role = ctx.role();
        ctx.helmRelease(
            {
                autoDiscovery: { clusterName: ctx.env.clusterName },
                awsRegion: ctx.env.region,
                cloudProvider: "aws",
                image: { tag: `v${ctx.env.kubernetesVersion}.${CLUSTER_AUTOSCALER_IMAGE_PATCH}` },
                rbac: { serviceAccount: { create: false, name: SERVICE_ACCOUNT } },
                extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
            },
            role.serviceAccount ? [role.serviceAccount] : [],
        );
    },
});
