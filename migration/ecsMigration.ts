/**
 * EcsMigration: declares a MigrationPlan on the cluster, next to the running
 * ECS services, with canary routing between the two. A thin layer: every
 * decision is made in translate() and migration/cutover/ (the same plain
 * objects `ecs2eks plan` writes); this declares it.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CutoverConfig, IdentityMode, TestRouteConfig } from "../config";
import { DeclaredServiceAccountRole, ServiceAccountRoles, serviceAccountRoles } from "../components/serviceAccountRole";
import { BROAD_IAM_ALLOWED_TAG, PRIVILEGED_ALLOWED_ANNOTATION } from "../core/allowances";
import { declareAlarm } from "./alarmDeclaration";
import { planAlarms } from "./cutover/alarms";
import { CanaryPlan } from "./cutover/canary";
import { bindingVpcId, targetGroupBinding } from "./cutover/bindings";
import { canariesOf, declaredObjects, ingressesOf, planCutover } from "./cutover";
import { testRouteOf } from "./cutover/testRoute";
import { declareFrontDoors, frontDoorRoutes } from "./frontDoors";
import { secretReaderPolicy } from "./secretAccess";
import { SecurityGroupClone, planSecurityGroups } from "./cutover/securityGroups";
import { EcsSnapshot } from "../core/snapshot";
import { declareInTurns } from "../core/declareInTurns";
import { credentialValues } from "./translate/credentials";
import { BuiltinKind, RETAINED_KINDS, builtinKind, isPrerequisite, isWorkload } from "./translate/kinds";
import { SECRET_READER_SERVICE_ACCOUNT } from "./translate/secrets";
import { K8sObject, MigrationPlan, RolePlan, WorkloadPlan } from "./translate/types";

export interface EcsMigrationArgs {
    readonly plan: MigrationPlan;
    readonly snapshot: EcsSnapshot;
    /** Share of each service's traffic sent to EKS. */
    readonly cutover: CutoverConfig;
    /** The marker header of the test routes (migration:testRoute); default x-ecs2eks-canary: eks. */
    readonly testRoute?: TestRouteConfig;
    readonly identityMode: IdentityMode;
    readonly partition: string;
    readonly cluster: {
        readonly name: pulumi.Input<string>;
        readonly provider: k8s.Provider;
        readonly oidcProviderArn: pulumi.Input<string>;
        readonly oidcProviderUrl: pulumi.Input<string>;
        /** Nodes' security group: kubelet probes come from it, CoreDNS answers from it. */
        readonly nodeSecurityGroupId: pulumi.Input<string>;
    };
    /** The VPC the pods run in. */
    readonly vpcId: pulumi.Input<string>;
    /** ECS services (or scheduled tasks) whose broad IAM permissions were reviewed and allowed (migration:allowBroadIam). */
    readonly allowBroadIam?: readonly string[];
    /** ECS services (or scheduled tasks) whose privileged or host access was reviewed and allowed (migration:allowPrivileged). */
    readonly allowPrivileged?: readonly string[];
    readonly tags?: Readonly<Record<string, string>>;
}

type KindClass = new (name: string, args: never, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * Built-in kinds get their own resource classes (their usual type tokens and
 * await logic); custom resources (ExternalSecret, ScaledObject, ...) the generic one.
 */
const TYPED_KINDS: Readonly<Record<BuiltinKind, KindClass>> = {
    Namespace: k8s.core.v1.Namespace as unknown as KindClass,
    ServiceAccount: k8s.core.v1.ServiceAccount as unknown as KindClass,
    Secret: k8s.core.v1.Secret as unknown as KindClass,
    Service: k8s.core.v1.Service as unknown as KindClass,
    StorageClass: k8s.storage.v1.StorageClass as unknown as KindClass,
    PersistentVolume: k8s.core.v1.PersistentVolume as unknown as KindClass,
    PersistentVolumeClaim: k8s.core.v1.PersistentVolumeClaim as unknown as KindClass,
    StatefulSet: k8s.apps.v1.StatefulSet as unknown as KindClass,
    Deployment: k8s.apps.v1.Deployment as unknown as KindClass,
    DaemonSet: k8s.apps.v1.DaemonSet as unknown as KindClass,
    CronJob: k8s.batch.v1.CronJob as unknown as KindClass,
    PodDisruptionBudget: k8s.policy.v1.PodDisruptionBudget as unknown as KindClass,
    HorizontalPodAutoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler as unknown as KindClass,
    NetworkPolicy: k8s.networking.v1.NetworkPolicy as unknown as KindClass,
    Ingress: k8s.networking.v1.Ingress as unknown as KindClass,
};

export interface ListenerRouteOutput {
    readonly service: string;
    readonly listenerArn: string;
    readonly priority: number;
    readonly ecsWeight: number;
    readonly eksWeight: number;
}

/** A service moved by Route 53 or CloudFront: the strategy, the split, and what carries it. */
export interface FrontDoorRouteOutput {
    readonly service: string;
    readonly strategy: "route53-weighted" | "cloudfront-staging";
    readonly ecsWeight: number;
    readonly eksWeight: number;
    /** The record names, or the primary distribution's ID. */
    readonly frontDoor: string;
}

/** Listener routes keep the shape they always had; front-door routes say their strategy. */
export type RouteOutput = ListenerRouteOutput | FrontDoorRouteOutput;

/** One workload's resources, grouped so the preview reads as the plan does. */
class Workload extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("ecs2eks:migration:Workload", name, {}, opts);
    }

    done(outputs: Record<string, unknown>): void {
        this.registerOutputs(outputs);
    }
}

/** The workload with the annotation that tells the policy pack its privileged or host access was reviewed. */
function reviewedPrivileged(obj: K8sObject): K8sObject {
    return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [PRIVILEGED_ALLOWED_ANNOTATION]: "true" } } };
}

function resourceName(obj: K8sObject): string {
    return `${obj.metadata.namespace ? `${obj.metadata.namespace}-` : ""}${obj.kind.toLowerCase()}-${obj.metadata.name}`;
}

export class EcsMigration extends pulumi.ComponentResource {
    /** The weighted listener rules, as deployed: what each service's traffic split is. */
    readonly routes: RouteOutput[];
    readonly roleArns: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: EcsMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:migration:EcsMigration", name, {}, opts);
        const { plan, snapshot, cluster } = args;
        const provider = cluster.provider;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const tags = { ...args.tags };
        const allowBroadIam = new Set(args.allowBroadIam ?? []);
        const allowPrivileged = new Set(args.allowPrivileged ?? []);
        const sources = new Set(plan.workloads.map((w) => w.source.name));
        for (const [key, names] of [["migration:allowBroadIam", allowBroadIam], ["migration:allowPrivileged", allowPrivileged]] as const) {
            const unknown = [...names].filter((n) => !sources.has(n));
            if (unknown.length > 0) {
                throw new pulumi.RunError(`${key} names ${unknown.join(", ")}, which the snapshot has no ECS service or scheduled task of; it has ${[...sources].sort().join(", ")}`);
            }
        }

        // The same roles for service accounts as the add-ons', without a component of their own (which would move their URNs).
        const roles = serviceAccountRoles(cluster, this);
        const annotate = (obj: K8sObject, role: DeclaredServiceAccountRole | undefined): pulumi.Input<Record<string, unknown>> =>
            role?.annotations ? { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), ...role.annotations } } } : obj;
        const declare = (obj: pulumi.Input<Record<string, unknown>>, key: K8sObject, parent: pulumi.Resource, dependsOn: pulumi.Resource[]) => {
            const builtin = builtinKind(key.apiVersion, key.kind);
            const typed = builtin && TYPED_KINDS[builtin];
            const opts = { parent, provider, dependsOn, ...(RETAINED_KINDS.has(key.kind) ? { retainOnDelete: true } : {}) };
            return typed ? new typed(resourceName(key), obj as never, opts) : new k8s.apiextensions.CustomResource(resourceName(key), obj as k8s.apiextensions.CustomResourceArgs, opts);
        };

        // Namespaces, and per namespace the SecretStores' reader: exactly the secrets used there.
        const namespaceResources = new Map<string, pulumi.Resource>();
        for (const ns of plan.namespaces) {
            const [namespaceObject, ...rest] = ns.objects;
            const nsResource = declare(namespaceObject, namespaceObject, this, []);
            namespaceResources.set(ns.name, nsResource);
            const readerPolicy = account.apply((acct) => secretReaderPolicy(ns, snapshot, acct, args.partition));
            const needsReader = ns.secretArns.length > 0 || ns.ssmParameters.length > 0;
            const readerRole = needsReader
                ? roles.declare(
                      `${ns.name}-secret-reader`,
                      {
                          // Always IRSA: a SecretStore authenticates with its service account's token
                          // (auth.jwt), which EKS Pod Identity does not provide.
                          mode: "irsa",
                          namespace: ns.name,
                          serviceAccountName: SECRET_READER_SERVICE_ACCOUNT,
                          description: `External Secrets in namespace ${ns.name}: reads the ${ns.secretArns.length + ns.ssmParameters.length} secrets its workloads use`,
                          role: { inlinePolicies: [{ name: "read-secrets", policy: readerPolicy.apply((p) => JSON.stringify(p)) }], tags },
                      },
                      this,
                  )
                : undefined;
            const prerequisites: pulumi.Resource[] = [nsResource];
            for (const obj of rest) {
                const r = declare(obj.kind === "ServiceAccount" ? annotate(obj, readerRole) : obj, obj, this, [...prerequisites]);
                if (obj.kind === "ServiceAccount") {
                    prerequisites.push(r);
                }
            }
        }

        // Copies of the ECS services' security groups, for SecurityGroupPolicies.
        const groupPlan = planSecurityGroups(snapshot, plan.workloads);
        const clones = new Map<string, aws.ec2.SecurityGroup>();
        for (const clone of groupPlan.clones) {
            clones.set(clone.sourceId, new aws.ec2.SecurityGroup(clone.name, { description: clone.description, vpcId: args.vpcId, tags: { ...tags, Name: clone.name, "ecs2eks:clone-of": clone.sourceId } }, { parent: this }));
        }
        for (const clone of groupPlan.clones) {
            this.declareRules(clone, clones, cluster.nodeSecurityGroupId);
        }

        const cutover = planCutover(plan, snapshot, args.cutover, args.testRoute);
        if (cutover.frontDoors.errors.length > 0) {
            throw new pulumi.RunError(cutover.frontDoors.errors.join("; "));
        }
        const alarms = planAlarms(plan, snapshot, cutover);
        const eksLoadBalancers = new Map<string, pulumi.Output<string>>();
        const roleArns: Record<string, pulumi.Output<string>> = {};
        const declareWorkload = (w: WorkloadPlan): void => {
            if (w.objects.length === 0) {
                return;
            }
            const parent = new Workload(`${w.namespace}-${w.name}`, { parent: this });
            const roleTags = allowBroadIam.has(w.source.name) ? { ...tags, [BROAD_IAM_ALLOWED_TAG]: "true" } : tags;
            const role = w.role ? this.declareRole(w, w.role, parent, roles, args.identityMode, roleTags) : undefined;
            if (role) {
                roleArns[`${w.namespace}/${w.name}`] = role.role.arn;
            }
            const nsResource = namespaceResources.get(w.namespace);
            const prerequisites: pulumi.Resource[] = nsResource ? [nsResource] : [];
            const declared: pulumi.Resource[] = [];
            for (const obj of declaredObjects(w, cutover)) {
                const reviewed = isWorkload(obj.kind) && allowPrivileged.has(w.source.name) ? reviewedPrivileged(obj) : obj;
                let body: pulumi.Input<Record<string, unknown>> = reviewed;
                if (obj.kind === "ServiceAccount") {
                    body = annotate(obj, role);
                } else if (obj.kind === "Secret") {
                    // The plan holds no credential values: they come from the snapshot, as secrets in state and preview.
                    body = { ...obj, stringData: pulumi.secret(credentialValues(snapshot, w)) };
                } else if (obj.kind === "SecurityGroupPolicy") {
                    const spec = obj.spec as { securityGroups: { groupIds: string[] } };
                    body = { ...obj, spec: { ...spec, securityGroups: { groupIds: spec.securityGroups.groupIds.map((id) => clones.get(id)?.id ?? id) } } };
                }
                const deps = isWorkload(obj.kind) ? [...prerequisites, ...declared] : prerequisites;
                const r = declare(body, obj, parent, deps);
                if (isPrerequisite(obj.kind)) {
                    declared.push(r);
                }
            }
            const targetGroups = new Map<string, aws.lb.TargetGroup>();
            for (const c of canariesOf(w, cutover)) {
                const tg = this.declareCanary(c, parent, provider, args.vpcId, tags);
                targetGroups.set(`${c.ecsTargetGroupArn}|${c.priority}`, tg);
                const test = testRouteOf(c, cutover.testRoutes);
                if (test) {
                    // Requests with the marker header reach EKS alone, whatever the weights.
                    new aws.lb.ListenerRule(
                        `${c.namespace}-${c.workload}-${test.priority}-test`,
                        { listenerArn: test.listenerArn, priority: test.priority, conditions: test.conditions as aws.types.input.lb.ListenerRuleCondition[], actions: [{ type: "forward", targetGroupArn: tg.arn }], tags: { ...tags, "ecs2eks:service": c.ecsService, "ecs2eks:test-route": test.header.header } },
                        { parent },
                    );
                }
            }
            for (const a of alarms.alarms.filter((x) => x.namespace === w.namespace && x.workload === w.name)) {
                declareAlarm(a, parent, cluster.name, a.canary ? targetGroups.get(`${a.canary.ecsTargetGroupArn}|${a.canary.priority}`) : undefined, tags);
            }
            for (const i of ingressesOf(w, cutover)) {
                const ingress = new k8s.networking.v1.Ingress(resourceName(i.object), i.object as k8s.networking.v1.IngressArgs, { parent, provider, dependsOn: [...prerequisites, ...declared] });
                // Every Ingress of a group shares one ALB: its DNS name is the EKS side of the front door.
                if (!eksLoadBalancers.has(i.group)) {
                    eksLoadBalancers.set(i.group, ingress.status.apply((st) => st?.loadBalancer?.ingress?.[0]?.hostname ?? ""));
                }
            }
            parent.done({});
        };
        // The front doors point at the Ingresses' ALBs, so they come after every workload.
        const declared = declareInTurns(plan.workloads, declareWorkload).then(() => declareFrontDoors(this, cutover.frontDoors, snapshot, eksLoadBalancers, tags));
        this.routes = [...cutover.canaries.map((c) => ({ service: c.ecsService, listenerArn: c.listenerArn, priority: c.priority, ecsWeight: c.ecsWeight, eksWeight: c.eksWeight })), ...frontDoorRoutes(cutover.frontDoors, snapshot)];
        this.roleArns = pulumi.output(declared.then(() => roleArns));
        for (const { diagnostic: d } of [...cutover.diagnostics, ...alarms.diagnostics.filter((x) => x.diagnostic.severity !== "info")]) {
            void pulumi.log.warn(`${d.service}: ${d.message}; ${d.suggestion}`, this);
        }
        this.registerOutputs(declared.then(() => ({ routes: this.routes, roleArns: this.roleArns })));
    }

    /** The workload's role: the task role's permissions, cloned (inline documents, AWS-managed policies by ARN). */
    private declareRole(w: WorkloadPlan, role: RolePlan, parent: pulumi.Resource, roles: ServiceAccountRoles, mode: IdentityMode, tags: Record<string, string>): DeclaredServiceAccountRole {
        return roles.declare(
            `${w.namespace}-${w.name}`,
            {
                mode,
                namespace: role.namespace,
                serviceAccountName: role.serviceAccount,
                description: `Service account ${role.namespace}/${role.serviceAccount}: the permissions of ECS task role ${role.sourceRoleArn}`,
                role: {
                    inlinePolicies: role.policies.filter((p) => p.document !== undefined).map((p) => ({ name: p.name, policy: JSON.stringify(p.document) })),
                    managedPolicyArns: role.policies.filter((p) => p.managedPolicyArn).map((p) => p.managedPolicyArn as string),
                    ...(role.permissionsBoundaryArn ? { permissionsBoundary: role.permissionsBoundaryArn } : {}),
                    tags: { ...tags, "ecs2eks:cloned-from": role.sourceRoleArn },
                },
            },
            parent,
        );
    }

    private declareRules(clone: SecurityGroupClone, clones: ReadonlyMap<string, aws.ec2.SecurityGroup>, nodeSecurityGroupId: pulumi.Input<string>): void {
        const sg = clones.get(clone.sourceId) as aws.ec2.SecurityGroup;
        clone.rules.forEach((rule, i) => {
            const args = {
                securityGroupId: sg.id,
                ipProtocol: rule.protocol,
                ...(rule.fromPort !== undefined ? { fromPort: rule.fromPort } : {}),
                ...(rule.toPort !== undefined ? { toPort: rule.toPort } : {}),
                ...(rule.cidrIpv4 ? { cidrIpv4: rule.cidrIpv4 } : {}),
                ...(rule.cidrIpv6 ? { cidrIpv6: rule.cidrIpv6 } : {}),
                ...(rule.prefixListId ? { prefixListId: rule.prefixListId } : {}),
                ...(rule.group ? { referencedSecurityGroupId: "cloneOf" in rule.group ? (clones.get(rule.group.cloneOf) as aws.ec2.SecurityGroup).id : rule.group.id } : {}),
                ...(rule.description ? { description: rule.description } : {}),
            };
            if (rule.direction === "ingress") {
                new aws.vpc.SecurityGroupIngressRule(`${clone.name}-in-${i}`, args, { parent: this });
            } else {
                new aws.vpc.SecurityGroupEgressRule(`${clone.name}-out-${i}`, args, { parent: this });
            }
        });
        // The node group (pods without a copy, node agents, the kubelet) reaches only the ports planned for it, never the whole range.
        for (const r of clone.fromNodes) {
            new aws.vpc.SecurityGroupIngressRule(`${clone.name}-from-nodes-${r.protocol}-${r.port}`, { securityGroupId: sg.id, ipProtocol: r.protocol, fromPort: r.port, toPort: r.port, referencedSecurityGroupId: nodeSecurityGroupId, description: r.description }, { parent: this });
        }
        // Pods with their own security group still ask CoreDNS.
        for (const protocol of ["udp", "tcp"]) {
            new aws.vpc.SecurityGroupEgressRule(`${clone.name}-dns-${protocol}`, { securityGroupId: sg.id, ipProtocol: protocol, fromPort: 53, toPort: 53, referencedSecurityGroupId: nodeSecurityGroupId, description: "DNS to CoreDNS" }, { parent: this });
        }
    }

    /** A new ip target group bound to the Service, and a weighted rule of this stack before the ECS one. */
    private declareCanary(c: CanaryPlan, parent: pulumi.Resource, provider: k8s.Provider, clusterVpcId: pulumi.Input<string>, tags: Record<string, string>): aws.lb.TargetGroup {
        const tg = new aws.lb.TargetGroup(
            `${c.namespace}-${c.workload}-${c.priority}`,
            {
                name: c.targetGroup.name,
                targetType: "ip",
                port: c.targetGroup.port,
                protocol: c.targetGroup.protocol,
                ...(c.targetGroup.protocolVersion ? { protocolVersion: c.targetGroup.protocolVersion } : {}),
                vpcId: c.targetGroup.vpcId,
                healthCheck: c.targetGroup.healthCheck,
                tags: { ...tags, "ecs2eks:canary-for": c.ecsTargetGroupArn },
            },
            { parent },
        );
        const binding = targetGroupBinding(c, { targetGroupARN: tg.arn }, pulumi.output(clusterVpcId).apply((vpc) => bindingVpcId(c, vpc)));
        new k8s.apiextensions.CustomResource(resourceName(binding), binding, { parent, provider });
        new aws.lb.ListenerRule(
            `${c.namespace}-${c.workload}-${c.priority}`,
            {
                listenerArn: c.listenerArn,
                priority: c.priority,
                conditions: c.conditions as aws.types.input.lb.ListenerRuleCondition[],
                actions: [{ type: "forward", forward: { targetGroups: c.forward.targetGroups.map((t) => ({ arn: t.side === "ecs" ? t.targetGroup : tg.arn, weight: t.weight })), stickiness: c.forward.stickiness } }],
                tags: { ...tags, "ecs2eks:service": c.ecsService },
            },
            { parent },
        );
        return tg;
    }
}
