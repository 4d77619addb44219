/** Rules on what the security groups we create let in. */
import { LOAD_BALANCER_GROUP_TAG } from "../core/allowances";
import { list, obj, strings } from "./props";
import { Rule } from "./rule";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const WEB_PORTS = new Set([80, 443]);

interface Ingress {
    readonly protocol: string;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly sources: string[];
}

const port = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);

/** Ingress open to the whole internet is acceptable on 80 or 443 over TCP, to a load balancer, and nowhere else. */
function openToInternet(rule: Ingress, onLoadBalancer: boolean): string | undefined {
    const anywhere = rule.sources.filter((s) => ANYWHERE.has(s));
    if (anywhere.length === 0) {
        return undefined;
    }
    const protocol = rule.protocol.toLowerCase();
    const tcp = protocol === "tcp" || protocol === "6";
    const ports = rule.fromPort === rule.toPort && rule.fromPort !== undefined ? `port ${rule.fromPort}` : `ports ${rule.fromPort ?? 0}-${rule.toPort ?? 65535}`;
    const web = tcp && rule.fromPort !== undefined && rule.fromPort === rule.toPort && WEB_PORTS.has(rule.fromPort);
    if (web && onLoadBalancer) {
        return undefined;
    }
    const what = `${anywhere.join(" and ")} may reach ${protocol === "-1" ? "every protocol and port" : `${protocol} ${ports}`}`;
    return web
        ? `${what} of a group that is not a load balancer's; only load balancers (tagged ${LOAD_BALANCER_GROUP_TAG}: "true") face the internet`
        : `${what}; from the internet, admit only 80 and 443 to a load balancer, and everything else from the load balancer's group or your own CIDRs`;
}

export const NETWORK_RULES: readonly Rule[] = [
    {
        name: "ingress-from-anywhere-only-web-to-load-balancers",
        description: `Security groups admit 0.0.0.0/0 or ::/0 only on TCP 80 and 443, and only to load balancers (tagged ${LOAD_BALANCER_GROUP_TAG}).`,
        enforcementLevel: "mandatory",
        validate(type, props, report) {
            const tagged = (tags: unknown) => obj(tags)[LOAD_BALANCER_GROUP_TAG] === "true";
            const rules: { rule: Ingress; onLoadBalancer: boolean }[] = [];
            if (type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
                rules.push({
                    rule: { protocol: String(props.ipProtocol ?? "-1"), fromPort: port(props.fromPort), toPort: port(props.toPort), sources: strings(props.cidrIpv4).concat(strings(props.cidrIpv6)) },
                    onLoadBalancer: tagged(props.tags),
                });
            } else if (type === "aws:ec2/securityGroup:SecurityGroup") {
                for (const r of list(props.ingress).map(obj)) {
                    rules.push({
                        rule: { protocol: String(r.protocol ?? "-1"), fromPort: port(r.fromPort), toPort: port(r.toPort), sources: strings(r.cidrBlocks).concat(strings(r.ipv6CidrBlocks)) },
                        onLoadBalancer: tagged(props.tags),
                    });
                }
            } else if (type === "aws:ec2/securityGroupRule:SecurityGroupRule" && props.type === "ingress") {
                // This resource has no tags: it cannot say it is a load balancer's.
                rules.push({
                    rule: { protocol: String(props.protocol ?? "-1"), fromPort: port(props.fromPort), toPort: port(props.toPort), sources: strings(props.cidrBlocks).concat(strings(props.ipv6CidrBlocks)) },
                    onLoadBalancer: false,
                });
            }
            for (const { rule, onLoadBalancer } of rules) {
                const problem = openToInternet(rule, onLoadBalancer);
                if (problem) {
                    report(problem);
                }
            }
        },
    },
];
