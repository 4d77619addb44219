/**
 * Does an ECS service look stateful? The report suggests
 * migration:workloads.<service>.kind StatefulSet for those that do. Pure.
 */
import type { ServiceVolumeConfiguration } from "@aws-sdk/client-ecs";
import type { Json, ServiceSnapshot, TaskDefinitionSnapshot } from "../../core/snapshot";
import { repositoryName } from "./imageName";

/** Images of well-known databases, queues and stores (the repository's last path segment). */
const STATEFUL_IMAGES = [
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "percona",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "keydb",
    "rabbitmq",
    "kafka",
    "zookeeper",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "couchdb",
    "memcached",
    "nats",
    "minio",
    "clickhouse",
    "influxdb",
    "etcd",
    "neo4j",
];

/** Why the service looks stateful, or none when it does not. */
export function statefulReasons(service: ServiceSnapshot, td: TaskDefinitionSnapshot, ebs: readonly Json<ServiceVolumeConfiguration>[]): string[] {
    const reasons: string[] = [];
    const restored = ebs.filter((c) => c.managedEBSVolume?.snapshotId);
    if (restored.length > 0) {
        reasons.push(`its EBS volume${restored.length > 1 ? "s" : ""} ${restored.map((c) => c.name).join(", ")} start from a snapshot: data older than any task`);
    }
    const shared = (td.volumes ?? []).filter((v) => v.dockerVolumeConfiguration?.scope === "shared" || (v.dockerVolumeConfiguration?.driver ?? "local") !== "local");
    if (shared.length > 0) {
        reasons.push(`its Docker volume${shared.length > 1 ? "s" : ""} ${shared.map((v) => v.name).join(", ")} outlive${shared.length > 1 ? "" : "s"} its tasks`);
    }
    const images = [...new Set((td.containerDefinitions ?? []).map((c) => repositoryName(c.image)).filter((n) => STATEFUL_IMAGES.some((s) => n === s || n.startsWith(`${s}-`))))];
    if (images.length > 0) {
        reasons.push(`it runs ${images.join(", ")}`);
    }
    const dataVolume = ebs.length > 0 || shared.length > 0;
    if (service.desiredCount === 1 && dataVolume) {
        reasons.push("it runs a single task with a data volume");
    }
    return reasons;
}
