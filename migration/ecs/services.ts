import {
    Cluster,
    DescribeClustersCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    ListServicesCommand,
    Service,
} from "@aws-sdk/client-ecs";
import { Aws } from "./aws";
import { chunk, distinct, mapLimit } from "./concurrency";
import { ReaderError } from "./errors";
import { Progress } from "./progress";
import { SnapshotDiagnostic, TaskDefinitionSnapshot } from "../../core/snapshot";
import { toJson } from "./json";

/** AWS's limits: ListServices pages of at most 100, DescribeServices at most 10 names. */
export const LIST_SERVICES_PAGE = 100;
export const DESCRIBE_SERVICES_BATCH = 10;

export async function describeCluster(aws: Aws, cluster: string): Promise<Cluster> {
    const out = await aws.call("ecs", "DescribeClusters", cluster, () =>
        aws.ecs.send(new DescribeClustersCommand({ clusters: [cluster], include: ["SETTINGS", "CONFIGURATIONS", "TAGS"] })),
    );
    const found = out.clusters?.find((c) => c.status !== "INACTIVE");
    if (!found) {
        throw new ReaderError(
            `ECS cluster ${JSON.stringify(cluster)} not found in ${aws.options.region}; check --cluster and --region (aws ecs list-clusters lists them)`,
            "not-found",
        );
    }
    return found;
}

async function listServiceArns(aws: Aws, clusterArn: string): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await aws.call("ecs", "ListServices", clusterArn, () =>
            aws.ecs.send(new ListServicesCommand({ cluster: clusterArn, maxResults: LIST_SERVICES_PAGE, nextToken })),
        );
        arns.push(...(page.serviceArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    return arns;
}

/**
 * Every service of the cluster (or the named ones), in batches of ten with
 * bounded concurrency. A named service that does not exist fails the read.
 */
export async function describeServices(aws: Aws, clusterArn: string, names: readonly string[], concurrency: number, progress: Progress): Promise<Service[]> {
    const wanted = names.length > 0 ? [...names] : await listServiceArns(aws, clusterArn);
    progress.start("services", wanted.length);
    const batches = await mapLimit(chunk(wanted, DESCRIBE_SERVICES_BATCH), concurrency, async (batch) => {
        const out = await aws.call("ecs", "DescribeServices", clusterArn, () =>
            aws.ecs.send(new DescribeServicesCommand({ cluster: clusterArn, services: batch, include: ["TAGS"] })),
        );
        const missing = (out.failures ?? []).map((f) => f.arn ?? "?");
        if (missing.length > 0) {
            throw new ReaderError(`service ${missing.map((m) => m.split("/").pop()).join(", ")} not found in cluster ${clusterArn.split("/").pop()}; check --service`, "not-found");
        }
        progress.advance("services", batch.length);
        return out.services ?? [];
    });
    // A service being deleted still lists for a while; it will not be migrated.
    return batches.flat().filter((s) => s.status !== "INACTIVE");
}

const STOPS_THE_READ: readonly ReaderError["kind"][] = ["credentials", "throttled", "network", "region"];

export interface TaskDefinitionsRead {
    readonly taskDefinitions: TaskDefinitionSnapshot[];
    readonly unreadable: string[];
    readonly diagnostics: SnapshotDiagnostic[];
}

/** Each distinct revision once. An unreadable one fails the read unless skipUnreadable. */
export async function describeTaskDefinitions(aws: Aws, arns: readonly string[], concurrency: number, skipUnreadable: boolean, progress: Progress): Promise<TaskDefinitionsRead> {
    const distinctArns = distinct(arns);
    progress.start("task definitions", distinctArns.length);
    const unreadable: string[] = [];
    const diagnostics: SnapshotDiagnostic[] = [];
    const read = await mapLimit(distinctArns, concurrency, async (arn) => {
        try {
            const out = await aws.call("ecs", "DescribeTaskDefinition", arn, () =>
                aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] })),
            );
            progress.advance("task definitions", 1);
            if (!out.taskDefinition) {
                throw new ReaderError(`task definition ${arn} came back empty`, "unreadable");
            }
            return { ...toJson(out.taskDefinition), ...(out.tags && out.tags.length > 0 ? { tags: toJson(out.tags) } : {}) } as TaskDefinitionSnapshot;
        } catch (err) {
            // Failures that are not about this task definition stop the read whatever the flag.
            if (err instanceof ReaderError && STOPS_THE_READ.includes(err.kind)) {
                throw err;
            }
            const reason = err instanceof Error ? err.message : String(err);
            if (!skipUnreadable) {
                throw new ReaderError(`cannot read task definition ${arn}: ${reason}; fix access to it, or rerun with --skip-unreadable to record the services that use it as diagnostics`, "unreadable");
            }
            unreadable.push(arn);
            diagnostics.push({ code: "UNREADABLE_TASK_DEFINITION", severity: "error", resource: arn, message: `skipped: ${reason}` });
            return undefined;
        }
    });
    return { taskDefinitions: read.filter((t): t is TaskDefinitionSnapshot => t !== undefined), unreadable, diagnostics };
}
