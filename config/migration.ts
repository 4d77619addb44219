import { ConfigReader } from "./reader";
import { MigrationConfig, MigrationSource } from "./types";

export function readMigration(r: ConfigReader): MigrationConfig {
    const source = r.oneOf<MigrationSource>("migration:source", "none", ["none", "live", "snapshot"]);
    const snapshotFile = r.text("migration:snapshotFile");
    const clusters = r.stringList("migration:clusters", (c) => (/^[\w:/.-]{1,255}$/.test(c) ? undefined : "is not an ECS cluster name or ARN"));
    const services = r.stringList("migration:services", (s) => (/^[\w:/.-]{1,255}$/.test(s) ? undefined : "is not an ECS service name or ARN"));
    if (source === "snapshot" && !snapshotFile) {
        r.fail("migration:snapshotFile is required with migration:source snapshot; write one with npx ecs2eks snapshot --cluster <name> --out <file>");
    }
    if (source === "live" && clusters.length === 0) {
        r.fail('migration:clusters is required with migration:source live; list the ECS clusters to migrate, e.g. ["shop"]');
    }
    if (source !== "live" && r.has("migration:services")) {
        r.fail("migration:services only filters a live read; a snapshot holds the services it was taken with (npx ecs2eks snapshot --service)");
    }
    return Object.freeze({
        source,
        ...(snapshotFile ? { snapshotFile } : {}),
        clusters: Object.freeze([...clusters]),
        services: Object.freeze([...services]),
    });
}
