import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { BACKUP_CHECK_TITLE, VeleroBackup, backupChecks, judgeBackups } from "../migration/decommission/backupCheck";
import { parseBackups } from "../migration/decommission/veleroBackups";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { rawConfig } from "./harness";
import { ROOT, runCli } from "./runCli";

/** When the last cutover change was applied (the --since a user gives). */
const CUTOVER = new Date("2026-11-20T10:00:00Z");
const NAMESPACES = ["shop", "shop-privileged"];
const SCHEDULES = ["velero-daily"];

/** A Backup as the daily schedule makes it: every migrated namespace. */
function backup(name: string, phase: string | undefined, completed: string | undefined, over: Partial<VeleroBackup> = {}): VeleroBackup {
    return {
        name,
        ...(phase ? { phase } : {}),
        ...(completed ? { completionTimestamp: completed } : {}),
        startTimestamp: "2026-11-19T03:00:00Z",
        includedNamespaces: NAMESPACES,
        schedule: "velero-daily",
        ...over,
    };
}

describe("decommission-check's backup check: the decision", () => {
    const judge = (backups: VeleroBackup[]) => judgeBackups(backups, CUTOVER, NAMESPACES, SCHEDULES);

    it("fails with no backup at all, and says how to take one from the schedule", () => {
        const c = judge([]);
        assert.strictEqual(c.ok, false);
        assert.strictEqual(c.title, BACKUP_CHECK_TITLE);
        assert.match(c.detail, /no Backup in namespace velero .*namespaces shop, shop-privileged/);
        assert.match(c.fix ?? "", /`velero backup create pre-decommission --from-schedule velero-daily --wait`/);
    });

    it("fails when the backups after the change failed or only partly completed, naming the newest with its phase and time, and how to see why", () => {
        const c = judge([backup("velero-daily-20261121030000", "PartiallyFailed", "2026-11-21T03:12:00Z"), backup("velero-daily-20261122030000", "Failed", "2026-11-22T03:05:00Z")]);
        assert.strictEqual(c.ok, false);
        assert.match(c.detail, /newest backup: velero-daily-20261122030000 \(Failed, completed 2026-11-22T03:05:00Z, schedule velero-daily\)/);
        assert.match(c.fix ?? "", /`velero backup describe velero-daily-20261122030000 --details` and `velero backup logs velero-daily-20261122030000`/);
        assert.match(c.fix ?? "", /--from-schedule velero-daily --wait/);
    });

    it("fails on a completed backup older than the change, naming it and the change's time", () => {
        const c = judge([backup("velero-daily-20261120030000", "Completed", "2026-11-20T03:20:00Z")]);
        assert.strictEqual(c.ok, false);
        assert.match(c.detail, /no completed backup of namespaces shop, shop-privileged finished after the last cutover change \(2026-11-20T10:00:00.000Z\)/);
        assert.match(c.detail, /newest backup: velero-daily-20261120030000 \(Completed, completed 2026-11-20T03:20:00Z/);
    });

    it("passes on a completed backup newer than the change, and names it", () => {
        const c = judge([backup("velero-daily-20261120030000", "Completed", "2026-11-20T03:20:00Z"), backup("pre-decommission", "Completed", "2026-11-20T10:41:07Z", { schedule: undefined })]);
        assert.deepStrictEqual([c.ok, c.fix], [true, undefined]);
        assert.match(c.detail, /^pre-decommission \(Completed, completed 2026-11-20T10:41:07Z\) covers namespaces shop, shop-privileged, after the last cutover change/);
    });

    it("counts a backup only when it covers every migrated namespace (all, a glob, or each by name)", () => {
        const after = "2026-11-21T03:10:00Z";
        const only = judge([backup("one-namespace", "Completed", after, { includedNamespaces: ["shop"] })]);
        assert.strictEqual(only.ok, false);
        assert.match(only.detail, /one-namespace completed after it but leaves out shop-privileged/);
        assert.strictEqual(judge([backup("excluded", "Completed", after, { includedNamespaces: ["*"], excludedNamespaces: ["shop-*"] })]).ok, false);
        assert.strictEqual(judge([backup("all", "Completed", after, { includedNamespaces: [] })]).ok, true);
        assert.strictEqual(judge([backup("star", "Completed", after, { includedNamespaces: ["*"] })]).ok, true);
        assert.strictEqual(judge([backup("glob", "Completed", after, { includedNamespaces: ["shop*"] })]).ok, true);
    });

    it("without the time of the change, passes nothing and asks for --since, still naming the newest backup", () => {
        const c = judgeBackups([backup("velero-daily-20261121030000", "Completed", "2026-11-21T03:10:00Z")], undefined, NAMESPACES, SCHEDULES);
        assert.strictEqual(c.ok, false);
        assert.match(c.detail, /time of the last cutover change is not known.*newest backup: velero-daily-20261121030000 \(Completed/);
        assert.match(c.fix ?? "", /--since/);
    });

    it("gives the same answer whatever order the API lists the backups in", () => {
        const list = [backup("b", "Completed", "2026-11-19T03:10:00Z"), backup("a", "InProgress", undefined, { startTimestamp: "2026-11-21T03:00:00Z" }), backup("c", "Completed", "2026-11-18T03:10:00Z")];
        const c = judge(list);
        assert.deepStrictEqual(judge([...list].reverse()), c);
        assert.match(c.detail, /newest backup: a \(InProgress, started 2026-11-21T03:00:00Z.*newest completed of namespaces shop, shop-privileged: b /);
    });

    it("keeps the manual check without a kubeconfig, and reports what kept the backups from being read", () => {
        const config = validateConfig(rawConfig({ "addons:velero": "true" }), "dev");
        assert.match(backupChecks(config)[0].detail, /^manual check/);
        assert.deepStrictEqual(backupChecks(config, { problem: "refused", fix: "grant it" }), [{ ok: false, title: BACKUP_CHECK_TITLE, detail: "refused", fix: "grant it" }]);
        assert.strictEqual(backupChecks(config, { backups: [backup("x", "Completed", "2026-11-21T03:10:00Z")], since: CUTOVER }, NAMESPACES)[0].ok, true);
        assert.deepStrictEqual(backupChecks(validateConfig(rawConfig(), "dev"), { backups: [] }), [], "no backup check when Velero is off");
    });

    it("reads a BackupList as the API answers it", () => {
        assert.deepStrictEqual(parseBackups(backupList([apiBackup("velero-daily-20261121030000", "Completed", "2026-11-21T03:10:00Z")])), [
            {
                name: "velero-daily-20261121030000",
                phase: "Completed",
                completionTimestamp: "2026-11-21T03:10:00Z",
                startTimestamp: "2026-11-21T03:00:01Z",
                creationTimestamp: "2026-11-21T03:00:00Z",
                includedNamespaces: NAMESPACES,
                schedule: "velero-daily",
            },
        ]);
        assert.deepStrictEqual(parseBackups({ kind: "Status" }), []);
    });
});

/** A velero.io/v1 Backup as the API server returns it (made by the chart's daily Schedule). */
function apiBackup(name: string, phase: string, completed: string): Record<string, unknown> {
    return {
        apiVersion: "velero.io/v1",
        kind: "Backup",
        metadata: { name, namespace: "velero", creationTimestamp: "2026-11-21T03:00:00Z", labels: { "velero.io/schedule-name": "velero-daily", "velero.io/storage-location": "default" } },
        spec: { includedNamespaces: NAMESPACES, storageLocation: "default", ttl: "720h0m0s" },
        status: { phase, startTimestamp: "2026-11-21T03:00:01Z", completionTimestamp: completed, expiration: "2026-12-21T03:00:01Z", version: 1 },
    };
}

const backupList = (items: Record<string, unknown>[]) => ({ apiVersion: "velero.io/v1", kind: "BackupList", metadata: { resourceVersion: "1" }, items });

describe("decommission-check reads Velero's backups through a kubeconfig", function () {
    this.timeout(120000);
    let tmp: string;
    let server: http.Server;
    let url: string;
    let answer: { status: number; body: unknown };
    const requests: { path: string; authorization?: string }[] = [];

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "velero-check-"));
        // Posing as the Kubernetes API: every GET is recorded and answered with the current answer.
        server = http.createServer((req, res) => {
            requests.push({ path: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
            res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
        await new Promise((resolve) => server.close(resolve));
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    const kubeconfig = (server_: string): string => {
        const file = path.join(tmp, `kubeconfig-${requests.length}-${Date.now()}`);
        fs.writeFileSync(
            file,
            [
                "apiVersion: v1",
                "kind: Config",
                "current-context: shop",
                "contexts: [{name: shop, context: {cluster: eks, user: admin}}]",
                `clusters: [{name: eks, cluster: {server: "${server_}"}}]`,
                "users: [{name: admin, user: {token: test-token}}]",
            ].join("\n"),
        );
        return file;
    };

    /** The backup check of the dev stack (the sample shop) with Velero on; KUBECONFIG as given, never the caller's. */
    async function check(args: string[], env: Record<string, string> = { KUBECONFIG: "" }) {
        const run = await runCli(["decommission-check", "--stack", "dev", "--config", "addons:velero=true", "--json", ...args], env);
        assert.strictEqual(run.status, 1, `the dev stack is not safe to decommission yet: ${run.stderr}`);
        assert.strictEqual(run.stderr, "", "a failed check, not an error");
        const found = (JSON.parse(run.stdout) as { checks: { ok: boolean; title: string; detail: string; fix?: string }[] }).checks.find((c) => c.title === BACKUP_CHECK_TITLE);
        assert.ok(found, "the backup check");
        return found;
    }

    it("passes on a completed backup of every migrated namespace newer than --since, read with the kubeconfig's token", async () => {
        const migrated = translate(readSnapshotFile(path.join(ROOT, "examples", "shop", "snapshot.json"))).namespaces.map((n) => n.name).sort();
        const item = apiBackup("pre-decommission", "Completed", "2026-11-20T10:41:07Z");
        answer = { status: 200, body: backupList([apiBackup("velero-daily-20261120030000", "Completed", "2026-11-20T03:20:00Z"), { ...item, spec: { includedNamespaces: migrated } }]) };
        requests.length = 0;
        const c = await check(["--kubeconfig", kubeconfig(url), "--since", "2026-11-20T10:00:00Z"]);
        assert.strictEqual(c.ok, true, c.detail);
        assert.match(c.detail, /^pre-decommission \(Completed, completed 2026-11-20T10:41:07Z, schedule velero-daily\) covers namespaces/);
        assert.deepStrictEqual(requests, [{ path: "/apis/velero.io/v1/namespaces/velero/backups", authorization: "Bearer test-token" }]);
    });

    it("takes KUBECONFIG when --kubeconfig is not given, and fails on a backup older than --since with its name, phase and time", async () => {
        answer = { status: 200, body: backupList([apiBackup("velero-daily-20261120030000", "Completed", "2026-11-20T03:20:00Z")]) };
        requests.length = 0;
        const c = await check(["--since", "2026-11-20T10:00:00+00:00"], { KUBECONFIG: kubeconfig(url) });
        assert.strictEqual(requests.length, 1);
        assert.strictEqual(c.ok, false);
        assert.match(c.detail, /newest backup: velero-daily-20261120030000 \(Completed, completed 2026-11-20T03:20:00Z/);
        assert.match(c.fix ?? "", /--from-schedule velero-daily --wait/);
    });

    it("turns a refusal (403) into a failed check that says which permission to grant", async () => {
        answer = { status: 403, body: { kind: "Status", status: "Failure", reason: "Forbidden", code: 403 } };
        const c = await check(["--kubeconfig", kubeconfig(url), "--since", "2026-11-20T10:00:00Z"]);
        assert.strictEqual(c.ok, false);
        assert.match(c.detail, /refused GET \/apis\/velero\.io\/v1\/namespaces\/velero\/backups \(HTTP 403\)/);
        assert.match(c.fix ?? "", /get and list on backups\.velero\.io in namespace velero/);
    });

    it("says Velero is not installed when the API serves no Backups (404)", async () => {
        answer = { status: 404, body: { kind: "Status", code: 404 } };
        const c = await check(["--kubeconfig", kubeconfig(url)]);
        assert.match(c.detail, /serves no backups\.velero\.io .*Velero is not installed/);
    });

    it("turns an unreachable API into a failed check, not a stack trace", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        const c = await check(["--kubeconfig", kubeconfig(`http://127.0.0.1:${port}`), "--since", "2026-11-20T10:00:00Z"]);
        assert.strictEqual(c.ok, false);
        assert.match(c.detail, /cannot read Velero's backups: cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+/);
        assert.match(c.fix ?? "", /update-kubeconfig/);
    });

    it("keeps the manual check without a kubeconfig, and refuses a --since that is not a time", async () => {
        const c = await check([]);
        assert.match(c.detail, /^manual check/);
        const bad = await runCli(["decommission-check", "--stack", "dev", "--since", "yesterday"], { KUBECONFIG: "" });
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /--since yesterday is not a time; give the time of the last `pulumi up` that changed migration:cutover/);
    });
});
