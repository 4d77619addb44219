import * as assert from "assert";
import { karpenterControllerPolicy } from "../components/iam/karpenterPolicy";
import { ec2NodeClass, nodePools } from "../components/karpenterObjects";
import { ConfigError } from "../config/errors";
import { validateConfig } from "../config/validate";
import { ecsSplit, placeSpread, SPREAD_LABEL, spreadFor, strategyOf, withKarpenterPlacement } from "../migration/capacity/spread";
import { customResourceProblems } from "../migration/translate/customResources";
import { translate } from "../migration/translate/translate";
import { at, rawConfig, runPlatform } from "./harness";
import { service, snapshot, taskDefinition } from "./translateHarness";

/** FARGATE base 1 weight 1, FARGATE_SPOT weight 3: the first task on-demand, then three of every four on Spot. */
const BASE1_1_3 = [
    { capacityProvider: "FARGATE", base: 1, weight: 1 },
    { capacityProvider: "FARGATE_SPOT", weight: 3 },
];

describe("Karpenter: ECS capacity-provider strategies as NodePools and a capacity-type spread", () => {
    it("base 1, weights 1:3 keeps the first replica on-demand and three of four others on Spot, for every replica count", () => {
        const strategy = strategyOf(BASE1_1_3);
        const spread = spreadFor(strategy);
        assert.ok(spread);
        assert.deepStrictEqual([spread.onDemand, spread.spot, spread.prefer, spread.exact], [["od-1"], ["spot-1", "spot-2", "spot-3"], "on-demand", true]);
        assert.deepStrictEqual(placeSpread(spread, 1), { onDemand: 1, spot: 0 }, "the first replica is on-demand");
        assert.deepStrictEqual(placeSpread(spread, 4), { onDemand: 1, spot: 3 });
        assert.deepStrictEqual(placeSpread(spread, 5), { onDemand: 2, spot: 3 }, "base 1 + 4 others split 1:3");
        assert.deepStrictEqual(placeSpread(spread, 9), { onDemand: 3, spot: 6 }, "base 1 + 8 others: 6 on Spot");
        for (let n = 0; n <= 60; n++) {
            assert.deepStrictEqual(placeSpread(spread, n), ecsSplit(strategy, n), `${n} replicas`);
            const others = n - 1;
            if (n >= 1 && others % 4 === 0) {
                assert.strictEqual(placeSpread(spread, n).spot, (others * 3) / 4, `three of four of the ${others} others on Spot`);
            }
        }
    });

    it("says exact only where the spread equals ECS's split for every count; elsewhere warns", () => {
        for (let od = 1; od <= 4; od++) {
            for (let spot = 1; spot <= 4; spot++) {
                for (let base = 0; base <= 2; base++) {
                    const strategy = strategyOf([
                        { capacityProvider: "FARGATE", base, weight: od },
                        { capacityProvider: "FARGATE_SPOT", weight: spot },
                    ]);
                    const spread = spreadFor(strategy);
                    assert.ok(spread);
                    const same = Array.from({ length: 40 }, (_, n) => n).every((n) => JSON.stringify(placeSpread(spread, n)) === JSON.stringify(ecsSplit(strategy, n)));
                    if (spread.exact) {
                        assert.ok(same, `${base} ${od}:${spot} is called exact`);
                    }
                }
            }
        }
        assert.strictEqual(spreadFor(strategyOf([{ capacityProvider: "FARGATE_SPOT", weight: 1 }])), undefined, "all Spot needs no spread");
    });

    it("rewrites the translated Deployment: required domains, the spread, on-demand first, Karpenter's capacity label", () => {
        const snap = snapshot([service({ serviceName: "api", desiredCount: 5, launchType: undefined, capacityProviderStrategy: BASE1_1_3 })], [taskDefinition()]);
        const plan = withKarpenterPlacement(translate(snap), snap);
        const w = plan.workloads[0];
        const deployment = w.objects.find((o) => o.kind === "Deployment");
        const pod = at(deployment, "spec.template.spec") as Record<string, unknown>;
        assert.ok(!JSON.stringify(pod).includes("eks.amazonaws.com/capacityType"), "no managed-node-group label left");
        assert.deepStrictEqual(at(pod, "topologySpreadConstraints.0"), { maxSkew: 1, topologyKey: SPREAD_LABEL, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: at(deployment, "spec.selector.matchLabels") } });
        assert.deepStrictEqual(at(pod, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions"), [
            { key: SPREAD_LABEL, operator: "In", values: ["od-1", "spot-1", "spot-2", "spot-3"] },
        ]);
        assert.deepStrictEqual(at(pod, "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution"), [
            { weight: 100, preference: { matchExpressions: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] }] } },
        ]);
        assert.ok(w.diagnostics.some((d) => d.code === "CAPACITY_SPLIT" && d.severity === "info"));
        // All-Spot services keep a required Spot affinity, in Karpenter's label.
        const spotOnly = snapshot([service({ launchType: undefined, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] })], [taskDefinition()]);
        const spotPod = at(withKarpenterPlacement(translate(spotOnly), spotOnly).workloads[0].objects.find((o) => o.kind === "Deployment"), "spec.template.spec");
        assert.deepStrictEqual(at(spotPod, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.0"), { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] });
    });

    it("the EC2NodeClass and NodePools satisfy the pinned CRDs; a wrong field is caught", () => {
        const objects = [ec2NodeClass("ecs2eks-test", "ecs2eks-test-karpenter-node", 50, {}), ...nodePools()];
        for (const o of objects) {
            assert.deepStrictEqual(customResourceProblems(o), [], `${o.kind} ${o.metadata.name}`);
        }
        const nodeClass = objects[0];
        assert.deepStrictEqual(at(nodeClass, "spec.metadataOptions"), { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" });
        assert.deepStrictEqual(at(nodeClass, "spec.blockDeviceMappings.0.ebs"), { volumeSize: "50Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true });
        assert.deepStrictEqual(at(nodeClass, "spec.amiSelectorTerms"), [{ alias: "al2023@v20260724" }]);
        const bad = { ...nodeClass, spec: { ...(nodeClass.spec as object), metadataOptions: { httpTokens: "maybe" } } };
        assert.ok(customResourceProblems(bad).some((p) => /httpTokens/.test(p)));
        const typo = { ...objects[1], spec: { ...(objects[1].spec as object), limit: {} } };
        assert.ok(customResourceProblems(typo).some((p) => /limit is not in the/.test(p)));
    });

    it("the controller may terminate only instances tagged for this cluster and a NodePool, and pass only its node role", () => {
        const doc = karpenterControllerPolicy("prod", "aws", "eu-west-1", "123456789012");
        const statement = (sid: string) => doc.Statement.find((s) => s.Sid === sid);
        assert.deepStrictEqual(at(statement("AllowScopedDeletion"), "Condition.StringEquals"), { "aws:ResourceTag/kubernetes.io/cluster/prod": "owned" });
        assert.strictEqual(statement("AllowPassingInstanceRole")?.Resource, "arn:aws:iam::123456789012:role/prod-karpenter-node");
        assert.strictEqual(statement("AllowInterruptionQueueActions")?.Resource, "arn:aws:sqs:eu-west-1:123456789012:prod-karpenter");
    });

    it("Karpenter and Auto Mode together are a config error", () => {
        assert.throws(() => validateConfig(rawConfig({ "addons:nodeProvisioner": "karpenter", "cluster:autoMode": "true" }), "t"), (e: unknown) => e instanceof ConfigError && /choose one/.test(e.message));
        assert.throws(() => validateConfig(rawConfig({ "addons:nodeProvisioner": "carpenter" }), "t"), /cluster-autoscaler, karpenter/);
    });

    it("previews offline: controller, queue with SSE, five EventBridge rules, node role, NodePools; no Cluster Autoscaler", async () => {
        const platform = await runPlatform(rawConfig({ "addons:nodeProvisioner": "karpenter" }));
        const releases = platform.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart);
        assert.ok(releases.includes("oci://public.ecr.aws/karpenter/karpenter"), JSON.stringify(releases));
        assert.ok(!releases.includes("cluster-autoscaler"));
        assert.strictEqual(platform.input("aws:sqs/queue:Queue", undefined, "sqsManagedSseEnabled"), true);
        assert.strictEqual(platform.ofType("aws:cloudwatch/eventRule:EventRule").length, 5);
        assert.strictEqual(platform.ofType("aws:cloudwatch/eventTarget:EventTarget").length, 5);
        assert.strictEqual(platform.input("aws:eks/accessEntry:AccessEntry", "karpenter-node", "type"), "EC2_LINUX");
        assert.deepStrictEqual(platform.ofType("kubernetes:karpenter.sh/v1:NodePool").map((r) => r.name).sort(), ["karpenter-nodepool-on-demand", "karpenter-nodepool-spot"]);
        assert.strictEqual(platform.ofType("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").length, 1);
        const release = platform.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "oci://public.ecr.aws/karpenter/karpenter");
        assert.deepStrictEqual(at(release?.inputs, "values.settings"), { clusterName: "ecs2eks-test", interruptionQueue: "ecs2eks-test-karpenter" });
        const standard = await runPlatform();
        assert.ok(standard.ofType("kubernetes:helm.sh/v3:Release").some((r) => r.inputs.chart === "cluster-autoscaler"));
        assert.strictEqual(standard.ofType("kubernetes:karpenter.sh/v1:NodePool").length, 0);
    });
});
