import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { instanceSpec, maxPodsOf } from "../config/instanceTypes";
import { validateConfig } from "../config/validate";
import { checkCapacity } from "../migration/capacity/check";
import { allocatableOf, kubeReservedCpuMilli, kubeReservedMemoryMiB } from "../migration/capacity/kubelet";
import { renderCapacity } from "../migration/capacity/report";
import { capacityOptions } from "../migration/capacity/stack";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { observePlans, PlanSummary } from "../migration/planSummary";
import { translate } from "../migration/translate/translate";
import { buildStack } from "../program";
import { runOffline } from "../preview/run";
import { rawConfig } from "./harness";
import { ROOT, runCli } from "./runCli";
import { service, snapshot, taskDefinition } from "./translateHarness";

const SHOP = path.join(ROOT, "examples", "shop", "snapshot.json");

/** A Fargate-sized task: 4 vCPU and 30 GiB, common on Fargate, more than an m6i.large holds. */
function bigTask() {
    return snapshot([service({ serviceName: "ledger", desiredCount: 1 })], [taskDefinition({ cpu: "4096", memory: "30720" }, { name: "ledger", cpu: 4096, memory: 30720 })]);
}

const config = (groups: Record<string, unknown> = {}) =>
    validateConfig(rawConfig(Object.fromEntries(Object.entries(groups).map(([k, v]) => [`nodeGroups:${k}`, v]))), "test");

describe("capacity planning", () => {
    it("reserves for the kubelet what the EKS AL2023 AMI's nodeadm reserves", () => {
        // 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above.
        assert.strictEqual(kubeReservedCpuMilli(2), 70);
        assert.strictEqual(kubeReservedCpuMilli(4), 80);
        assert.strictEqual(kubeReservedCpuMilli(16), 110);
        assert.strictEqual(kubeReservedMemoryMiB(29), 574);
        const large = instanceSpec("m6i.large");
        assert.ok(large);
        assert.strictEqual(maxPodsOf(large), 29); // 3 ENIs × (10 − 1) + 2
        assert.deepStrictEqual(allocatableOf(large), { instanceType: "m6i.large", cpuMilli: 1930, memoryMiB: 8192 - 574 - 100, pods: 29, gpus: 0 });
        assert.strictEqual(maxPodsOf(instanceSpec("m6i.4xlarge") ?? large), 234);
        assert.strictEqual(maxPodsOf(instanceSpec("t3.medium") ?? large), 17);
        assert.strictEqual(maxPodsOf(large, true), 110, "prefix delegation, capped at 110 below 30 vCPU");
        assert.strictEqual(instanceSpec("g5.12xlarge")?.gpus, 4);
        assert.strictEqual(instanceSpec("m7g.xlarge")?.architecture, "arm64");
        for (const family of ["m6i", "m7i", "c6i", "c7i", "r6i", "r7i", "t3", "m6g", "m7g", "c7g", "r7g", "g5", "g6", "m6a", "m5"]) {
            assert.ok(instanceSpec(`${family}.xlarge`), `${family}.xlarge is in the table`);
        }
    });

    it("a 4 vCPU / 30 GiB task on m6i.large nodes is an error naming the workload, its size and the largest node", () => {
        const { plan } = checkCapacity(translate(bigTask()), capacityOptions(config()));
        const d = plan.workloads[0].diagnostics.find((x) => x.code === "CAPACITY_POD_TOO_LARGE");
        assert.ok(d, "reported");
        assert.strictEqual(d.severity, "error");
        assert.match(d.message, /^ledger asks for 4 vCPU and 30 GiB per pod/);
        assert.match(d.message, /largest allocatable node is m6i\.large \(1\.45 vCPU, 7\.07 GiB for pods\)/);
        assert.match(d.suggestion, /with m6i\.2xlarge or larger/, "the smallest m6i that holds it: 32 GiB less 893 MiB kube-reserved and 100 MiB eviction is 31.03 GiB");
        // The same task fits once a group offers a node that large.
        const fitted = checkCapacity(translate(bigTask()), capacityOptions(config({ general: { instanceTypes: ["m6i.large"] }, big: { instanceTypes: ["r6i.2xlarge"], minSize: 0, maxSize: 4 } })));
        assert.deepStrictEqual(fitted.plan.workloads[0].diagnostics.filter((x) => x.code.startsWith("CAPACITY_POD")), []);
    });

    it("counts the DaemonSets on every node: a pod that fits the bare node but not beside them is an error", () => {
        // m6i.large offers 1930m; aws-node 50m (with its network policy agent), kube-proxy 100m, ebs-csi-node 30m (plugin and two sidecars), aws-for-fluent-bit 50m and cloudwatch-agent 250m leave 1450m.
        const td = taskDefinition({ cpu: "1900", memory: "1024" }, { name: "app", cpu: 1900, memory: 1024 });
        const { plan } = checkCapacity(translate(snapshot([service()], [td])), capacityOptions(config()));
        assert.ok(plan.workloads[0].diagnostics.some((d) => d.code === "CAPACITY_POD_TOO_LARGE"));
        const spare = checkCapacity(translate(snapshot([service()], [taskDefinition({ cpu: "1400", memory: "1024" }, { name: "app", cpu: 1400, memory: 1024 })])), capacityOptions(config()));
        assert.ok(!spare.plan.workloads[0].diagnostics.some((d) => d.code === "CAPACITY_POD_TOO_LARGE"));
    });

    it("an unknown instance type is an error that lists the families it knows", () => {
        const { plan } = checkCapacity(translate(bigTask()), capacityOptions(config({ general: { instanceTypes: ["x9z.large"] } })));
        const d = plan.diagnostics.find((x) => x.code === "CAPACITY_UNKNOWN_INSTANCE_TYPE");
        assert.ok(d);
        assert.strictEqual(d.severity, "error");
        assert.match(d.message, /x9z\.large/);
        assert.match(d.suggestion, /m6i, m7g, m7i/);
    });

    it("totals the estate at desired counts and at autoscaling maxima against the groups' maxima, with headroom", () => {
        const shop = translate(readSnapshotFile(SHOP));
        // Five m6i.large hold the desired 5.56 vCPU (1.39 vCPU each for pods); four would not, an error rather than this warning.
        const small = checkCapacity(shop, capacityOptions(config({ general: { instanceTypes: ["m6i.large"], minSize: 2, maxSize: 5 } })));
        assert.ok(small.plan.diagnostics.some((d) => d.code === "CAPACITY_AUTOSCALING_EXCEEDS_MAXIMA" && d.severity === "warning"));
        assert.ok(small.capacity.headroom && small.capacity.headroom.cpuMilli < 0);
        const roomy = checkCapacity(shop, capacityOptions(config({ general: { instanceTypes: ["m7i.2xlarge"], minSize: 2, maxSize: 10 }, arm: { instanceTypes: ["m7g.xlarge"], minSize: 1, maxSize: 6 } })));
        assert.deepStrictEqual(roomy.plan.diagnostics.filter((d) => d.code.startsWith("CAPACITY")), []);
        assert.ok(roomy.capacity.headroom && roomy.capacity.headroom.cpuMilli > 0);
        // Desired counts: cart 2, catalog 2, media 2, orders 2, web 3, worker 1 = 12 pods; CronJobs only at maxima.
        assert.strictEqual(roomy.capacity.demand.desired.pods, 12);
        const shopNs = roomy.capacity.namespaces.find((n) => n.namespace === "shop");
        assert.ok(shopNs && shopNs.pods === 12 && shopNs.limits.memoryMiB > shopNs.requests.memoryMiB);
        const tiny = checkCapacity(shop, capacityOptions(config({ general: { instanceTypes: ["t3.small"], minSize: 1, maxSize: 1 } })));
        assert.ok(tiny.plan.diagnostics.some((d) => d.code === "CAPACITY_ESTATE_EXCEEDS_MAXIMA" && d.severity === "error"));
    });

    it("an arm64 service with no Graviton group is a warning, not a silent Pending", () => {
        const shop = translate(readSnapshotFile(SHOP));
        const { plan } = checkCapacity(shop, capacityOptions(config()));
        const web = plan.workloads.find((w) => w.name === "web");
        assert.ok(web?.diagnostics.some((d) => d.code === "CAPACITY_NO_MATCHING_NODES" && /architecture arm64/.test(d.message)));
    });

    it("renders the capacity summary: pools, DaemonSets, estate and per-namespace totals", () => {
        const { capacity } = checkCapacity(translate(readSnapshotFile(SHOP)), capacityOptions(config()));
        const text = renderCapacity(capacity);
        assert.match(text, /^## Capacity/);
        assert.match(text, /\| general \| node group \| ON_DEMAND \| m6i\.large \| 1\.39 vCPU · 6\.94 GiB \| 29 \| 2 \/ 6 \|/);
        assert.match(text, /log-agent \(63m, 128Mi\)/);
        assert.match(text, /\| shop \| 12 \|/);
    });

    it("plan --node-groups and --stack: the error and the report section", async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "capacity-"));
        const file = path.join(tmp, "big.json");
        fs.writeFileSync(file, JSON.stringify(bigTask()));
        const failed = await runCli(["plan", "--snapshot", file, "--out", path.join(tmp, "a")]);
        assert.strictEqual(failed.status, 1, failed.stderr);
        assert.match(fs.readFileSync(path.join(tmp, "a", "report.md"), "utf8"), /CAPACITY_POD_TOO_LARGE/);
        const fits = await runCli(["plan", "--snapshot", file, "--out", path.join(tmp, "b"), "--node-groups", JSON.stringify({ big: { instanceTypes: ["r6i.2xlarge"] } })]);
        assert.strictEqual(fits.status, 0, fits.stderr);
        const shop = await runCli(["plan", "--snapshot", SHOP, "--out", path.join(tmp, "c"), "--stack", "prod"]);
        assert.strictEqual(shop.status, 0, shop.stderr);
        const report = fs.readFileSync(path.join(tmp, "c", "report.md"), "utf8");
        assert.match(report, /## Capacity/);
        assert.match(report, /m6i\.xlarge/, "prod's node group");
        const planJson = JSON.parse(fs.readFileSync(path.join(tmp, "c", "plan.json"), "utf8")) as { capacity: { pools: unknown[] } };
        assert.ok(planJson.capacity.pools.length > 0);
        const bad = await runCli(["plan", "--snapshot", SHOP, "--out", path.join(tmp, "d"), "--node-groups", "[1]"]);
        assert.strictEqual(bad.status, 2);
    });

    it("the preview's migration plan counts the error too", async () => {
        const cfg = config();
        let summary: PlanSummary | undefined;
        const stop = observePlans((s) => (summary = s));
        try {
            await runOffline({ project: "ecs2eks", stack: "test", config: { values: rawConfig(), secretKeys: [] }, program: () => ({ ...buildStack(cfg, bigTask()) }) });
        } finally {
            stop();
        }
        assert.ok(summary);
        assert.strictEqual(summary.errors, 1);
    });
});
