import { ConfigReader } from "./reader";
import { IdentityConfig, IdentityMode } from "./types";

export function readIdentity(r: ConfigReader): IdentityConfig {
    return Object.freeze({ mode: r.oneOf<IdentityMode>("identity:mode", "irsa", ["irsa", "pod-identity"]) });
}
