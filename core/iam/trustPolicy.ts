/**
 * Who may assume the roles this program creates. Pure: the same documents
 * are built by the components, checked by the tests and required by the
 * policy pack (policy/iamRules.ts).
 */
import { PolicyDocument, irsaTrustPolicy, policy } from "./policyDocument";

/** How workloads get AWS credentials: IRSA (the cluster's OIDC provider) or EKS Pod Identity. */
export type IdentityMode = "irsa" | "pod-identity";

export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/**
 * Request tags EKS Pod Identity sends when it assumes a role, as trust
 * policy condition keys (EKS User Guide, "Create IAM role with trust policy
 * required by EKS Pod Identity"; awsdocs/amazon-eks-user-guide,
 * latest/ug/manage-access/aws-access/pod-id-role.adoc).
 */
export const POD_IDENTITY_REQUEST_TAGS = {
    clusterArn: "aws:RequestTag/eks-cluster-arn",
    namespace: "aws:RequestTag/kubernetes-namespace",
    serviceAccount: "aws:RequestTag/kubernetes-service-account",
} as const;

export function eksClusterArn(partition: string, region: string, account: string, clusterName: string): string {
    return `arn:${partition}:eks:${region}:${account}:cluster/${clusterName}`;
}

/**
 * Trust for one service account through EKS Pod Identity. Without
 * conditions, any Pod Identity association in the account (any cluster, any
 * namespace) could bind the role; these pin the account the request comes
 * from, the cluster, and the namespace and service account, all with
 * StringEquals on exact values. The cluster is named by its request tag, not
 * by aws:SourceArn: for this principal the source is the association
 * (…:podidentityassociation/<cluster>/…), which AWS does not document as a
 * trust condition (awslabs/mountpoint-s3-csi-driver#781: an aws:SourceArn
 * condition broke credentials that aws:SourceAccount alone did not).
 */
export function podIdentityTrustPolicy(account: string, clusterArn: string, namespace: string, serviceAccount: string): PolicyDocument {
    return policy({
        Effect: "Allow",
        Principal: { Service: POD_IDENTITY_PRINCIPAL },
        // TagSession: Pod Identity passes the session tags the conditions read.
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
            StringEquals: {
                "aws:SourceAccount": account,
                [POD_IDENTITY_REQUEST_TAGS.clusterArn]: clusterArn,
                [POD_IDENTITY_REQUEST_TAGS.namespace]: namespace,
                [POD_IDENTITY_REQUEST_TAGS.serviceAccount]: serviceAccount,
            },
        },
    });
}

/** What a workload trust names, by identity mode. */
export type WorkloadTrustScope =
    | { readonly mode: Extract<IdentityMode, "irsa">; readonly oidcProviderArn: string; readonly oidcProviderUrl: string }
    | { readonly mode: Extract<IdentityMode, "pod-identity">; readonly account: string; readonly clusterArn: string };

/** The trust of a role for exactly one Kubernetes service account, in either identity mode. */
export function workloadTrustPolicy(scope: WorkloadTrustScope, namespace: string, serviceAccount: string): PolicyDocument {
    return scope.mode === "irsa"
        ? irsaTrustPolicy(scope.oidcProviderArn, scope.oidcProviderUrl, namespace, serviceAccount)
        : podIdentityTrustPolicy(scope.account, scope.clusterArn, namespace, serviceAccount);
}

/**
 * Trust for a role an AWS service assumes (the EKS cluster role, the node
 * role). AWS documents these trusts without conditions, and AWS Support has
 * confirmed that EKS does not send aws:SourceAccount when it assumes the
 * cluster role (prowler-cloud/prowler#4745): a plain StringEquals would lock
 * the cluster out, and EC2 documents no such key for instance roles either.
 * StringEqualsIfExists binds the account whenever the service does state
 * its source, and never locks it out when it does not. What keeps other
 * accounts out today is iam:PassRole, which cannot pass a role across accounts.
 */
export function serviceTrustPolicy(service: string, actions: string | readonly string[], account: string): PolicyDocument {
    return policy({
        Effect: "Allow",
        Principal: { Service: service },
        Action: actions,
        Condition: { StringEqualsIfExists: { "aws:SourceAccount": account } },
    });
}
