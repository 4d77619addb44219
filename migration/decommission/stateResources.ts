import { ExpectedError } from "../../core/errors";

/**
 * The ECS stacks' own state, whatever tool keeps it, as one list: what each
 * stack would delete on destroy, by what it is (a normalized kind) and by
 * every identifier the rest of the check may know it by. Pure.
 */

export type StateFormat = "pulumi" | "terraform" | "cloudformation";

/** The kinds of resources whose deletion can break what this stack runs; everything else is "other". */
export type ResourceKind =
    | "vpc"
    | "subnet"
    | "loadBalancer"
    | "listener"
    | "listenerRule"
    | "targetGroup"
    | "securityGroup"
    | "securityGroupRule"
    | "secret"
    | "secretVersion"
    | "parameter"
    | "kmsKey"
    | "kmsAlias"
    | "fileSystem"
    | "accessPoint"
    | "mountTarget"
    | "logGroup"
    | "dnsRecord"
    | "ebsSnapshot"
    | "cloudMapNamespace"
    | "cloudMapService"
    | "other";

export interface StateResource {
    /** The ECS stack: a Pulumi stack (project/stack from the URNs), a CloudFormation stack name, or the Terraform state file. */
    readonly stack: string;
    readonly format: StateFormat;
    readonly kind: ResourceKind;
    /** The tool's own type: aws:lb/loadBalancer:LoadBalancer, aws_lb, AWS::ElasticLoadBalancingV2::LoadBalancer. */
    readonly type: string;
    /** How the tool addresses it: URN, Terraform address, CloudFormation logical ID. */
    readonly address: string;
    /** The physical ID the provider knows it by (what `pulumi import` takes). */
    readonly physicalId: string;
    /** Every identifier it goes by, qualified by kind (see key()): ID, ARN, name. */
    readonly keys: readonly string[];
    /** Identifiers of the resources it belongs to or changes (a rule's security group, a version's secret, an access point's file system, a KMS key it is encrypted with). */
    readonly refs: readonly string[];
    /** Why destroying the stack leaves it in place (retainOnDelete, DeletionPolicy: Retain); absent when destroy deletes it. */
    readonly retained?: string;
    /** Set when destroy stops at it rather than deleting it (Pulumi protect), which is not the same as leaving it. */
    readonly protected?: boolean;
}

/** An identifier qualified by kind, so that a log group and a parameter of the same name never match. */
export function key(kind: ResourceKind, id: string): string {
    return `${kind}:${normalizeId(kind, id)}`;
}

/** The one spelling of an identifier the check compares. */
export function normalizeId(kind: ResourceKind, id: string): string {
    const trimmed = id.trim();
    switch (kind) {
        case "secret":
        case "secretVersion": {
            // A task definition names a JSON key and version after the ARN (arn:...:secret:name-AbCdEf:key:stage:version); the secret is the first seven fields.
            const m = /^(arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:[^:]+)/.exec(trimmed);
            return m ? m[1] : trimmed;
        }
        case "parameter": {
            // Parameters go by name or by ARN (arn:aws:ssm:region:account:parameter/name, the name's leading slash dropped).
            const m = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(trimmed);
            const name = m ? m[1] : trimmed;
            return name.startsWith("/") ? name : `/${name}`;
        }
        case "dnsRecord":
            return trimmed.replace(/\.(?=\/|$)/g, "").toLowerCase();
        case "logGroup": {
            const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(trimmed);
            return m ? m[1] : trimmed;
        }
        case "kmsKey": {
            const m = /^arn:[^:]+:kms:[^:]*:[^:]*:key\/(.+)$/.exec(trimmed);
            return m ? m[1] : trimmed;
        }
        default:
            return trimmed;
    }
}

/** Strings only, without empties: state documents hold nulls and numbers where IDs may be. */
export function strings(...values: unknown[]): string[] {
    return values.filter((v): v is string => typeof v === "string" && v.length > 0);
}

/** A state file the check cannot read, named with what it is instead. */
export class StateFileError extends ExpectedError {}

type Attrs = Readonly<Record<string, unknown>>;

/**
 * What a resource's attributes say about its identifiers and what it
 * belongs to, the same for every tool: Pulumi outputs and Terraform values
 * are the provider's attributes (camelCase and snake_case), and the
 * CloudFormation reader passes physical IDs and properties in the same
 * words. `get` looks an attribute up by its camelCase name in either case.
 */
export function identify(kind: ResourceKind, id: string, attrs: Attrs): { keys: string[]; refs: string[] } {
    const get = (camel: string): unknown => attrs[camel] ?? attrs[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
    const own = (...ids: unknown[]) => [...new Set(strings(id, ...ids).map((x) => key(kind, x)))];
    const kms = strings(get("kmsKeyId"), get("kmsKeyArn")).map((k) => key("kmsKey", k));
    switch (kind) {
        case "securityGroupRule":
            return { keys: own(), refs: strings(get("securityGroupId")).map((g) => key("securityGroup", g)) };
        case "secretVersion":
            return { keys: own(), refs: strings(get("secretId"), id.split("|")[0]).map((s) => key("secret", s)) };
        case "secret":
            return { keys: own(get("arn"), get("name")), refs: kms };
        case "parameter":
            return { keys: own(get("arn"), get("name")), refs: strings(get("keyId")).map((k) => key("kmsKey", k)).concat(kms) };
        case "fileSystem":
            return { keys: own(get("arn"), get("fileSystemId")), refs: kms };
        case "accessPoint":
        case "mountTarget":
            return { keys: own(get("arn"), get("accessPointId")), refs: strings(get("fileSystemId")).map((f) => key("fileSystem", f)) };
        case "logGroup":
            return { keys: own(get("arn"), get("name"), get("logGroupName")), refs: kms };
        case "kmsAlias":
            return { keys: own(get("arn"), get("name")), refs: strings(get("targetKeyId"), get("targetKeyArn")).map((k) => key("kmsKey", k)) };
        case "kmsKey":
            return { keys: own(get("arn"), get("keyId")), refs: [] };
        case "listener":
            return { keys: own(get("arn")), refs: strings(get("loadBalancerArn")).map((l) => key("loadBalancer", l)) };
        case "listenerRule":
            return { keys: own(get("arn")), refs: strings(get("listenerArn")).map((l) => key("listener", l)) };
        case "dnsRecord": {
            // Pulumi and Terraform give a record the ID ZONE_name_TYPE[_set]; the check names it zone/name/type[/set].
            const zone = strings(get("zoneId"))[0];
            const name = strings(get("name"), get("fqdn"))[0];
            const type = strings(get("type"))[0];
            const set = strings(get("setIdentifier"))[0];
            const composite = zone && name && type ? `${zone}/${name}/${type}${set ? `/${set}` : ""}` : undefined;
            return { keys: [...new Set(strings(composite, id).map((x) => key(kind, x)))], refs: [] };
        }
        case "other":
            return { keys: [], refs: [] };
        default:
            return { keys: own(get("arn"), get("name")), refs: kms };
    }
}
