/** IAM policy documents as plain data, so they can be built and checked without Pulumi. */

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export function policy(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** "https://oidc.eks.…/id/X" → "oidc.eks.…/id/X", the form IAM condition keys use. */
export function issuerHostPath(oidcProviderUrl: string): string {
    return oidcProviderUrl.replace(/^https:\/\//, "");
}

/**
 * Trust for one Kubernetes service account through the cluster's OIDC
 * provider. StringEquals on both sub and aud: a StringLike or a missing aud
 * would let other service accounts (or other audiences) assume the role.
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcProviderUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
    const issuer = issuerHostPath(oidcProviderUrl);
    return policy({
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                [`${issuer}:aud`]: "sts.amazonaws.com",
            },
        },
    });
}

/** Every action a document allows, flattened. */
export function allowedActions(doc: PolicyDocument): string[] {
    return doc.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]));
}
