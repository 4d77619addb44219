/**
 * Reads what `verify` checks from the Kubernetes API with a kubeconfig:
 * Deployments, Pods, ExternalSecrets and TargetGroupBindings per namespace,
 * as plain GETs. Supports the kubeconfig's current context with a token,
 * a token file, client certificates, or an exec plugin (aws eks get-token).
 * A kind whose CRD is not installed reads as none.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as yaml from "js-yaml";
import { ExpectedError } from "../../core/errors";
import type { ApiObject, ClusterObjects } from "./kubernetes";

export class KubeError extends ExpectedError {}

interface KubeConfigFile {
    "current-context"?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server: string; "certificate-authority-data"?: string; "certificate-authority"?: string; "insecure-skip-tls-verify"?: boolean } }[];
    users?: {
        name: string;
        user: {
            token?: string;
            tokenFile?: string;
            "client-certificate-data"?: string;
            "client-key-data"?: string;
            "client-certificate"?: string;
            "client-key"?: string;
            exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
        };
    }[];
}

export interface KubeConnection {
    readonly server: string;
    readonly headers: Record<string, string>;
    readonly tls: https.AgentOptions;
}

const b64 = (s: string) => Buffer.from(s, "base64");

export function connect(file: string): KubeConnection {
    let config: KubeConfigFile;
    try {
        config = yaml.load(fs.readFileSync(file, "utf8")) as KubeConfigFile;
    } catch (err) {
        throw new KubeError(`cannot read kubeconfig ${file}: ${(err as Error).message.split("\n")[0]}`);
    }
    const contextName = config?.["current-context"];
    const context = config?.contexts?.find((c) => c.name === contextName)?.context;
    const cluster = config?.clusters?.find((c) => c.name === context?.cluster)?.cluster;
    const user = config?.users?.find((u) => u.name === context?.user)?.user ?? {};
    if (!context || !cluster?.server) {
        throw new KubeError(`kubeconfig ${file} has no usable current context (${JSON.stringify(contextName ?? null)}); write one with aws eks update-kubeconfig --name <cluster>`);
    }
    let token = user.token ?? (user.tokenFile ? fs.readFileSync(user.tokenFile, "utf8").trim() : undefined);
    if (!token && user.exec) {
        const run = spawnSync(user.exec.command, user.exec.args ?? [], { encoding: "utf8", env: { ...process.env, ...Object.fromEntries((user.exec.env ?? []).map((e) => [e.name, e.value])) }, timeout: 30_000 });
        if (run.status !== 0) {
            throw new KubeError(`the kubeconfig's credential command ${user.exec.command} failed: ${(run.stderr || String(run.error ?? "")).trim().split("\n")[0]}`);
        }
        token = (JSON.parse(run.stdout) as { status?: { token?: string } }).status?.token;
    }
    const tls: https.AgentOptions = {
        ...(cluster["certificate-authority-data"] ? { ca: b64(cluster["certificate-authority-data"]) } : cluster["certificate-authority"] ? { ca: fs.readFileSync(cluster["certificate-authority"]) } : {}),
        ...(user["client-certificate-data"] ? { cert: b64(user["client-certificate-data"]) } : user["client-certificate"] ? { cert: fs.readFileSync(user["client-certificate"]) } : {}),
        ...(user["client-key-data"] ? { key: b64(user["client-key-data"]) } : user["client-key"] ? { key: fs.readFileSync(user["client-key"]) } : {}),
        rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
    };
    return { server: cluster.server.replace(/\/$/, ""), headers: token ? { authorization: `Bearer ${token}` } : {}, tls };
}

/** One GET: the status and body as answered; decommission-check reads Velero's Backups through it too. */
export function get(conn: KubeConnection, path: string): Promise<{ status: number; body: string }> {
    const url = new URL(conn.server + path);
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = client.request(url, { method: "GET", headers: { accept: "application/json", ...conn.headers }, ...(url.protocol === "https:" ? conn.tls : {}), timeout: 15_000 }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        });
        req.on("timeout", () => req.destroy(new Error("no answer within 15 s")));
        req.on("error", (err) => reject(new KubeError(`cannot reach the Kubernetes API at ${conn.server} (${err.message}); check the kubeconfig and the network`)));
        req.end();
    });
}

async function list(conn: KubeConnection, path: string): Promise<ApiObject[]> {
    const { status, body } = await get(conn, path);
    if (status === 404) {
        return [];
    }
    if (status === 401 || status === 403) {
        throw new KubeError(`the Kubernetes API refused GET ${path} (HTTP ${status}); the kubeconfig's identity needs get and list on it (view ClusterRole)`);
    }
    if (status !== 200) {
        throw new KubeError(`the Kubernetes API answered GET ${path} with HTTP ${status}: ${body.slice(0, 200)}`);
    }
    return (JSON.parse(body) as { items?: ApiObject[] }).items ?? [];
}

/** The objects the checks read, in one namespace: four GETs. */
export async function readNamespace(conn: KubeConnection, namespace: string): Promise<ClusterObjects> {
    const ns = encodeURIComponent(namespace);
    const [deployments, pods, externalSecrets, targetGroupBindings] = await Promise.all([
        list(conn, `/apis/apps/v1/namespaces/${ns}/deployments`),
        list(conn, `/api/v1/namespaces/${ns}/pods`),
        list(conn, `/apis/external-secrets.io/v1/namespaces/${ns}/externalsecrets`),
        list(conn, `/apis/elbv2.k8s.aws/v1beta1/namespaces/${ns}/targetgroupbindings`),
    ]);
    return { deployments, pods, externalSecrets, targetGroupBindings };
}
