/**
 * migration:testRoute: the marker header that sends a request to the EKS
 * side of a load-balanced service before any user traffic does, e.g.
 * {"header": "x-ecs2eks-canary", "value": "eks"}.
 */
import { ConfigReader } from "./reader";
import { DEFAULT_TEST_ROUTE, TestRouteConfig } from "./types";

/** RFC 9110 token characters; ALB matches header names case-insensitively and allows up to 40 of them. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}$/;
/** ALB condition values are up to 128 characters; * and ? would be wildcards, which would let other values in. */
const HEADER_VALUE = /^[\x21-\x29\x2b-\x3e\x40-\x7e]([\x20-\x29\x2b-\x3e\x40-\x7e]{0,126}[\x21-\x29\x2b-\x3e\x40-\x7e])?$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readTestRoute(r: ConfigReader): TestRouteConfig {
    const raw = r.json("migration:testRoute");
    if (raw === undefined) {
        return DEFAULT_TEST_ROUTE;
    }
    const example = `expected {"header": "${DEFAULT_TEST_ROUTE.header}", "value": "${DEFAULT_TEST_ROUTE.value}"}`;
    if (!isObject(raw)) {
        r.fail(`migration:testRoute ${JSON.stringify(raw)} is not allowed; ${example}`);
        return DEFAULT_TEST_ROUTE;
    }
    for (const key of Object.keys(raw).filter((k) => k !== "header" && k !== "value")) {
        r.fail(`migration:testRoute.${key} is not a known field; use header and value`);
    }
    const header = raw.header ?? DEFAULT_TEST_ROUTE.header;
    const value = raw.value ?? DEFAULT_TEST_ROUTE.value;
    if (typeof header !== "string" || !HEADER_NAME.test(header)) {
        r.fail(`migration:testRoute.header ${JSON.stringify(header)} is not an HTTP header name of 1 to 40 token characters (letters, digits, -); e.g. "${DEFAULT_TEST_ROUTE.header}"`);
    } else if (/^(host|x-forwarded-[a-z]+|x-amzn-[a-z-]+)$/i.test(header)) {
        r.fail(`migration:testRoute.header ${JSON.stringify(header)} is set or rewritten by the load balancer; pick a header of your own, e.g. "${DEFAULT_TEST_ROUTE.header}"`);
    }
    if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
        r.fail(`migration:testRoute.value ${JSON.stringify(value)} is not allowed; give 1 to 128 printable ASCII characters without * or ? (the load balancer reads those as wildcards), e.g. "${DEFAULT_TEST_ROUTE.value}"`);
    }
    return typeof header === "string" && typeof value === "string" ? Object.freeze({ header, value }) : DEFAULT_TEST_ROUTE;
}
