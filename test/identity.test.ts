import * as assert from "assert";
import * as path from "path";
import { ADDONS, addonsOf } from "../components/addons/registry";
import { AddonModule, DEFAULT_COMPUTE } from "../components/addons/types";
import { clusterAutoscalerPolicy, kedaPolicy, loadBalancerControllerPolicy } from "../components/iam/addonPolicies";
import { PolicyDocument, allowedActions, irsaTrustPolicy } from "../core/iam/policyDocument";
import { eksClusterArn, podIdentityTrustPolicy, serviceTrustPolicy, workloadTrustPolicy } from "../core/iam/trustPolicy";
import { validateConfig } from "../config/validate";
import { readSnapshotFile } from "../migration/ecs/snapshotFile";
import { checkResources } from "../policy/rules";
import { MOCK_ACCOUNT } from "../preview/mocks";
import { PreviewResource, runOffline } from "../preview/run";
import { buildStack } from "../program";
import { Platform, rawConfig, runPlatform } from "./harness";

/** The add-ons a stack with the default compute choice installs (Karpenter only with addons:nodeProvisioner karpenter). */
// Off-by-default add-ons (Velero) are not in the default stack.
const installedByDefault = (a: AddonModule): boolean => (!a.installWhen || a.installWhen(DEFAULT_COMPUTE)) && (!a.toggle || a.toggle.default);

/** The cluster add-ons' service accounts by add-on key, as the registry declares them. */
const ADDON_SERVICE_ACCOUNTS = Object.fromEntries(
    addonsOf("cluster").filter(installedByDefault).flatMap((a) => (a.identity ? [[a.key, { namespace: a.identity.namespace, name: a.identity.serviceAccount }] as const] : [])),
);

/** Every add-on role by its resource name, with the namespace:service account it is for. */
const ADDON_ROLE_SUBJECTS: Record<string, string> = Object.fromEntries(
    ADDONS.filter(installedByDefault).flatMap((a: AddonModule) => (a.identity ? [[`${a.phase === "core" ? "core" : "addons"}-${a.key}`, `${a.identity.namespace}:${a.identity.serviceAccount}`]] : [])),
);

const SAMPLE = path.join(__dirname, "..", "..", "examples", "shop", "snapshot.json");
const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ROLE = "aws:iam/role:Role";
const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";

function trustOf(platform: Platform, roleName: string): PolicyDocument {
    return JSON.parse(String(platform.input(ROLE, roleName, "assumeRolePolicy"))) as PolicyDocument;
}

function inlinePolicyOf(platform: Platform, roleName: string): PolicyDocument {
    return JSON.parse(String(platform.input("aws:iam/rolePolicy:RolePolicy", `${roleName}-policy`, "policy"))) as PolicyDocument;
}

/** Every role a ServiceAccountRole made, by the component's name. */
function irsaRoles(platform: Platform): string[] {
    return platform.ofType("ecs2eks:identity:IrsaRole").map((c) => c.name).sort();
}

describe("ServiceAccountRole", () => {
    describe("with IRSA (default)", () => {
        let platform: Platform;
        before(async () => {
            platform = await runPlatform();
        });

        it("trusts exactly one service account: StringEquals on sub and aud, nothing else", () => {
            // These roles are live in running stacks: a new name or subject would replace them.
            const live: Record<string, string> = {
                "core-vpc-cni": "kube-system:aws-node",
                "addons-efsCsi": "kube-system:efs-csi-controller-sa",
                "addons-loadBalancerController": "kube-system:aws-load-balancer-controller",
                "addons-clusterAutoscaler": "kube-system:cluster-autoscaler",
                "addons-keda": "keda:keda-operator",
            };
            const expected = ADDON_ROLE_SUBJECTS;
            assert.deepStrictEqual(Object.fromEntries(Object.keys(live).map((r) => [r, expected[r]])), live);
            assert.deepStrictEqual(irsaRoles(platform), Object.keys(expected).sort());
            for (const [role, account] of Object.entries(expected)) {
                assert.deepStrictEqual(trustOf(platform, role), {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Federated: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${ISSUER}` },
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Condition: { StringEquals: { [`${ISSUER}:sub`]: `system:serviceaccount:${account}`, [`${ISSUER}:aud`]: "sts.amazonaws.com" } },
                        },
                    ],
                }, role);
            }
        });

        it("creates the service account annotated with the role, unless an EKS add-on owns it", () => {
            const accounts = platform.ofType(SERVICE_ACCOUNT).map((sa) => `${sa.inputs.metadata && (sa.inputs.metadata as { namespace: string }).namespace}/${(sa.inputs.metadata as { name: string }).name}`);
            const ours = ADDONS.filter(installedByDefault).flatMap((a: AddonModule) => (a.identity?.createdBy === "ecs2eks" ? [`${a.identity.namespace}/${a.identity.serviceAccount}`] : []));
            assert.deepStrictEqual(accounts.sort(), ours.sort());
            assert.ok(["keda/keda-operator", "kube-system/aws-load-balancer-controller", "kube-system/cluster-autoscaler"].every((sa) => ours.includes(sa)));
            for (const sa of platform.ofType(SERVICE_ACCOUNT)) {
                assert.match(String((sa.inputs.metadata as { annotations: Record<string, string> }).annotations["eks.amazonaws.com/role-arn"]), /^arn:aws:iam::\d{12}:role\//);
            }
            assert.strictEqual(platform.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").length, 0);
        });

        it("hands the role to the EKS add-ons that own their service accounts", () => {
            assert.match(String(platform.input("aws:eks/addon:Addon", "core-vpc-cni", "serviceAccountRoleArn")), /role\/core-vpc-cni/);
            assert.match(String(platform.input("aws:eks/addon:Addon", "addons-aws-efs-csi-driver", "serviceAccountRoleArn")), /role\/addons-efsCsi/);
        });

        it("grants no wildcard action, and nothing of IAM but the load balancer's service-linked role and certificates", () => {
            for (const rp of platform.ofType("aws:iam/rolePolicy:RolePolicy")) {
                const actions = allowedActions(JSON.parse(String(rp.inputs.policy)) as PolicyDocument);
                assert.deepStrictEqual(actions.filter((a) => a.includes("*")), [], rp.name);
                assert.deepStrictEqual(
                    actions.filter((a) => a.startsWith("iam:")),
                    rp.name === "addons-loadBalancerController-policy" ? ["iam:CreateServiceLinkedRole", "iam:ListServerCertificates", "iam:GetServerCertificate"] : [],
                    rp.name,
                );
            }
        });

        it("attaches only the managed policy each add-on documents", () => {
            const attached = (role: string) =>
                platform.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith(`${role}-`)).map((a) => a.inputs.policyArn);
            assert.deepStrictEqual(attached("core-vpc-cni"), ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
            assert.deepStrictEqual(attached("addons-efsCsi"), ["arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"]);
            assert.deepStrictEqual(attached("addons-loadBalancerController"), []);
        });

        it("gives the load balancer controller its published policy", () => {
            assert.deepStrictEqual(inlinePolicyOf(platform, "addons-loadBalancerController"), loadBalancerControllerPolicy("aws"));
            // Service-linked role creation is limited to Elastic Load Balancing.
            assert.deepStrictEqual(loadBalancerControllerPolicy("aws").Statement[0].Condition, {
                StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
            });
        });

        it("lets Cluster Autoscaler resize only this cluster's node groups", () => {
            const doc = inlinePolicyOf(platform, "addons-clusterAutoscaler");
            assert.deepStrictEqual(doc, clusterAutoscalerPolicy("ecs2eks-test", "aws", "us-east-1", MOCK_ACCOUNT));
            const scale = doc.Statement.find((s) => s.Sid === "ScaleOwnNodeGroups");
            assert.deepStrictEqual(scale?.Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/ecs2eks-test": "owned" } });
            assert.strictEqual(doc.Statement.find((s) => s.Sid === "DescribeOwnNodeGroups")?.Resource, `arn:aws:eks:us-east-1:${MOCK_ACCOUNT}:nodegroup/ecs2eks-test/*`);
        });

        it("lets KEDA read queue depth and metrics, never messages", () => {
            const doc = inlinePolicyOf(platform, "addons-keda");
            assert.deepStrictEqual(doc, kedaPolicy("aws", "us-east-1", MOCK_ACCOUNT));
            assert.deepStrictEqual(allowedActions(doc).sort(), [
                "cloudwatch:GetMetricData",
                "cloudwatch:GetMetricStatistics",
                "cloudwatch:ListMetrics",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
            ]);
            assert.strictEqual(doc.Statement[0].Resource, `arn:aws:sqs:us-east-1:${MOCK_ACCOUNT}:*`);
        });
    });

    describe("with EKS Pod Identity", () => {
        let platform: Platform;
        before(async () => {
            platform = await runPlatform(rawConfig({ "identity:mode": "pod-identity" }));
        });

        it("trusts EKS Pod Identity for this account, this cluster, and the one namespace and service account", () => {
            const roles = irsaRoles(platform).filter((r) => r !== "core-vpc-cni");
            assert.deepStrictEqual(roles, Object.keys(ADDON_SERVICE_ACCOUNTS).map((k) => `addons-${k}`).sort());
            for (const [key, sa] of Object.entries(ADDON_SERVICE_ACCOUNTS)) {
                assert.deepStrictEqual(trustOf(platform, `addons-${key}`).Statement, [
                    {
                        Effect: "Allow",
                        Principal: { Service: "pods.eks.amazonaws.com" },
                        Action: ["sts:AssumeRole", "sts:TagSession"],
                        Condition: {
                            StringEquals: {
                                "aws:SourceAccount": MOCK_ACCOUNT,
                                "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:us-east-1:${MOCK_ACCOUNT}:cluster/ecs2eks-test`,
                                "aws:RequestTag/kubernetes-namespace": sa.namespace,
                                "aws:RequestTag/kubernetes-service-account": sa.name,
                            },
                        },
                    },
                ], key);
            }
        });

        it("passes the policy pack's trust rules", () => {
            const roles = platform.ofType(ROLE);
            assert.ok(roles.length > 5);
            assert.deepStrictEqual(checkResources(roles).filter((v) => v.enforcementLevel === "mandatory"), []);
        });

        it("associates each role with its service account, which carries no role annotation", () => {
            const associations = platform
                .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
                .map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`)
                .sort();
            assert.deepStrictEqual(
                associations,
                Object.values(ADDON_SERVICE_ACCOUNTS).map((sa) => `${sa.namespace}/${sa.name}`).sort(),
            );
            for (const sa of platform.ofType(SERVICE_ACCOUNT)) {
                assert.deepStrictEqual((sa.inputs.metadata as { annotations: unknown }).annotations, {});
            }
        });

        it("keeps the VPC CNI on IRSA: pods need addresses before any identity agent runs", () => {
            assert.strictEqual(trustOf(platform, "core-vpc-cni").Statement[0].Action, "sts:AssumeRoleWithWebIdentity");
        });
    });

    describe("the same roles for migrated workloads, where they always were", () => {
        let platform: Platform;
        before(async function () {
            this.timeout(60000);
            const raw = rawConfig({ "migration:source": "snapshot", "migration:snapshotFile": SAMPLE, "identity:mode": "pod-identity" });
            const result = await runOffline({
                project: "ecs2eks",
                stack: "test",
                config: { values: raw, secretKeys: [] },
                program: () => ({ ...buildStack(validateConfig(raw, "test"), readSnapshotFile(SAMPLE)) }),
            });
            platform = new Platform(result);
        });

        /** A resource's type and name, then its parent's, up to the stack: what its URN is made of. */
        const lineage = (type: string, name: string): string[] => {
            const chain: string[] = [];
            for (let r = platform.one(type, name) as PreviewResource | undefined; r && r.type !== "pulumi:pulumi:Stack"; r = platform.parentOf(r)) {
                chain.push(`${r.type}::${r.name}`);
            }
            return chain;
        };

        // A different parent or type would give these live resources new URNs, and Pulumi would replace them.
        it("keeps each role's URN: add-on roles in their component, cloned task roles in their workload, readers in the migration", () => {
            const association = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
            assert.deepStrictEqual(lineage(ROLE, "addons-keda"), [`${ROLE}::addons-keda`, "ecs2eks:identity:IrsaRole::addons-keda", "ecs2eks:addons:ClusterAddons::addons"]);
            assert.deepStrictEqual(lineage(association, "addons-keda"), [`${association}::addons-keda`, "ecs2eks:identity:IrsaRole::addons-keda", "ecs2eks:addons:ClusterAddons::addons"]);
            assert.deepStrictEqual(lineage(ROLE, "core-vpc-cni"), [`${ROLE}::core-vpc-cni`, "ecs2eks:identity:IrsaRole::core-vpc-cni", "ecs2eks:addons:CoreAddons::core"]);
            assert.deepStrictEqual(lineage(ROLE, "shop-orders"), [`${ROLE}::shop-orders`, "ecs2eks:migration:Workload::shop-orders", "ecs2eks:migration:EcsMigration::migration"]);
            assert.deepStrictEqual(lineage(association, "shop-orders"), [`${association}::shop-orders`, "ecs2eks:migration:Workload::shop-orders", "ecs2eks:migration:EcsMigration::migration"]);
            assert.deepStrictEqual(lineage(ROLE, "shop-secret-reader"), [`${ROLE}::shop-secret-reader`, "ecs2eks:migration:EcsMigration::migration"]);
            // Readers stay on IRSA: a SecretStore authenticates with its service account's token.
            assert.strictEqual(platform.ofType(association).filter((a) => a.name.endsWith("-secret-reader")).length, 0);
        });

        it("keeps a cloned task role's policies on the role itself, as the source role had them", () => {
            const orders = platform.one(ROLE, "shop-orders");
            assert.ok(Array.isArray(orders.inputs.inlinePolicies) && (orders.inputs.inlinePolicies as unknown[]).length > 0);
            assert.deepStrictEqual(platform.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.startsWith("shop-")), []);
        });
    });

    describe("roles AWS services assume", () => {
        let platform: Platform;
        before(async () => {
            platform = await runPlatform();
        });

        it("bind the cluster role and the node role to this account whenever the service says which account it acts for", () => {
            assert.deepStrictEqual(trustOf(platform, "cluster-service"), serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"], MOCK_ACCOUNT));
            assert.deepStrictEqual(trustOf(platform, "nodes-node"), serviceTrustPolicy("ec2.amazonaws.com", "sts:AssumeRole", MOCK_ACCOUNT));
            // IfExists: EKS does not send aws:SourceAccount for the cluster role, and a plain
            // StringEquals would keep EKS (and EC2) from assuming the role at all.
            assert.deepStrictEqual(trustOf(platform, "nodes-node").Statement[0].Condition, { StringEqualsIfExists: { "aws:SourceAccount": MOCK_ACCOUNT } });
        });
    });

    describe("the trust builder shared by add-on roles and migrated workloads", () => {
        const cluster = eksClusterArn("aws-us-gov", "us-gov-west-1", "111122223333", "prod");

        it("names the cluster by partition, region, account and name", () => {
            assert.strictEqual(cluster, "arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/prod");
        });

        it("gives IRSA its exact sub and aud, and Pod Identity its four pinned conditions", () => {
            assert.deepStrictEqual(
                workloadTrustPolicy({ mode: "irsa", oidcProviderArn: "arn:aws:iam::1:oidc-provider/x", oidcProviderUrl: "https://x" }, "shop", "orders"),
                irsaTrustPolicy("arn:aws:iam::1:oidc-provider/x", "https://x", "shop", "orders"),
            );
            const pod = workloadTrustPolicy({ mode: "pod-identity", account: "111122223333", clusterArn: cluster }, "shop", "orders");
            assert.deepStrictEqual(pod, podIdentityTrustPolicy("111122223333", cluster, "shop", "orders"));
            assert.deepStrictEqual(Object.keys(pod.Statement[0].Condition ?? {}), ["StringEquals"]);
        });
    });

    it("builds trust for any issuer URL form", () => {
        const doc = irsaTrustPolicy("arn:aws:iam::1:oidc-provider/x", "https://oidc.example/id/1", "ns", "sa");
        assert.deepStrictEqual(doc.Statement[0].Condition, {
            StringEquals: { "oidc.example/id/1:sub": "system:serviceaccount:ns:sa", "oidc.example/id/1:aud": "sts.amazonaws.com" },
        });
    });
});
