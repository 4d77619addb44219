import { cidrProblem } from "./network";
import { ConfigReader } from "./reader";
import { ClusterConfig } from "./types";

/** The oldest Kubernetes minor we accept: native sidecars (used for ECS dependsOn) need 1.29. */
export const MIN_KUBERNETES_MINOR = 29;
export const DEFAULT_KUBERNETES_VERSION = "1.33";

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const ASSUMED_ROLE_ARN = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//;

function principalProblem(arn: string): string | undefined {
    const assumed = ASSUMED_ROLE_ARN.exec(arn);
    if (assumed) {
        return `is a session, not a principal; use the role ARN arn:aws:iam::${assumed[1]}:role/${assumed[2]}`;
    }
    return PRINCIPAL_ARN.test(arn) ? undefined : "is not an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)";
}

/** The minor of a supported Kubernetes version ("1.33" → 33), or undefined. */
export function supportedMinor(version: string): number | undefined {
    const m = /^1\.(\d+)$/.exec(version);
    return m && Number(m[1]) >= MIN_KUBERNETES_MINOR ? Number(m[1]) : undefined;
}

export function readCluster(r: ConfigReader, stack: string): ClusterConfig {
    const name = r.string("cluster:name", `ecs2eks-${stack}`, CLUSTER_NAME, "1-100 letters, digits, - or _, starting with a letter or digit");
    const version = r.string("cluster:version", DEFAULT_KUBERNETES_VERSION);
    if (supportedMinor(version) === undefined) {
        r.fail(`cluster:version ${JSON.stringify(version)} is not allowed; use a Kubernetes minor version 1.${MIN_KUBERNETES_MINOR} or later, like "${DEFAULT_KUBERNETES_VERSION}"`);
    }
    const publicAccessCidrs = r.stringList("cluster:publicAccessCidrs", cidrProblem);
    const allowPublicEndpointFromAnywhere = r.boolean("cluster:allowPublicEndpointFromAnywhere", false);
    if (publicAccessCidrs.includes("0.0.0.0/0")) {
        r.warn(
            `cluster:publicAccessCidrs includes 0.0.0.0/0: the Kubernetes API endpoint is reachable from the whole internet; list your office or VPN CIDRs instead${allowPublicEndpointFromAnywhere ? "" : " (the policy pack rejects it unless cluster:allowPublicEndpointFromAnywhere is true)"}`,
        );
    }
    const adminPrincipalArns = r.stringList("cluster:adminPrincipalArns", principalProblem);
    const deletionProtection = r.boolean("cluster:deletionProtection", true);
    return Object.freeze({
        name,
        version,
        publicAccessCidrs: Object.freeze([...publicAccessCidrs]),
        allowPublicEndpointFromAnywhere,
        adminPrincipalArns: Object.freeze([...adminPrincipalArns]),
        deletionProtection,
    });
}
