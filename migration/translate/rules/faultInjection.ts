/**
 * `enableFaultInjection`: ECS's fault injection endpoints have no EKS
 * counterpart. A report-only rule: the ledger entry makes translate() report
 * it wherever the field is set.
 */
import { r } from "../ledgerEntry";
import { MappingRule } from "./types";

export const faultInjection: MappingRule = {
    id: "fault-injection",
    ledger: {
        "TaskDefinition.enableFaultInjection": r("FAULT_INJECTION", "info", "ECS fault injection endpoints are not carried over", "use AWS FIS actions for EKS pods, or Chaos Mesh"),
    },
};
