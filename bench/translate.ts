/**
 * npm run bench:translate [-- --services 1000]
 *
 * Translates a generated estate of N services (varied: ports, secrets,
 * volumes, sidecars, scaling) and prints ms per service and peak RSS.
 */
import { performance } from "perf_hooks";
import { EcsSnapshot, SNAPSHOT_SCHEMA_VERSION, ServiceSnapshot, TaskDefinitionSnapshot } from "../core/snapshot";
import { translate } from "../migration/translate/translate";
import { validateObjects } from "../migration/translate/validate";
import { flag } from "./harness";

export function generatedEstate(n: number): EcsSnapshot {
    const account = "123456789012";
    const cluster = `arn:aws:ecs:us-east-1:${account}:cluster/estate`;
    const services: ServiceSnapshot[] = [];
    const taskDefinitions: TaskDefinitionSnapshot[] = [];
    const targets = [];
    const policies = [];
    const listenerArn = `arn:aws:elasticloadbalancing:us-east-1:${account}:listener/app/estate/1/2`;
    const targetGroups = [];
    const rules = [];
    for (let i = 0; i < n; i++) {
        const name = `svc-${String(i).padStart(4, "0")}`;
        const td = `arn:aws:ecs:us-east-1:${account}:task-definition/${name}:3`;
        taskDefinitions.push({
            taskDefinitionArn: td,
            family: name,
            networkMode: "awsvpc",
            cpu: "1024",
            memory: "2048",
            taskRoleArn: `arn:aws:iam::${account}:role/team-${i % 10}`,
            volumes: i % 7 === 0 ? [{ name: "data", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0", transitEncryption: "ENABLED" } }] : [],
            containerDefinitions: [
                {
                    name: "app",
                    image: `${account}.dkr.ecr.us-east-1.amazonaws.com/${name}:1.${i}`,
                    cpu: 768,
                    memory: 1536,
                    essential: true,
                    portMappings: [{ name: "http", containerPort: 8080, protocol: "tcp", appProtocol: "http" }],
                    environment: [{ name: "SERVICE", value: name }],
                    secrets: [{ name: "DB_PASSWORD", valueFrom: `arn:aws:secretsmanager:us-east-1:${account}:secret:db-${i % 20}-AbCdEf:password::` }],
                    healthCheck: { command: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], startPeriod: 30 },
                    mountPoints: i % 7 === 0 ? [{ sourceVolume: "data", containerPath: "/data" }] : [],
                    dependsOn: i % 3 === 0 ? [{ containerName: "proxy", condition: "START" }] : [],
                    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": `/ecs/${name}` } },
                },
                { name: "proxy", image: "envoyproxy/envoy:v1.30", cpu: 128, memory: 256, essential: i % 3 !== 0, portMappings: [{ containerPort: 9901 }] },
            ],
        });
        services.push({
            serviceName: name,
            serviceArn: `arn:aws:ecs:us-east-1:${account}:service/estate/${name}`,
            clusterArn: cluster,
            taskDefinition: td,
            desiredCount: 2 + (i % 4),
            schedulingStrategy: "REPLICA",
            deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } },
            networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: [`sg-${i % 10}`] } },
            deployments: [{ status: "PRIMARY", serviceConnectConfiguration: { enabled: true, services: [{ portName: "http", clientAliases: [{ port: 80, dnsName: name }] }] } }],
            ...(i % 5 === 0 ? { loadBalancers: [{ targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${account}:targetgroup/${name}/${i}`, containerName: "app", containerPort: 8080 }] } : {}),
        });
        if (i % 5 === 0) {
            const tgArn = `arn:aws:elasticloadbalancing:us-east-1:${account}:targetgroup/${name}/${i}`;
            targetGroups.push({ TargetGroupArn: tgArn, TargetGroupName: name, Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", HealthCheckPath: "/health", TargetType: "ip" });
            rules.push({ listenerArn, rule: { RuleArn: `${listenerArn}/rule/${i}`, Priority: String(10 + i * 2), Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: [`${name}.example.com`] } }], Actions: [{ Type: "forward", TargetGroupArn: tgArn }] } });
        }
        if (i % 2 === 0) {
            targets.push({ ResourceId: `service/estate/${name}`, ScalableDimension: "ecs:service:DesiredCount", ServiceNamespace: "ecs", MinCapacity: 2, MaxCapacity: 20 });
            policies.push({ PolicyName: `${name}-cpu`, ResourceId: `service/estate/${name}`, PolicyType: "TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" } } });
        }
    }
    return {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        reader: { name: "ecs2eks", version: "bench" },
        capturedAt: "2026-11-27T00:00:00.000Z",
        region: "us-east-1",
        clusters: [{ cluster: { clusterArn: cluster, clusterName: "estate" }, services, scheduledTasks: [] }],
        taskDefinitions,
        scaling: { targets: targets as never, policies: policies as never, scheduledActions: [] },
        loadBalancing: {
            targetGroups: targetGroups as never,
            loadBalancers: [{ LoadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:${account}:loadbalancer/app/estate/1`, LoadBalancerName: "estate", VpcId: "vpc-1", SecurityGroups: ["sg-alb"] }],
            listeners: [{ ListenerArn: listenerArn, LoadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:${account}:loadbalancer/app/estate/1`, Port: 443, Protocol: "HTTPS" }],
            rules: rules as never,
        },
        serviceDiscovery: { namespaces: [], services: [] },
        securityGroups: Array.from({ length: 10 }, (_, t) => ({ GroupId: `sg-${t}`, GroupName: `team-${t}`, Description: "team services", IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: "sg-alb" }] }], IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] })),
        roles: Array.from({ length: 10 }, (_, t) => ({
            arn: `arn:aws:iam::${account}:role/team-${t}`,
            name: `team-${t}`,
            path: "/",
            assumeRolePolicy: {},
            attachedPolicies: [{ name: "AWSXrayWriteOnlyAccess", arn: "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", awsManaged: true }],
            inlinePolicies: [{ name: "data", awsManaged: false, document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::team-${t}/*` }] } }],
        })),
        fileSystems: { fileSystems: [], accessPoints: [] },
        secrets: [],
        diagnostics: [],
    };
}

function main(): void {
    if (require.main !== module) {
        return;
    }
    const n = Number(flag("services", "1000"));
    const estate = generatedEstate(n);
    let peak = process.memoryUsage().rss;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const plan = translate(estate);
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const objects = plan.workloads.flatMap((w) => w.objects);
    const problems = validateObjects(objects);
    const t2 = performance.now();
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
    process.stdout.write(
        [
            "| services | objects | translate | per service | CPU per service | validate | peak RSS |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            `| ${n} | ${objects.length} | ${(t1 - t0).toFixed(0)} ms | ${((t1 - t0) / n).toFixed(2)} ms | ${(cpuMs / n).toFixed(2)} ms | ${(t2 - t1).toFixed(0)} ms | ${mb(peak)} MB |`,
            "",
            `invalid objects: ${problems.length}`,
            `command: npm run bench:translate -- --services ${n}`,
            "",
        ].join("\n"),
    );
}

main();
