/** Bounded concurrency: at most `limit` calls in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) {
        chunks.push(items.slice(i, i + size));
    }
    return chunks;
}

/** Distinct, sorted: the order every batch is read in, so runs are repeatable. */
export function distinct(items: Iterable<string | undefined>): string[] {
    return [...new Set([...items].filter((i): i is string => typeof i === "string" && i.length > 0))].sort();
}

/** Follows a token through every page. */
export async function allPages<P, T>(fetch: (token: string | undefined) => Promise<P>, items: (page: P) => T[] | undefined, token: (page: P) => string | undefined): Promise<T[]> {
    const all: T[] = [];
    let next: string | undefined;
    do {
        const page = await fetch(next);
        all.push(...(items(page) ?? []));
        next = token(page);
    } while (next);
    return all;
}
