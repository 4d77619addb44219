/**
 * Every add-on, in install order: core add-ons (before the node groups),
 * then cluster add-ons (after them). CoreAddons and ClusterAddons deploy
 * these, config reads their toggles and version override keys from here, and
 * README's add-on table is rendered from them (components/addons/readme.ts).
 * A new add-on is a module, its pin in versions.ts, and a line here.
 */
import { clusterAutoscaler } from "./clusterAutoscaler";
import { containerInsights } from "./containerInsights";
import { coredns } from "./coredns";
import { ebsCsi } from "./ebsCsi";
import { efsCsi } from "./efsCsi";
import { externalSecrets } from "./externalSecrets";
import { karpenter } from "./karpenter";
import { keda } from "./keda";
import { kubeProxy } from "./kubeProxy";
import { loadBalancerController } from "./loadBalancerController";
import { logPipeline } from "./logPipeline";
import { metricsServer } from "./metricsServer";
import { podIdentityAgent } from "./podIdentityAgent";
import { snapshotController } from "./snapshotController";
import { AddonInstall, AddonModule, AddonPhase } from "./types";
import { velero } from "./velero";
import { vpcCni } from "./vpcCni";

export { PINNED_KUBERNETES_VERSION } from "./versions";

export const ADDONS = [
    vpcCni,
    kubeProxy,
    podIdentityAgent,
    coredns,
    loadBalancerController,
    efsCsi,
    snapshotController,
    ebsCsi,
    metricsServer,
    clusterAutoscaler,
    karpenter,
    keda,
    externalSecrets,
    logPipeline,
    containerInsights,
    velero,
] as const satisfies readonly AddonModule[];

/** The add-ons config can switch off: `addons:<key>`. */
export type AddonToggle = Extract<(typeof ADDONS)[number], { readonly toggle: object }>["key"];

export function addonsOf(phase: AddonPhase): readonly AddonModule[] {
    return ADDONS.filter((a) => a.phase === phase);
}

/** The config toggles, each with its default, in registry order. */
export const ADDON_TOGGLES: readonly { readonly key: AddonToggle; readonly default: boolean }[] = ADDONS.flatMap((a) =>
    "toggle" in a ? [{ key: a.key, default: a.toggle.default }] : [],
);

/** The pin an install reads: a chart key or an EKS add-on name, also its addons:versionOverrides key. */
export function pinKey(install: AddonInstall): string {
    return install.kind === "helm" ? install.chart : install.name;
}

/** What addons:versionOverrides may replace: every add-on's pin, sorted. */
export const VERSION_OVERRIDE_KEYS: readonly string[] = ADDONS.map((a) => pinKey(a.install)).sort();
