import { fetchFigures, metricWindow } from "../migration/verify/cloudwatch";
import { ClusterObjects, kubernetesFindings } from "../migration/verify/kubernetes";
import { connect, readNamespace } from "../migration/verify/kubeApi";
import { VerifyResult, judge, renderVerify } from "../migration/verify/report";
import { DEFAULT_TOLERANCES, Tolerances } from "../migration/verify/verdict";
import { ParsedArgs, UsageError, present, single } from "./args";
import { Command, EXIT } from "./command";
import { INPUT_FLAGS, INPUT_HELP, awsFor, cutoverInputs, durationSeconds } from "./cutoverInputs";

export const VERIFY_FLAGS = {
    ...INPUT_FLAGS,
    window: { value: true },
    service: { value: true, repeatable: true },
    kubeconfig: { value: true },
    "min-requests": { value: true },
    "max-error-increase": { value: true },
    "max-latency-increase": { value: true },
} as const;

export const verifyCommand: Command = {
    name: "verify",
    summary: "compare each service's EKS side with ECS: ready, hold or rollback",
    help: `Usage: ecs2eks verify [--stack dev] [--window 15m] [--json] [--service NAME ...]
                      [--kubeconfig FILE] [--min-requests N]
                      [--max-error-increase POINTS] [--max-latency-increase PCT]

For each load-balanced service: the EKS target group's target health
(healthy targets against the ECS service's desired count), and the EKS
target group against the ECS one over the window from CloudWatch (requests,
5xx rate: target 5xx plus target connection errors, p90 and average target
response time). Verdict per service:
  ready     no worse than ECS within the tolerances, on enough requests
  hold      too little traffic to tell, targets or pods not all up yet,
            or the EKS target group not created yet
  rollback  worse than ECS: more 5xx, slower, no healthy target while EKS
            has traffic, or a crash-looping pod or a stuck rollout
With a kubeconfig (--kubeconfig or KUBECONFIG) it also checks that each
Deployment's rollout is complete, no pod crash-loops or stays unready,
every ExternalSecret is synced and the TargetGroupBinding is reconciled.
Exits 1 when any service says rollback (or the input cannot be used),
0 otherwise: hold is not a failure, but the canary gate does not raise a
weight on it.
${INPUT_HELP}
  --window DURATION   how far back to compare, e.g. 15m (default), 1h
  --service NAME      only this ECS service (repeatable)
  --kubeconfig FILE   also check the Kubernetes side (default KUBECONFIG)
  --min-requests N    EKS requests needed in the window to tell (default ${DEFAULT_TOLERANCES.minRequests})
  --max-error-increase POINTS
                      percentage points of 5xx the EKS side may have above
                      ECS (default ${DEFAULT_TOLERANCES.max5xxIncrease})
  --max-latency-increase PCT
                      percent by which EKS's p90 and average response time
                      may exceed ECS's (default ${DEFAULT_TOLERANCES.maxLatencyIncrease})
  --json              print {where, window, tolerances, verdict, services:
                      [{service, verdict, health, ecs, eks, findings}]}`,
    flags: { ...VERIFY_FLAGS, json: {} },
    async run(args: ParsedArgs): Promise<number> {
        const result = await runVerify(args, "verify");
        if (present(args, "json")) {
            process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
            process.stdout.write(renderVerify(result, `Verify ${result.where}`));
        }
        return result.verdict === "rollback" ? EXIT.problems : EXIT.ok;
    },
};

function number(args: ParsedArgs, flag: string, fallback: number, command: string, max: number): number {
    const text = single(args, flag);
    if (text === undefined) {
        return fallback;
    }
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n) || n < 0 || n > max) {
        throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a number from 0 to ${max}`, command);
    }
    return n;
}

export function tolerances(args: ParsedArgs, command: string): Tolerances {
    return {
        minRequests: number(args, "min-requests", DEFAULT_TOLERANCES.minRequests, command, 1e9),
        max5xxIncrease: number(args, "max-error-increase", DEFAULT_TOLERANCES.max5xxIncrease, command, 100),
        maxLatencyIncrease: number(args, "max-latency-increase", DEFAULT_TOLERANCES.maxLatencyIncrease, command, 10000),
    };
}

/** The verdicts, for `verify` and the canary gate; `only` narrows to those ECS services. */
export async function runVerify(args: ParsedArgs, command: string, only?: readonly string[]): Promise<VerifyResult & { where: string }> {
    const windowText = single(args, "window") ?? "15m";
    const seconds = durationSeconds(windowText, "--window", command);
    const t = tolerances(args, command);
    const inputs = cutoverInputs(args, command);
    const wanted = [...(args.flags.service ?? []), ...(only ?? [])];
    const unknown = wanted.filter((s) => !inputs.targets.some((x) => x.service === s));
    if (unknown.length > 0 && (args.flags.service ?? []).includes(unknown[0])) {
        throw new UsageError(`--service ${unknown[0]} is not a load-balanced service of the ${inputs.where}; they are: ${inputs.targets.map((x) => x.service).join(", ") || "none"}`, command);
    }
    const targets = wanted.length > 0 ? inputs.targets.filter((x) => wanted.includes(x.service)) : inputs.targets;
    const kubeconfig = single(args, "kubeconfig") ?? process.env.KUBECONFIG;
    const aws = awsFor(args, inputs.region);
    try {
        const figures = await fetchFigures(aws, targets, metricWindow(seconds, new Date()));
        let kube: Map<string, ClusterObjects> | undefined;
        if (kubeconfig && targets.length > 0) {
            const conn = connect(kubeconfig.split(":")[0]);
            const namespaces = [...new Set(targets.map((x) => x.namespace))].sort();
            kube = new Map(await Promise.all(namespaces.map(async (ns) => [ns, await readNamespace(conn, ns)] as const)));
        }
        const objects = kube;
        const result = judge(figures, t, windowText, objects ? (f) => kubernetesFindings(objects.get(f.target.namespace) as ClusterObjects, f.target.workload, f.target.binding) : undefined);
        return { where: inputs.where, ...result };
    } finally {
        aws.destroy();
    }
}
