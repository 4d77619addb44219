import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { HELM_CHARTS } from "../components/addons/versions";
import { validateConfig } from "../config/validate";
import { CONTRACT_FILES, ContractSchema, EKS_MANAGED_CONTROLLERS } from "../crds";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { isCustomResource } from "../migration/translate/customResources";
import { EXTERNAL_SECRETS_API } from "../migration/translate/secrets";
import { translate } from "../migration/translate/translate";
import { K8sObject } from "../migration/translate/types";
import { validateObject, validateObjects } from "../migration/translate/validate";
import { UpstreamCrd, structural, upstreamCrdDir, upstreamCrds } from "../migration/translate/upstreamCrds";
import { buildStack } from "../program";
import { runOffline } from "../preview/run";
import { rawConfig } from "./harness";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "examples", "shop", "snapshot.json");
const CRDS = path.join(ROOT, "crds");

/** The charts whose CRDs the translator and the components emit objects of. */
const CRD_CHARTS = ["external-secrets", "keda", "aws-load-balancer-controller"] as const;

/**
 * The versions and flags the upstream CRDs declare at the pinned versions, as
 * read (crds/README.md lists the files): the contracts must say the same.
 */
const UPSTREAM_FLAGS: Record<string, Record<string, Record<string, [served: boolean, storage: boolean]>>> = {
    "external-secrets/0.19.2.json": {
        "external-secrets.io/ExternalSecret": { v1: [true, true], v1beta1: [false, false] },
        "external-secrets.io/SecretStore": { v1: [true, true], v1beta1: [false, false] },
    },
    "keda/2.18.3.json": {
        "keda.sh/ScaledObject": { v1alpha1: [true, true] },
        "keda.sh/TriggerAuthentication": { v1alpha1: [true, true] },
    },
    "aws-load-balancer-controller/1.13.4.json": {
        "elbv2.k8s.aws/TargetGroupBinding": { v1alpha1: [true, false], v1beta1: [true, true] },
    },
    "amazon-vpc-resource-controller/1.7.19.json": {
        "vpcresources.k8s.aws/SecurityGroupPolicy": { v1beta1: [true, true] },
    },
    "snapshot-controller/8.6.0.json": {
        "snapshot.storage.k8s.io/VolumeSnapshotClass": { v1: [true, true], v1beta1: [false, false] },
        "snapshot.storage.k8s.io/VolumeSnapshotContent": { v1: [true, true], v1beta1: [false, false] },
        "snapshot.storage.k8s.io/VolumeSnapshot": { v1: [true, true], v1beta1: [false, false] },
    },
    "karpenter/1.13.0.json": {
        "karpenter.sh/NodePool": { v1: [true, true] },
        "karpenter.k8s.aws/EC2NodeClass": { v1: [true, true] },
    },
};

function planObjects(): K8sObject[] {
    const plan = translate(readSnapshotFile(SAMPLE));
    return [...plan.namespaces.flatMap((n) => n.objects), ...plan.workloads.flatMap((w) => w.objects)];
}

const problemsOf = (obj: K8sObject): string[] => validateObject(obj);
function expectProblem(objects: K8sObject | K8sObject[], pattern: RegExp): void {
    const problems = Array.isArray(objects) ? validateObjects(objects) : problemsOf(objects);
    assert.ok(problems.some((p) => pattern.test(p)), `${JSON.stringify(problems, null, 1)} does not match ${pattern}`);
}

describe("custom resources against the CRDs of the pinned charts", () => {
    const objects = planObjects();
    const custom = objects.filter((o) => isCustomResource(o.apiVersion));
    const one = (kind: string): K8sObject => {
        const found = custom.find((o) => o.kind === kind);
        assert.ok(found, `the sample shop's plan has a ${kind}`);
        return JSON.parse(JSON.stringify(found)) as K8sObject;
    };

    it("the sample shop's plan: every custom resource is of a served version and validates", () => {
        assert.deepStrictEqual([...new Set(custom.map((o) => `${o.apiVersion}/${o.kind}`))].sort(), [
            "external-secrets.io/v1/ExternalSecret",
            "external-secrets.io/v1/SecretStore",
            "keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication",
            "vpcresources.k8s.aws/v1beta1/SecurityGroupPolicy",
        ]);
        assert.deepStrictEqual(validateObjects(objects), []);
    });

    it("emits the External Secrets version the pinned chart serves", () => {
        assert.strictEqual(EXTERNAL_SECRETS_API, "external-secrets.io/v1");
    });

    it("rejects a v1beta1 ExternalSecret: chart 0.19.2 no longer serves it", () => {
        const es = { ...one("ExternalSecret"), apiVersion: "external-secrets.io/v1beta1" };
        assert.deepStrictEqual(problemsOf(es), [
            "ExternalSecret shop/orders-secrets: ExternalSecret external-secrets.io/v1beta1 is not served by the pinned external-secrets chart 0.19.2 (served: v1); emit external-secrets.io/v1",
        ]);
        expectProblem({ ...one("SecretStore"), apiVersion: "external-secrets.io/v1beta1" }, /SecretStore external-secrets.io\/v1beta1 is not served/);
        expectProblem({ ...one("ScaledObject"), apiVersion: "keda.sh/v1beta1" }, /is not a version of the scaledobjects.keda.sh CRD of the pinned keda chart 2.18.3 \(served: v1alpha1\)/);
    });

    it("reports a field the API server would prune, and a value the schema refuses", () => {
        const sgp = one("SecurityGroupPolicy");
        (sgp.spec as { securityGroups: Record<string, unknown> }).securityGroups = { groupIDs: ["sg-0123456789abcdef0"] };
        expectProblem(sgp, /spec\.securityGroups\.groupIDs is not in the vpcresources.k8s.aws\/v1beta1 SecurityGroupPolicy schema of the amazon-vpc-resource-controller 1.7.19 that EKS runs: the API server would prune it/);
        expectProblem(sgp, /no securityGroups.groupIds: the VPC resource controller ignores the policy/);

        const es = one("ExternalSecret");
        const spec = es.spec as { target: Record<string, unknown>; data: { secretKey: string }[] };
        spec.target.templte = { type: "Opaque" };
        spec.target.creationPolicy = "Always";
        spec.data[0].secretKey = "DB PASSWORD";
        expectProblem(es, /spec\.target\.templte is not in the external-secrets.io\/v1 ExternalSecret schema .* would prune it/);
        expectProblem(es, /spec\.target\.creationPolicy is "Always", not one of Owner, Orphan, Merge, None/);
        expectProblem(es, /spec\.data\[0\]\.secretKey must match pattern/);

        const so = one("ScaledObject");
        (so.spec as Record<string, unknown>).minReplicaCount = "2";
        expectProblem(so, /spec\.minReplicaCount must be integer .*; is "2"/);
    });

    it("applies ESO's admission rules: duplicate keys, a store reaching into another namespace, an empty ExternalSecret", () => {
        const es = one("ExternalSecret");
        const spec = es.spec as { data: unknown[] };
        spec.data = [...spec.data, spec.data[0]];
        expectProblem(es, /secretKey orders.DB_PASSWORD is given twice/);
        spec.data = [];
        expectProblem(es, /either data or dataFrom must be given/);

        const store = one("SecretStore");
        const aws = (store.spec as { provider: { aws: { auth: { jwt: { serviceAccountRef: Record<string, unknown> } }; region: string } } }).provider.aws;
        aws.auth.jwt.serviceAccountRef.namespace = "kube-system";
        aws.region = "";
        expectProblem(store, /serviceAccountRef.namespace kube-system is not the store's namespace shop/);
        expectProblem(store, /region "" is not a region/);
    });

    it("applies KEDA's rules: a workload scaled by an HPA and a ScaledObject, min above max, cpu without a request", () => {
        const so = one("ScaledObject");
        const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "cart") as K8sObject;
        const hpa: K8sObject = {
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: { name: "cart", namespace: "shop" },
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "cart" }, minReplicas: 2, maxReplicas: 8, metrics: [] },
        };
        expectProblem([deployment, so, hpa], /ScaledObject shop\/cart: its target cart is already scaled by the HorizontalPodAutoscaler cart: KEDA's webhook rejects it/);
        assert.deepStrictEqual(validateObjects([deployment, so]), [], "the ScaledObject alone is fine");

        const spec = so.spec as Record<string, unknown>;
        spec.minReplicaCount = 9;
        expectProblem(so, /minReplicaCount 9 is above maxReplicaCount 8: KEDA does not reconcile it/);

        spec.minReplicaCount = 1;
        spec.triggers = [{ type: "cpu", metricType: "Utilization", metadata: { value: "60" } }];
        const bare = JSON.parse(JSON.stringify(deployment)) as { spec: { template: { spec: { containers: { resources?: unknown }[] } } } };
        bare.spec.template.spec.containers.forEach((c) => delete c.resources);
        expectProblem([bare as unknown as K8sObject, so], /a cpu trigger, but container .* has no cpu request: KEDA's webhook rejects it/);
    });

    it("applies KEDA 2.18's rules: cpu and memory need metricType, not metadata.type; fallback takes any metricType; a takeover names its HPA", () => {
        const so = one("ScaledObject");
        const spec = so.spec as Record<string, unknown>;
        spec.minReplicaCount = 1;
        // What a 2.17 manifest could still say: 2.18's cpu scaler fails on metadata.type.
        spec.triggers = [
            { type: "cpu", metadata: { type: "Utilization", value: "60" } },
            { type: "memory", metricType: "Value", metadata: { value: "512Mi" } },
        ];
        expectProblem(so, /triggers\[0\] \(cpu\): metadata.type was removed in KEDA 2.18; set the trigger's metricType \(Utilization or AverageValue\) instead/);
        expectProblem(so, /triggers\[0\] \(cpu\): metricType is unset; the cpu scaler needs Utilization or AverageValue/);
        expectProblem(so, /triggers\[1\] \(memory\): metricType is "Value"; the memory scaler needs Utilization or AverageValue/);
        spec.triggers = [{ type: "cpu", metricType: "Utilization", metadata: { value: "60" } }];
        assert.deepStrictEqual(problemsOf(so), []);

        // 2.17 refused a fallback whose only other trigger reads a Value metric; 2.18 accepts it (keda#6655).
        spec.fallback = { failureThreshold: 3, replicas: 2 };
        expectProblem(so, /fallback needs a trigger other than cpu or memory: KEDA's webhook rejects it/);
        spec.triggers = [
            { type: "cpu", metricType: "Utilization", metadata: { value: "60" } },
            { type: "aws-sqs-queue", metricType: "Value", metadata: { queueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/orders", queueLength: "5", awsRegion: "us-east-1" } },
        ];
        assert.deepStrictEqual(problemsOf(so), []);

        const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "cart") as K8sObject;
        const hpa: K8sObject = {
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: { name: "cart-legacy", namespace: "shop" },
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "cart" }, minReplicas: 2, maxReplicas: 8, metrics: [] },
        };
        const taking = one("ScaledObject");
        const takeover: K8sObject = { ...taking, metadata: { ...taking.metadata, annotations: { "scaledobject.keda.sh/transfer-hpa-ownership": "true" } } };
        expectProblem([deployment, takeover, hpa], /ScaledObject shop\/cart: transfer-hpa-ownership is set, but advanced.horizontalPodAutoscalerConfig.name does not name the HorizontalPodAutoscaler cart-legacy/);
        const advanced = (takeover.spec as { advanced: { horizontalPodAutoscalerConfig: Record<string, unknown> } }).advanced;
        advanced.horizontalPodAutoscalerConfig.name = "cart-legacy";
        assert.deepStrictEqual(validateObjects([deployment, takeover, hpa]), []);
    });

    it("applies the load balancer controller's rules: a TargetGroupBinding needs a target group ARN or name", () => {
        const binding = (spec: Record<string, unknown>): K8sObject => ({
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "TargetGroupBinding",
            metadata: { name: "web-50000", namespace: "shop" },
            spec: { serviceRef: { name: "web", port: 8080 }, targetType: "ip", ...spec },
        });
        expectProblem(binding({}), /needs targetGroupARN or targetGroupName: the AWS Load Balancer Controller's webhook rejects it/);
        const arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
        assert.deepStrictEqual(problemsOf(binding({ targetGroupARN: arn })), []);
        assert.deepStrictEqual(problemsOf(binding({ targetGroupName: "web" })), []);
        expectProblem(binding({ targetGroupARN: arn, nodeSelector: { matchLabels: { a: "b" } } }), /nodeSelector cannot be set when targetType is ip/);
        expectProblem([binding({ targetGroupARN: arn }), { ...binding({ targetGroupARN: arn }), metadata: { name: "other", namespace: "shop" } }], /all bind target group .*multiClusterTargetGroup/);
    });
});

describe("custom resources the components declare, under mocks", function () {
    this.timeout(120000);

    it("every custom resource of the sample shop's migration validates against the pinned CRDs", async () => {
        const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "migration:cutover": { default: { eksWeight: 10 } } });
        const snapshot = readSnapshotFile(SAMPLE);
        const result = await runOffline({ project: "ecs2eks", stack: "test", config: { values: raw, secretKeys: [] }, program: () => ({ ...buildStack(validateConfig(raw, "test"), snapshot) }) });
        const declared = result.resources
            .map((r) => ({ token: /^kubernetes:([^:]+)\/([^/:]+):(\w+)$/.exec(r.type), inputs: r.inputs }))
            .filter((r) => r.token && isCustomResource(`${r.token[1]}/${r.token[2]}`))
            .map((r) => r.inputs as unknown as K8sObject);
        const kinds = [...new Set(declared.map((o) => `${o.apiVersion}/${o.kind}`))].sort();
        assert.deepStrictEqual(kinds, [
            "elbv2.k8s.aws/v1beta1/TargetGroupBinding",
            "external-secrets.io/v1/ExternalSecret",
            "external-secrets.io/v1/SecretStore",
            "keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication",
            "snapshot.storage.k8s.io/v1/VolumeSnapshotClass",
            "vpcresources.k8s.aws/v1beta1/SecurityGroupPolicy",
        ]);
        assert.deepStrictEqual(validateObjects(declared), []);
    });
});

describe("the CRD contracts in crds/", () => {
    it("exist for every pinned chart whose CRDs we emit, so a chart upgrade forces the refresh", () => {
        for (const chart of CRD_CHARTS) {
            const file = `${chart}/${HELM_CHARTS[chart].version}.json`;
            assert.ok(fs.existsSync(path.join(CRDS, file)), `components/addons/versions.ts pins ${chart} ${HELM_CHARTS[chart].version}: write crds/${file} from that chart's CRDs (crds/README.md)`);
            assert.ok(CONTRACT_FILES[file], `crds/${file} exists but crds/index.ts does not register it`);
        }
        for (const [controller, version] of Object.entries(EKS_MANAGED_CONTROLLERS)) {
            assert.ok(CONTRACT_FILES[`${controller}/${version}.json`], `no contract for ${controller} ${version}`);
        }
        // Every component that owns a CRD we emit is pinned in versions.ts or EKS-managed.
        for (const c of Object.values(CONTRACT_FILES)) {
            assert.ok(c.component in HELM_CHARTS || c.component in EKS_MANAGED_CONTROLLERS, `${c.component} is neither a pinned chart nor an EKS-managed controller`);
        }
    });

    it("are all registered, named after their component and version, and say where they were read", () => {
        const onDisk = fs.readdirSync(CRDS, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => fs.readdirSync(path.join(CRDS, d.name)).map((f) => `${d.name}/${f}`));
        assert.deepStrictEqual(onDisk.sort(), Object.keys(CONTRACT_FILES).sort());
        for (const [file, c] of Object.entries(CONTRACT_FILES)) {
            assert.strictEqual(file, `${c.component}/${c.version}.json`);
            assert.match(c.read.date, /^\d{4}-\d{2}-\d{2}$/);
            for (const crd of c.crds) {
                const source = c.read.sources.find((s) => s.path === crd.source);
                assert.ok(source, `${file}: ${crd.kind} names no read source`);
                assert.match(source.sha256 ?? "", /^[0-9a-f]{64}$/, `${file}: ${crd.source} has no sha256`);
                assert.match(source.commit, /^[0-9a-f]{40}$/);
                assert.ok(source.repository.includes("/") && source.tag.length > 0);
            }
        }
    });

    it("declare the served and storage flags upstream declares: one storage version, served, and a schema for each served version", () => {
        const flags = Object.fromEntries(
            Object.entries(CONTRACT_FILES).map(([file, c]) => [file, Object.fromEntries(c.crds.map((crd) => [`${crd.group}/${crd.kind}`, Object.fromEntries(crd.versions.map((v) => [v.name, [v.served, v.storage]]))]))]),
        );
        assert.deepStrictEqual(flags, UPSTREAM_FLAGS);
        for (const c of Object.values(CONTRACT_FILES)) {
            for (const crd of c.crds) {
                const storage = crd.versions.filter((v) => v.storage);
                assert.strictEqual(storage.length, 1, `${crd.kind}: one storage version`);
                assert.ok(storage[0].served, `${crd.kind}: the storage version is served`);
                assert.ok(crd.versions.every((v) => !v.served || typeof v.schema === "object"), `${crd.kind}: a schema for every served version`);
            }
        }
    });
});

type Node = { readonly [k: string]: unknown };
const CONSTRAINTS = ["type", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "minProperties", "maxProperties", "format"];

/**
 * Where our contract schema says something other than upstream's: it may
 * leave a field unmodelled (`true`), but a field it models must have
 * upstream's type, constraints, required list and sibling fields, closed
 * where upstream is.
 */
function divergences(ours: ContractSchema | undefined, theirs: Node, root: Node, at: string): string[] {
    if (ours === true) {
        return [];
    }
    if (ours === undefined || ours === false) {
        return [`${at}: not in our contract`];
    }
    let o = ours as Node;
    if (typeof o.$ref === "string") {
        o = (root.definitions as Record<string, Node>)[o.$ref.replace("#/definitions/", "")];
    }
    const out: string[] = [];
    for (const k of CONSTRAINTS) {
        if (JSON.stringify(o[k]) !== JSON.stringify(theirs[k])) {
            out.push(`${at}: ${k} is ${JSON.stringify(o[k])}, upstream ${JSON.stringify(theirs[k])}`);
        }
    }
    if (JSON.stringify([...((o.required as string[]) ?? [])].sort()) !== JSON.stringify([...((theirs.required as string[]) ?? [])].sort())) {
        out.push(`${at}: required ${JSON.stringify(o.required)}, upstream ${JSON.stringify(theirs.required)}`);
    }
    const props = (o.properties ?? {}) as Record<string, ContractSchema>;
    const upstreamProps = (theirs.properties ?? {}) as Record<string, Node>;
    if (JSON.stringify(Object.keys(props).sort()) !== JSON.stringify(Object.keys(upstreamProps).sort())) {
        out.push(`${at}: fields ${Object.keys(props).sort().join(",")}, upstream ${Object.keys(upstreamProps).sort().join(",")}`);
    }
    for (const [k, sub] of Object.entries(props)) {
        if (upstreamProps[k]) {
            out.push(...divergences(sub, upstreamProps[k], root, `${at}.${k}`));
        }
    }
    if (typeof theirs.additionalProperties === "object") {
        out.push(...divergences(o.additionalProperties as ContractSchema, theirs.additionalProperties as Node, root, `${at}{}`));
    } else if (o.additionalProperties !== theirs.additionalProperties) {
        out.push(`${at}: additionalProperties ${JSON.stringify(o.additionalProperties)}, upstream ${JSON.stringify(theirs.additionalProperties)}`);
    }
    if (o.items !== undefined || theirs.items !== undefined) {
        out.push(...divergences(o.items as ContractSchema, (theirs.items ?? {}) as Node, root, `${at}[]`));
    }
    if (JSON.stringify(o.anyOf) !== JSON.stringify(theirs.anyOf)) {
        out.push(`${at}: anyOf ${JSON.stringify(o.anyOf)}, upstream ${JSON.stringify(theirs.anyOf)}`);
    }
    return out;
}

describe("the CRD contracts against the full upstream CRDs, where they are on disk (ECS2EKS_UPSTREAM_CRDS)", function () {
    before(function () {
        if (!fs.existsSync(upstreamCrdDir())) {
            this.skip();
        }
    });

    for (const [file, c] of Object.entries(CONTRACT_FILES)) {
        it(`${file}: versions, flags and modelled fields match upstream`, function () {
            const upstream: readonly UpstreamCrd[] = upstreamCrds(c.component, c.version) ?? [];
            if (upstream.length === 0) {
                this.skip();
            }
            for (const crd of c.crds) {
                const theirs: UpstreamCrd | undefined = upstream.find((u) => u.group === crd.group && u.kind === crd.kind);
                assert.ok(theirs, `${upstreamCrdDir()}/${c.component}/${c.version} has no ${crd.kind}`);
                assert.deepStrictEqual(
                    crd.versions.map((v) => [v.name, v.served, v.storage]),
                    theirs.versions.map((v) => [v.name, v.served, v.storage]),
                );
                for (const v of crd.versions.filter((x) => x.served)) {
                    const upstreamSchema = structural(theirs.versions.find((x) => x.name === v.name)?.schema) as Node;
                    assert.deepStrictEqual(divergences(v.schema as ContractSchema, upstreamSchema, v.schema as Node, `${crd.kind} ${v.name}`), []);
                }
            }
        });
    }

    it("the sample shop's custom resources validate against upstream's schemas too", () => {
        assert.deepStrictEqual(validateObjects(planObjects()), []);
    });
});
