import { AccessPointDescription, DescribeAccessPointsCommand, DescribeFileSystemsCommand, FileSystemDescription } from "@aws-sdk/client-efs";
import { Aws } from "./aws";
import { allPages, distinct, mapLimit } from "./concurrency";

/**
 * The file systems the task definitions mount and their access points, read
 * so the migration can reference them (by ID, never owning them) and so the
 * decommission check can say they must outlive the ECS stacks.
 */
export async function readFileSystems(aws: Aws, fileSystemIds: readonly string[], concurrency: number): Promise<{ fileSystems: FileSystemDescription[]; accessPoints: AccessPointDescription[]; missing: string[] }> {
    const ids = distinct(fileSystemIds);
    const read = await mapLimit(ids, concurrency, async (id) => {
        try {
            const [fs, aps] = await Promise.all([
                aws.call("elasticfilesystem", "DescribeFileSystems", id, () => aws.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }))),
                allPages(
                    (NextToken) => aws.call("elasticfilesystem", "DescribeAccessPoints", id, () => aws.efs.send(new DescribeAccessPointsCommand({ FileSystemId: id, NextToken }))),
                    (p) => p.AccessPoints,
                    (p) => p.NextToken,
                ),
            ]);
            return { fileSystems: fs.FileSystems ?? [], accessPoints: aps };
        } catch (err) {
            if ((err as { name?: string }).name === "FileSystemNotFound") {
                return undefined;
            }
            throw err;
        }
    });
    return {
        fileSystems: read.flatMap((r) => r?.fileSystems ?? []),
        accessPoints: read.flatMap((r) => r?.accessPoints ?? []),
        missing: ids.filter((_, i) => read[i] === undefined),
    };
}
