import { addon } from "./types";

/** Service routing on every node; its build must match the cluster's Kubernetes minor (config checks). */
export const kubeProxy = addon({
    key: "kube-proxy",
    title: "kube-proxy",
    phase: "core",
    install: { kind: "eks-addon", name: "kube-proxy" },
    // EKS Auto Mode runs it as part of the node (Amazon EKS User Guide, "EKS Auto Mode": networking, DNS, pod identity).
    installWhen: (c) => !c.autoMode,
    about: "the build must match `cluster:version`",
    deploy(ctx) {
        ctx.eksAddon();
    },
});
