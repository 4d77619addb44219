/** The IAM policy of a namespace's SecretStores: read exactly the secrets its workloads reference. Pure. */
import { PolicyDocument, PolicyStatement, policy } from "../../components/iam/policyDocument";
import type { EcsSnapshot } from "../ecs/snapshot";
import { NamespacePlan } from "../translate/types";

function ssmParameterArn(name: string, region: string, account: string, partition: string): string {
    return `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`;
}

/** A secret named without its ARN: Secrets Manager appends six random characters. */
function secretArn(idOrArn: string, region: string, account: string, partition: string): string {
    return idOrArn.startsWith("arn:") ? idOrArn : `arn:${partition}:secretsmanager:${region}:${account}:secret:${idOrArn}-??????`;
}

export function secretReaderPolicy(ns: NamespacePlan, snapshot: EcsSnapshot, account: string, partition: string): PolicyDocument | undefined {
    const region = snapshot.region;
    const statements: PolicyStatement[] = [];
    if (ns.secretArns.length > 0) {
        statements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: ns.secretArns.map((a) => secretArn(a, region, account, partition)) });
    }
    if (ns.ssmParameters.length > 0) {
        statements.push({ Sid: "ReadParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: ns.ssmParameters.map((p) => ssmParameterArn(p, region, account, partition)) });
    }
    // Customer-managed keys that encrypt those secrets, for decryption through the owning service only.
    const keys = snapshot.secrets
        .filter((s) => (ns.secretArns.some((a) => s.arn.startsWith(a)) || ns.ssmParameters.includes(s.name)) && s.kmsKeyId && !s.kmsKeyId.startsWith("alias/aws/"))
        .map((s) => (s.kmsKeyId?.startsWith("arn:") ? s.kmsKeyId : `arn:${partition}:kms:${region}:${account}:key/${s.kmsKeyId}`));
    if (keys.length > 0) {
        statements.push({
            Sid: "DecryptThroughSecretServices",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [...new Set(keys)].sort(),
            Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${region}.amazonaws.com`, `ssm.${region}.amazonaws.com`] } },
        });
    }
    return statements.length > 0 ? policy(...statements) : undefined;
}
