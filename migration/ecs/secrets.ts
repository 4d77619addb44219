import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Aws } from "./aws";
import { allPages, chunk, distinct, mapLimit } from "./concurrency";
import { SecretSnapshot } from "../../core/snapshot";
import { parameterName, parseSecretReference, secretLocation } from "../../core/secretReference";

/** DescribeParameters takes up to 50 names in one Equals filter. */
const SSM_BATCH = 50;

/**
 * Metadata of every secret the task definitions reference: that it exists,
 * its name and key. Never a value: no GetSecretValue, no GetParameter.
 */
export async function readSecrets(aws: Aws, valueFroms: readonly string[], concurrency: number): Promise<SecretSnapshot[]> {
    const refs = distinct(valueFroms).map((v) => ({ valueFrom: v, ref: parseSecretReference(v) }));
    const regionOf = (id: string) => secretLocation(id)?.region ?? aws.options.region;
    const clients = new RegionalClients(aws);
    try {
        const smIds = distinct(refs.filter((r) => r.ref.source === "secretsmanager").map((r) => r.ref.id));
        const smRead = new Map<string, { found: boolean; name: string; kmsKeyId?: string }>(
            await mapLimit(smIds, concurrency, async (id): Promise<[string, { found: boolean; name: string; kmsKeyId?: string }]> => {
                try {
                    const client = clients.secrets(regionOf(id));
                    const d = await aws.call("secretsmanager", "DescribeSecret", id, () => client.send(new DescribeSecretCommand({ SecretId: id })));
                    return [id, { found: true, name: d.Name ?? id, kmsKeyId: d.KmsKeyId }];
                } catch (err) {
                    if ((err as { name?: string }).name === "ResourceNotFoundException") {
                        return [id, { found: false, name: id.split(":").pop() ?? id }];
                    }
                    throw err;
                }
            }),
        );
        // Parameters are described by name in the region their reference names (a
        // bare name: the reader's region), and matched by ARN where AWS returns it,
        // so a same-named parameter of another region or account is never taken for it.
        const ssmRead = new Map<string, { type?: string; kmsKeyId?: string }>();
        const ssmIds = distinct(refs.filter((r) => r.ref.source === "ssm").map((r) => r.ref.id));
        for (const region of distinct(ssmIds.map(regionOf))) {
            const ids = ssmIds.filter((id) => regionOf(id) === region);
            const client = clients.ssm(region);
            for (const batch of chunk(distinct(ids.map(parameterName)), SSM_BATCH)) {
                const params = await allPages(
                    (NextToken) =>
                        aws.call("ssm", "DescribeParameters", batch[0], () =>
                            client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "Equals", Values: batch }], NextToken, MaxResults: 50 })),
                        ),
                    (p) => p.Parameters,
                    (p) => p.NextToken,
                );
                for (const p of params) {
                    for (const id of ids.filter((i) => parameterName(i) === p.Name && (!i.startsWith("arn:") || p.ARN === undefined || p.ARN === i))) {
                        ssmRead.set(id, { type: p.Type, kmsKeyId: p.KeyId });
                    }
                }
            }
        }
        return refs.map(({ valueFrom, ref }): SecretSnapshot => {
            if (ref.source === "secretsmanager") {
                const d = smRead.get(ref.id);
                return { arn: valueFrom, source: "secretsmanager", name: d?.name ?? ref.id, found: d?.found ?? false, ...(d?.kmsKeyId ? { kmsKeyId: d.kmsKeyId } : {}) };
            }
            const p = ssmRead.get(ref.id);
            return { arn: valueFrom, source: "ssm", name: parameterName(ref.id), found: p !== undefined, ...(p?.type ? { type: p.type } : {}), ...(p?.kmsKeyId ? { kmsKeyId: p.kmsKeyId } : {}) };
        });
    } finally {
        clients.destroy();
    }
}

/** The reader's own clients for its region; clients of the same settings for the other regions references name. */
class RegionalClients {
    private readonly sm = new Map<string, SecretsManagerClient>();
    private readonly ps = new Map<string, SSMClient>();

    constructor(private readonly aws: Aws) {}

    private config(region: string) {
        const o = this.aws.options;
        return { region, retryMode: "adaptive", maxAttempts: o.maxAttempts ?? 8, ...(o.endpoint ? { endpoint: o.endpoint } : {}) };
    }

    secrets(region: string): SecretsManagerClient {
        if (region === this.aws.options.region) {
            return this.aws.secrets;
        }
        const client = this.sm.get(region) ?? new SecretsManagerClient(this.config(region));
        this.sm.set(region, client);
        return client;
    }

    ssm(region: string): SSMClient {
        if (region === this.aws.options.region) {
            return this.aws.ssm;
        }
        const client = this.ps.get(region) ?? new SSMClient(this.config(region));
        this.ps.set(region, client);
        return client;
    }

    destroy(): void {
        [...this.sm.values(), ...this.ps.values()].forEach((c) => c.destroy());
    }
}
