import { addon } from "./types";

/** Hands pods their Pod Identity credentials; installed in both identity modes, so switching needs no new node. */
export const podIdentityAgent = addon({
    key: "eks-pod-identity-agent",
    title: "EKS Pod Identity Agent",
    phase: "core",
    install: { kind: "eks-addon", name: "eks-pod-identity-agent" },
    // EKS Auto Mode runs it as part of the node (Amazon EKS User Guide, "EKS Auto Mode": networking, DNS, pod identity).
    installWhen: (c) => !c.autoMode,
    about: "credentials for `identity:mode: pod-identity`",
    deploy(ctx) {
        ctx.eksAddon();
    },
});
