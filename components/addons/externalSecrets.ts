import { addon } from "./types";

/** Syncs the ECS services' Secrets Manager and SSM references into Kubernetes Secrets. */
export const externalSecrets = addon({
    key: "externalSecrets",
    title: "External Secrets Operator",
    phase: "cluster",
    toggle: { default: true },
    install: { kind: "helm", chart: "external-secrets", namespace: "external-secrets" },
    // No AWS role for the operator itself: each SecretStore reads with its
    // own namespace's role, scoped to the secrets that namespace uses.
    about: "no AWS role of its own: each SecretStore reads with its namespace's role, scoped to the secrets used there",
    deploy(ctx) {
        const ns = ctx.namespace();
        ctx.helmRelease({ installCRDs: true }, [ns]);
    },
});
