/** What an ELBv2 listener or rule action forwards to, read the same way by the reader and by cutover planning. Pure. */

/** Target groups a rule or listener action sends traffic to, weighted or not: distinct, sorted. */
export function forwardTargets(actions: readonly { TargetGroupArn?: string; ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string }[] } }[] | undefined): string[] {
    const arns = (actions ?? []).flatMap((a) => [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)]);
    return [...new Set(arns.filter((a): a is string => typeof a === "string" && a.length > 0))].sort();
}
