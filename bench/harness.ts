/** What the benchmarks share: their flags, a seeded moto behind a slow loopback proxy, how a script ends. */
import { SeedClients, seedClients } from "../examples/shop/clients";
import { startMoto } from "../emulator/moto";
import { LoopbackProxy, startProxy } from "../emulator/proxy";

/** `--name value` from the command line, or the fallback. */
export function flag(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/**
 * Seeds a fresh moto, then measures through a loopback proxy that adds
 * `latencyMs` to every request (a real AWS round trip); both are stopped
 * whatever happens. moto wants credentials of some kind; the SDK's Node
 * version notice is noise in a table.
 */
export async function withSeededMoto<S, T>(latencyMs: number, seed: (clients: SeedClients) => Promise<S>, measure: (seeded: S, proxy: LoopbackProxy) => Promise<T>): Promise<T> {
    process.env.AWS_ACCESS_KEY_ID ??= "testing";
    process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    const moto = await startMoto();
    try {
        const seeded = await seed(seedClients(moto.endpoint));
        const proxy = await startProxy(moto.endpoint, { latencyMs });
        try {
            return await measure(seeded, proxy);
        } finally {
            await proxy.close();
        }
    } finally {
        await moto.stop();
    }
}

/** Runs an asynchronous benchmark; a failure prints its stack (a benchmark's failures are ours) and exits 1. */
export function runBench(main: () => Promise<void>): void {
    main().catch((err: unknown) => {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
    });
}
