/**
 * A realistic ECS service with a service-managed EBS volume: PostgreSQL on
 * Fargate, its data directory on a 200 GiB gp3 volume with provisioned IOPS
 * and throughput, encrypted with a customer key, formatted xfs and restored
 * from a snapshot, as `aws ecs describe-services` reports it (the volume
 * configuration sits on the PRIMARY deployment). moto does not take
 * volumeConfigurations, so the sample shop cannot carry it: this fixture does.
 */
import type { ServiceManagedEBSVolumeConfiguration } from "@aws-sdk/client-ecs";
import type { Json, ServiceSnapshot, TaskDefinitionSnapshot } from "../core/snapshot";
import { ACCOUNT, CLUSTER_ARN } from "./translateHarness";

export const DB_TD_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/orders-db:12`;
export const DB_SNAPSHOT = "snap-0a1b2c3d4e5f67890";
export const DB_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export function dbTaskDefinition(): TaskDefinitionSnapshot {
    return {
        taskDefinitionArn: DB_TD_ARN,
        family: "orders-db",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "1024",
        memory: "4096",
        volumes: [{ name: "pgdata", configuredAtLaunch: true }],
        containerDefinitions: [
            {
                name: "postgres",
                image: "public.ecr.aws/docker/library/postgres:16.4",
                essential: true,
                portMappings: [{ name: "postgres", containerPort: 5432, protocol: "tcp" }],
                environment: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
                mountPoints: [{ sourceVolume: "pgdata", containerPath: "/var/lib/postgresql/data" }],
                healthCheck: { command: ["CMD-SHELL", "pg_isready -U postgres"], interval: 10, timeout: 5, retries: 5, startPeriod: 30 },
            },
        ],
    };
}

export function dbVolume(over: Partial<Json<ServiceManagedEBSVolumeConfiguration>> = {}): Json<ServiceManagedEBSVolumeConfiguration> {
    return {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRole`,
        encrypted: true,
        kmsKeyId: DB_KEY,
        volumeType: "gp3",
        sizeInGiB: 200,
        iops: 6000,
        throughput: 250,
        snapshotId: DB_SNAPSHOT,
        filesystemType: "xfs",
        tagSpecifications: [{ resourceType: "volume", tags: [{ key: "team", value: "orders" }, { key: "backup", value: "daily" }], propagateTags: "SERVICE" }],
        ...over,
    };
}

/** `null`: the service configures no volume. */
export function dbService(volume: Json<ServiceManagedEBSVolumeConfiguration> | null = dbVolume(), over: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
    return {
        serviceName: "orders-db",
        serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/orders-db`,
        clusterArn: CLUSTER_ARN,
        taskDefinition: DB_TD_ARN,
        desiredCount: 1,
        launchType: "FARGATE",
        schedulingStrategy: "REPLICA",
        deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 },
        deployments: [
            {
                id: "ecs-svc/1234567890123456789",
                status: "PRIMARY",
                taskDefinition: DB_TD_ARN,
                desiredCount: 1,
                ...(volume ? { volumeConfigurations: [{ name: "pgdata", managedEBSVolume: volume }] } : {}),
            },
        ],
        ...over,
    };
}
