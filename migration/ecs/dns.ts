import { ListHostedZonesCommand, ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import { Aws } from "./aws";
import { allPages, mapLimit } from "./concurrency";
import { DnsRecordSnapshot } from "../../core/snapshot";

/** ELB DNS names are case-insensitive and alias targets carry "dualstack." and a trailing dot. */
function normalize(name: string): string {
    return name.toLowerCase().replace(/\.$/, "").replace(/^dualstack\./, "");
}

/**
 * Route 53 records that send traffic to the services' load balancers (alias
 * or CNAME). Whoever owns them decides where traffic goes after ECS is gone,
 * so the decommission check names them.
 */
export async function readDnsRecords(aws: Aws, loadBalancerDnsNames: readonly string[], concurrency: number): Promise<DnsRecordSnapshot[]> {
    const targets = new Set(loadBalancerDnsNames.map(normalize));
    if (targets.size === 0) {
        return [];
    }
    const zones = await allPages(
        (Marker) => aws.call("route53", "ListHostedZones", "*", () => aws.route53.send(new ListHostedZonesCommand({ Marker }))),
        (p) => p.HostedZones,
        (p) => (p.IsTruncated ? p.NextMarker : undefined),
    );
    const perZone = await mapLimit(zones, concurrency, async (zone) => {
        const records: DnsRecordSnapshot[] = [];
        let start: { StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string } = {};
        for (;;) {
            const page = await aws.call("route53", "ListResourceRecordSets", zone.Id ?? "", () =>
                aws.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id, ...(start as object) })),
            );
            for (const r of page.ResourceRecordSets ?? []) {
                const target = r.AliasTarget?.DNSName ?? (r.Type === "CNAME" ? r.ResourceRecords?.[0]?.Value : undefined);
                if (target && targets.has(normalize(target))) {
                    records.push({ zoneId: (zone.Id ?? "").replace(/^\/hostedzone\//, ""), zoneName: zone.Name ?? "", name: r.Name ?? "", type: r.Type ?? "", target: normalize(target), ...(r.SetIdentifier ? { setIdentifier: r.SetIdentifier } : {}),
                        ...(r.TTL !== undefined && !r.AliasTarget ? { ttl: r.TTL } : {}),
                        ...(r.AliasTarget ? { alias: { dnsName: r.AliasTarget.DNSName ?? "", hostedZoneId: r.AliasTarget.HostedZoneId ?? "", evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false } } : {}),
                        ...(r.Weight !== undefined ? { weight: r.Weight } : {}),
                    });
                }
            }
            if (!page.IsTruncated) {
                break;
            }
            start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
        }
        return records;
    });
    return perZone.flat();
}
