import * as http from "http";
import { AddressInfo } from "net";

/** What a request asks AWS to do, as the proxy sees it. */
export interface ProxiedRequest {
    /** "AmazonEC2ContainerServiceV20141113.DescribeServices", or a query protocol's Action. */
    readonly operation: string;
    readonly body: string;
}

export interface InjectedFault {
    readonly status: number;
    readonly type: string;
    readonly message: string;
}

export interface ProxyOptions {
    /** Added before forwarding each request: a real AWS round trip is tens of milliseconds. */
    readonly latencyMs?: number;
    /** Answer a request with an AWS error instead of forwarding it. */
    readonly fault?: (req: ProxiedRequest) => InjectedFault | undefined;
}

export interface LoopbackProxy {
    readonly endpoint: string;
    /** Requests seen, by operation. */
    readonly counts: Map<string, number>;
    close(): Promise<void>;
}

function operationOf(headers: http.IncomingHttpHeaders, body: string): string {
    const target = headers["x-amz-target"];
    if (typeof target === "string") {
        return target;
    }
    return /(?:^|&)Action=([^&]+)/.exec(body)?.[1] ?? "unknown";
}

/**
 * A small HTTP proxy on 127.0.0.1 in front of moto that can add latency and
 * inject AWS errors (AccessDenied, throttling), for tests and benchmarks.
 * It only ever forwards to the loopback target it was given.
 */
export function startProxy(target: string, options: ProxyOptions = {}): Promise<LoopbackProxy> {
    const upstream = new URL(target);
    if (upstream.hostname !== "127.0.0.1" && upstream.hostname !== "localhost") {
        throw new Error(`the proxy forwards to loopback only, not ${target}`);
    }
    const counts = new Map<string, number>();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks).toString();
            const operation = operationOf(req.headers, body);
            counts.set(operation, (counts.get(operation) ?? 0) + 1);
            const forward = () => {
                const fault = options.fault?.({ operation, body });
                if (fault) {
                    const json = typeof req.headers["x-amz-target"] === "string";
                    res.writeHead(fault.status, json ? { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": fault.type } : { "content-type": "text/xml" });
                    res.end(
                        json
                            ? JSON.stringify({ __type: fault.type, message: fault.message })
                            : `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.type}</Code><Message>${fault.message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`,
                    );
                    return;
                }
                const out = http.request(
                    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
                    (up) => {
                        res.writeHead(up.statusCode ?? 502, up.headers);
                        up.pipe(res);
                    },
                );
                out.on("error", (err) => {
                    res.writeHead(502);
                    res.end(String(err));
                });
                out.end(body);
            };
            if (options.latencyMs) {
                setTimeout(forward, options.latencyMs);
            } else {
                forward();
            }
        });
    });
    return new Promise((resolve) => {
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as AddressInfo).port;
            resolve({
                endpoint: `http://127.0.0.1:${port}`,
                counts,
                close: () =>
                    new Promise((done) => {
                        agent.destroy();
                        server.closeAllConnections();
                        server.close(() => done());
                    }),
            });
        });
    });
}
