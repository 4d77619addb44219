/** ECS secrets → External Secrets Operator objects. Never a value. Pure. */
import { SecretEnv } from "./containers";
import { K8sObject } from "./types";

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

/** The namespace's SecretStores: Secrets Manager and Parameter Store, read with the reader service account's IRSA role. */
export function secretStores(namespace: string, region: string, labels: Record<string, string>, needs: { secretsManager: boolean; parameterStore: boolean }): K8sObject[] {
    const store = (name: string, service: "SecretsManager" | "ParameterStore"): K8sObject => ({
        apiVersion: EXTERNAL_SECRETS_API,
        kind: "SecretStore",
        metadata: { name, namespace, labels },
        spec: { provider: { aws: { service, region, auth: { jwt: { serviceAccountRef: { name: SECRET_READER_SERVICE_ACCOUNT } } } } } },
    });
    return [
        ...(needs.secretsManager ? [store(SECRETS_MANAGER_STORE, "SecretsManager")] : []),
        ...(needs.parameterStore ? [store(PARAMETER_STORE_STORE, "ParameterStore")] : []),
    ];
}
