import * as assert from "assert";
import { rollingUpdate } from "../migration/translate/workload";
import { ACCOUNT, One, service, taskDefinition } from "./translateHarness";

const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/app/0123456789abcdef`;
const SM_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-AbCdEf`;

describe("translate: networking", () => {
    it("names container ports, keeps protocols, and exposes them on a Service named after the workload", () => {
        const one = new One(taskDefinition({}, { portMappings: [{ name: "http", containerPort: 8080, protocol: "tcp", appProtocol: "http2" }, { containerPort: 8125, protocol: "udp" }] }));
        assert.deepStrictEqual(one.container("app", "ports"), [
            { name: "http", containerPort: 8080, protocol: "TCP" },
            { name: "u8125", containerPort: 8125, protocol: "UDP" },
        ]);
        assert.deepStrictEqual(one.get("Service", "spec.ports", "app"), [
            { name: "http", port: 8080, targetPort: "http", protocol: "TCP", appProtocol: "kubernetes.io/h2c" },
            { name: "u8125", port: 8125, targetPort: "u8125", protocol: "UDP" },
        ]);
    });

    it("shortens port names to 15 characters", () => {
        const one = new One(taskDefinition({}, { portMappings: [{ name: "orders-api-http-primary", containerPort: 8080 }] }));
        const name = one.container("app", "ports.0.name") as string;
        assert.ok(name.length <= 15, name);
    });

    it("reports port ranges and host ports", () => {
        const one = new One(taskDefinition({ networkMode: "bridge" }, { portMappings: [{ containerPortRange: "9000-9100" }, { containerPort: 80, hostPort: 8080 }] }));
        assert.strictEqual(one.diagnostic("PORT_RANGE").severity, "error");
        assert.strictEqual(one.diagnostic("HOST_PORT_DROPPED").severity, "warning");
        assert.strictEqual(one.diagnostic("NETWORK_MODE").severity, "info");
    });

    it("keeps Service Connect names and ports: http://orders:80 still resolves", () => {
        const svc = service({
            deployments: [{ status: "PRIMARY", serviceConnectConfiguration: { enabled: true, namespace: "prod.local", services: [{ portName: "http", discoveryName: "orders", clientAliases: [{ port: 80, dnsName: "orders" }] }] } }],
        });
        const one = new One(taskDefinition(), svc);
        assert.deepStrictEqual(one.get("Service", "spec.ports", "orders"), [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    });

    it("warns when callers use a fully qualified Service Connect name", () => {
        const svc = service({ deployments: [{ status: "PRIMARY", serviceConnectConfiguration: { enabled: true, services: [{ portName: "http", clientAliases: [{ port: 8080, dnsName: "orders.prod.local" }] }] } }] });
        const one = new One(taskDefinition(), svc);
        assert.ok(one.has("Service"));
        assert.match(one.diagnostic("SERVICE_CONNECT_FQDN").suggestion, /CoreDNS rewrite/);
    });

    it("keeps Cloud Map registry names", () => {
        const registry = `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/srv-1`;
        const one = new One(taskDefinition(), service({ serviceRegistries: [{ registryArn: registry }] }), {
            serviceDiscovery: { namespaces: [], services: [{ Arn: registry, Name: "app-internal", Id: "srv-1" }] },
        });
        assert.deepStrictEqual(one.get("Service", "spec.ports", "app-internal"), [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]);
    });

    it("gives pods the service's security groups through a SecurityGroupPolicy", () => {
        const one = new One(taskDefinition(), service({ networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-b", "sg-a"] } } }));
        assert.deepStrictEqual(one.get("SecurityGroupPolicy", "spec"), {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "app", "app.kubernetes.io/instance": "prod" } },
            securityGroups: { groupIds: ["sg-a", "sg-b"] },
        });
        assert.deepStrictEqual(one.workload.securityGroupIds, ["sg-a", "sg-b"]);
    });

    it("plans canary traffic for a load-balanced service and probes readiness like the target group", () => {
        const svc = service({ loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "app", containerPort: 8080 }] });
        const one = new One(taskDefinition(), svc, {
            loadBalancing: {
                targetGroups: [{ TargetGroupArn: TG_ARN, Protocol: "HTTP", Port: 8080, HealthCheckPath: "/ready", HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 4, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3, HealthCheckPort: "traffic-port" }],
                loadBalancers: [],
                listeners: [],
                rules: [],
            },
        });
        assert.deepStrictEqual(one.workload.loadBalancers, [{ ecsTargetGroupArn: TG_ARN, containerName: "app", containerPort: 8080, serviceName: "app", servicePort: 8080 }]);
        assert.deepStrictEqual(one.container("app", "readinessProbe"), { httpGet: { path: "/ready", port: 8080, scheme: "HTTP" }, periodSeconds: 10, timeoutSeconds: 4, failureThreshold: 3, successThreshold: 2 });
    });
});

describe("translate: identity and secrets", () => {
    it("gives the task role's permissions to a service account, cloned", () => {
        const roleArn = `arn:aws:iam::${ACCOUNT}:role/app-task`;
        const one = new One(taskDefinition({ taskRoleArn: roleArn }), service(), {
            roles: [
                {
                    arn: roleArn,
                    name: "app-task",
                    path: "/",
                    assumeRolePolicy: {},
                    attachedPolicies: [{ name: "AmazonS3ReadOnlyAccess", arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", awsManaged: true }, { name: "queue", arn: `arn:aws:iam::${ACCOUNT}:policy/queue`, awsManaged: false, document: { Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] } }],
                    inlinePolicies: [{ name: "table", awsManaged: false, document: { Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }] } }],
                },
            ],
        });
        assert.deepStrictEqual(one.workload.role, {
            sourceRoleArn: roleArn,
            namespace: "prod",
            serviceAccount: "app",
            policies: [
                { name: "AmazonS3ReadOnlyAccess", managedPolicyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
                { name: "queue", document: { Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] } },
                { name: "table", document: { Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }] } },
            ],
        });
        assert.strictEqual(one.get("ServiceAccount", "metadata.name"), "app");
        assert.strictEqual(one.pod("serviceAccountName"), "app");
    });

    it("fetches Secrets Manager secrets with JSON key, version stage and version id, and SSM parameters, never their values", () => {
        const one = new One(
            taskDefinition({}, {
                secrets: [
                    { name: "DB_PASSWORD", valueFrom: `${SM_ARN}:password:AWSPREVIOUS:` },
                    { name: "DB_USER", valueFrom: `${SM_ARN}:username::a1b2c3` },
                    { name: "API_KEY", valueFrom: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/api-key` },
                ],
            }),
        );
        assert.deepStrictEqual(one.get("ExternalSecret", "spec.data", "app-secrets"), [
            { secretKey: "app.DB_PASSWORD", remoteRef: { key: SM_ARN, property: "password", version: "AWSPREVIOUS" } },
            { secretKey: "app.DB_USER", remoteRef: { key: SM_ARN, property: "username", version: "uuid/a1b2c3" } },
        ]);
        assert.deepStrictEqual(one.get("ExternalSecret", "spec.secretStoreRef", "app-parameters"), { kind: "SecretStore", name: "aws-parameter-store" });
        assert.deepStrictEqual(one.get("ExternalSecret", "spec.data", "app-parameters"), [{ secretKey: "app.API_KEY", remoteRef: { key: "/prod/api-key" } }]);
        assert.deepStrictEqual(one.container("app", "env"), [
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "app-secrets", key: "app.DB_PASSWORD" } } },
            { name: "DB_USER", valueFrom: { secretKeyRef: { name: "app-secrets", key: "app.DB_USER" } } },
            { name: "API_KEY", valueFrom: { secretKeyRef: { name: "app-parameters", key: "app.API_KEY" } } },
        ]);
        assert.deepStrictEqual(one.workload.secretArns, [SM_ARN]);
        assert.deepStrictEqual(one.workload.ssmParameters, ["/prod/api-key"]);
        const namespace = one.plan.namespaces[0];
        assert.deepStrictEqual(namespace.objects.map((o) => `${o.kind}/${o.metadata.name}`), ["Namespace/prod", "NetworkPolicy/default-deny-ingress", "ServiceAccount/external-secrets-reader", "SecretStore/aws-secrets-manager", "SecretStore/aws-parameter-store"]);
        assert.deepStrictEqual(namespace.secretArns, [SM_ARN]);
    });

    it("pulls from a private registry with credentials from Secrets Manager", () => {
        const one = new One(taskDefinition({}, { image: "registry.example.com/team/app:2", repositoryCredentials: { credentialsParameter: SM_ARN } }));
        assert.deepStrictEqual(one.pod("imagePullSecrets"), [{ name: "app-registry-0" }]);
        assert.strictEqual(one.get("ExternalSecret", "spec.target.template.type", "app-registry-0"), "kubernetes.io/dockerconfigjson");
        const template = one.get("ExternalSecret", "spec.target.template.data", "app-registry-0") as Record<string, string>;
        assert.match(template[".dockerconfigjson"], /^\{"auths":\{"registry\.example\.com":\{"username":"\{\{ \.username \}\}"/);
    });
});

describe("translate: storage", () => {
    it("mounts EFS through a static PersistentVolume that retains the data, and its claim", () => {
        const one = new One(
            taskDefinition({ volumes: [{ name: "data", efsVolumeConfiguration: { fileSystemId: "fs-0123", rootDirectory: "/", transitEncryption: "ENABLED", authorizationConfig: { accessPointId: "fsap-0456" } } }] }, { mountPoints: [{ sourceVolume: "data", containerPath: "/data", readOnly: true }] }),
        );
        assert.strictEqual(one.get("PersistentVolume", "spec.persistentVolumeReclaimPolicy"), "Retain");
        assert.deepStrictEqual(one.get("PersistentVolume", "spec.csi"), { driver: "efs.csi.aws.com", volumeHandle: "fs-0123::fsap-0456" });
        assert.deepStrictEqual(one.get("PersistentVolume", "spec.mountOptions"), ["tls"]);
        assert.strictEqual(one.get("PersistentVolumeClaim", "spec.volumeName"), "prod-app-data");
        assert.deepStrictEqual(one.pod("volumes"), [{ name: "data", persistentVolumeClaim: { claimName: "app-data" } }]);
        assert.deepStrictEqual(one.container("app", "volumeMounts"), [{ name: "data", mountPath: "/data", readOnly: true }]);
        assert.deepStrictEqual(one.workload.fileSystemIds, ["fs-0123"]);
    });

    it("makes host paths hostPath (with a warning), bind mounts emptyDir, and Docker volumes emptyDir", () => {
        const one = new One(taskDefinition({ volumes: [{ name: "logs", host: { sourcePath: "/var/log" } }, { name: "scratch", host: {} }, { name: "cache", dockerVolumeConfiguration: { scope: "shared", autoprovision: true, driver: "local" } }] }));
        assert.deepStrictEqual(one.pod("volumes"), [
            { name: "logs", hostPath: { path: "/var/log", type: "DirectoryOrCreate" } },
            { name: "scratch", emptyDir: {} },
            { name: "cache", emptyDir: {} },
        ]);
        assert.ok(one.codes().includes("HOST_PATH") && one.codes().includes("DOCKER_VOLUME_SHARED"));
    });

    it("shares volumes through volumesFrom", () => {
        const td = taskDefinition({ volumes: [{ name: "shared", host: {} }] }, { mountPoints: [{ sourceVolume: "shared", containerPath: "/shared" }] });
        td.containerDefinitions?.push({ name: "reader", image: "busybox", volumesFrom: [{ sourceContainer: "app", readOnly: true }] });
        const one = new One(td);
        assert.deepStrictEqual(one.container("reader", "volumeMounts"), [{ name: "shared", mountPath: "/shared", readOnly: true }]);
    });

    it("reports a mount without a volume", () => {
        const one = new One(taskDefinition({}, { mountPoints: [{ sourceVolume: "missing", containerPath: "/x" }] }));
        assert.strictEqual(one.diagnostic("MOUNT_WITHOUT_VOLUME").severity, "error");
    });
});

describe("translate: the service", () => {
    it("runs desiredCount replicas with the ECS rollout limits", () => {
        const one = new One(taskDefinition(), service({ desiredCount: 4, deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 } }));
        assert.strictEqual(one.get("Deployment", "spec.replicas"), 4);
        assert.deepStrictEqual(one.get("Deployment", "spec.strategy.rollingUpdate"), { maxSurge: "50%", maxUnavailable: "50%" });
        assert.deepStrictEqual(one.get("PodDisruptionBudget", "spec.minAvailable"), "50%");
    });

    it("never makes a rollout that cannot progress", () => {
        assert.deepStrictEqual(rollingUpdate(100, 100, false), { maxSurge: 1, maxUnavailable: 0 });
        assert.deepStrictEqual(rollingUpdate(200, 100, false), { maxSurge: "100%", maxUnavailable: "0%" });
        assert.deepStrictEqual(rollingUpdate(100, 0, true), { maxSurge: "0%", maxUnavailable: "100%" });
    });

    it("keeps node drains possible when ECS kept every task healthy", () => {
        const one = new One(taskDefinition(), service({ desiredCount: 3, deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 } }));
        assert.deepStrictEqual(one.get("PodDisruptionBudget", "spec.maxUnavailable"), 1);
    });

    it("reports the circuit breaker and sets a progress deadline", () => {
        const one = new One(taskDefinition(), service({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
        assert.strictEqual(one.get("Deployment", "spec.progressDeadlineSeconds"), 600);
        assert.strictEqual(one.diagnostic("CIRCUIT_BREAKER").severity, "info");
    });

    it("makes DAEMON services DaemonSets", () => {
        const one = new One(taskDefinition(), service({ schedulingStrategy: "DAEMON", deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 } }));
        assert.strictEqual(one.get("DaemonSet", "spec.updateStrategy.rollingUpdate.maxUnavailable"), "100%");
        assert.strictEqual(one.has("Deployment"), false);
    });

    it("records the ECS service and task definition on the workload, and labels it", () => {
        const one = new One(taskDefinition(), service());
        const annotations = one.get("Deployment", "metadata.annotations") as Record<string, string>;
        assert.strictEqual(annotations["ecs2eks.io/ecs-service-arn"], `arn:aws:ecs:us-east-1:${ACCOUNT}:service/prod/app`);
        assert.strictEqual(annotations["ecs2eks.io/task-definition-arn"], `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/app:7`);
        const labels = one.get("Deployment", "metadata.labels") as Record<string, string>;
        assert.deepStrictEqual(Object.keys(labels).sort(), ["app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/name", "app.kubernetes.io/part-of"]);
    });
});

describe("translate: placement", () => {
    it("spreads over zones and hosts, and keeps distinctInstance and instance-type constraints", () => {
        const one = new One(
            taskDefinition(),
            service({
                placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }, { type: "spread", field: "instanceId" }, { type: "binpack", field: "memory" }],
                placementConstraints: [{ type: "distinctInstance" }, { type: "memberOf", expression: "attribute:ecs.instance-type in [m6i.large, m6i.xlarge]" }],
            }),
        );
        assert.deepStrictEqual((one.pod("topologySpreadConstraints") as { topologyKey: string }[]).map((t) => t.topologyKey), ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
        assert.strictEqual(one.pod("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey"), "kubernetes.io/hostname");
        assert.deepStrictEqual(one.pod("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"), [
            { matchExpressions: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["m6i.large", "m6i.xlarge"] }] },
        ]);
        assert.ok(one.codes().includes("PLACEMENT_BINPACK"));
    });

    it("reports constraints it cannot express", () => {
        const one = new One(taskDefinition(), service({ placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.os-type == linux and task:group == web" }] }));
        assert.strictEqual(one.diagnostic("PLACEMENT_CONSTRAINT").severity, "warning");
    });

    it("sends FARGATE_SPOT work to Spot nodes, tolerating their taint", () => {
        const one = new One(taskDefinition(), service({ launchType: undefined, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }));
        assert.deepStrictEqual(one.pod("tolerations"), [{ key: "capacity", operator: "Equal", value: "spot", effect: "NoSchedule" }]);
        assert.deepStrictEqual(one.pod("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions"), [{ key: "eks.amazonaws.com/capacityType", operator: "In", values: ["SPOT"] }]);
    });

    it("selects arm64 and Windows nodes from the runtime platform", () => {
        assert.deepStrictEqual(new One(taskDefinition({ runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" } })).pod("nodeSelector"), { "kubernetes.io/arch": "arm64" });
        const windows = new One(taskDefinition({ runtimePlatform: { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" } }));
        assert.deepStrictEqual(windows.pod("nodeSelector"), { "kubernetes.io/os": "windows" });
        assert.ok(windows.codes().includes("WINDOWS"));
    });
});
