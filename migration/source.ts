import * as path from "path";
import { MigrationConfig } from "../config";
import { Aws } from "./ecs/aws";
import { lineProgress } from "./ecs/progress";
import { readEcsSnapshot } from "./ecs/reader";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "./ecs/snapshotFile";

/**
 * The ECS state the migration works from: read live (during preview and up)
 * or from the committed snapshot file, which keeps the stack working once
 * ECS is gone. Undefined when the stack only builds the platform.
 */
export async function loadEcsSnapshot(config: MigrationConfig, region: string, projectDir: string, log: (line: string) => void): Promise<EcsSnapshot | undefined> {
    switch (config.source) {
        case "none":
            return undefined;
        case "snapshot":
            return readSnapshotFile(path.resolve(projectDir, config.snapshotFile ?? ""));
        case "live": {
            // AWS_ENDPOINT_URL, when set, points the reader at an emulator.
            const aws = new Aws({ region });
            try {
                return await readEcsSnapshot(aws, { clusters: config.clusters, services: config.services, progress: lineProgress(log) });
            } finally {
                aws.destroy();
            }
        }
    }
}

/** A short description of a snapshot for stack outputs and logs. */
export function describeSnapshot(snapshot: EcsSnapshot): { clusters: string[]; services: number; capturedAt: string } {
    return {
        clusters: snapshot.clusters.map((c) => c.cluster.clusterName ?? c.cluster.clusterArn ?? "?"),
        services: snapshot.clusters.reduce((n, c) => n + c.services.length, 0),
        capturedAt: snapshot.capturedAt,
    };
}
