/**
 * npm run shop:moto        start moto on loopback, seed the shop, print the endpoint, wait
 * npm run shop:snapshot    seed a fresh moto and write examples/shop/snapshot.json
 *                          (node dist/examples/shop/main.js snapshot <file> writes <file> instead)
 */
import * as path from "path";
import { startMoto } from "../../emulator/moto";
import { Aws } from "../../migration/ecs/aws";
import { readEcsSnapshot } from "../../migration/ecs/reader";
import { writeSnapshotFile } from "../../migration/ecs/snapshotFile";
import { seedClients } from "./clients";
import { SHOP_CLUSTER, SHOP_EMULATOR, seedShop } from "./seed";

export const SAMPLE_SNAPSHOT = path.join(__dirname, "..", "..", "..", "examples", "shop", "snapshot.json");

async function main(command: string | undefined, out = SAMPLE_SNAPSHOT): Promise<void> {
    process.env.AWS_ACCESS_KEY_ID ??= "testing";
    process.env.AWS_SECRET_ACCESS_KEY ??= "testing";
    const moto = await startMoto(SHOP_EMULATOR);
    await seedShop(seedClients(moto.endpoint));
    if (command === "serve") {
        process.stdout.write(
            `moto is serving the sample shop at ${moto.endpoint} (cluster "${SHOP_CLUSTER}"); try:\n` +
                `  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing npx ecs2eks snapshot --cluster ${SHOP_CLUSTER} --region us-east-1 --endpoint-url ${moto.endpoint} --out s.json\n` +
                "Ctrl-C stops it.\n",
        );
        const stop = () => void moto.stop().then(() => process.exit(0));
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
        return;
    }
    const aws = new Aws({ region: "us-east-1", endpoint: moto.endpoint });
    try {
        writeSnapshotFile(out, await readEcsSnapshot(aws, { clusters: [SHOP_CLUSTER] }));
        process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
    } finally {
        aws.destroy();
        await moto.stop();
    }
}

main(process.argv[2], process.argv[3] ? path.resolve(process.argv[3]) : undefined).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
