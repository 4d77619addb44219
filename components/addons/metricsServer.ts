import { addon } from "./types";

/** Resource metrics for HorizontalPodAutoscalers (the ECS services that scaled on CPU and memory). */
export const metricsServer = addon({
    key: "metricsServer",
    title: "metrics-server",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "helm", chart: "metrics-server", namespace: "kube-system" },
    about: "two replicas; CPU and memory metrics for HorizontalPodAutoscalers",
    deploy(ctx) {
        ctx.helmRelease({ replicas: 2 });
    },
});
