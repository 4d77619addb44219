import * as pulumi from "@pulumi/pulumi";
import { ExpectedError } from "../core/errors";
import { StackConfig } from "./types";
import { validateConfig } from "./validate";

export * from "./types";
export { ConfigError } from "./errors";

/**
 * The one place that reads Pulumi config. Invalid config stops the program
 * with one line per problem and no stack trace (RunError), and accepted but
 * risky choices are logged as warnings.
 */
export function loadStackConfig(): StackConfig {
    let config: StackConfig;
    try {
        config = validateConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (err) {
        if (err instanceof ExpectedError) {
            throw new pulumi.RunError(err.message);
        }
        throw err;
    }
    for (const warning of config.warnings) {
        void pulumi.log.warn(warning);
    }
    return config;
}
