/**
 * AWS schedule expressions → 5-field cron with a time zone, as CronJob and
 * KEDA's cron scaler read them. Pure.
 *
 * AWS: cron(minutes hours day-of-month month day-of-week year), day-of-week
 * 1-7 = SUN-SAT, `?` for "no value"; rate(n minute|minutes|hour|hours|day|days).
 */

export interface CronSchedule {
    /** minute hour day-of-month month day-of-week */
    readonly cron: string;
    readonly timeZone: string;
    /** Why it is not exactly the AWS schedule, when it is not. */
    readonly approximation?: string;
}

export type ScheduleResult = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly reason: string };

const UNSUPPORTED = /[LW#]/;

function shiftDayOfWeek(field: string): string {
    // Numbers 1-7 (SUN=1) become 0-6 (SUN=0); names stay.
    return field.replace(/\d+/g, (n) => String((Number(n) + 6) % 7));
}

export function convertSchedule(expression: string, timeZone?: string): ScheduleResult {
    const tz = timeZone && timeZone.length > 0 ? timeZone : "Etc/UTC";
    const cron = /^cron\((.*)\)$/.exec(expression.trim());
    if (cron) {
        const fields = cron[1].trim().split(/\s+/);
        if (fields.length !== 6) {
            return { ok: false, reason: `${expression} does not have the 6 fields of an AWS cron expression` };
        }
        const [minute, hour, dom, month, dow, year] = fields;
        if ([minute, hour, dom, month, dow].some((f) => UNSUPPORTED.test(f.replace(/(JUL|WED|MON|TUE|THU|SAT|SUN|FRI|APR|AUG|NOV|DEC|JAN|FEB|MAR|MAY|JUN|SEP|OCT)/gi, "")))) {
            return { ok: false, reason: `${expression} uses L, W or #, which cron on Kubernetes does not have` };
        }
        const k8s = [minute, hour, dom === "?" ? "*" : dom, month, dow === "?" ? "*" : shiftDayOfWeek(dow)].join(" ");
        const approximation = year !== "*" ? `the year field ${year} is dropped: the CronJob runs every year` : undefined;
        return { ok: true, schedule: { cron: k8s, timeZone: tz, ...(approximation ? { approximation } : {}) } };
    }
    const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
    if (rate) {
        const n = Number(rate[1]);
        const unit = rate[2].replace(/s$/, "");
        if (n < 1) {
            return { ok: false, reason: `${expression} has a rate below 1` };
        }
        if (unit === "minute") {
            if (n === 1) {
                return { ok: true, schedule: { cron: "* * * * *", timeZone: tz } };
            }
            const approximation = 60 % n === 0 ? undefined : `every ${n} minutes becomes minutes divisible by ${n} in each hour`;
            return n < 60
                ? { ok: true, schedule: { cron: `*/${n} * * * *`, timeZone: tz, ...(approximation ? { approximation } : {}) } }
                : convertSchedule(`rate(${Math.round(n / 60)} hours)`, tz);
        }
        if (unit === "hour") {
            if (n === 1) {
                return { ok: true, schedule: { cron: "0 * * * *", timeZone: tz } };
            }
            const approximation = 24 % n === 0 ? undefined : `every ${n} hours becomes hours divisible by ${n} in each day`;
            return n < 24
                ? { ok: true, schedule: { cron: `0 */${n} * * *`, timeZone: tz, ...(approximation ? { approximation } : {}) } }
                : convertSchedule(`rate(${Math.round(n / 24)} days)`, tz);
        }
        if (n === 1) {
            return { ok: true, schedule: { cron: "0 0 * * *", timeZone: tz } };
        }
        return { ok: true, schedule: { cron: `0 0 */${n} * *`, timeZone: tz, approximation: `every ${n} days restarts at each month's start` } };
    }
    if (/^at\(/.test(expression.trim())) {
        return { ok: false, reason: `${expression} runs once; a CronJob repeats` };
    }
    return { ok: false, reason: `${JSON.stringify(expression)} is not a cron() or rate() expression` };
}
