/**
 * The CRD contracts custom resources are validated against: one file per
 * chart (or controller) version, written by us from the upstream CRDs at that
 * version (crds/README.md says how). A chart upgrade needs a new file here;
 * test/crds.test.ts fails until the pinned version has one.
 */
import awsLoadBalancerController from "./aws-load-balancer-controller/1.13.4.json";
import amazonVpcResourceController from "./amazon-vpc-resource-controller/1.7.19.json";
import externalSecrets from "./external-secrets/0.19.2.json";
import karpenter from "./karpenter/1.13.0.json";
import keda from "./keda/2.18.3.json";
import snapshotController from "./snapshot-controller/8.6.0.json";

/** A JSON schema (draft-07 subset, as ajv reads it), or `true` for a field we never emit. */
export type ContractSchema = boolean | { readonly [keyword: string]: unknown };

export interface CrdVersion {
    readonly name: string;
    readonly served: boolean;
    readonly storage: boolean;
    readonly deprecated?: boolean;
    /** Present for every served version. */
    readonly schema?: ContractSchema;
}

export interface CrdContractEntry {
    readonly group: string;
    readonly kind: string;
    readonly plural: string;
    readonly scope: "Namespaced" | "Cluster";
    /** The upstream file the entry was read from (see the contract's read.sources). */
    readonly source: string;
    readonly versions: readonly CrdVersion[];
}

export interface UpstreamSource {
    readonly repository: string;
    readonly tag: string;
    readonly commit: string;
    readonly path: string;
    readonly sha256?: string;
    readonly note?: string;
}

export interface CrdContract {
    /** The key in components/addons/versions.ts HELM_CHARTS, or an EKS-managed controller. */
    readonly component: string;
    readonly version: string;
    readonly installedBy: string;
    readonly read: { readonly date: string; readonly sources: readonly UpstreamSource[] };
    readonly crds: readonly CrdContractEntry[];
}

/**
 * Controllers EKS runs for us (not pinned in versions.ts): the release whose
 * CRDs we hold the cluster to, and why, is in the contract's $comment.
 */
export const EKS_MANAGED_CONTROLLERS: Readonly<Record<string, string>> = {
    "amazon-vpc-resource-controller": "1.7.19",
    // The upstream release of the snapshot-controller EKS add-on pinned in components/addons/versions.ts (test/ebsVolumes.test.ts keeps them equal).
    "snapshot-controller": "8.6.0",
};

/** Fails loudly on a hand-edited file that lost its shape: a contract that parses wrong would validate nothing. */
function contract(data: unknown, file: string): CrdContract {
    const c = data as CrdContract;
    const ok =
        typeof c?.component === "string" &&
        typeof c.version === "string" &&
        Array.isArray(c.read?.sources) &&
        Array.isArray(c.crds) &&
        c.crds.every(
            (e) =>
                typeof e.group === "string" &&
                typeof e.kind === "string" &&
                (e.scope === "Namespaced" || e.scope === "Cluster") &&
                Array.isArray(e.versions) &&
                e.versions.every((v: CrdVersion) => typeof v.name === "string" && typeof v.served === "boolean" && typeof v.storage === "boolean" && (!v.served || v.schema !== undefined)),
        );
    if (!ok) {
        throw new Error(`crds/${file} is not a CRD contract (component, version, read.sources, crds[] with group, kind, scope, versions[] with a schema for every served version)`);
    }
    return c;
}

/** Every vendored contract, by file. */
export const CONTRACT_FILES: Readonly<Record<string, CrdContract>> = {
    "aws-load-balancer-controller/1.13.4.json": contract(awsLoadBalancerController, "aws-load-balancer-controller/1.13.4.json"),
    "amazon-vpc-resource-controller/1.7.19.json": contract(amazonVpcResourceController, "amazon-vpc-resource-controller/1.7.19.json"),
    "external-secrets/0.19.2.json": contract(externalSecrets, "external-secrets/0.19.2.json"),
    "karpenter/1.13.0.json": contract(karpenter, "karpenter/1.13.0.json"),
    "keda/2.18.3.json": contract(keda, "keda/2.18.3.json"),
    "snapshot-controller/8.6.0.json": contract(snapshotController, "snapshot-controller/8.6.0.json"),
};
