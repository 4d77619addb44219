/**
 * Calls `declare` for each item in order, handing the event loop back after
 * each, and resolves once all are declared.
 *
 * Why: Pulumi registers a resource asynchronously, serializing its inputs
 * through chains of promises that live until the registration is answered.
 * Declared in one synchronous pass, every resource of a large estate holds
 * its chains at once (about 70 KB each: a 500-service shard peaked over
 * 1 GB). Handing the loop back between items lets earlier registrations move
 * on first. Measured with `npm run bench:preview` (500-service shard):
 * 1,100 MB in one pass, 460 MB handing back every 10 items, 350 MB every item.
 */
export async function declareInTurns<T>(items: readonly T[], declare: (item: T) => void): Promise<void> {
    for (const item of items) {
        declare(item);
        await new Promise<void>((resolve) => setImmediate(resolve));
    }
}
