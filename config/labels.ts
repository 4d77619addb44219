/** Kubernetes label and taint syntax, as the API server checks it. Pure. */

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Problem with a label or taint key (`[prefix/]name`), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
        return "has a prefix that is not a DNS subdomain (like example.com/)";
    }
    if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
        return "is not a label key: up to 63 letters, digits, -, _ or ., starting and ending with a letter or digit";
    }
    return undefined;
}

/** Problem with a label or taint value (may be empty), or undefined. */
export function labelValueProblem(value: string): string | undefined {
    if (value === "" || (value.length <= 63 && NAME.test(value))) {
        return undefined;
    }
    return "is not a label value: up to 63 letters, digits, -, _ or ., starting and ending with a letter or digit";
}
