/**
 * ECS secret references (`valueFrom`) as plain data: which store, which
 * secret, which key and version, and where an ARN lives. Pure: the reader
 * describes the secrets they name, the translator turns them into
 * ExternalSecrets, and the migration scopes the stores' roles to them.
 */

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
