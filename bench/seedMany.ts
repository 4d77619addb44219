import { PutScalingPolicyCommand, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { SeedClients } from "../examples/shop/clients";
import { mapLimit } from "../migration/ecs/concurrency";

export const BENCH_CLUSTER = "estate";

/** Shape of a generated estate: what fraction of services has each feature. */
const EVERY_NTH_BEHIND_LB = 5;
const EVERY_NTH_SCALED = 4;
const TEAMS = 10;

/**
 * A generated estate of n services as a large organisation has them: each
 * service its own task definition family, a task role per team, a shared
 * database secret, one in five behind the load balancer, one in four
 * autoscaled on CPU.
 */
export async function seedEstate(c: SeedClients, n: number): Promise<void> {
    await c.ecs.send(new CreateClusterCommand({ clusterName: BENCH_CLUSTER }));
    const vpcId = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }))).Vpc?.VpcId ?? "";
    const subnets: string[] = [];
    for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
        subnets.push((await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.40.${i}.0/24`, AvailabilityZone: az }))).Subnet?.SubnetId ?? "");
    }
    const securityGroup = (await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: "estate-services", Description: "estate services", VpcId: vpcId }))).GroupId ?? "";
    const roles: string[] = [];
    for (let t = 0; t < TEAMS; t++) {
        const name = `team-${t}-task`;
        const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
        roles.push((await c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))).Role?.Arn ?? "");
        await c.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "data", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::team-${t}/*` }] }) }));
    }
    const secret = (await c.secrets.send(new CreateSecretCommand({ Name: "estate/db", SecretString: "{}" }))).ARN ?? "";
    const lb = await c.elb.send(new CreateLoadBalancerCommand({ Name: "estate-alb", Subnets: subnets, Scheme: "internal", Type: "application" }));
    const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    let firstTg: string | undefined;

    // One at a time: moto's writes are not safe to run in parallel.
    await mapLimit(
        Array.from({ length: n }, (_, i) => i),
        1,
        async (i) => {
            const name = `svc-${String(i).padStart(4, "0")}`;
            const td = await c.ecs.send(
                new RegisterTaskDefinitionCommand({
                    family: name,
                    networkMode: "awsvpc",
                    requiresCompatibilities: ["FARGATE"],
                    cpu: "256",
                    memory: "512",
                    taskRoleArn: roles[i % TEAMS],
                    containerDefinitions: [
                        {
                            name: "app",
                            image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}:1.0.${i}`,
                            portMappings: [{ name: "http", containerPort: 8080 }],
                            secrets: [{ name: "DB", valueFrom: `${secret}:password::` }],
                        },
                    ],
                }),
            );
            let loadBalancers;
            if (i % EVERY_NTH_BEHIND_LB === 0) {
                const tg = await c.elb.send(new CreateTargetGroupCommand({ Name: `tg-${name}`, Protocol: "HTTP", Port: 8080, VpcId: vpcId, TargetType: "ip", HealthCheckPath: "/health" }));
                const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
                firstTg ??= tgArn;
                loadBalancers = [{ targetGroupArn: tgArn, containerName: "app", containerPort: 8080 }];
            }
            await c.ecs.send(
                new CreateServiceCommand({
                    cluster: BENCH_CLUSTER,
                    serviceName: name,
                    taskDefinition: td.taskDefinition?.taskDefinitionArn,
                    desiredCount: 2,
                    launchType: "FARGATE",
                    networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups: [securityGroup] } },
                    ...(loadBalancers ? { loadBalancers } : {}),
                }),
            );
            if (i % EVERY_NTH_SCALED === 0) {
                const ResourceId = `service/${BENCH_CLUSTER}/${name}`;
                await c.autoScaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId, ScalableDimension: "ecs:service:DesiredCount", MinCapacity: 2, MaxCapacity: 10 }));
                await c.autoScaling.send(
                    new PutScalingPolicyCommand({
                        PolicyName: `${name}-cpu`,
                        ServiceNamespace: "ecs",
                        ResourceId,
                        ScalableDimension: "ecs:service:DesiredCount",
                        PolicyType: "TargetTrackingScaling",
                        TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" } },
                    }),
                );
            }
        },
    );
    if (firstTg) {
        await c.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: firstTg }] }));
    }
}
