import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand } from "@aws-sdk/client-ssm";
import { Aws } from "./aws";
import { allPages, chunk, distinct, mapLimit } from "./concurrency";
import { SecretSnapshot } from "./snapshot";

/** DescribeParameters takes up to 50 names in one Equals filter. */
const SSM_BATCH = 50;

export interface SecretReference {
    readonly source: "secretsmanager" | "ssm";
    /** The secret's own ARN (Secrets Manager) or the parameter's name (SSM). */
    readonly id: string;
    readonly jsonKey?: string;
    readonly versionStage?: string;
    readonly versionId?: string;
}

/**
 * Parses an ECS `valueFrom`: a Secrets Manager ARN, optionally followed by
 * `:json-key:version-stage:version-id`, or an SSM parameter ARN or name.
 */
export function parseSecretReference(valueFrom: string): SecretReference {
    const parts = valueFrom.split(":");
    if (parts[0] === "arn" && parts[2] === "secretsmanager") {
        const [jsonKey, versionStage, versionId] = parts.slice(7);
        return {
            source: "secretsmanager",
            id: parts.slice(0, 7).join(":"),
            ...(jsonKey ? { jsonKey } : {}),
            ...(versionStage ? { versionStage } : {}),
            ...(versionId ? { versionId } : {}),
        };
    }
    if (parts[0] === "arn" && parts[2] === "ssm") {
        // "parameter/name" is the parameter "name"; "parameter/a/b" is "/a/b" (hierarchies start with /).
        const rest = parts.slice(5).join(":").replace(/^parameter\//, "");
        return { source: "ssm", id: rest.includes("/") ? `/${rest}` : rest };
    }
    return { source: "ssm", id: valueFrom };
}

/**
 * Metadata of every secret the task definitions reference: that it exists,
 * its name and key. Never a value: no GetSecretValue, no GetParameter.
 */
export async function readSecrets(aws: Aws, valueFroms: readonly string[], concurrency: number): Promise<SecretSnapshot[]> {
    const refs = distinct(valueFroms).map((v) => ({ valueFrom: v, ref: parseSecretReference(v) }));
    const smIds = distinct(refs.filter((r) => r.ref.source === "secretsmanager").map((r) => r.ref.id));
    const ssmNames = distinct(refs.filter((r) => r.ref.source === "ssm").map((r) => r.ref.id));

    const smRead = new Map<string, { found: boolean; name: string; kmsKeyId?: string }>(
        await mapLimit(smIds, concurrency, async (id): Promise<[string, { found: boolean; name: string; kmsKeyId?: string }]> => {
            try {
                const d = await aws.call("secretsmanager", "DescribeSecret", id, () => aws.secrets.send(new DescribeSecretCommand({ SecretId: id })));
                return [id, { found: true, name: d.Name ?? id, kmsKeyId: d.KmsKeyId }];
            } catch (err) {
                if ((err as { name?: string }).name === "ResourceNotFoundException") {
                    return [id, { found: false, name: id.split(":").pop() ?? id }];
                }
                throw err;
            }
        }),
    );
    const ssmRead = new Map<string, { type?: string; kmsKeyId?: string }>();
    for (const batch of chunk(ssmNames, SSM_BATCH)) {
        const params = await allPages(
            (NextToken) =>
                aws.call("ssm", "DescribeParameters", batch[0], () =>
                    aws.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "Equals", Values: batch }], NextToken, MaxResults: 50 })),
                ),
            (p) => p.Parameters,
            (p) => p.NextToken,
        );
        for (const p of params) {
            ssmRead.set(p.Name ?? "", { type: p.Type, kmsKeyId: p.KeyId });
        }
    }
    return refs.map(({ valueFrom, ref }): SecretSnapshot => {
        if (ref.source === "secretsmanager") {
            const d = smRead.get(ref.id);
            return { arn: valueFrom, source: "secretsmanager", name: d?.name ?? ref.id, found: d?.found ?? false, ...(d?.kmsKeyId ? { kmsKeyId: d.kmsKeyId } : {}) };
        }
        const p = ssmRead.get(ref.id);
        return { arn: valueFrom, source: "ssm", name: ref.id, found: p !== undefined, ...(p?.type ? { type: p.type } : {}), ...(p?.kmsKeyId ? { kmsKeyId: p.kmsKeyId } : {}) };
    });
}
