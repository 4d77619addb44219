/**
 * How each ECS container runs in the pod: a regular container, a native
 * sidecar, a run-once init container, or left out. Pure.
 *
 * The semantics being carried over:
 *  - ECS: when an essential container stops, the task stops (every other
 *    container is stopped); a non-essential container may exit and the task
 *    goes on without it, and ECS does not restart it.
 *  - Kubernetes: a regular container of a Deployment's pod restarts whenever
 *    it exits (a container that exits on purpose ends in CrashLoopBackOff and
 *    keeps the pod NotReady); a Job's pod completes only when all of its
 *    regular containers have exited; a native sidecar (an init container with
 *    restartPolicy Always, on by default since Kubernetes 1.29, the oldest
 *    version this project supports) starts before the regular containers,
 *    is stopped after them and never holds a Job open.
 *
 * dependsOn decides first (COMPLETE/SUCCESS: init container; START/HEALTHY:
 * sidecar). Then the docker label `ecs2eks.io/lifecycle` (`once` or
 * `sidecar`) on a container definition overrides the guess below. Then a
 * non-essential container that looks long-running (port mappings, a health
 * check, FireLens, an agent image) becomes a native sidecar, and one with no
 * such sign is taken as a one-shot. Every guess is reported with the label
 * that overrides it.
 */
import { EcsContainer } from "./containers";
import { Diagnostics } from "./diagnostics";
import { repositoryName } from "./imageName";

export type Role = "main" | "sidecar" | "init" | "omit";

/** The docker label that says how a container runs: `once` (runs to completion) or `sidecar` (keeps running next to the others). */
export const LIFECYCLE_LABEL = "ecs2eks.io/lifecycle";

/**
 * A Job's pod whose several essential containers must all exit is stopped
 * after a day: on ECS the first of them to exit ended the task, and a run
 * that hangs would otherwise keep its pod (and, with concurrencyPolicy
 * Allow, one more every run) forever.
 */
export const JOB_DEADLINE_SECONDS = 86400;

export interface Lifecycle {
    readonly roles: ReadonlyMap<string, Role>;
    /** Set on a Job's pod when ECS semantics (stop at the first essential exit) cannot be kept exactly. */
    readonly activeDeadlineSeconds?: number;
}

/** Images of agents, proxies and log routers: they run for as long as the task does. */
const AGENT_IMAGE = /(agent|daemon|collector|exporter|proxy|envoy|fluent-?bit|fluentd|otel|forwarder|sidecar)/;

/** What says that a container keeps running rather than doing one job and exiting. */
export function longRunningSigns(c: EcsContainer): string[] {
    const signs: string[] = [];
    if ((c.portMappings ?? []).length > 0) {
        signs.push("it has port mappings");
    }
    if ((c.healthCheck?.command ?? []).length > 0 && c.healthCheck?.command?.[0] !== "NONE") {
        signs.push("it has a health check");
    }
    if (c.firelensConfiguration) {
        signs.push("it is a FireLens log router");
    }
    const repo = repositoryName(c.image);
    if (AGENT_IMAGE.test(repo)) {
        signs.push(`its image ${repo} is an agent or proxy`);
    }
    return signs;
}

function labelOf(c: EcsContainer, d: Diagnostics): "once" | "sidecar" | undefined {
    const value = c.dockerLabels?.[LIFECYCLE_LABEL];
    if (value === undefined) {
        return undefined;
    }
    if (value === "once" || value === "sidecar") {
        return value;
    }
    d.warn("LIFECYCLE_LABEL", `containerDefinitions[${c.name}].dockerLabels.${LIFECYCLE_LABEL}`, `docker label ${LIFECYCLE_LABEL}=${JSON.stringify(value)} is neither once nor sidecar; it is ignored`, `set ${LIFECYCLE_LABEL} to once (runs to completion) or sidecar (keeps running next to the others)`, c.name);
    return undefined;
}

const OVERRIDE_ONCE = `add the docker label ${LIFECYCLE_LABEL}=once to the container definition`;
const OVERRIDE_SIDECAR = `add the docker label ${LIFECYCLE_LABEL}=sidecar to the container definition`;

/**
 * The role of every container. `job` is true for a pod that runs to
 * completion (a scheduled task's Job), false for one that runs forever.
 */
export function containerLifecycle(containers: readonly EcsContainer[], job: boolean, d: Diagnostics): Lifecycle {
    const names = containers.map((c) => c.name ?? "");
    const byName = new Map(containers.map((c) => [c.name ?? "", c]));
    const roles = new Map<string, Role>(names.map((n) => [n, "main"]));
    /** Who waits for a container to start (START/HEALTHY). */
    const startedBy = new Map<string, string[]>();
    const essential = (name: string) => byName.get(name)?.essential !== false;

    for (const c of containers) {
        for (const dep of c.dependsOn ?? []) {
            const name = dep.containerName ?? "";
            if (!roles.has(name)) {
                d.error("DEPENDS_ON_UNKNOWN", `containerDefinitions[${c.name}].dependsOn`, `depends on container ${JSON.stringify(name)}, which the task does not have`, "fix the task definition", c.name);
                continue;
            }
            const wanted: Role = dep.condition === "COMPLETE" || dep.condition === "SUCCESS" ? "init" : "sidecar";
            const current = roles.get(name);
            if (current !== "main" && current !== wanted) {
                d.error("DEPENDS_ON_CONFLICT", `containerDefinitions[${c.name}].dependsOn`, `${name} is waited on both to start and to complete`, "split it into two containers", name);
                continue;
            }
            d.map(`containerDefinitions[${c.name}].dependsOn`);
            if (wanted === "sidecar") {
                startedBy.set(name, [...(startedBy.get(name) ?? []), c.name ?? ""]);
            }
            roles.set(name, wanted);
            if (dep.condition === "COMPLETE") {
                d.info("DEPENDS_ON_COMPLETE", `containerDefinitions[${c.name}].dependsOn`, `${name} ran to completion with any exit code on ECS; an init container must exit 0`, `make ${name} exit 0 when it is done`, name);
            }
        }
    }
    if (job) {
        // In a Job, an essential container that only non-essential helpers wait for is the job itself: it must hold the Job open.
        for (const [name, waiting] of startedBy) {
            if (essential(name) && waiting.every((w) => !essential(w))) {
                roles.set(name, "main");
                d.info("DEPENDS_ON_ORDER", `containerDefinitions[${waiting[0]}].dependsOn`, `${waiting.join(", ")} waited for ${name} to start; in the Job they all start together, since ${name} is the job and must hold the Job open until it exits`, `make ${waiting.join(", ")} retry until ${name} is up`, name);
            }
        }
    }

    const labelled = new Set<string>();
    /** One-shot containers made init containers by the guess or the label, not by dependsOn. */
    const onceInit = new Set<string>();
    for (const c of containers) {
        const name = c.name ?? "";
        const at = `containerDefinitions[${name}]`;
        const label = labelOf(c, d);
        const current = roles.get(name);
        if (label) {
            if ((label === "once" && current === "sidecar") || (label === "sidecar" && current === "init")) {
                d.warn("LIFECYCLE_LABEL", `${at}.dockerLabels.${LIFECYCLE_LABEL}`, `${name} is labelled ${label}, but containers wait for it to ${current === "sidecar" ? "start" : "complete"} (dependsOn); dependsOn wins`, `remove the label, or change the dependsOn of the containers that wait for ${name}`, name);
                continue;
            }
            labelled.add(name);
            const role: Role = label === "sidecar" ? "sidecar" : current === "init" || !job ? "init" : "main";
            if (role === "init" && current === "main") {
                onceInit.add(name);
            }
            roles.set(name, role);
            d.info("LIFECYCLE_LABEL", `${at}.dockerLabels.${LIFECYCLE_LABEL}`, `${name} is labelled ${label}: it runs as ${describe(role, job)}`, "nothing to do", name);
            continue;
        }
        if (c.essential !== false || current !== "main") {
            continue;
        }
        const signs = longRunningSigns(c);
        if (signs.length > 0) {
            roles.set(name, "sidecar");
            d.info(
                "NON_ESSENTIAL_SIDECAR",
                `${at}.essential`,
                `${name} is not essential and keeps running (${signs.join(", ")}): it becomes a native sidecar, started before the other containers and stopped after them${job ? ", which does not hold the Job open" : ""}; unlike ECS, Kubernetes restarts it if it exits`,
                `if it runs once and exits, ${OVERRIDE_ONCE}`,
                name,
            );
        } else if (job) {
            d.warn(
                "NON_ESSENTIAL_ONCE",
                `${at}.essential`,
                `${name} is not essential and shows no sign of running long (no port mappings, health check, FireLens or others waiting for it to start): it runs once next to the job; unlike ECS, its failure fails the Job`,
                `if it keeps running, ${OVERRIDE_SIDECAR}, or the Job never completes; ${OVERRIDE_ONCE} to confirm`,
                name,
            );
        } else {
            roles.set(name, "init");
            onceInit.add(name);
            d.warn(
                "NON_ESSENTIAL_ONCE",
                `${at}.essential`,
                `${name} is not essential and shows no sign of running long (no port mappings, health check, FireLens or others waiting for it to start), so it is taken to run once: it becomes an init container that runs to completion before the other containers start, and must exit 0 (ECS ran it next to them and ignored its exit); as a regular container it would restart forever and keep the pod NotReady`,
                `if it keeps running next to the others, ${OVERRIDE_SIDECAR}; ${OVERRIDE_ONCE} to confirm this choice`,
                name,
            );
        }
    }

    let activeDeadlineSeconds: number | undefined;
    if (job) {
        activeDeadlineSeconds = jobContainers(containers, roles, labelled, d);
    } else if (containers.length > 0 && ![...roles.values()].includes("main")) {
        // A one-shot that waits for an essential container to start made it a sidecar and left no regular container: keep the essential one regular.
        for (const [name, waiting] of startedBy) {
            if (roles.get(name) === "sidecar" && essential(name) && !labelled.has(name) && waiting.every((w) => onceInit.has(w))) {
                roles.set(name, "main");
                for (const w of waiting) {
                    roles.set(w, "omit");
                    d.error(
                        "ONE_SHOT_AFTER_START",
                        `containerDefinitions[${w}].dependsOn`,
                        `${w} runs once after ${name} starts; a pod cannot start a run-once container after a regular one, so ${w} is left out`,
                        `run its work as a postStart hook of ${name} or as a separate Job; if ${w} keeps running, ${OVERRIDE_SIDECAR}`,
                        w,
                    );
                }
            }
        }
    }
    for (const c of containers) {
        if (roles.get(c.name ?? "") !== "omit") {
            d.map(`containerDefinitions[${c.name}].essential`);
        }
    }
    return { roles, ...(activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds } : {}) };
}

function describe(role: Role, job: boolean): string {
    switch (role) {
        case "sidecar":
            return "a native sidecar (init container with restartPolicy Always)";
        case "init":
            return "an init container that runs to completion before the others start";
        default:
            return job ? "a regular container of the Job, which runs once" : "a regular container";
    }
}

/**
 * A Job completes when all its regular containers have exited; ECS stopped
 * the task when the first essential container did. Long-running essential
 * containers next to the job become sidecars; what still differs is
 * reported, and bounded by a deadline.
 */
function jobContainers(containers: readonly EcsContainer[], roles: Map<string, Role>, labelled: ReadonlySet<string>, d: Diagnostics): number | undefined {
    const regular = () => containers.filter((c) => roles.get(c.name ?? "") === "main");
    const essentialRegular = regular().filter((c) => c.essential !== false && !labelled.has(c.name ?? ""));
    const jobs = essentialRegular.filter((c) => longRunningSigns(c).length === 0);
    if (essentialRegular.length >= 2 && jobs.length > 0) {
        for (const c of essentialRegular.filter((x) => longRunningSigns(x).length > 0)) {
            roles.set(c.name ?? "", "sidecar");
            d.info(
                "JOB_ESSENTIAL_SIDECAR",
                `containerDefinitions[${c.name}].essential`,
                `${c.name} is essential and keeps running (${longRunningSigns(c).join(", ")}): it becomes a native sidecar, so the Job completes when ${jobs.map((j) => j.name).join(", ")} exit${jobs.length === 1 ? "s" : ""}, as the ECS task stopped then`,
                `if it runs once and exits, ${OVERRIDE_ONCE}`,
                c.name,
            );
        }
    }
    const left = regular();
    if (left.length < 2 || left.every((c) => labelled.has(c.name ?? ""))) {
        return undefined;
    }
    const essentials = left.filter((c) => c.essential !== false).map((c) => c.name);
    d.warn(
        "JOB_CONTAINERS",
        "containerDefinitions[*].essential",
        `containers ${left.map((c) => c.name).join(", ")} all run as regular containers, and the Job completes only when every one of them has exited; ECS stopped the task as soon as ${essentials.length > 1 ? `the first of ${essentials.join(", ")}` : essentials.join("")} exited. The pod is stopped after ${JOB_DEADLINE_SECONDS / 3600} hours (activeDeadlineSeconds) so that a run that never ends does not pile up`,
        `${OVERRIDE_SIDECAR.replace("the container definition", "each of them that keeps running until the task stops")}; change activeDeadlineSeconds if a run can take longer`,
    );
    return JOB_DEADLINE_SECONDS;
}
