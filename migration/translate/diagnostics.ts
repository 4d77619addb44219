import { Diagnostic, Severity } from "./types";

/** Collects diagnostics for one workload, with the service and container filled in. */
export class Diagnostics {
    readonly list: Diagnostic[] = [];
    readonly mapped = new Set<string>();

    constructor(readonly service: string) {}

    add(severity: Severity, code: string, field: string, message: string, suggestion: string, container?: string): void {
        this.list.push({ code, severity, service: this.service, ...(container !== undefined ? { container } : {}), field, message, suggestion });
    }

    info(code: string, field: string, message: string, suggestion: string, container?: string): void {
        this.add("info", code, field, message, suggestion, container);
    }

    warn(code: string, field: string, message: string, suggestion: string, container?: string): void {
        this.add("warning", code, field, message, suggestion, container);
    }

    error(code: string, field: string, message: string, suggestion: string, container?: string): void {
        this.add("error", code, field, message, suggestion, container);
    }

    /** Records that an ECS field was carried over, for the report and the coverage figures. */
    map(field: string): void {
        this.mapped.add(field);
    }
}
