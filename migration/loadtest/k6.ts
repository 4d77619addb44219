/**
 * A k6 script that exercises one service's EKS side through its test route:
 * the real load balancer, the paths and hosts of the listener rule with the
 * wildcards made concrete, the marker header, and a ramp to the request
 * rate the ECS side sees. Pure: the rate is found elsewhere.
 */
import type { EcsSnapshot } from "../../core/snapshot";
import type { TestRoutePlan } from "../cutover/testRoute";

export interface LoadTestOptions {
    /** Requests per second to ramp to. */
    readonly rate: number;
    /** Where the rate came from, for the script's header comment. */
    readonly rateSource: string;
    /** Seconds of the whole test: a third ramping up, the rest at the rate. */
    readonly durationSeconds: number;
    /** The script's file name, for the run line. */
    readonly file: string;
}

interface Condition {
    pathPattern?: { values: string[] };
    hostHeader?: { values: string[] };
    httpHeader?: { httpHeaderName: string; values: string[] };
    httpRequestMethod?: { values: string[] };
    queryStrings?: { key?: string; value: string }[];
    sourceIp?: { values: string[] };
}

/** A concrete value an ALB pattern matches: * is any run of characters, ? any one. */
export function sampleOf(pattern: string, fill: string): string {
    if (pattern === "/*") {
        return "/";
    }
    return pattern.replace(/\*/g, fill).replace(/\?/g, "x");
}

export interface LoadTestTarget {
    readonly url: string;
    readonly method: string;
    readonly paths: readonly string[];
    readonly headers: Readonly<Record<string, string>>;
    readonly sourceIps: readonly string[];
    readonly https: boolean;
}

/** What to send: the route's conditions turned into one request shape. */
export function loadTestTarget(route: TestRoutePlan, snapshot: EcsSnapshot): LoadTestTarget {
    const listener = snapshot.loadBalancing.listeners.find((l) => l.ListenerArn === route.listenerArn);
    const lb = snapshot.loadBalancing.loadBalancers.find((l) => l.LoadBalancerArn === route.loadBalancerArn);
    const https = listener?.Protocol === "HTTPS";
    const port = listener?.Port ?? (https ? 443 : 80);
    const defaultPort = https ? 443 : 80;
    const conditions = route.conditions as Condition[];
    const paths = conditions.flatMap((c) => c.pathPattern?.values ?? []).map((p) => sampleOf(p, "k6-sample"));
    const host = conditions.flatMap((c) => c.hostHeader?.values ?? [])[0];
    const query = conditions.flatMap((c) => c.queryStrings ?? []).map((q) => `${q.key ? `${encodeURIComponent(sampleOf(q.key, "k6"))}=` : ""}${encodeURIComponent(sampleOf(q.value, "k6"))}`);
    const headers: Record<string, string> = {};
    for (const c of conditions) {
        if (c.httpHeader) {
            headers[c.httpHeader.httpHeaderName] = sampleOf(c.httpHeader.values[0] ?? "", "k6");
        }
    }
    if (host) {
        headers.Host = sampleOf(host, "www").replace(/^\.+/, "");
    }
    return {
        url: `${https ? "https" : "http"}://${lb?.DNSName ?? "LOAD-BALANCER-DNS-NAME"}${port === defaultPort ? "" : `:${port}`}`,
        method: conditions.flatMap((c) => c.httpRequestMethod?.values ?? [])[0] ?? "GET",
        paths: (paths.length > 0 ? paths : ["/"]).map((p) => (query.length > 0 ? `${p}?${query.join("&")}` : p)),
        headers,
        sourceIps: conditions.flatMap((c) => c.sourceIp?.values ?? []),
        https,
    };
}

const duration = (s: number) => (s % 60 === 0 ? `${s / 60}m` : `${s}s`);

export function k6Script(route: TestRoutePlan, snapshot: EcsSnapshot, o: LoadTestOptions): string {
    const t = loadTestTarget(route, snapshot);
    const rate = Math.max(1, Math.ceil(o.rate));
    const ramp = Math.max(1, Math.round(o.durationSeconds / 3));
    const hold = Math.max(1, o.durationSeconds - ramp);
    // Half a second per request is a generous guess at latency; k6 adds VUs up to maxVUs when it is not.
    const vus = Math.max(5, Math.ceil(rate / 2));
    const options = {
        ...(t.https ? { insecureSkipTLSVerify: true } : {}),
        scenarios: {
            eks: {
                executor: "ramping-arrival-rate",
                startRate: 1,
                timeUnit: "1s",
                preAllocatedVUs: vus,
                maxVUs: vus * 4,
                stages: [
                    { target: rate, duration: duration(ramp) },
                    { target: rate, duration: duration(hold) },
                ],
            },
        },
        thresholds: { http_req_failed: ["rate<0.01"], checks: ["rate>0.99"] },
    };
    return `// k6 load test of ${route.ecsService}'s EKS side, written by ecs2eks loadtest.
// Run: k6 run ${o.file}   (then: npx ecs2eks verify --service ${route.ecsService})
//
// Every request carries ${route.header.header}: ${route.header.value}, so the test route (listener rule
// priority ${route.priority}, before the weighted rule at ${route.weightedPriority}) sends it to the EKS target
// group only; users' requests still follow the weights. It ramps to ${rate} request(s)/s, ${o.rateSource};
// the EKS side shares the ECS side's databases and queues, so this load comes on top of theirs.
// Paths are samples of the rule's patterns (* and ? filled in): replace them with real ones.${
        t.sourceIps.length > 0 ? `\n// The rule only matches requests from ${t.sourceIps.join(", ")}: run k6 from there.` : ""
    }${t.https ? "\n// HTTPS: the load balancer's DNS name is not on its certificate, hence insecureSkipTLSVerify." : ""}
import http from "k6/http";
import { check } from "k6";

const BASE = ${JSON.stringify(t.url)};
const METHOD = ${JSON.stringify(t.method)};
const PATHS = ${JSON.stringify(t.paths)};
const HEADERS = ${JSON.stringify({ ...t.headers, [route.header.header]: route.header.value })};

export const options = ${JSON.stringify(options, null, 4)};

export default function () {
    const path = PATHS[__ITER % PATHS.length];
    const res = http.request(METHOD, BASE + path, null, { headers: HEADERS, tags: { name: path } });
    check(res, { "not a 5xx": (r) => r.status < 500 });
}
`;
}
