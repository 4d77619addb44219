import { DistributionConfig, GetDistributionConfigCommand, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { Aws } from "./aws";
import { allPages, mapLimit } from "./concurrency";
import { toJson } from "./json";
import { DistributionSnapshot } from "../../core/snapshot";

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, "").replace(/^dualstack\./, "");

/**
 * CloudFront distributions with an origin at one of the services' load
 * balancers, each with its whole configuration: a cloudfront-staging
 * cutover copies it into a staging distribution whose origin is EKS.
 * CloudFront is global: one listing covers every region's load balancers.
 */
export async function readDistributions(aws: Aws, loadBalancerDnsNames: readonly string[], concurrency: number): Promise<DistributionSnapshot[]> {
    const targets = new Set(loadBalancerDnsNames.map(normalize));
    if (targets.size === 0) {
        return [];
    }
    const summaries = await allPages(
        (Marker) => aws.call("cloudfront", "ListDistributions", "*", () => aws.cloudFront.send(new ListDistributionsCommand({ Marker }))),
        (p) => p.DistributionList?.Items,
        (p) => (p.DistributionList?.IsTruncated ? p.DistributionList.NextMarker : undefined),
    );
    // DistributionSummary always lists its origins on AWS; where an emulator leaves them out, the config says.
    const read = await mapLimit(summaries, concurrency, async (d) => {
        const config = d.Origins === undefined ? await getConfig(aws, d.Id ?? "") : undefined;
        const origins = [...new Set((d.Origins ?? config?.Origins)?.Items?.map((o) => normalize(o.DomainName ?? "")).filter((n) => targets.has(n)) ?? [])].sort();
        return { d, origins, config };
    });
    return mapLimit(
        read.filter((x) => x.origins.length > 0),
        concurrency,
        async ({ d, origins, config }): Promise<DistributionSnapshot> => ({
            id: d.Id ?? "",
            arn: d.ARN ?? "",
            domainName: d.DomainName ?? "",
            loadBalancerOrigins: origins,
            config: toJson(config ?? (await getConfig(aws, d.Id ?? "")) ?? ({} as DistributionConfig)),
        }),
    );
}

async function getConfig(aws: Aws, id: string): Promise<DistributionConfig | undefined> {
    return (await aws.call("cloudfront", "GetDistributionConfig", id, () => aws.cloudFront.send(new GetDistributionConfigCommand({ Id: id })))).DistributionConfig;
}
