import { ListNamespacesCommand, ListServicesCommand, NamespaceSummary, ServiceSummary } from "@aws-sdk/client-servicediscovery";
import { Aws } from "./aws";
import { allPages } from "./concurrency";

export interface DiscoveryRead {
    readonly namespaces: NamespaceSummary[];
    readonly services: ServiceSummary[];
}

/**
 * The Cloud Map namespaces (Service Connect's and service registries') and
 * registry services the ECS services use: their names are what callers dial.
 * Listed page by page and filtered, since there are few per account.
 */
export async function readDiscovery(aws: Aws, namespaceRefs: ReadonlySet<string>, registryArns: ReadonlySet<string>): Promise<DiscoveryRead> {
    if (namespaceRefs.size === 0 && registryArns.size === 0) {
        return { namespaces: [], services: [] };
    }
    const namespaces = await allPages(
        (NextToken) => aws.call("servicediscovery", "ListNamespaces", "*", () => aws.discovery.send(new ListNamespacesCommand({ NextToken, MaxResults: 100 }))),
        (p) => p.Namespaces,
        (p) => p.NextToken,
    );
    const services =
        registryArns.size === 0
            ? []
            : (
                  await allPages(
                      (NextToken) => aws.call("servicediscovery", "ListServices", "*", () => aws.discovery.send(new ListServicesCommand({ NextToken, MaxResults: 100 }))),
                      (p) => p.Services,
                      (p) => p.NextToken,
                  )
              ).filter((s) => registryArns.has(s.Arn ?? ""));
    // Service Connect names its namespace by ARN or by name.
    const wantedNamespaceIds = new Set(services.map((s) => (s as { NamespaceId?: string }).NamespaceId).filter((id): id is string => !!id));
    return {
        namespaces: namespaces.filter((n) => namespaceRefs.has(n.Arn ?? "") || namespaceRefs.has(n.Name ?? "") || wantedNamespaceIds.has(n.Id ?? "")),
        services,
    };
}
