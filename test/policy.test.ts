import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { buildStack } from "../program";
import { RULES, Rule, checkResources } from "../policy/rules";
import { runOffline } from "../preview/run";
import { findProject, loadStackConfigValues } from "../preview/project";

const ROOT = path.join(__dirname, "..", "..");

function rule(name: string): Rule {
    const found = RULES.find((r) => r.name === name);
    if (!found) {
        throw new Error(`no rule ${name}`);
    }
    return found;
}

function violations(name: string, type: string, props: Record<string, unknown>): string[] {
    const found: string[] = [];
    rule(name).validate(type, props, (m) => found.push(m));
    return found;
}

const deployment = (container: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
    metadata: { name: "x", annotations },
    spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "64Mi" } }, ...container }] } } },
});
const IRSA = (condition: Record<string, unknown>) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }] });

describe("policy pack rules", () => {
    const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
        [
            "eks-endpoint-not-open-to-the-internet",
            "eks:index:Cluster",
            { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"], tags: {} },
            { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"], tags: { "ecs2eks:public-endpoint-from-anywhere": "true" } },
        ],
        ["eks-secrets-encrypted", "eks:index:Cluster", {}, { encryptionConfigKeyArn: "arn:aws:kms:us-east-1:1:key/x" }],
        ["imdsv2-hop-limit-1", "aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }, { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } }],
        [
            "irsa-trust-exact",
            "aws:iam/role:Role",
            { assumeRolePolicy: IRSA({ StringLike: { "x:sub": "system:serviceaccount:*:*" } }) },
            { assumeRolePolicy: IRSA({ StringEquals: { "x:sub": "system:serviceaccount:ns:sa", "x:aud": "sts.amazonaws.com" } }) },
        ],
        ["efs-encrypted", "aws:efs/fileSystem:FileSystem", { encrypted: false }, { encrypted: true }],
        ["persistent-volumes-retain", "kubernetes:core/v1:PersistentVolume", { spec: { persistentVolumeReclaimPolicy: "Delete" } }, { spec: { persistentVolumeReclaimPolicy: "Retain" } }],
        [
            "no-unapproved-privileged-containers",
            "kubernetes:apps/v1:Deployment",
            deployment({ securityContext: { privileged: true } }),
            deployment({ securityContext: { privileged: true } }, { "ecs2eks.io/privileged-allowed": "true" }),
        ],
        ["containers-request-cpu-and-memory", "kubernetes:apps/v1:DaemonSet", deployment({ resources: { requests: { cpu: "100m" } } }), deployment({})],
        ["no-literal-secrets-in-env", "kubernetes:apps/v1:Deployment", deployment({ env: [{ name: "AWS_SECRET_ACCESS_KEY", value: "wJalr" }] }), deployment({ env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }, { name: "PASSWORD_MIN_LENGTH", value: "12" }, { name: "SECRET_NAME", value: "prod/db" }, { name: "TOKEN_URL", value: "https://auth" }] })],
        ["images-pinned", "kubernetes:apps/v1:Deployment", deployment({ image: "nginx:latest" }), deployment({ image: "nginx@sha256:abc" })],
        ["spot-node-groups-diversified", "aws:eks/nodeGroup:NodeGroup", { capacityType: "SPOT", instanceTypes: ["m6i.large"] }, { capacityType: "SPOT", instanceTypes: ["m6i.large", "m6a.large"] }],
    ];

    it("covers every rule with a violating and a compliant resource", () => {
        assert.deepStrictEqual(cases.map((c) => c[0]).sort(), RULES.map((r) => r.name).sort());
    });

    for (const [name, type, bad, good] of cases) {
        it(`${name}: catches the violation and passes the compliant resource`, () => {
            assert.strictEqual(violations(name, type, bad).length, 1, JSON.stringify(bad));
            assert.deepStrictEqual(violations(name, type, good), []);
        });
    }

    it("makes the promised defaults mandatory and the rest advisory", () => {
        assert.deepStrictEqual(RULES.filter((r) => r.enforcementLevel === "advisory").map((r) => r.name).sort(), ["images-pinned", "spot-node-groups-diversified"]);
    });
});

describe("policy pack over the offline preview", function () {
    this.timeout(60000);
    const preview = async (stack: string, overrides: string[] = []) => {
        const project = findProject(ROOT);
        const values = loadStackConfigValues(project, stack, overrides).values;
        const result = await runOffline({ project: project.name, stack, config: { values, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(values, stack), undefined) }) });
        return checkResources(result.resources);
    };

    it("finds no mandatory violation in any stack as committed", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            assert.deepStrictEqual((await preview(stack)).filter((v) => v.enforcementLevel === "mandatory"), [], stack);
        }
    });

    it("finds no mandatory violation in the migrated sample shop", async () => {
        const project = findProject(ROOT);
        const values = loadStackConfigValues(project, "dev", []).values;
        const { readSnapshotFile } = await import("../migration/ecs/snapshotFile");
        const snapshot = readSnapshotFile(path.join(ROOT, "examples", "shop", "snapshot.json"));
        const result = await runOffline({ project: project.name, stack: "dev", config: { values, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(values, "dev"), snapshot) }) });
        const found = checkResources(result.resources);
        assert.ok(result.resources.some((r) => r.type === "kubernetes:apps/v1:Deployment"));
        assert.deepStrictEqual(found.filter((v) => v.enforcementLevel === "mandatory"), []);
    });

    it("catches a public endpoint open to 0.0.0.0/0 without the allowance, and accepts it with", async () => {
        const open = await preview("dev", ['cluster:publicAccessCidrs=["0.0.0.0/0"]']);
        assert.deepStrictEqual(open.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy), ["eks-endpoint-not-open-to-the-internet"]);
        const allowed = await preview("dev", ['cluster:publicAccessCidrs=["0.0.0.0/0"]', "cluster:allowPublicEndpointFromAnywhere=true"]);
        assert.deepStrictEqual(allowed.filter((v) => v.enforcementLevel === "mandatory"), []);
    });

    it("npm run policy:check exits non-zero on a mandatory violation and says which", () => {
        const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "policy-check", "--stack", "dev", "--config", 'cluster:publicAccessCidrs=["0.0.0.0/0"]'], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stdout, /stack dev: \d+ resources, 1 mandatory and 0 advisory violations/);
        assert.match(run.stdout, /✗ mandatory eks-endpoint-not-open-to-the-internet: eks:index:Cluster cluster:/);
        const ok = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "policy-check", "--stack", "prod"], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(ok.status, 0, ok.stdout + ok.stderr);
    });
});
