import { ConfigReader } from "./reader";
import { AddonName, AddonsConfig } from "./types";

export const ADDON_NAMES: readonly AddonName[] = ["loadBalancerController", "efsCsi", "metricsServer", "clusterAutoscaler", "keda", "externalSecrets"];

export function readAddons(r: ConfigReader, knownVersionKeys: readonly string[]): AddonsConfig {
    const enabled = Object.fromEntries(ADDON_NAMES.map((name) => [name, r.boolean(`addons:${name}`, true)])) as Record<AddonName, boolean>;
    const overrides = r.json("addons:versionOverrides") ?? {};
    const versionOverrides: Record<string, string> = {};
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
        r.fail(`addons:versionOverrides ${JSON.stringify(overrides)} is not allowed; expected a map like {"coredns": "v1.11.4-eksbuild.2"}`);
    } else {
        for (const [key, version] of Object.entries(overrides)) {
            if (!knownVersionKeys.includes(key)) {
                r.fail(`addons:versionOverrides.${key} is not a pinned component; known: ${knownVersionKeys.join(", ")}`);
            } else if (typeof version !== "string" || !/^v?\d+\.\d+\.\d+[\w.+-]*$/.test(version)) {
                r.fail(`addons:versionOverrides.${key} ${JSON.stringify(version)} is not a version like 1.2.3 or v1.2.3-eksbuild.1`);
            } else {
                versionOverrides[key] = version;
            }
        }
    }
    return Object.freeze({ enabled: Object.freeze(enabled), versionOverrides: Object.freeze(versionOverrides) });
}
