import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { validateConfig } from "../config/validate";
import { Moto, startMoto } from "../emulator/moto";
import { seedClients } from "../examples/shop/clients";
import { EcsSnapshot } from "../core/snapshot";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { stableStringify } from "../migration/ecs/json";
import { detectCredential } from "../core/credentialDetection";
import { credentialValues, snapshotCredentialWarning } from "../migration/translate/credentials";
import { renderReport } from "../migration/translate/report";
import { translate } from "../migration/translate/translate";
import { validateObjects } from "../migration/translate/validate";
import { RULES, checkResources } from "../policy/rules";
import { buildStack } from "../program";
import { OfflineMocks } from "../preview/mocks";
import { renderJson, renderTree } from "../preview/render";
import { PreviewResult, runOffline } from "../preview/run";
import { at, rawConfig } from "./harness";
import { One, TD_ARN, service, snapshot, taskDefinition } from "./translateHarness";

const ROOT = path.join(__dirname, "..", "..");

/** The literal credentials of the fixture: none of them may appear in any output. */
const VALUES = {
    DB_PASS: "Tr0ub4dor-and-3-db",
    DATABASE_URL: "postgres://shop:Pa55w0rdInUrl@db:5432/app",
    STRIPE_SK: "sk_live_51HzQ8kLmN0pQrStUvWxYzAb",
    API_TOKEN: "tok-9f8e7d6c5b4a39281706",
};
/** Every literal, and the parts of them that would give them away. */
const NEEDLES = [...Object.values(VALUES), "Pa55w0rdInUrl", "Tr0ub4dor", "51HzQ8kLmN0pQrStUvWxYzAb", "9f8e7d6c5b4a39281706"];
/** Names that sound secret but are not credentials: they stay literal. */
const FALSE_POSITIVES = { SECRET_NAME: "prod/db", TOKEN_URL: "https://auth.example.com/token", PASSWORD_MIN_LENGTH: "12", LOG_LEVEL: "debug" };

const env = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));

/** A realistic service: the app container with three credentials and four false positives, and a worker with one more. */
function fixture(): EcsSnapshot {
    const td = taskDefinition(
        {},
        { environment: env({ DB_PASS: VALUES.DB_PASS, DATABASE_URL: VALUES.DATABASE_URL, STRIPE_SK: VALUES.STRIPE_SK, ...FALSE_POSITIVES }), secrets: [{ name: "JWT_KEY", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/jwt-AbCdEf" }] },
    );
    td.containerDefinitions?.push({ name: "worker", image: "busybox:1.36", essential: true, command: ["sh", "-c", "sleep 3600"], environment: env({ API_TOKEN: VALUES.API_TOKEN, QUEUE: "orders" }) });
    return snapshot([service()], [td]);
}

/** Fails naming the output and the literal found in it. */
function assertNoValue(where: string, text: string): void {
    for (const needle of NEEDLES) {
        assert.ok(!text.includes(needle), `${where} contains the credential ${JSON.stringify(needle)}`);
    }
}

function containerEnv(plan: ReturnType<typeof translate>, container: string): Record<string, unknown>[] {
    const dep = plan.workloads[0].objects.find((o) => o.kind === "Deployment");
    const c = (at(dep, "spec.template.spec.containers") as Record<string, unknown>[]).find((x) => x.name === container);
    return (c?.env as Record<string, unknown>[]) ?? [];
}

describe("credentials in plain environment values", () => {
    describe("detection", () => {
        it("finds credentials by name, and says why without the value", () => {
            for (const [name, word] of [["DB_PASS", "PASS"], ["DB_PASSWORD", "PASSWORD"], ["MYSQL_PWD", "PWD"], ["GITHUB_TOKEN", "TOKEN"], ["STRIPE_SK", "SK"], ["SESSION_SECRET", "SECRET"], ["AWS_SECRET_ACCESS_KEY", "ACCESS_KEY"], ["SENDGRID_API_KEY", "API_KEY"], ["JWT_PRIVATE_KEY", "PRIVATE_KEY"], ["GCP_CREDENTIALS", "CREDENTIALS"], ["PROXY_AUTH", "AUTH"], ["dbPassword", "PASSWORD"], ["PGPASSWORD", "PASSWORD"], ["DB_PASSWORD_2", "PASSWORD"]]) {
                const found = detectCredential(name, "x7-opaque-value");
                assert.deepStrictEqual(found, { by: "name", reason: `its name ends in ${word}` }, name);
            }
        });

        it("finds credentials by the shape of the value, whatever the name", () => {
            const shapes: [string, RegExp][] = [
                ["postgres://user:pass@db:5432/app", /URL with a password/],
                ["redis://:s3cret@cache:6379/0", /URL with a password/],
                ["Server=db;Database=app;User Id=app;Password=hunter2;", /sets a password/],
                ["AKIAIOSFODNN7EXAMPLE", /AWS access key ID/],
                ["ASIAIOSFODNN7EXAMPLE", /AWS access key ID/],
                ["sk_test_4eC39HqLyjWDarjtT1zdp7dc", /Stripe/],
                ["rk_live_51HzQ8kLmN0pQrStUv", /Stripe/],
                ["ghp_16C7e42F292c6912E7710c838347Ae178B4a", /GitHub/],
                ["github_pat_11ABCDEFG0123456789_abcdefghijklmnop", /GitHub/],
                ["xoxb-1234567890-0987654321-AbCdEfGhIj", /Slack/],
                ["AIzaSyA-1234567890abcdefghijklmnopqrstu", /Google API key/],
                ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", /PEM private key/],
                ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", /JSON Web Token/],
            ];
            for (const [value, reason] of shapes) {
                const found = detectCredential("CONFIG", value);
                assert.strictEqual(found?.by, "value", value);
                assert.match(found.reason, reason);
                assert.ok(!found.reason.includes(value));
            }
        });

        it("leaves names that only mention a secret, and switches, pointers and endpoints, alone", () => {
            const plain: [string, string][] = [
                ...Object.entries(FALSE_POSITIVES),
                ["DB_PASSWORD_FILE", "/run/secrets/db"],
                ["DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"],
                ["TLS_KEY_PATH", "/etc/tls/key.pem"],
                ["TOKEN_TTL", "3600"],
                ["ENABLE_AUTH", "true"],
                ["OAUTH_TOKEN", "https://auth.example.com/oauth/token"],
                ["GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json"],
                ["PWD", "/app"],
                ["CACHE_KEY", "v2"],
                ["DB_PASS", ""],
                ["REDIS_URL", "redis://cart-cache.shop.internal:6379"],
                ["BLOG", "https://medium.com/@shop"],
            ];
            for (const [name, value] of plain) {
                assert.strictEqual(detectCredential(name, value), undefined, `${name}=${value}`);
            }
        });
    });

    describe("translation", () => {
        const plan = translate(fixture());
        const w = plan.workloads[0];

        it("reads each credential from the workload's credentials Secret, and keeps the false positives literal", () => {
            const ref = (key: string) => ({ secretKeyRef: { name: "app-env-credentials", key } });
            assert.deepStrictEqual(containerEnv(plan, "app"), [
                { name: "DB_PASS", valueFrom: ref("app.DB_PASS") },
                { name: "DATABASE_URL", valueFrom: ref("app.DATABASE_URL") },
                { name: "STRIPE_SK", valueFrom: ref("app.STRIPE_SK") },
                ...env(FALSE_POSITIVES),
                { name: "JWT_KEY", valueFrom: { secretKeyRef: { name: "app-secrets", key: "app.JWT_KEY" } } },
            ]);
            assert.deepStrictEqual(containerEnv(plan, "worker"), [{ name: "API_TOKEN", valueFrom: ref("worker.API_TOKEN") }, { name: "QUEUE", value: "orders" }]);
        });

        it("records which credentials need values, and why, in the workload plan", () => {
            assert.deepStrictEqual(w.plaintextCredentials, [
                { container: "app", name: "DB_PASS", key: "app.DB_PASS", reason: "its name ends in PASS" },
                { container: "app", name: "DATABASE_URL", key: "app.DATABASE_URL", reason: "its value is a URL with a password in it (scheme://user:password@host)" },
                { container: "app", name: "STRIPE_SK", key: "app.STRIPE_SK", reason: "its value has the shape of a Stripe secret or restricted key (sk_live_…, rk_live_…)" },
                { container: "worker", name: "API_TOKEN", key: "worker.API_TOKEN", reason: "its name ends in TOKEN" },
            ]);
            assert.strictEqual(new One(taskDefinition({}, { environment: env(FALSE_POSITIVES) })).workload.plaintextCredentials, undefined);
        });

        it("plans the Secret without values, pointing at where each comes from, and it validates", () => {
            const secret = w.objects.find((o) => o.kind === "Secret");
            assert.ok(secret);
            assert.strictEqual(secret.metadata.name, "app-env-credentials");
            assert.strictEqual(secret.metadata.namespace, "prod");
            assert.strictEqual(secret.data, undefined);
            assert.strictEqual(secret.stringData, undefined);
            const from = JSON.parse(secret.metadata.annotations?.["ecs2eks.io/values-from"] ?? "{}");
            assert.strictEqual(from["app.DB_PASS"], "task definition arn:aws:ecs:us-east-1:123456789012:task-definition/app:7, container app, environment variable DB_PASS");
            assert.deepStrictEqual(Object.keys(from), ["app.DB_PASS", "app.DATABASE_URL", "app.STRIPE_SK", "worker.API_TOKEN"]);
            assert.deepStrictEqual(validateObjects(w.objects), []);
            // The Secret comes before the Deployment that reads it.
            assert.ok(w.objects.findIndex((o) => o.kind === "Secret") < w.objects.findIndex((o) => o.kind === "Deployment"));
        });

        it("warns once per credential with its name, container and reason, and the Secrets Manager steps", () => {
            const warnings = w.diagnostics.filter((d) => d.code === "PLAINTEXT_CREDENTIAL");
            assert.deepStrictEqual(warnings.map((d) => [d.severity, d.container, d.field]), [
                ["warning", "app", "containerDefinitions[app].environment[DB_PASS]"],
                ["warning", "app", "containerDefinitions[app].environment[DATABASE_URL]"],
                ["warning", "app", "containerDefinitions[app].environment[STRIPE_SK]"],
                ["warning", "worker", "containerDefinitions[worker].environment[API_TOKEN]"],
            ]);
            const db = warnings[0];
            assert.match(db.message, /DB_PASS holds a credential in plain text \(its name ends in PASS\)/);
            assert.match(db.message, /Secret app-env-credentials \(key app\.DB_PASS\)/);
            assert.match(db.suggestion, /aws secretsmanager create-secret --name app\/DB_PASS --secret-string file:\/\//);
            assert.match(db.suggestion, /"secrets": \[\{"name": "DB_PASS", "valueFrom": "<the secret's ARN>"\}\]/);
            assert.match(db.suggestion, /ExternalSecret/);
        });

        it("prints no value in the plan or the report, and the report says what is left to do", () => {
            assertNoValue("plan.json", stableStringify(plan));
            const report = renderReport(plan);
            assertNoValue("report.md", report);
            assert.match(report, /- \[ \] credentials in plain environment values \(app\/DB_PASS, app\/DATABASE_URL, app\/STRIPE_SK, worker\/API_TOKEN\): move each into Secrets Manager/);
            assert.match(report, /--from-file=app\.DB_PASS=<file>/);
        });

        it("gives the component each value from the snapshot, keyed like the Secret", () => {
            assert.deepStrictEqual(credentialValues(fixture(), w), { "app.DB_PASS": VALUES.DB_PASS, "app.DATABASE_URL": VALUES.DATABASE_URL, "app.STRIPE_SK": VALUES.STRIPE_SK, "worker.API_TOKEN": VALUES.API_TOKEN });
        });
    });

    describe("scheduled tasks", () => {
        const snap = snapshot([], [taskDefinition({}, { environment: env({ DB_PASS: VALUES.DB_PASS }) })]);
        snap.clusters[0].scheduledTasks.push({
            source: "scheduler",
            name: "default/nightly",
            arn: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly",
            scheduleExpression: "cron(0 3 * * ? *)",
            state: "ENABLED",
            clusterArn: "",
            taskDefinitionArn: TD_ARN,
            taskCount: 1,
            input: JSON.stringify({ containerOverrides: [{ name: "app", environment: env({ STRIPE_SK: VALUES.STRIPE_SK, REPORT: "full" }) }] }),
        });
        const plan = translate(snap);
        const w = plan.workloads[0];
        const containerOf = () => (at(w.objects.find((o) => o.kind === "CronJob"), "spec.jobTemplate.spec.template.spec.containers") as Record<string, unknown>[])[0];

        it("reads the task definition's credentials from the Secret in the CronJob too", () => {
            assert.deepStrictEqual((containerOf().env as unknown[])[0], { name: "DB_PASS", valueFrom: { secretKeyRef: { name: "nightly-env-credentials", key: "app.DB_PASS" } } });
            assert.deepStrictEqual(w.plaintextCredentials?.map((c) => c.key), ["app.DB_PASS"]);
        });

        it("leaves a credential in the schedule's input overrides out, with an error, and keeps the rest", () => {
            assert.deepStrictEqual((containerOf().env as unknown[]).slice(1), [{ name: "REPORT", value: "full" }]);
            const error = w.diagnostics.find((d) => d.code === "PLAINTEXT_CREDENTIAL_OVERRIDE");
            assert.strictEqual(error?.severity, "error");
            assert.strictEqual(error.field, "input.containerOverrides[app].environment[STRIPE_SK]");
            assert.match(error.message, /overrides STRIPE_SK with a credential in plain text \(its value has the shape of a Stripe/);
            assert.match(error.suggestion, /aws secretsmanager create-secret --name default\/nightly\/STRIPE_SK/);
            assertNoValue("plan.json", stableStringify(plan));
            assertNoValue("report.md", renderReport(plan));
        });

        it("are named in the snapshot warning, input overrides included", () => {
            assert.strictEqual(
                snapshotCredentialWarning(snap, "s.json"),
                'warning: s.json holds 2 credential(s) in plain environment values (prod/default/nightly app DB_PASS, prod/default/nightly app (schedule input) STRIPE_SK); do not commit it: move them to Secrets Manager first or keep the file out of git (docs/runbook.md, "Credentials in environment values")\n',
            );
        });
    });

    describe("the policy pack", () => {
        const rule = RULES.find((r) => r.name === "no-literal-secrets-in-env");
        const check = (e: Record<string, unknown>[]) => {
            const found: string[] = [];
            rule?.validate("kubernetes:apps/v1:Deployment", { spec: { template: { spec: { containers: [{ name: "app", env: e }] } } } }, (m) => found.push(m), {});
            return found;
        };

        it("fails a literal credential found by name or by value, without printing it", () => {
            const found = check([{ name: "DB_PASS", value: VALUES.DB_PASS }, { name: "PAYMENTS", value: VALUES.STRIPE_SK }]);
            assert.strictEqual(found.length, 2);
            assert.match(found[0], /sets DB_PASS to a literal credential \(its name ends in PASS\)/);
            assert.match(found[1], /sets PAYMENTS to a literal credential \(its value has the shape of a Stripe/);
            assertNoValue("policy messages", found.join("\n"));
        });

        it("passes false positives and references", () => {
            assert.deepStrictEqual(check([...env(FALSE_POSITIVES), { name: "DB_PASS", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }]), []);
        });
    });

    describe("ecs2eks plan", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-creds-"));
            fs.writeFileSync(path.join(dir, "snapshot.json"), stableStringify(fixture()));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("writes no value into any file or line it prints, and the false positives stay literal", () => {
            const out = path.join(dir, "plan");
            const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "plan", "--snapshot", path.join(dir, "snapshot.json"), "--out", out], { cwd: ROOT, encoding: "utf8" });
            assert.strictEqual(run.status, 0, run.stderr);
            assertNoValue("stdout", run.stdout);
            assertNoValue("stderr", run.stderr);
            const files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => path.join(f.parentPath, f.name));
            assert.deepStrictEqual(files.map((f) => path.relative(out, f)).sort(), [".ecs2eks-plan", "kustomization.yaml", "manifests/00-namespaces.yaml", "manifests/10-app.yaml", "plan.json", "report.md"]);
            for (const f of files) {
                assertNoValue(path.relative(out, f), fs.readFileSync(f, "utf8"));
            }
            const docs = yaml.loadAll(fs.readFileSync(path.join(out, "manifests", "10-app.yaml"), "utf8")) as Record<string, unknown>[];
            assert.deepStrictEqual(docs.filter((d) => d.kind === "Secret").map((d) => at(d, "metadata.name")), ["app-env-credentials"]);
            const app = (at(docs.find((d) => d.kind === "Deployment"), "spec.template.spec.containers") as Record<string, unknown>[]).find((c) => c.name === "app");
            const literal = (app?.env as Record<string, unknown>[]).filter((e) => "value" in e);
            assert.deepStrictEqual(literal, env(FALSE_POSITIVES));
        });
    });

    describe("the EcsMigration component, previewed offline", function () {
        this.timeout(120000);
        let dir: string;
        let result: PreviewResult;
        let logged = "";
        const secretInputs: Record<string, unknown>[] = [];
        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-creds-"));
            const file = path.join(dir, "snapshot.json");
            fs.writeFileSync(file, stableStringify(fixture()));
            const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": file });
            // What the engine would receive for the Secret, before the preview redacts it.
            const newResource = OfflineMocks.prototype.newResource;
            OfflineMocks.prototype.newResource = function (args) {
                if (args.type === "kubernetes:core/v1:Secret") {
                    secretInputs.push(args.inputs as Record<string, unknown>);
                }
                return newResource.call(this, args);
            };
            const write = process.stderr.write.bind(process.stderr);
            process.stderr.write = ((chunk: string | Uint8Array) => {
                logged += chunk.toString();
                return true;
            }) as typeof process.stderr.write;
            try {
                result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), readSnapshotFile(file)) }) });
            } finally {
                process.stderr.write = write;
                OfflineMocks.prototype.newResource = newResource;
            }
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("declares the Secret with the snapshot's values as Pulumi secrets, before the Deployment", () => {
            const secret = result.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.name") === "app-env-credentials");
            assert.ok(secret, "no credentials Secret");
            assert.strictEqual(secret.inputs.stringData, "[secret]");
            const sent = secretInputs.find((i) => at(i, "metadata.name") === "app-env-credentials");
            assert.ok(pulumi.runtime.isRpcSecret(sent?.stringData), "stringData is not a secret");
            assert.deepStrictEqual((sent?.stringData as { value: unknown }).value, { "app.DB_PASS": VALUES.DB_PASS, "app.DATABASE_URL": VALUES.DATABASE_URL, "app.STRIPE_SK": VALUES.STRIPE_SK, "worker.API_TOKEN": VALUES.API_TOKEN });
            const deployment = result.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && at(r.inputs, "metadata.name") === "app");
            assert.ok(deployment?.dependencies.includes(secret.urn), "the Deployment does not wait for the Secret");
        });

        it("prints no value in the preview tree, the --json output, the log lines or the policy check", () => {
            assertNoValue("preview tree", renderTree(result.resources, result.outputs));
            assertNoValue("preview --json", renderJson(result.resources));
            assert.match(logged, /migrating 1 ECS services/);
            assertNoValue("log lines", logged);
            const violations = checkResources(result.resources);
            assert.deepStrictEqual(violations.filter((v) => v.policy === "no-literal-secrets-in-env"), []);
            assertNoValue("policy check", JSON.stringify(violations));
        });
    });

    describe("ecs2eks snapshot (moto)", function () {
        this.timeout(120000);
        let moto: Moto;
        let dir: string;
        before(async () => {
            moto = await startMoto();
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs2eks-creds-"));
            const { ecs } = seedClients(moto.endpoint);
            await ecs.send(new CreateClusterCommand({ clusterName: "pay" }));
            const td = await ecs.send(
                new RegisterTaskDefinitionCommand({
                    family: "checkout",
                    networkMode: "awsvpc",
                    requiresCompatibilities: ["FARGATE"],
                    cpu: "256",
                    memory: "512",
                    containerDefinitions: [{ name: "web", image: "nginx:1.27", essential: true, environment: env({ DB_PASS: VALUES.DB_PASS, STRIPE_SK: VALUES.STRIPE_SK, LOG_LEVEL: "debug" }) }],
                }),
            );
            await ecs.send(new CreateServiceCommand({ cluster: "pay", serviceName: "checkout", taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 1, launchType: "FARGATE" }));
        });
        after(async () => {
            await moto?.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("warns, by name and never by value, that the file it wrote holds credentials", async () => {
            const out = path.join(dir, "s.json");
            const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
                const child = spawn(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), "snapshot", "--cluster", "pay", "--region", "us-east-1", "--endpoint-url", moto.endpoint, "--out", out], {
                    cwd: ROOT,
                    env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
                });
                let stderr = "";
                child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
                child.on("close", (status) => resolve({ status, stderr }));
            });
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stderr, /warning: .*s\.json holds 2 credential\(s\) in plain environment values \(pay\/checkout web DB_PASS, pay\/checkout web STRIPE_SK\); do not commit it/);
            assertNoValue("snapshot stderr", run.stderr);
            // The reader copies task definitions as they are: this is why the runbook says to keep such a file out of git.
            assert.ok(fs.readFileSync(out, "utf8").includes(VALUES.DB_PASS));
        });

        it("says nothing when there is nothing to say", () => {
            assert.strictEqual(snapshotCredentialWarning(snapshot([service()], [taskDefinition({}, { environment: env(FALSE_POSITIVES) })]), "s.json"), "");
        });
    });
});
