/**
 * Pulumi mocks that answer the sample ECS stack's resources with the IDs and
 * ARNs the seeded shop has in examples/shop/snapshot.json, so the state the
 * program produces names the same resources the snapshot (and so the
 * migration plan) does.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { EcsSnapshot } from "../../core/snapshot";

type State = Record<string, unknown>;

const hex = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").slice(0, n);

export class SeededShopMocks implements pulumi.runtime.Mocks {
    private readonly account: string;
    constructor(private readonly snap: EcsSnapshot) {
        this.account = /:(\d{12}):/.exec(snap.clusters[0]?.cluster.clusterArn ?? "")?.[1] ?? "123456789012";
    }

    private arn(service: string, rest: string, regional = true): string {
        return `arn:aws:${service}:${regional ? this.snap.region : ""}:${this.account}:${rest}`;
    }

    /** The seeded ID (and the attributes AWS computes) for a resource, found in the snapshot by what the program names it. */
    private seeded(type: string, name: string, inputs: State): { id: string; state: State } {
        const s = this.snap;
        const lb = s.loadBalancing.loadBalancers[0];
        const str = (k: string) => (typeof inputs[k] === "string" ? (inputs[k] as string) : "");
        const missing = (what: string): never => {
            throw new Error(`the seeded shop has no ${what} for ${type} ${name}: keep examples/shop/ecs-stack in step with examples/shop/seed.ts`);
        };
        switch (type) {
            case "aws:ec2/vpc:Vpc":
                return { id: lb.VpcId ?? "", state: { arn: this.arn("ec2", `vpc/${lb.VpcId}`) } };
            case "aws:ec2/subnet:Subnet": {
                const id = lb.AvailabilityZones?.find((z) => z.ZoneName === str("availabilityZone"))?.SubnetId ?? missing("subnet");
                return { id, state: { arn: this.arn("ec2", `subnet/${id}`) } };
            }
            case "aws:ec2/securityGroup:SecurityGroup": {
                const g = s.securityGroups.find((x) => x.GroupName === str("name")) ?? missing("security group");
                return { id: g.GroupId ?? "", state: { arn: g.SecurityGroupArn } };
            }
            case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
                const id = `sgr-${hex(name, 17)}`;
                return { id, state: { securityGroupRuleId: id, arn: this.arn("ec2", `security-group-rule/${id}`) } };
            }
            case "aws:secretsmanager/secret:Secret": {
                const ref = s.secrets.find((x) => x.source === "secretsmanager" && x.name === str("name")) ?? missing("secret");
                const arn = /^(arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:[^:]+)/.exec(ref.arn)?.[1] ?? ref.arn;
                return { id: arn, state: { arn } };
            }
            case "aws:secretsmanager/secretVersion:SecretVersion": {
                const versionId = `${hex(name, 8)}-${hex(`${name}1`, 4)}-${hex(`${name}2`, 4)}-${hex(`${name}3`, 4)}-${hex(`${name}4`, 12)}`;
                return { id: `${str("secretId")}|${versionId}`, state: { arn: str("secretId"), versionId, versionStages: ["AWSCURRENT"] } };
            }
            case "aws:ssm/parameter:Parameter":
                return { id: str("name"), state: { arn: this.arn("ssm", `parameter${str("name")}`), version: 1 } };
            case "aws:efs/fileSystem:FileSystem": {
                const f = s.fileSystems.fileSystems.find((x) => x.CreationToken === str("creationToken")) ?? missing("file system");
                return { id: f.FileSystemId ?? "", state: { arn: f.FileSystemArn, dnsName: `${f.FileSystemId}.efs.${s.region}.amazonaws.com` } };
            }
            case "aws:efs/accessPoint:AccessPoint": {
                const root = (inputs.rootDirectory as { path?: string } | undefined)?.path;
                const a = s.fileSystems.accessPoints.find((x) => x.FileSystemId === str("fileSystemId") && x.RootDirectory?.Path === root) ?? missing("access point");
                return { id: a.AccessPointId ?? "", state: { arn: a.AccessPointArn } };
            }
            case "aws:cloudwatch/logGroup:LogGroup":
                return { id: str("name"), state: { arn: this.arn("logs", `log-group:${str("name")}`) } };
            case "aws:lb/loadBalancer:LoadBalancer": {
                const l = s.loadBalancing.loadBalancers.find((x) => x.LoadBalancerName === str("name")) ?? missing("load balancer");
                const arn = l.LoadBalancerArn ?? "";
                return { id: arn, state: { arn, arnSuffix: arn.split(":loadbalancer/")[1], dnsName: l.DNSName, zoneId: l.CanonicalHostedZoneId, vpcId: l.VpcId } };
            }
            case "aws:lb/targetGroup:TargetGroup": {
                const t = s.loadBalancing.targetGroups.find((x) => x.TargetGroupName === str("name")) ?? missing("target group");
                return { id: t.TargetGroupArn ?? "", state: { arn: t.TargetGroupArn, arnSuffix: t.TargetGroupArn?.split(":")[5] } };
            }
            case "aws:lb/listener:Listener": {
                const l = s.loadBalancing.listeners.find((x) => x.LoadBalancerArn === str("loadBalancerArn") && x.Port === inputs.port) ?? missing("listener");
                return { id: l.ListenerArn ?? "", state: { arn: l.ListenerArn } };
            }
            case "aws:lb/listenerRule:ListenerRule": {
                const r = s.loadBalancing.rules.find((x) => x.listenerArn === str("listenerArn") && x.rule.Priority === String(inputs.priority)) ?? missing("listener rule");
                return { id: r.rule.RuleArn ?? "", state: { arn: r.rule.RuleArn } };
            }
            case "aws:route53/zone:Zone": {
                const z = (s.loadBalancing.dnsRecords ?? []).find((x) => x.zoneName.replace(/\.$/, "") === str("name")) ?? missing("hosted zone");
                return { id: z.zoneId, state: { zoneId: z.zoneId, arn: `arn:aws:route53:::hostedzone/${z.zoneId}` } };
            }
            case "aws:route53/record:Record":
                return { id: `${str("zoneId")}_${str("name")}_${str("type")}`, state: { fqdn: str("name") } };
            case "aws:servicediscovery/httpNamespace:HttpNamespace": {
                const n = s.serviceDiscovery.namespaces.find((x) => x.Name === str("name")) ?? missing("namespace");
                return { id: n.Id ?? "", state: { arn: n.Arn, httpName: n.Name } };
            }
            case "aws:servicediscovery/service:Service": {
                const d = s.serviceDiscovery.services.find((x) => x.Name === str("name")) ?? missing("Cloud Map service");
                return { id: d.Id ?? "", state: { arn: d.Arn } };
            }
            case "aws:ecs/cluster:Cluster": {
                const arn = s.clusters.find((c) => c.cluster.clusterName === str("name"))?.cluster.clusterArn ?? missing("cluster");
                return { id: arn, state: { arn } };
            }
            case "aws:ecs/taskDefinition:TaskDefinition": {
                const t = s.taskDefinitions.find((x) => x.family === str("family")) ?? missing("task definition");
                return { id: str("family"), state: { arn: t.taskDefinitionArn, arnWithoutRevision: t.taskDefinitionArn?.replace(/:\d+$/, ""), revision: t.revision } };
            }
            case "aws:ecs/service:Service": {
                const svc = s.clusters.flatMap((c) => c.services).find((x) => x.serviceName === str("name")) ?? missing("service");
                return { id: svc.serviceArn ?? "", state: {} };
            }
            case "aws:iam/role:Role": {
                const arn = s.roles.find((r) => r.name === str("name"))?.arn ?? `arn:aws:iam::${this.account}:role${str("path") || "/"}${str("name")}`;
                return { id: str("name"), state: { arn, uniqueId: `AROA${hex(name, 17).toUpperCase()}` } };
            }
            default:
                return missing("resource of this type");
        }
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const inputs = args.inputs as State;
        if (!args.custom) {
            return { id: undefined, state: inputs };
        }
        const { id, state } = this.seeded(args.type, args.name, inputs);
        return { id, state: { ...inputs, ...state } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: this.account, arn: `arn:aws:iam::${this.account}:user/fixtures`, userId: "AIDAFIXTURES" };
            case "aws:index/getRegion:getRegion":
                return { name: this.snap.region, region: this.snap.region };
            default:
                return args.inputs as Record<string, unknown>;
        }
    }
}
