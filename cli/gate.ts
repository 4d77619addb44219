import { PlanSummary } from "../migration/planSummary";
import { UsageError, ParsedArgs, present, single } from "./args";

/** What makes plan and preview exit 1: error diagnostics by default. */
export type FailOn = "error" | "warning" | "never";

export const GATE_FLAGS = {
    "allow-errors": {},
    "fail-on": { value: true },
} as const;

export const GATE_HELP = `  --fail-on LEVEL     exit 1 when a diagnostic is at least this severe:
                      error (default) or warning (stricter CI)
  --allow-errors      exit 0 even with error diagnostics (they are still
                      printed and written to the report)`;

export function failOn(args: ParsedArgs, command: string): FailOn {
    const level = single(args, "fail-on");
    if (present(args, "allow-errors")) {
        if (level !== undefined) {
            throw new UsageError("--allow-errors and --fail-on contradict each other; give one", command);
        }
        return "never";
    }
    if (level === undefined || level === "error" || level === "warning") {
        return level ?? "error";
    }
    throw new UsageError(`--fail-on ${JSON.stringify(level)} is not a level; use error or warning`, command);
}

/** The one line that says why a run fails (undefined: it passes). */
export function gateFailure(counts: Pick<PlanSummary, "errors" | "warnings">, level: FailOn, where: string): string | undefined {
    if (level === "never") {
        return undefined;
    }
    if (counts.errors > 0) {
        return `${where} has ${counts.errors} error diagnostic(s): those services would not run as they do on ECS; fix them (see the report), or pass --allow-errors to accept them`;
    }
    if (level === "warning" && counts.warnings > 0) {
        return `${where} has ${counts.warnings} warning(s) and --fail-on warning is set; review them in the report`;
    }
    return undefined;
}
