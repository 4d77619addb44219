import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Aws } from "./aws";
import { allPages, chunk, distinct, mapLimit } from "./concurrency";
import { SecretSnapshot } from "./snapshot";

/** DescribeParameters takes up to 50 names in one Equals filter. */
const SSM_BATCH = 50;

export interface SecretReference {
    readonly source: "secretsmanager" | "ssm";
    /**
     * The secret's own ARN (Secrets Manager); the parameter's ARN, or its name
     * when the task gave only a name (SSM). An ARN keeps the region and account
     * the secret lives in: a reference is never re-pointed at the task's region.
     */
    readonly id: string;
    readonly jsonKey?: string;
    readonly versionStage?: string;
    readonly versionId?: string;
}

/** Where an ARN reference lives; undefined for a bare SSM name, which is in the task's own region and account. */
export interface SecretLocation {
    readonly partition: string;
    readonly region: string;
    readonly account: string;
}

export function secretLocation(id: string): SecretLocation | undefined {
    const parts = id.split(":");
    return parts[0] === "arn" && parts.length >= 6 ? { partition: parts[1], region: parts[3], account: parts[4] } : undefined;
}

/** An SSM parameter's name from its ARN or name: "parameter/name" is "name", "parameter/a/b" is "/a/b" (hierarchies start with /). */
export function parameterName(id: string): string {
    if (!id.startsWith("arn:")) {
        return id;
    }
    const rest = id.split(":").slice(5).join(":").replace(/^parameter\//, "");
    return rest.includes("/") ? `/${rest}` : rest;
}

/**
 * An SSM reference as the cluster reads it: the name when the parameter is
 * in the home region and account (the SecretStore of that region finds it by
 * name), the ARN otherwise (another account's parameter, shared through AWS
 * RAM, can only be read by ARN).
 */
export function parameterKey(id: string, home: { readonly region: string; readonly account?: string }): string {
    const at = secretLocation(id);
    return !at || (at.region === home.region && (home.account === undefined || at.account === home.account)) ? parameterName(id) : id;
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
    return { source: "ssm", id: valueFrom };
}

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
