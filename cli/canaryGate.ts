import * as fs from "fs";
import { ExpectedError } from "../core/errors";
import { gateDecisions, parseRouting, raisedServices } from "../migration/verify/gate";
import type { Verdict } from "../migration/verify/verdict";
import { ParsedArgs, UsageError, present, single } from "./args";
import { Command, EXIT } from "./command";
import { INPUT_HELP, cutoverInputs } from "./cutoverInputs";
import { VERIFY_FLAGS, runVerify } from "./verify";

class GateInputError extends ExpectedError {}

export const canaryGateCommand: Command = {
    name: "canary-gate",
    summary: "before pulumi up: block raising a service's EKS weight unless verify says ready",
    help: `Usage: ecs2eks canary-gate --deployed <file> [--stack dev] [--json]
                      [verify's flags: --window, --kubeconfig, tolerances]

Compares the EKS weight each load-balanced service would get from the
stack's migration:cutover with the weight deployed now, read from
--deployed (the stack's routing output). For every service whose weight
would go up it runs verify and lets the raise through only on ready;
lowering a weight (a rollback) or keeping it is never blocked. Exits 1
when any raise is blocked, 0 otherwise. The deploy workflow runs it before
each pulumi up:
  pulumi stack output routing --json > routing.json || echo null > routing.json
  npx ecs2eks canary-gate --stack <stack> --deployed routing.json
  --deployed FILE     the stack's routing output (pulumi stack output
                      routing --json); null or empty: nothing deployed yet
${INPUT_HELP}
  --window, --service, --kubeconfig, --min-requests, --max-error-increase,
  --max-latency-increase
                      as for ecs2eks verify
  --json              print {deployed, decisions: [{service, deployed,
                      planned, raise, verdict, allowed, reason}]}`,
    flags: { ...VERIFY_FLAGS, deployed: { value: true }, json: {} },
    async run(args: ParsedArgs): Promise<number> {
        const file = single(args, "deployed");
        if (!file) {
            throw new UsageError("--deployed is required: the stack's routing output (pulumi stack output routing --json > routing.json)", "canary-gate");
        }
        let text: string;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch (err) {
            throw new GateInputError(`cannot read --deployed ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        let deployed;
        try {
            deployed = parseRouting(text, `--deployed ${file}`);
        } catch (err) {
            throw new GateInputError((err as Error).message);
        }
        const inputs = cutoverInputs(args, "canary-gate");
        const planned = inputs.targets.map((t) => ({ service: t.service, eksWeight: t.eksWeight }));
        const raised = raisedServices(planned, deployed);
        const verdicts = new Map<string, Verdict>();
        if (raised.length > 0) {
            const result = await runVerify(args, "canary-gate", raised);
            for (const s of result.services) {
                verdicts.set(s.service, s.verdict);
            }
            if (!present(args, "json")) {
                process.stderr.write(result.services.map((s) => `verify ${s.service}: ${s.verdict}${s.findings.filter((f) => f.verdict !== "ready").map((f) => `; ${f.check}: ${f.detail}`).join("")}\n`).join(""));
            }
        }
        const decisions = gateDecisions(planned, deployed, verdicts);
        if (present(args, "json")) {
            process.stdout.write(`${JSON.stringify({ deployed, decisions }, null, 2)}\n`);
        } else {
            process.stdout.write(
                [`Canary gate for ${inputs.where}:`, ...decisions.map((d) => `${d.allowed ? "ok     " : "BLOCKED"} ${d.service}: EKS weight ${d.deployed} -> ${d.planned}: ${d.reason}`), ""].join("\n"),
            );
        }
        const blocked = decisions.filter((d) => !d.allowed);
        if (blocked.length > 0) {
            process.stderr.write(`error: the raise of ${blocked.map((d) => d.service).join(", ")} is blocked; lower migration:cutover back to the deployed weight, or wait until ecs2eks verify says ready\n`);
            return EXIT.problems;
        }
        return EXIT.ok;
    },
};
