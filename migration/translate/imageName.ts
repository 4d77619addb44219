/** The last path segment of an image's repository, lower-cased: `public.ecr.aws/docker/library/postgres:16` → `postgres`. Pure. */
export function repositoryName(image: string | undefined): string {
    const withoutDigest = (image ?? "").split("@")[0];
    const last = withoutDigest.split("/").pop() ?? "";
    return last.split(":")[0].toLowerCase();
}
