/**
 * One ledger entry: what the translator does with one ECS shape member.
 * Apart from the table (ledger.ts) so that mapping rules can declare the
 * entries they own without importing the table they are assembled into.
 */
import { Severity } from "./types";

export type LedgerEntry =
    | { readonly status: "carried"; readonly to: string; readonly code?: string }
    | { readonly status: "reported"; readonly code: string; readonly severity: Severity; readonly message: string; readonly suggestion: string }
    | { readonly status: "n/a"; readonly reason: string };

export const c = (to: string, code?: string): LedgerEntry => ({ status: "carried", to, ...(code ? { code } : {}) });
export const na = (reason: string): LedgerEntry => ({ status: "n/a", reason });
export const r = (code: string, severity: Severity, message: string, suggestion: string): LedgerEntry => ({ status: "reported", code, severity, message, suggestion });
