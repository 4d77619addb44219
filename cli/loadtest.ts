import { writeFileAtomic } from "../migration/ecs/files";
import { k6Script } from "../migration/loadtest/k6";
import { recentRequestRate } from "../migration/verify/cloudwatch";
import { ParsedArgs, UsageError, single } from "./args";
import { Command, EXIT } from "./command";
import { INPUT_FLAGS, INPUT_HELP, awsFor, cutoverInputs, durationSeconds } from "./cutoverInputs";

/** Requests per second when neither --rate nor CloudWatch gives one. */
export const DEFAULT_RATE = 10;

export const loadtestCommand: Command = {
    name: "loadtest",
    summary: "write a k6 script that loads a service's EKS side through its test route",
    help: `Usage: ecs2eks loadtest --service NAME [--stack dev | --snapshot FILE]
                      [--out FILE] [--duration 10m] [--rate N]

Writes a k6 script for the service's test route: the load balancer's DNS
name, the listener rule's paths and hosts (wildcards filled in with sample
values), the marker header (migration:testRoute) that sends each request
to the EKS target group only, and a ramp to the ECS service's busiest
minute of the last hour (CloudWatch RequestCount of its target group).
Without CloudWatch access it ramps to --rate, or ${DEFAULT_RATE}/s, and says so.
  --service NAME      the ECS service (load-balanced)
  --out FILE          where to write the script (default <service>-k6.js)
  --duration D        the whole test, a third of it ramping (default 10m)
  --rate N            requests per second to ramp to; skips CloudWatch
${INPUT_HELP}`,
    flags: { ...INPUT_FLAGS, service: { value: true }, out: { value: true }, duration: { value: true }, rate: { value: true } },
    async run(args: ParsedArgs): Promise<number> {
        const service = single(args, "service");
        if (!service) {
            throw new UsageError("--service is required", "loadtest");
        }
        const seconds = durationSeconds(single(args, "duration") ?? "10m", "--duration", "loadtest");
        const rateText = single(args, "rate");
        if (rateText !== undefined && !(Number(rateText) > 0 && Number(rateText) <= 100000)) {
            throw new UsageError(`--rate ${JSON.stringify(rateText)} is not a number of requests per second from 1 to 100000`, "loadtest");
        }
        const inputs = cutoverInputs(args, "loadtest");
        const route = inputs.cutover.testRoutes.find((t) => t.ecsService === service);
        if (!route || !inputs.snapshot) {
            const routed = inputs.cutover.testRoutes.map((t) => t.ecsService);
            throw new UsageError(`${service} has no test route in the ${inputs.where}; services with one: ${routed.join(", ") || "none"}`, "loadtest");
        }
        let rate = rateText !== undefined ? Number(rateText) : undefined;
        let rateSource = "given with --rate";
        if (rate === undefined) {
            const target = inputs.targets.find((t) => t.service === service && t.priority === route.weightedPriority);
            const aws = awsFor(args, inputs.region);
            try {
                const found = target ? await recentRequestRate(aws, target, new Date()) : undefined;
                if (found === undefined) {
                    process.stderr.write(`notice: CloudWatch has no RequestCount for ${service}'s ECS target group in the last hour; ramping to ${DEFAULT_RATE}/s (set --rate)\n`);
                } else {
                    rate = found;
                    rateSource = "the ECS target group's busiest minute of the last hour (CloudWatch RequestCount)";
                }
            } catch (err) {
                process.stderr.write(`notice: cannot read CloudWatch (${err instanceof Error ? err.message : String(err)}); ramping to ${DEFAULT_RATE}/s (set --rate)\n`);
            } finally {
                aws.destroy();
            }
            if (rate === undefined) {
                rate = DEFAULT_RATE;
                rateSource = "the default (CloudWatch gave no rate; set --rate)";
            }
        }
        const out = single(args, "out") ?? `${service}-k6.js`;
        writeFileAtomic(out, k6Script(route, inputs.snapshot, { rate, rateSource, durationSeconds: seconds, file: out }));
        process.stderr.write(`wrote ${out}: ${Math.ceil(rate)} request(s)/s to ${service}'s EKS side through its test route; run it with k6 run ${out}\n`);
        return EXIT.ok;
    },
};
