/**
 * Pulumi's runtime captures a stack trace for every promise it creates
 * (@pulumi/pulumi runtime/debuggable.js, `_debugStackTrace`) and reads it only
 * when PULUMI_DEBUG_PROMISE_LEAKS is set. At Node's default depth of 10 frames
 * that was 40% of a 500-service preview's CPU time (npm run bench:preview).
 * Resources' source positions are not affected: Pulumi lifts the limit itself
 * when it records them (Resource.callsites).
 *
 * Our expected failures carry no stack anyway (RunError, ExpectedError). To
 * see stacks for an unexpected one, set ECS2EKS_STACK_TRACES=1 (or Pulumi's
 * PULUMI_DEBUG_PROMISE_LEAKS, which needs them).
 */
export function stackTraceLimitFor(env: NodeJS.ProcessEnv): number | undefined {
    return env.ECS2EKS_STACK_TRACES || env.PULUMI_DEBUG_PROMISE_LEAKS ? undefined : 0;
}
