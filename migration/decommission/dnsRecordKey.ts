import { DnsRecordSnapshot } from "../../core/snapshot";

/** How a DNS record is named in migration:adopted: zone ID / name / type [/ set identifier]. */
export function dnsRecordKey(r: DnsRecordSnapshot): string {
    return `${r.zoneId}/${r.name.replace(/\.$/, "")}/${r.type}${r.setIdentifier ? `/${r.setIdentifier}` : ""}`;
}
