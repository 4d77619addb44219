import { addon } from "./types";

/** Cluster DNS. After the node groups: it reports DEGRADED until it has nodes to run on. */
export const coredns = addon({
    key: "coredns",
    title: "CoreDNS",
    phase: "cluster",
    install: { kind: "eks-addon", name: "coredns" },
    // EKS Auto Mode runs it as part of the node (Amazon EKS User Guide, "EKS Auto Mode": networking, DNS, pod identity).
    installWhen: (c) => !c.autoMode,
    about: "cluster DNS",
    deploy(ctx) {
        ctx.eksAddon();
    },
});
