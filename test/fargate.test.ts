import * as assert from "assert";
import * as path from "path";
import { validateConfig } from "../config/validate";
import { checkCapacity } from "../migration/capacity/check";
import { FARGATE_LABEL, withFargateLabels } from "../migration/capacity/fargate";
import { renderCapacity } from "../migration/capacity/report";
import { capacityOptions } from "../migration/capacity/stack";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { translate } from "../migration/translate/translate";
import { at, rawConfig, runPlatform } from "./harness";
import { ROOT } from "./runCli";
import { service, snapshot, taskDefinition } from "./translateHarness";

const SHOP = path.join(ROOT, "examples", "shop", "snapshot.json");

describe("Fargate profiles for cluster:fargateNamespaces", () => {
    const config = validateConfig(rawConfig({ "cluster:fargateNamespaces": ["shop", "shop-privileged"] }), "t");
    const plan = withFargateLabels(translate(readSnapshotFile(SHOP)), config.compute.fargateNamespaces);
    const podLabels = (workload: string) => {
        const w = plan.workloads.find((x) => x.name === workload);
        const o = w?.objects.find((x) => ["Deployment", "CronJob", "DaemonSet"].includes(x.kind));
        return (o?.kind === "CronJob" ? at(o, "spec.jobTemplate.spec.template.metadata.labels") : at(o, "spec.template.metadata.labels")) as Record<string, string> | undefined;
    };

    it("labels the pods Fargate can run, and only those", () => {
        assert.strictEqual(podLabels("orders")?.[FARGATE_LABEL.key], "fargate");
        assert.strictEqual(podLabels("shop-hourly-report")?.[FARGATE_LABEL.key], "fargate", "a CronJob's pods too");
        assert.strictEqual(podLabels("log-agent")?.[FARGATE_LABEL.key], undefined, "a privileged DaemonSet stays on nodes");
        const untouched = translate(readSnapshotFile(SHOP));
        assert.deepStrictEqual(withFargateLabels(untouched, []), untouched, "no Fargate namespaces: the plan is unchanged");
    });

    it("the report lists what runs on Fargate and what Fargate cannot run, and why", () => {
        const { plan: sized, capacity } = checkCapacity(plan, capacityOptions(config));
        assert.ok(capacity.fargate.workloads.includes("orders"));
        const kept = capacity.fargate.keptOnNodes.find((k) => k.workload === "log-agent");
        assert.ok(kept);
        assert.deepStrictEqual(kept.reasons, ["DaemonSet", "host network/PID/IPC", "hostPath volume"]);
        assert.match(renderCapacity(capacity), /kept on nodes: log-agent \(DaemonSet, host network\/PID\/IPC, hostPath volume\)/);
        assert.ok(sized.workloads.find((w) => w.name === "log-agent")?.diagnostics.some((d) => d.code === "FARGATE_KEPT_ON_NODES"));
        // Fargate pods no longer count against the node groups.
        assert.ok(capacity.demand.desired.pods < checkCapacity(translate(readSnapshotFile(SHOP)), capacityOptions(validateConfig(rawConfig(), "t"))).capacity.demand.desired.pods);
    });

    it("a pod larger than Fargate's largest (16 vCPU, 120 GiB) in a Fargate namespace is an error", () => {
        const big = snapshot([service()], [taskDefinition({ cpu: "16384", memory: "131072" }, { name: "app", cpu: 16384, memory: 131072 })]);
        const ns = translate(big).workloads[0].namespace;
        const { plan: sized } = checkCapacity(withFargateLabels(translate(big), [ns]), capacityOptions(validateConfig(rawConfig({ "cluster:fargateNamespaces": [ns] }), "t")));
        const d = sized.workloads[0].diagnostics.find((x) => x.code === "CAPACITY_POD_TOO_LARGE_FOR_FARGATE");
        assert.strictEqual(d?.severity, "error");
        assert.match(d.message, /16 vCPU and 128 GiB per pod, more than Fargate's largest pod/);
    });

    it("rejects the cluster's own namespaces", () => {
        assert.throws(() => validateConfig(rawConfig({ "cluster:fargateNamespaces": ["kube-system"] }), "t"), /namespace of the cluster itself/);
    });

    it("previews a profile per namespace with its pod execution role and the private subnets, selecting the label", async () => {
        const platform = await runPlatform(rawConfig({ "cluster:fargateNamespaces": ["shop"] }));
        const profile = platform.one("aws:eks/fargateProfile:FargateProfile", "fargate-shop");
        assert.deepStrictEqual(profile.inputs.selectors, [{ namespace: "shop", labels: { [FARGATE_LABEL.key]: FARGATE_LABEL.value } }]);
        assert.ok(Array.isArray(profile.inputs.subnetIds) && (profile.inputs.subnetIds as unknown[]).length > 0);
        const role = platform.one("aws:iam/role:Role", "fargate-pod-execution");
        assert.match(String(role.inputs.assumeRolePolicy), /eks-fargate-pods\.amazonaws\.com/);
        assert.strictEqual((await runPlatform()).ofType("aws:eks/fargateProfile:FargateProfile").length, 0);
    });
});
