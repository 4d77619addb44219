import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

function ecs2eks(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "ecs2eks.js"), ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface Entry {
    type: string;
    name: string;
    urn: string;
    parent: string | null;
    inputs: Record<string, unknown>;
}

describe("ecs2eks preview (offline)", () => {
    it("prints the dev stack's resource tree with a count and secret outputs hidden", () => {
        const run = ecs2eks("preview");
        assert.strictEqual(run.status, 0, run.stderr);
        for (const expected of ["pulumi:pulumi:Stack", "awsx:ec2:Vpc", "eks:index:Cluster", "aws:kms/key:Key", "aws:ec2/launchTemplate:LaunchTemplate", "aws:eks/nodeGroup:NodeGroup"]) {
            assert.ok(run.stdout.includes(expected), `${expected} missing from:\n${run.stdout}`);
        }
        assert.match(run.stdout, /├─ ecs2eks:platform:Cluster\s+cluster\s+create/);
        assert.match(run.stdout, /kubeconfig\s*: \[secret\]/);
        assert.match(run.stdout, /\+ \d+ to create/);
    });

    it("--json lists every resource with its parent and inputs, the same set as the tree", () => {
        const run = ecs2eks("preview", "--json");
        assert.strictEqual(run.status, 0, run.stderr);
        const entries = JSON.parse(run.stdout) as Entry[];
        const count = Number(/\+ (\d+) to create/.exec(ecs2eks("preview").stdout)?.[1]);
        assert.strictEqual(entries.length, count);
        const urns = new Set(entries.map((e) => e.urn));
        assert.ok(entries.every((e) => e.parent === null ? e.type === "pulumi:pulumi:Stack" : urns.has(e.parent)));
        const vpc = entries.find((e) => e.type === "awsx:ec2:Vpc");
        assert.strictEqual(vpc?.inputs.cidrBlock, "10.20.0.0/16");
        const provider = entries.find((e) => e.type === "pulumi:providers:kubernetes");
        assert.strictEqual(provider?.inputs.kubeconfig, "[secret]");
    });

    it("is deterministic: two runs print the same bytes", () => {
        assert.strictEqual(ecs2eks("preview", "--json").stdout, ecs2eks("preview", "--json").stdout);
    });

    it("--config overrides one value, structured values as JSON and paths inside them", () => {
        const run = ecs2eks(
            "preview", "--json",
            "--config", "network:azCount=3",
            "--config", 'cluster:publicAccessCidrs=["198.51.100.0/24"]',
            "--config", "nodeGroups:general.maxSize=7",
        );
        assert.strictEqual(run.status, 0, run.stderr);
        const entries = JSON.parse(run.stdout) as Entry[];
        const input = (type: string, name: string) => entries.find((e) => e.type === type && e.name === name)?.inputs ?? {};
        assert.strictEqual(input("awsx:ec2:Vpc", "network").numberOfAvailabilityZones, 3);
        assert.deepStrictEqual(input("eks:index:Cluster", "cluster").publicAccessCidrs, ["198.51.100.0/24"]);
        assert.deepStrictEqual(input("aws:eks/nodeGroup:NodeGroup", "nodes-general").scalingConfig, { minSize: 2, maxSize: 7, desiredSize: 2 });
    });

    it("shows the weighted listener rules at 90/10 with the documented cutover override", () => {
        const run = ecs2eks("preview", "--config", 'migration:cutover={"default":{"eksWeight":10}}', "--json");
        assert.strictEqual(run.status, 0, run.stderr);
        // The weighted rules; the test routes (tagged ecs2eks:test-route) forward by header.
        const rules = (JSON.parse(run.stdout) as Entry[]).filter((e) => e.type === "aws:lb/listenerRule:ListenerRule" && !(e.inputs.tags as Record<string, string> | undefined)?.["ecs2eks:test-route"]);
        assert.ok(rules.length >= 2);
        for (const r of rules) {
            const groups = (r.inputs.actions as { forward: { targetGroups: { weight: number }[] } }[])[0].forward.targetGroups;
            assert.deepStrictEqual(groups.map((g) => g.weight), [90, 10]);
        }
    });

    it("a bad value exits non-zero with its one-line message and no stack trace", () => {
        const run = ecs2eks("preview", "--config", "network:cidr=10.0.0.0/33");
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stdout, "");
        assert.strictEqual(run.stderr, 'error: network:cidr "10.0.0.0/33" is not an IPv4 CIDR\n');
    });

    it("names the stacks there are when asked for one that is not", () => {
        const run = ecs2eks("preview", "--stack", "qa");
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /^error: no stack file Pulumi\.qa\.yaml in .*; stacks here: dev, prod, staging\n$/);
    });

    it("previews the prod example in an existing VPC", () => {
        const run = ecs2eks("preview", "--stack", "prod", "--json");
        assert.strictEqual(run.status, 0, run.stderr);
        const entries = JSON.parse(run.stdout) as Entry[];
        assert.strictEqual(entries.filter((e) => e.type === "awsx:ec2:Vpc").length, 0);
        assert.strictEqual(entries.find((e) => e.type === "eks:index:Cluster")?.inputs.vpcId, "vpc-0abc12345def67890");
    });

    it("rejects unknown flags and commands with usage", () => {
        assert.strictEqual(ecs2eks("preview", "--stak", "dev").status, 2);
        const run = ecs2eks("deploy");
        assert.strictEqual(run.status, 2);
        assert.match(run.stderr, /unknown command "deploy"/);
    });
});
