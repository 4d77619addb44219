/**
 * No overlaps, no gaps: every ECS service and scheduled task of the estate is
 * migrated by exactly one stack of its environment, and every namespace is
 * declared by exactly one. Pure: the CLI, policy-check and tests feed it the
 * stacks' selections and the estate.
 */
import { EstateUnit, ShardSelection, selects, unitId, unmatchedTerms } from "./select";

/** What one stack's config claims. */
export interface StackClaim {
    readonly stack: string;
    /** The stack name of the platform it deploys onto: itself when it is no shard. */
    readonly environment: string;
    /** Migrates anything at all (migration:source is not none). */
    readonly migrates: boolean;
    readonly selection: ShardSelection;
    readonly sharedClusters: readonly string[];
}

export interface EnvironmentCheck {
    readonly environment: string;
    readonly stacks: readonly { readonly stack: string; readonly units: readonly string[] }[];
    /** Overlaps, gaps and namespace owners: each fails the check. */
    readonly problems: readonly string[];
    /** Terms of a selection that match nothing: likely typos, reported, not failed. */
    readonly warnings: readonly string[];
}

/** Checks each environment in which some stack migrates; environments of platform stacks alone have nothing to check. */
export function checkShards(units: readonly EstateUnit[], claims: readonly StackClaim[]): EnvironmentCheck[] {
    const environments = [...new Set(claims.filter((c) => c.migrates).map((c) => c.environment))].sort();
    return environments.map((environment) => {
        const stacks = claims.filter((c) => c.migrates && c.environment === environment).sort((a, b) => (a.stack < b.stack ? -1 : 1));
        const claimed = stacks.map((c) => ({ claim: c, units: units.filter((u) => selects(c.selection, u)) }));
        const problems: string[] = [];
        for (const u of units) {
            const by = claimed.filter((c) => c.units.includes(u)).map((c) => c.claim.stack);
            if (by.length === 0) {
                problems.push(`${u.kind} ${unitId(u)} is in no stack of environment ${environment} (stacks: ${stacks.map((s) => s.stack).join(", ")}); add it to one shard's migration:services or migration:clusters`);
            } else if (by.length > 1) {
                problems.push(`${u.kind} ${unitId(u)} is claimed by ${by.length} stacks of environment ${environment}: ${by.join(", ")}; keep it in one (migration:services exclude in the others)`);
            }
        }
        for (const cluster of [...new Set(units.map((u) => u.cluster))].sort()) {
            const using = claimed.filter((c) => c.units.some((u) => u.cluster === cluster)).map((c) => c.claim);
            const owners = using.filter((c) => !c.sharedClusters.includes(cluster));
            if (using.length > 0 && owners.length !== 1) {
                problems.push(
                    owners.length === 0
                        ? `ECS cluster ${cluster} is shared by ${using.map((c) => c.stack).join(", ")}, and each lists it in migration:sharedClusters: one of them must declare its namespaces; remove it from that one's list`
                        : `ECS cluster ${cluster} is split over ${owners.map((c) => c.stack).join(", ")}, and each would declare its namespaces (Kubernetes refuses the second); list it in migration:sharedClusters of all but one`,
                );
            }
        }
        const warnings = stacks.flatMap((c) => unmatchedTerms(c.selection, units).map((w) => `stack ${c.stack}: ${w}`));
        return { environment, stacks: claimed.map((c) => ({ stack: c.claim.stack, units: c.units.map(unitId) })), problems, warnings };
    });
}
