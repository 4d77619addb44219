import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { ExpectedError } from "./core/errors";
import { loadEcsSnapshot } from "./migration/source";
import { buildStack } from "./program";
import { buildShard } from "./shardProgram";
import { stackTraceLimitFor } from "./core/stackTraces";

Error.stackTraceLimit = stackTraceLimitFor(process.env) ?? Error.stackTraceLimit;

/**
 * The stack. Async because a live migration source is read from AWS before
 * resources are declared; Pulumi awaits the function and exports what it returns.
 * One program, two roles: the platform stack (and any stack without
 * migration:platformStack), or a migration shard onto another stack's cluster.
 */
export = async () => {
    const config = loadStackConfig();
    let snapshot;
    try {
        snapshot = await loadEcsSnapshot(config.migration, config.region, process.cwd(), (line) => void pulumi.log.info(line));
    } catch (err) {
        // Expected failures (no access, no such cluster, bad snapshot) as one line, no stack trace.
        if (err instanceof ExpectedError) {
            throw new pulumi.RunError(err.message);
        }
        throw err;
    }
    if (config.migration.shard && snapshot) {
        return { ...(await buildShard(config, snapshot)) };
    }
    return { ...buildStack(config, snapshot) };
};
