import * as assert from "assert";
import { validateConfig } from "../config/validate";
import { checkCapacity } from "../migration/capacity/check";
import { addonDaemonSets } from "../migration/capacity/daemonSets";
import { capacityOptions } from "../migration/capacity/stack";
import { translate } from "../migration/translate/translate";
import { rawConfig } from "./harness";
import { service, snapshot, taskDefinition } from "./translateHarness";

const config = () => validateConfig(rawConfig({ "nodeGroups:general": { instanceTypes: ["m6i.large"] } }), "test");

/** A one-container service asking for 1 vCPU and the given memory. */
function withMemory(memoryMiB: number) {
    const td = taskDefinition({ cpu: "1024", memory: String(memoryMiB) }, { name: "app", cpu: 1024, memory: memoryMiB });
    return checkCapacity(translate(snapshot([service()], [td])), capacityOptions(config()));
}

/** A one-container service asking for the given ECS CPU units and 1 GiB. */
function withCpu(units: number) {
    const td = taskDefinition({ cpu: String(units), memory: "1024" }, { name: "app", cpu: units, memory: 1024 });
    return checkCapacity(translate(snapshot([service()], [td])), capacityOptions(config()));
}

const TOO_LARGE = "CAPACITY_POD_TOO_LARGE";
const tooLarge = (memoryMiB: number) => withMemory(memoryMiB).plan.workloads[0].diagnostics.some((d) => d.code === TOO_LARGE);
const tooLargeCpu = (units: number) => withCpu(units).plan.workloads[0].diagnostics.some((d) => d.code === TOO_LARGE);

describe("capacity: the add-ons' DaemonSet requests as their pinned charts set them", () => {
    it("ebs-csi-node counts its two sidecars: 30m CPU and 104 MiB a node, not the plugin's 10m/40Mi alone", () => {
        // aws-ebs-csi-driver v1.64.0: ebs-plugin 10m/40Mi, node-driver-registrar and liveness-probe 10m/32Mi each.
        assert.deepStrictEqual(addonDaemonSets(["ebsCsi"]), [{ name: "ebs-csi-node", cpuMilli: 30, memoryMiB: 104 }]);
    });

    it("a pod that would fit beside the plugin's figure alone but not beside the whole ebs-csi-node pod is an error", () => {
        // m6i.large: 8192 MiB less 574 kube-reserved and 100 eviction is 7518 MiB; ebs-csi-node 104,
        // aws-for-fluent-bit 50 and cloudwatch-agent 128 leave 7236 MiB (7300 had ebs-csi-node been 40).
        assert.ok(tooLarge(7250), "7250 MiB does not fit beside the DaemonSets");
        assert.ok(!tooLarge(7230), "7230 MiB fits");
    });

    it("aws-node counts its network policy agent: 50m CPU a node, not the aws-node container's 25m alone", () => {
        // amazon-vpc-cni-k8s v1.20.1: aws-node 25m and aws-eks-nodeagent 25m (its empty resources fall back to the chart's).
        assert.deepStrictEqual(addonDaemonSets(["vpc-cni"]), [{ name: "aws-node", cpuMilli: 50, memoryMiB: 0 }]);
        // m6i.large offers 1930m; aws-node 50, kube-proxy 100, ebs-csi-node 30, aws-for-fluent-bit 50 and
        // cloudwatch-agent 250 leave 1450m (1475m had aws-node been 25m). 1510 units are 1475m, 1484 units 1450m.
        assert.ok(tooLargeCpu(1510), "1475m does not fit beside the DaemonSets");
        assert.ok(!tooLargeCpu(1484), "1450m fits");
    });

    it("efs-csi-node takes a pod slot but no CPU or memory; Container Insights is its agent, and dcgm-exporter on GPU nodes", () => {
        // The amazon-cloudwatch-observability chart's own fluent-bit is off (containerLogs.enabled: false), so it does not count.
        assert.deepStrictEqual(addonDaemonSets(["efsCsi", "containerInsights"]), [
            { name: "efs-csi-node", cpuMilli: 0, memoryMiB: 0 },
            { name: "cloudwatch-agent", cpuMilli: 250, memoryMiB: 128 },
            { name: "dcgm-exporter", cpuMilli: 250, memoryMiB: 128, gpuNodesOnly: true },
        ]);
    });

    it("dcgm-exporter takes its 250m and 128 MiB from GPU nodes only, as its node affinity schedules it", () => {
        // amazon-cloudwatch-observability 4.5.0: dcgmExporter.enabled true, node affinity to the NVIDIA GPU instance types.
        const cfg = validateConfig(rawConfig({ "nodeGroups:general": { instanceTypes: ["m6i.large"] }, "nodeGroups:gpu": { instanceTypes: ["g5.xlarge"] } }), "test");
        const options = capacityOptions(cfg);
        assert.ok(options.daemonSets.some((d) => d.name === "dcgm-exporter"), "Container Insights is on by default");
        const plan = translate(snapshot([service()], [taskDefinition()]));
        const forPods = (daemonSets: typeof options.daemonSets, type: string) => {
            const node = checkCapacity(plan, { ...options, daemonSets }).capacity.pools.flatMap((p) => p.nodes).find((n) => n.instanceType === type);
            assert.ok(node, type);
            return node.forPods;
        };
        const without = options.daemonSets.filter((d) => d.name !== "dcgm-exporter");
        const gpu = forPods(options.daemonSets, "g5.xlarge");
        const gpuWithout = forPods(without, "g5.xlarge");
        assert.deepStrictEqual([gpuWithout.cpuMilli - gpu.cpuMilli, gpuWithout.memoryMiB - gpu.memoryMiB, gpuWithout.pods - gpu.pods], [250, 128, 1]);
        assert.deepStrictEqual(forPods(options.daemonSets, "m6i.large"), forPods(without, "m6i.large"), "a node without a GPU keeps what dcgm-exporter would take");
    });
});
