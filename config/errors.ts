import { ExpectedError } from "../core/errors";

/**
 * A stack configuration problem the user can fix by editing Pulumi.<stack>.yaml.
 * Carries one line per problem so every bad key is reported in one run.
 */
export class ConfigError extends ExpectedError {
    constructor(readonly problems: readonly string[]) {
        super(problems.join("\n"));
    }
}
