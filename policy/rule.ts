/**
 * What a rule of the policy pack is. Rules read only what both runners give
 * them: `pulumi preview --policy-pack policy` (policy/index.ts) and the
 * offline preview (policy/check.ts), so one rule set serves both.
 */
import type { EnforcementLevel, ReportViolation } from "@pulumi/policy";

/** Resource options a rule may read. */
export interface ResourceOptions {
    readonly protect?: boolean;
    /**
     * Known offline only: the Pulumi engine does not pass retainOnDelete to
     * policy packs (@pulumi/policy 1.21 PolicyResourceOptions has protect, not
     * retainOnDelete), so under `pulumi preview` this is undefined.
     */
    readonly retainOnDelete?: boolean;
}

export interface Rule {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** Checks one resource; calls report for each violation. */
    validate(type: string, props: Record<string, unknown>, report: ReportViolation, opts: ResourceOptions): void;
}

/** One resource of the stack, as a stack rule sees it. */
export interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
    /** URNs this resource depends on (its inputs' resources included). */
    readonly dependencies: readonly string[];
}

/** A rule over the whole stack: what one resource cannot show, like a file system without a policy. */
export interface StackRule {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    validateStack(resources: readonly StackResource[], report: (message: string, urn: string) => void): void;
}
