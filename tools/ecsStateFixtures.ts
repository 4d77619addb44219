/**
 * npm run fixtures:ecs-state: runs the sample shop's ECS stack
 * (examples/shop/ecs-stack) offline under mocks that answer with the seeded
 * shop's IDs, and writes the decommission check's fixtures from it:
 *   test/fixtures/ecs-state/shop-pulumi.json        pulumi stack export
 *   test/fixtures/ecs-state/shop-terraform.json     terraform show -json
 *   test/fixtures/ecs-state/shop-cfn-template.json  the CloudFormation template
 *   test/fixtures/ecs-state/shop-cfn-stack.json     what CloudFormation answers about that stack
 * --check compares instead of writing (exit 1 when a fixture is stale).
 */
import * as fs from "fs";
import * as path from "path";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { cloudFormationRead, cloudFormationTemplate, pulumiExport, terraformShow } from "./ecsState/formats";
import { recordProgram } from "./ecsState/record";
import { SeededShopMocks } from "./ecsState/seededMocks";

const ROOT = path.join(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures", "ecs-state");
export const ECS_PROJECT = "shop-ecs";
export const ECS_STACK = "prod";
export const CFN_STACK = "shop-ecs-prod";

export async function generate(): Promise<Record<string, string>> {
    const snapshot = readSnapshotFile(path.join(ROOT, "examples", "shop", "snapshot.json"));
    const awsVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/aws"];
    const resources = await recordProgram(ECS_PROJECT, ECS_STACK, new SeededShopMocks(snapshot), () => require(path.join(ROOT, "dist", "examples", "shop", "ecs-stack", "index")));
    // The program's exports, as the mocks resolve them.
    const outputs = { albDnsName: snapshot.loadBalancing.loadBalancers[0]?.DNSName, clusterName: snapshot.clusters[0]?.cluster.clusterName };
    const template = cloudFormationTemplate(resources);
    const files: Record<string, unknown> = {
        "shop-pulumi.json": pulumiExport(resources, ECS_PROJECT, ECS_STACK, outputs, awsVersion),
        "shop-terraform.json": terraformShow(resources),
        "shop-cfn-template.json": template,
        "shop-cfn-stack.json": cloudFormationRead(CFN_STACK, resources, template),
    };
    const text = Object.fromEntries(Object.entries(files).map(([f, doc]) => [f, `${JSON.stringify(doc, null, 2)}\n`]));
    for (const [f, t] of Object.entries(text)) {
        // The program's stand-in secret values must never reach a fixture.
        if (t.includes("change-me")) {
            throw new Error(`${f} holds a secret value`);
        }
    }
    return text;
}

async function main(): Promise<number> {
    const check = process.argv.includes("--check");
    const files = await generate();
    const stale: string[] = [];
    for (const [f, text] of Object.entries(files)) {
        const file = path.join(FIXTURES, f);
        if (check) {
            if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
                stale.push(f);
            }
        } else {
            fs.mkdirSync(FIXTURES, { recursive: true });
            fs.writeFileSync(file, text);
            process.stdout.write(`wrote ${path.relative(ROOT, file)}\n`);
        }
    }
    if (stale.length > 0) {
        process.stderr.write(`stale: ${stale.join(", ")}; run npm run fixtures:ecs-state\n`);
        return 1;
    }
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: unknown) => {
            process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exit(1);
        },
    );
}
