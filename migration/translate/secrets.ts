/** ECS secrets → External Secrets Operator objects. Never a value. Pure. */
import { parameterKey, secretLocation } from "../../core/secretReference";
import { SecretEnv } from "./containers";
import { Diagnostics } from "./diagnostics";
import { K8sObject, WorkloadPlan } from "./types";

export const SECRETS_MANAGER_STORE = "aws-secrets-manager";
export const PARAMETER_STORE_STORE = "aws-parameter-store";
/** The service account the namespace's SecretStores read with (its IAM role can read exactly the namespace's secrets). */
export const SECRET_READER_SERVICE_ACCOUNT = "external-secrets-reader";
/** The version the pinned External Secrets chart serves (0.19.2: v1 only; v1beta1 is served: false since 0.17). */
export const EXTERNAL_SECRETS_API = "external-secrets.io/v1";
const REFRESH = "1h";

export function externalSecret(
    name: string,
    namespace: string,
    labels: Record<string, string>,
    source: "secretsmanager" | "ssm",
    entries: readonly Pick<SecretEnv, "key" | "remoteKey" | "property" | "version">[],
    template?: Record<string, unknown>,
): K8sObject {
    return {
        apiVersion: EXTERNAL_SECRETS_API,
        kind: "ExternalSecret",
        metadata: { name, namespace, labels },
        spec: {
            refreshInterval: REFRESH,
            secretStoreRef: { kind: "SecretStore", name: source === "ssm" ? PARAMETER_STORE_STORE : SECRETS_MANAGER_STORE },
            target: { name, creationPolicy: "Owner", ...(template ? { template } : {}) },
            data: entries.map((e) => ({
                secretKey: e.key,
                remoteRef: { key: e.remoteKey, ...(e.property ? { property: e.property } : {}), ...(e.version ? { version: e.version } : {}) },
            })),
        },
    };
}

/** The registry host an image is pulled from, as a docker config names it. */
export function registryOf(image: string): string {
    const first = image.split("/")[0];
    return image.includes("/") && /[.:]/.test(first) ? first : "https://index.docker.io/v1/";
}

/**
 * An image pull secret from ECS repositoryCredentials: a Secrets Manager
 * secret with username and password keys, templated into a docker config.
 */
export function registryPullSecret(name: string, namespace: string, labels: Record<string, string>, secretArn: string, registry: string): K8sObject {
    const auth = `{"auths":{${JSON.stringify(registry)}:{"username":"{{ .username }}","password":"{{ .password }}","auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}`;
    return externalSecret(
        name,
        namespace,
        labels,
        "secretsmanager",
        ["username", "password"].map((key) => ({ key, remoteKey: secretArn, property: key })),
        { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": auth } },
    );
}

/** Where the cluster reads secrets by default: the task's region, account and partition (from its task definition ARN). */
export interface SecretHome {
    readonly region: string;
    readonly account?: string;
    readonly partition?: string;
}

type Source = "secretsmanager" | "ssm";

const DEFAULT_STORE: Readonly<Record<Source, string>> = { secretsmanager: SECRETS_MANAGER_STORE, ssm: PARAMETER_STORE_STORE };
const STORE_SERVICE: Readonly<Record<Source, "SecretsManager" | "ParameterStore">> = { secretsmanager: "SecretsManager", ssm: "ParameterStore" };

/** The SecretStore that reads `source` in `region`: the namespace's default one at home, one named after the region elsewhere. */
export function storeName(source: Source, region: string, home: SecretHome): string {
    return region === home.region ? DEFAULT_STORE[source] : `${DEFAULT_STORE[source]}-${region}`;
}

/** A SecretStore the namespace needs: which service, in which region. */
export interface StoreNeed {
    readonly source: Source;
    readonly region: string;
}

/** The stores a namespace's references need: one per service and region they live in. */
export function storesFor(secretArns: readonly string[], ssmParameters: readonly string[], home: SecretHome): StoreNeed[] {
    const needs = new Map<string, StoreNeed>();
    const add = (source: Source, key: string) => {
        const region = secretLocation(key)?.region ?? home.region;
        needs.set(`${source}/${region}`, { source, region });
    };
    secretArns.forEach((a) => add("secretsmanager", a));
    ssmParameters.forEach((p) => add("ssm", p));
    // Home stores first, in the order they always had; then other regions by name.
    return [...needs.values()].sort((a, b) => Number(a.region !== home.region) - Number(b.region !== home.region) || (a.source === b.source ? 0 : a.source === "secretsmanager" ? -1 : 1) || a.region.localeCompare(b.region));
}

/** The namespace's SecretStores, read with the reader service account's IRSA role: one per service and region its secrets live in. */
export function secretStores(namespace: string, home: SecretHome, labels: Record<string, string>, needs: readonly StoreNeed[]): K8sObject[] {
    return needs.map((n) => ({
        apiVersion: EXTERNAL_SECRETS_API,
        kind: "SecretStore",
        metadata: { name: storeName(n.source, n.region, home), namespace, labels },
        spec: { provider: { aws: { service: STORE_SERVICE[n.source], region: n.region, auth: { jwt: { serviceAccountRef: { name: SECRET_READER_SERVICE_ACCOUNT } } } } } },
    }));
}

interface RemoteEntry {
    readonly secretKey: string;
    readonly remoteRef: { readonly key: string; readonly property?: string; readonly version?: string };
    readonly sourceRef?: unknown;
}

/**
 * A workload's ExternalSecrets with every entry read where its secret lives:
 * an ARN of another region goes through that region's SecretStore (an entry's
 * own sourceRef.storeRef); an ARN of another account is read by ARN, which
 * works only if that account lets the namespace's reader role in, and says so.
 * Parameters in the home region and account are read by name, as before.
 * (External Secrets honours a data entry's sourceRef.storeRef: external-secrets
 * v0.19.2, apis/externalsecrets/v1/externalsecret_types.go ExternalSecretData,
 * pkg/controllers/externalsecret/externalsecret_controller_secret.go; the AWS
 * provider's `role` to assume is in apis/externalsecrets/v1/secretstore_aws_types.go.)
 */
export function routeSecrets(w: WorkloadPlan, home: SecretHome): WorkloadPlan {
    const d = new Diagnostics(w.source.name);
    const objects = w.objects.map((o) => {
        if (o.kind !== "ExternalSecret") {
            return o;
        }
        const spec = o.spec as { secretStoreRef: { name: string }; data: RemoteEntry[] };
        const source: Source = spec.secretStoreRef.name === PARAMETER_STORE_STORE ? "ssm" : "secretsmanager";
        const data = spec.data.map((entry) => routeEntry(entry, source, home, d, o.metadata.name));
        return { ...o, spec: { ...spec, data } };
    });
    return {
        ...w,
        objects,
        ssmParameters: [...new Set(w.ssmParameters.map((p) => parameterKey(p, home)))].sort(),
        diagnostics: [...w.diagnostics, ...d.list],
    };
}

function routeEntry(entry: RemoteEntry, source: Source, home: SecretHome, d: Diagnostics, secret: string): RemoteEntry {
    const at = secretLocation(entry.remoteRef.key);
    const key = source === "ssm" ? parameterKey(entry.remoteRef.key, home) : entry.remoteRef.key;
    if (!at) {
        return entry;
    }
    const field = `containerDefinitions[*].secrets (${secret}: ${entry.secretKey})`;
    const what = source === "ssm" ? `parameter ${entry.remoteRef.key}` : `secret ${entry.remoteRef.key}`;
    if (home.partition !== undefined && at.partition !== home.partition) {
        d.error("SECRET_PARTITION", field, `${what} is in partition ${at.partition}; the cluster's SecretStores read partition ${home.partition}`, "copy the secret into this partition and point the task definition at the copy; nothing can read it across partitions");
        return entry;
    }
    const store = storeName(source, at.region, home);
    const routed: RemoteEntry = {
        ...entry,
        remoteRef: { ...entry.remoteRef, key },
        ...(store !== DEFAULT_STORE[source] ? { sourceRef: { storeRef: { kind: "SecretStore", name: store } } } : {}),
    };
    if (at.region !== home.region) {
        d.info("SECRET_OTHER_REGION", field, `${what} lives in ${at.region}; it is read there through SecretStore ${store}, not in ${home.region}`, "nothing to do; the reader role may read it there");
    }
    if (home.account !== undefined && at.account !== home.account) {
        const reader = `the role of service account ${SECRET_READER_SERVICE_ACCOUNT} in this namespace (its ARN is the eks.amazonaws.com/role-arn annotation)`;
        d.warn(
            "SECRET_OTHER_ACCOUNT",
            field,
            source === "ssm"
                ? `${what} belongs to account ${at.account}; the cluster reads it by ARN, which works only while that account shares it with account ${home.account} through AWS RAM (advanced-tier parameters)`
                : `${what} belongs to account ${at.account}; the cluster reads it by ARN from account ${home.account}, which works only if the secret's resource policy allows ${reader} secretsmanager:GetSecretValue`,
            `in account ${at.account}, grant ${reader} what ECS's execution role had: ${source === "ssm" ? "share the parameter (AWS RAM)" : "add it to the secret's resource policy"}, and allow it kms:Decrypt in the policy of the customer-managed KMS key that encrypts it (an AWS-managed key cannot be used across accounts); or let External Secrets assume a role of account ${at.account} (SecretStore spec.provider.aws.role) instead`,
        );
    }
    return routed;
}
