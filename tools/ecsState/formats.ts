/**
 * The sample ECS stack's resources, recorded once, written in the three
 * forms the decommission check reads: a Pulumi stack export, a Terraform
 * state in `terraform show -json` form, and a CloudFormation template with
 * what CloudFormation answers about the stack it creates. One resource list,
 * so the three fixtures describe the same estate with the same IDs.
 */
import { createHash } from "crypto";
import { RESOURCE_TYPES } from "../../migration/decommission/resourceTypes";
import { CloudFormationStackRead } from "../../migration/decommission/cloudFormation";
import { RecordedResource } from "./record";

type Json = Record<string, unknown>;

const hex = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").slice(0, n);
const typeRow = (pulumiType: string) => RESOURCE_TYPES.find((t) => t.pulumi === pulumiType);

/** Inputs that hold secret values; every format shows them as its own kind of secret, never the value. */
function isSecretField(r: RecordedResource, field: string): boolean {
    return (r.type === "aws:secretsmanager/secretVersion:SecretVersion" && field === "secretString") || (r.type === "aws:ssm/parameter:Parameter" && field === "value" && r.inputs.type === "SecureString");
}

// ---- Pulumi stack export --------------------------------------------------------------------

/** Pulumi's marker for an encrypted value in a checkpoint (sdk/go/common/resource/sig). */
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

/** Parents and dependencies before the resources that need them, as a checkpoint lists them; ties by URN, so the order never depends on the run. */
function checkpointOrder(resources: readonly RecordedResource[]): RecordedResource[] {
    const pending = [...resources].sort((a, b) => a.urn.localeCompare(b.urn));
    const known = new Set(resources.map((r) => r.urn));
    const done = new Set<string>();
    const out: RecordedResource[] = [];
    while (pending.length > 0) {
        const next = pending.findIndex((r) => [r.parent, ...r.dependencies].every((u) => !u || !known.has(u) || done.has(u)));
        const [r] = pending.splice(next < 0 ? 0 : next, 1);
        out.push(r);
        done.add(r.urn);
    }
    return out;
}

export function pulumiExport(unordered: readonly RecordedResource[], project: string, stack: string, outputs: Json, awsVersion: string): Json {
    const resources = checkpointOrder(unordered);
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const providerUrn = `urn:pulumi:${stack}::${project}::pulumi:providers:aws::default_${awsVersion.replace(/\./g, "_")}`;
    const providerId = `${hex(providerUrn, 8)}-${hex(`${providerUrn}1`, 4)}-4${hex(`${providerUrn}2`, 3)}-8${hex(`${providerUrn}3`, 3)}-${hex(`${providerUrn}4`, 12)}`;
    const secrets = (r: RecordedResource, props: Json): Json =>
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, isSecretField(r, k) ? { ...SECRET_SIG, ciphertext: `v1:${hex(`${r.urn}/${k}`, 24)}` } : v]));
    const entries: Json[] = [
        { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs },
        { urn: providerUrn, custom: true, id: providerId, type: "pulumi:providers:aws", inputs: { __internal: {}, version: awsVersion }, outputs: { version: awsVersion } },
        ...resources.map((r) => ({
            urn: r.urn,
            custom: r.custom,
            ...(r.custom ? { id: r.id } : {}),
            type: r.type,
            ...(r.custom ? { inputs: secrets(r, r.inputs), outputs: secrets(r, r.outputs) } : { outputs: {} }),
            parent: r.parent ?? stackUrn,
            ...(r.protect ? { protect: true } : {}),
            ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
            ...(r.custom ? { provider: `${providerUrn}::${providerId}` } : {}),
            ...(r.dependencies.length > 0 ? { dependencies: r.dependencies } : {}),
        })),
    ];
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-27T09:00:00.000Z", magic: hex(JSON.stringify(entries), 64), version: "v3.248.0" },
            secrets_providers: { type: "passphrase", state: { salt: `v1:${hex(stackUrn, 12)}` } },
            resources: entries,
        },
    };
}

// ---- Terraform show -json --------------------------------------------------------------------

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const tfName = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(\d)/, "_$1");

function snakeKeys(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(snakeKeys);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), snakeKeys(x)]));
    }
    return v;
}

/** Terraform has no components: a component's children go into a module named after it. */
export function terraformShow(resources: readonly RecordedResource[]): Json {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const root: Json[] = [];
    const modules = new Map<string, Json[]>();
    for (const r of resources.filter((x) => x.custom)) {
        const row = typeRow(r.type);
        if (!row) {
            throw new Error(`no Terraform type for ${r.type}: add it to migration/decommission/resourceTypes.ts`);
        }
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        const module = parent && !parent.custom ? `module.${tfName(parent.name)}` : undefined;
        const values = snakeKeys(Object.fromEntries(Object.entries(r.outputs).filter(([k]) => !isSecretField(r, k)))) as Json;
        const sensitive = Object.keys(r.outputs).filter((k) => isSecretField(r, k));
        const entry = {
            address: `${module ? `${module}.` : ""}${row.terraform}.${tfName(r.name)}`,
            mode: "managed",
            type: row.terraform,
            name: tfName(r.name),
            provider_name: "registry.terraform.io/hashicorp/aws",
            schema_version: 0,
            values: { ...values, id: r.id, ...Object.fromEntries(sensitive.map((k) => [snake(k), null])) },
            sensitive_values: Object.fromEntries(sensitive.map((k) => [snake(k), true])),
        };
        if (module) {
            modules.set(module, [...(modules.get(module) ?? []), entry]);
        } else {
            root.push(entry);
        }
    }
    return {
        format_version: "1.0",
        terraform_version: "1.9.8",
        values: {
            root_module: {
                resources: root,
                child_modules: [...modules.entries()].map(([address, rs]) => ({ address, resources: rs })),
            },
        },
    };
}

// ---- CloudFormation ----------------------------------------------------------------------------

const pascal = (s: string) => s.replace(/(^|[-_./\s])([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");

export function logicalId(r: RecordedResource): string {
    return `${pascal(r.name)}${r.type.split(":").pop()}`;
}

/** What CloudFormation answers as a resource's physical ID (its Ref, mostly), where that differs from Pulumi's ID. */
function physicalId(r: RecordedResource): string {
    switch (r.type) {
        case "aws:ecs/taskDefinition:TaskDefinition":
            return String(r.outputs.arn);
        case "aws:ecs/cluster:Cluster":
        case "aws:route53/record:Record":
            return String(r.inputs.name);
        default:
            return r.id;
    }
}

/** Values the template can say as a reference: an ID as Ref, an ARN or DNS name as GetAtt. */
function references(resources: readonly RecordedResource[]): Map<string, Json> {
    const refs = new Map<string, Json>();
    for (const r of resources.filter((x) => x.custom)) {
        const id = logicalId(r);
        refs.set(physicalId(r), { Ref: id });
        const arn = r.outputs.arn;
        if (typeof arn === "string" && !refs.has(arn)) {
            // A parameter has no Arn attribute in CloudFormation: its ARN is spelled out around its name (Ref).
            refs.set(arn, r.type === "aws:ssm/parameter:Parameter" ? { "Fn::Sub": `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter\${${id}}` } : { "Fn::GetAtt": [id, "Arn"] });
        }
        if (r.type === "aws:lb/loadBalancer:LoadBalancer") {
            refs.set(String(r.outputs.dnsName), { "Fn::GetAtt": [id, "DNSName"] });
            refs.set(String(r.outputs.zoneId), { "Fn::GetAtt": [id, "CanonicalHostedZoneID"] });
        }
    }
    return refs;
}

function refify(v: unknown, refs: Map<string, Json>): unknown {
    if (typeof v === "string") {
        const whole = refs.get(v);
        if (whole) {
            return whole;
        }
        // An ID inside a longer string (a secret ARN with its JSON key) becomes a Fn::Sub.
        const inner = [...refs.keys()].filter((k) => k.length > 8 && v.includes(k) && !("Fn::Sub" in (refs.get(k) as Json))).sort((a, b) => b.length - a.length)[0];
        if (inner) {
            const ref = refs.get(inner) as { Ref?: string; "Fn::GetAtt"?: string[] };
            return { "Fn::Sub": v.split(inner).join(ref.Ref ? `\${${ref.Ref}}` : `\${${(ref["Fn::GetAtt"] ?? []).join(".")}}`) };
        }
        return v;
    }
    if (Array.isArray(v)) {
        return v.map((x) => refify(x, refs));
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, refify(x, refs)]));
    }
    return v;
}

const pascalKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(pascalKeys) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toUpperCase() + k.slice(1), pascalKeys(x)])) : v;

/** The CloudFormation properties of a resource, from its Pulumi inputs. */
function properties(r: RecordedResource): Json | undefined {
    // Provider inputs are free-form JSON; they are read here only, never passed on typed.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const i = r.inputs as Record<string, any>;
    const tags = (t: Record<string, string> | undefined) => (t ? Object.entries(t).map(([Key, Value]) => ({ Key, Value })) : undefined);
    switch (r.type) {
        case "aws:ec2/vpc:Vpc":
            return { CidrBlock: i.cidrBlock, Tags: tags(i.tags) };
        case "aws:ec2/subnet:Subnet":
            return { VpcId: i.vpcId, CidrBlock: i.cidrBlock, AvailabilityZone: i.availabilityZone };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { GroupName: i.name, GroupDescription: i.description, VpcId: i.vpcId };
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            return { GroupId: i.securityGroupId, IpProtocol: i.ipProtocol, FromPort: i.fromPort, ToPort: i.toPort, ...(i.cidrIpv4 ? { CidrIp: i.cidrIpv4 } : { SourceSecurityGroupId: i.referencedSecurityGroupId }) };
        case "aws:secretsmanager/secret:Secret":
            // The value is set outside the template (CloudFormation would keep it in the template otherwise).
            return { Name: i.name };
        case "aws:ssm/parameter:Parameter":
            return { Name: i.name, Type: i.type, Value: i.value };
        case "aws:efs/fileSystem:FileSystem":
            return { Encrypted: i.encrypted, PerformanceMode: i.performanceMode, FileSystemTags: tags(i.tags) };
        case "aws:efs/accessPoint:AccessPoint":
            return {
                FileSystemId: i.fileSystemId,
                PosixUser: { Uid: String(i.posixUser.uid), Gid: String(i.posixUser.gid) },
                RootDirectory: { Path: i.rootDirectory.path, CreationInfo: { OwnerUid: String(i.rootDirectory.creationInfo.ownerUid), OwnerGid: String(i.rootDirectory.creationInfo.ownerGid), Permissions: i.rootDirectory.creationInfo.permissions } },
            };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { LogGroupName: i.name, RetentionInDays: i.retentionInDays };
        case "aws:lb/loadBalancer:LoadBalancer":
            return { Name: i.name, Type: i.loadBalancerType, Scheme: i.internal ? "internal" : "internet-facing", SecurityGroups: i.securityGroups, Subnets: i.subnets };
        case "aws:lb/targetGroup:TargetGroup":
            return {
                Name: i.name,
                Port: i.port,
                Protocol: i.protocol,
                TargetType: i.targetType,
                VpcId: i.vpcId,
                HealthCheckPath: i.healthCheck.path,
                HealthCheckIntervalSeconds: i.healthCheck.interval,
                HealthCheckTimeoutSeconds: i.healthCheck.timeout,
                HealthyThresholdCount: i.healthCheck.healthyThreshold,
                UnhealthyThresholdCount: i.healthCheck.unhealthyThreshold,
                Matcher: { HttpCode: i.healthCheck.matcher },
            };
        case "aws:lb/listener:Listener":
            return { LoadBalancerArn: i.loadBalancerArn, Port: i.port, Protocol: i.protocol, DefaultActions: pascalKeys(i.defaultActions) };
        case "aws:lb/listenerRule:ListenerRule":
            return {
                ListenerArn: i.listenerArn,
                Priority: i.priority,
                Conditions: i.conditions.map((c: { pathPattern: { values: string[] } }) => ({ Field: "path-pattern", PathPatternConfig: { Values: c.pathPattern.values } })),
                Actions: i.actions.map((a: { forward: { targetGroups: { arn: string; weight: number }[] } }) => ({
                    Type: "forward",
                    ForwardConfig: { TargetGroups: a.forward.targetGroups.map((t) => ({ TargetGroupArn: t.arn, Weight: t.weight })) },
                })),
            };
        case "aws:route53/zone:Zone":
            return { Name: i.name };
        case "aws:route53/record:Record":
            return {
                HostedZoneId: i.zoneId,
                Name: i.name,
                Type: i.type,
                ...(i.aliases ? { AliasTarget: { DNSName: i.aliases[0].name, HostedZoneId: i.aliases[0].zoneId, EvaluateTargetHealth: i.aliases[0].evaluateTargetHealth } } : { TTL: String(i.ttl), ResourceRecords: i.records }),
            };
        case "aws:servicediscovery/httpNamespace:HttpNamespace":
            return { Name: i.name, Description: i.description };
        case "aws:servicediscovery/service:Service":
            return { Name: i.name, NamespaceId: i.namespaceId, Description: i.description };
        case "aws:ecs/cluster:Cluster":
            return { ClusterName: i.name, ClusterSettings: pascalKeys(i.settings), Tags: tags(i.tags) };
        case "aws:iam/role:Role":
            return { RoleName: i.name, Path: i.path, AssumeRolePolicyDocument: JSON.parse(i.assumeRolePolicy) };
        case "aws:ecs/taskDefinition:TaskDefinition":
            return {
                Family: i.family,
                RequiresCompatibilities: i.requiresCompatibilities,
                NetworkMode: i.networkMode,
                Cpu: i.cpu,
                Memory: i.memory,
                ExecutionRoleArn: i.executionRoleArn,
                TaskRoleArn: i.taskRoleArn,
                ContainerDefinitions: pascalKeys(JSON.parse(i.containerDefinitions)),
                Volumes: pascalKeys(i.volumes),
            };
        case "aws:ecs/service:Service":
            return {
                ServiceName: i.name,
                Cluster: i.cluster,
                TaskDefinition: i.taskDefinition,
                DesiredCount: i.desiredCount,
                LaunchType: i.launchType,
                SchedulingStrategy: i.schedulingStrategy,
                CapacityProviderStrategy: pascalKeys(i.capacityProviderStrategies),
                NetworkConfiguration: i.networkConfiguration
                    ? { AwsvpcConfiguration: { Subnets: i.networkConfiguration.subnets, SecurityGroups: i.networkConfiguration.securityGroups, AssignPublicIp: i.networkConfiguration.assignPublicIp ? "ENABLED" : "DISABLED" } }
                    : undefined,
                LoadBalancers: pascalKeys(i.loadBalancers),
            };
        default:
            return undefined;
    }
}

const dropUndefined = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(dropUndefined) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, dropUndefined(x)])) : v;

/**
 * The template: every resource CloudFormation has a type for, with
 * DeletionPolicy: Retain where the Pulumi program says retainOnDelete. A
 * secret's version has no resource of its own here (its value is set
 * outside the template), nor does a SecureString parameter, which
 * CloudFormation cannot create.
 */
export function cloudFormationTemplate(resources: readonly RecordedResource[]): Json {
    const declared = resources.filter((r) => r.custom && typeRow(r.type)?.cloudFormation && properties(r) && !(r.type === "aws:ssm/parameter:Parameter" && r.inputs.type === "SecureString"));
    // Only what the template declares can be referred to; the rest stays a literal.
    const refs = references(declared);
    const out: Json = {};
    for (const r of declared) {
        const type = typeRow(r.type)?.cloudFormation as string;
        const props = properties(r) as Json;
        const self = logicalId(r);
        // A resource does not refer to itself (its name is not its own Ref).
        const others = new Map([...refs].filter(([, v]) => (v.Ref ?? (v["Fn::GetAtt"] as string[] | undefined)?.[0]) !== self && !String(v["Fn::Sub"] ?? "").includes(`\${${self}}`)));
        out[self] = { Type: type, ...(r.retainOnDelete ? { DeletionPolicy: "Retain" } : {}), Properties: dropUndefined(refify(props, others)) };
    }
    return { AWSTemplateFormatVersion: "2010-09-09", Description: "The sample shop on ECS (generated from examples/shop/ecs-stack by npm run fixtures:ecs-state)", Resources: out };
}

/** What ListStackResources and GetTemplate answer for the stack that created the seeded shop from that template. */
export function cloudFormationRead(stackName: string, resources: readonly RecordedResource[], template: Json): CloudFormationStackRead {
    const declared = template.Resources as Json;
    const rows = resources
        .filter((r) => r.custom && declared[logicalId(r)])
        .map((r) => ({ LogicalResourceId: logicalId(r), PhysicalResourceId: physicalId(r), ResourceType: typeRow(r.type)?.cloudFormation, ResourceStatus: "CREATE_COMPLETE" }))
        .sort((a, b) => a.LogicalResourceId.localeCompare(b.LogicalResourceId));
    return { stackName, resources: rows, templateBody: JSON.stringify(template) };
}
