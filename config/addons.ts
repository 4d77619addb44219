import { ADDON_TOGGLES, AddonToggle, VERSION_OVERRIDE_KEYS } from "../components/addons/registry";
import { ConfigReader } from "./reader";
import { AddonsConfig } from "./types";
import { readVeleroSchedules } from "./veleroSchedules";

/** The add-ons' toggles and version overrides, as the add-on registry declares them. */
export function readAddons(r: ConfigReader): AddonsConfig {
    const enabled = Object.fromEntries(ADDON_TOGGLES.map(({ key, default: on }) => [key, r.boolean(`addons:${key}`, on)])) as Record<AddonToggle, boolean>;
    const overrides = r.json("addons:versionOverrides") ?? {};
    const versionOverrides: Record<string, string> = {};
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
        r.fail(`addons:versionOverrides ${JSON.stringify(overrides)} is not allowed; expected a map like {"coredns": "v1.11.4-eksbuild.2"}`);
    } else {
        for (const [key, version] of Object.entries(overrides)) {
            if (!VERSION_OVERRIDE_KEYS.includes(key)) {
                r.fail(`addons:versionOverrides.${key} is not a pinned component; known: ${VERSION_OVERRIDE_KEYS.join(", ")}`);
            } else if (typeof version !== "string" || !/^v?\d+\.\d+\.\d+[\w.+-]*$/.test(version)) {
                r.fail(`addons:versionOverrides.${key} ${JSON.stringify(version)} is not a version like 1.2.3 or v1.2.3-eksbuild.1`);
            } else {
                versionOverrides[key] = version;
            }
        }
    }
    return Object.freeze({ enabled: Object.freeze(enabled), versionOverrides: Object.freeze(versionOverrides), veleroSchedules: readVeleroSchedules(r) });
}
