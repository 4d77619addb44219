/** The sample shop in a moto server of its own, for the duration of a mocha describe. */
import { Moto, startMoto } from "../emulator/moto";
import { seedClients } from "../examples/shop/clients";
import { seedShop } from "../examples/shop/seed";

/** Registers before/after hooks in the calling describe; the endpoint is known once its before hook ran. */
export function seededShop(): { readonly endpoint: string } {
    let moto: Moto | undefined;
    before(async () => {
        moto = await startMoto();
        await seedShop(seedClients(moto.endpoint));
    });
    after(async () => moto?.stop());
    return {
        get endpoint(): string {
            if (!moto) {
                throw new Error("the shop emulator is not started yet: read its endpoint inside a test or a later hook");
            }
            return moto.endpoint;
        },
    };
}
