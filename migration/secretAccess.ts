/**
 * The IAM policy of a namespace's SecretStores: read exactly the secrets its
 * workloads reference, each in the region (and account) it lives in. Pure.
 */
import { PolicyDocument, PolicyStatement, policy } from "../core/iam/policyDocument";
import { parameterKey, parseSecretReference, secretLocation } from "../core/secretReference";
import type { EcsSnapshot, SecretSnapshot } from "../core/snapshot";
import { NamespacePlan } from "./translate/types";

/** A parameter the plan names (a name: home region and account; else its ARN) as the ARN IAM matches. */
function ssmParameterArn(key: string, region: string, account: string, partition: string): string {
    return key.startsWith("arn:") ? key : `arn:${partition}:ssm:${region}:${account}:parameter/${key.replace(/^\//, "")}`;
}

/** A secret named without its ARN: Secrets Manager appends six random characters. */
function secretArn(idOrArn: string, region: string, account: string, partition: string): string {
    return idOrArn.startsWith("arn:") ? idOrArn : `arn:${partition}:secretsmanager:${region}:${account}:secret:${idOrArn}-??????`;
}

/** Whether a secret the snapshot describes is one the namespace reads. */
function readBy(ns: NamespacePlan, s: SecretSnapshot, home: { region: string; account: string }): boolean {
    if (s.source === "secretsmanager") {
        const id = parseSecretReference(s.arn).id;
        return ns.secretArns.includes(id);
    }
    return ns.ssmParameters.includes(parameterKey(s.arn, home));
}

export function secretReaderPolicy(ns: NamespacePlan, snapshot: EcsSnapshot, account: string, partition: string): PolicyDocument | undefined {
    const home = { region: snapshot.region, account };
    const statements: PolicyStatement[] = [];
    if (ns.secretArns.length > 0) {
        statements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: ns.secretArns.map((a) => secretArn(a, home.region, account, partition)).sort() });
    }
    if (ns.ssmParameters.length > 0) {
        statements.push({ Sid: "ReadParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: ns.ssmParameters.map((p) => ssmParameterArn(p, home.region, account, partition)).sort() });
    }
    // Customer-managed keys that encrypt those secrets, for decryption through
    // the owning service only, in the regions the secrets live in.
    const used = snapshot.secrets.filter((s) => readBy(ns, s, home));
    const keys = used
        .filter((s) => s.kmsKeyId && !s.kmsKeyId.startsWith("alias/aws/"))
        .map((s) => {
            const at = secretLocation(s.arn) ?? { region: home.region, account };
            return s.kmsKeyId?.startsWith("arn:") ? s.kmsKeyId : `arn:${partition}:kms:${at.region}:${at.account}:key/${s.kmsKeyId}`;
        });
    if (keys.length > 0) {
        const regions = [...new Set([...ns.secretArns, ...ns.ssmParameters].map((k) => secretLocation(k)?.region ?? home.region))].sort();
        statements.push({
            Sid: "DecryptThroughSecretServices",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [...new Set(keys)].sort(),
            Condition: { StringEquals: { "kms:ViaService": regions.flatMap((r) => [`secretsmanager.${r}.amazonaws.com`, `ssm.${r}.amazonaws.com`]) } },
        });
    }
    return statements.length > 0 ? policy(...statements) : undefined;
}
