/**
 * AWS schedule expressions → 5-field cron with a time zone, as CronJob and
 * KEDA's cron scaler read them (both parse with robfig/cron v3's standard
 * parser). Pure.
 *
 * AWS: cron(minutes hours day-of-month month day-of-week year), day-of-week
 * 1-7 = SUN-SAT (cron: 0-6 = SUN-SAT), `?` for "no value", `L`, `W` and `#`;
 * rate(n minute|minutes|hour|hours|day|days), counted from when the rule was
 * created. Whatever cron cannot say exactly is converted to the nearest
 * schedule and `approximation` says what runs differently.
 */

export interface CronSchedule {
    /** minute hour day-of-month month day-of-week */
    readonly cron: string;
    readonly timeZone: string;
    /** What runs differently from the AWS schedule, when something does. */
    readonly approximation?: string;
    /** Exact in frequency, but worth knowing (when in the day a rate() runs). */
    readonly note?: string;
}

export type ScheduleResult = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly reason: string };

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const DAY_WORDS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const ORDINALS = ["first", "second", "third", "fourth", "fifth"];
/** The range each field ranges over, for `*` and `N/step` (robfig/cron v3 parser.go getRange: "N/step" means "N-max/step"). */
const FIELD_RANGE = { minute: [0, 59], hour: [0, 23], dom: [1, 31], month: [1, 12] } as const;
const LIST_ITEM = /^(\*|\d+|[A-Z]{3})(?:-(\d+|[A-Z]{3}))?(?:\/(\d+))?$/i;

type Converted = { readonly field: string; readonly approximations: string[] } | { readonly error: string };

/** A day of the week, AWS number (1 = SUN) or name → cron number (0 = SUN); undefined when neither. */
function cronDay(token: string): number | undefined {
    const named = DAY_NAMES.indexOf(token.toUpperCase());
    if (named >= 0) {
        return named;
    }
    const n = /^\d+$/.test(token) ? Number(token) : NaN;
    return n >= 1 && n <= 7 ? n - 1 : undefined;
}

/** Minutes, hours, day-of-month, month: the same syntax in both; `N/step` is written out as a range. */
function plainField(value: string, name: keyof typeof FIELD_RANGE): Converted {
    const [min, max] = FIELD_RANGE[name];
    const items = value.split(",");
    for (const item of items) {
        if (!LIST_ITEM.test(item)) {
            return { error: `its ${name} field ${value} is not a list of values, ranges and steps` };
        }
    }
    const field = items
        .map((item) => {
            const step = /^(\d+)\/(\d+)$/.exec(item);
            if (!step) {
                return item;
            }
            return Number(step[1]) === min ? `*/${step[2]}` : `${step[1]}-${max}/${step[2]}`;
        })
        .join(",");
    return { field, approximations: [] };
}

/** A day of the week as cron writes it: names stay, AWS numbers shift down by one. */
function dayToken(token: string, day: number): string {
    return /^\d+$/.test(token) ? String(day) : token.toUpperCase();
}

/** Day-of-week: numbers shift down by one, `L` and `#` become the weekday they fall on. */
function dayOfWeekField(value: string): Converted {
    if (value === "?" || value === "*") {
        return { field: "*", approximations: [] };
    }
    const items: string[] = [];
    const approximations: string[] = [];
    for (const item of value.split(",")) {
        if (item.toUpperCase() === "L") {
            // The last day of the week.
            items.push("SAT");
            continue;
        }
        const nth = /^(\d+|[A-Z]{3})#([1-5])$/i.exec(item);
        const last = /^(\d+|[A-Z]{3})L$/i.exec(item);
        const special = nth ?? last;
        if (special) {
            const day = cronDay(special[1]);
            if (day === undefined) {
                return { error: `its day-of-week ${item} names no day (1-7 or SUN-SAT)` };
            }
            items.push(dayToken(special[1], day));
            const which = nth ? `the ${ORDINALS[Number(nth[2]) - 1]} ${DAY_WORDS[day]}` : `the last ${DAY_WORDS[day]}`;
            approximations.push(`day-of-week ${item} (${which} of the month) becomes every ${DAY_WORDS[day]}: the CronJob runs 4-5 times a month instead of once`);
            continue;
        }
        const m = LIST_ITEM.exec(item);
        if (!m) {
            return { error: `its day-of-week ${item} is not a day, range, step, L or #` };
        }
        const [, from, to, step] = m;
        if (from === "*") {
            items.push(step !== undefined ? `*/${step}` : "*");
            continue;
        }
        const start = cronDay(from);
        const end = to !== undefined ? cronDay(to) : step !== undefined ? 6 : start;
        if (start === undefined || end === undefined) {
            return { error: `its day-of-week ${item} names no day (1-7 or SUN-SAT)` };
        }
        const first = dayToken(from, start);
        const final = to !== undefined ? dayToken(to, end) : "6";
        if (start > end) {
            if (step !== undefined) {
                return { error: `its day-of-week ${item} wraps around the week with a step, which cron cannot say` };
            }
            // FRI-MON: cron ranges do not wrap; two ranges say the same.
            items.push(`${first}-6`, `0-${final}`);
            continue;
        }
        items.push(step !== undefined ? `${first}-${final}/${step}` : to !== undefined ? `${first}-${final}` : first);
    }
    return { field: items.join(","), approximations };
}

function convertCron(expression: string, body: string, tz: string): ScheduleResult {
    const fields = body.trim().split(/\s+/);
    if (fields.length !== 6) {
        return { ok: false, reason: `${expression} does not have the 6 fields of an AWS cron expression` };
    }
    const [minute, hour, dom, month, dow, year] = fields;
    if (/[LW]/i.test(dom)) {
        return {
            ok: false,
            reason: `${expression} runs on day-of-month ${dom} (last day or nearest weekday of the month), which cron on Kubernetes cannot say; schedule days 28-31 and have the job exit unless tomorrow is the 1st ([ "$(date -d tomorrow +%d)" = 01 ])`,
        };
    }
    const parts = [plainField(minute, "minute"), plainField(hour, "hour"), dom === "?" ? { field: "*", approximations: [] } : plainField(dom, "dom"), plainField(month, "month"), dayOfWeekField(dow)];
    const failed = parts.find((p): p is { error: string } => "error" in p);
    if (failed) {
        return { ok: false, reason: `${expression}: ${failed.error}` };
    }
    const converted = parts as { field: string; approximations: string[] }[];
    const approximations = converted.flatMap((p) => p.approximations);
    if (year !== "*") {
        approximations.push(`the year field ${year} is dropped: the CronJob runs every year`);
    }
    return { ok: true, schedule: { cron: converted.map((p) => p.field).join(" "), timeZone: tz, ...(approximations.length > 0 ? { approximation: approximations.join("; ") } : {}) } };
}

const MINUTES_A_DAY = 1440;
const DAYS_A_MONTH = 365.25 / 12;

function perDay(everyMinutes: number): string {
    const n = MINUTES_A_DAY / everyMinutes;
    return `${Number.isInteger(n) ? n : n.toFixed(1)} runs a day`;
}

function unitText(n: number, unit: string): string {
    return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

function span(values: readonly number[]): string {
    const [lo, hi] = [Math.min(...values), Math.max(...values)];
    return lo === hi ? String(lo) : `${lo}-${hi}`;
}

interface RateCron {
    readonly cron: string;
    /** When in the day (or week) it runs, for the note about the rate's start. */
    readonly when: string;
    readonly approximation?: string;
}

/** rate(n unit), as minutes → cron. Intervals that divide the hour, the day or the week are exact. */
function convertRate(minutes: number, label: string): RateCron {
    if (minutes < 60) {
        const cron = minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
        if (60 % minutes === 0) {
            return { cron, when: "at whole minutes" };
        }
        const last = 60 - (60 % minutes);
        return {
            cron,
            when: "at whole minutes",
            approximation: `${label} becomes minutes 0, ${minutes}, …, ${last} of each hour: ${Math.ceil(60 / minutes)} runs an hour instead of ${(60 / minutes).toFixed(1)}, the last one ${60 - last} minutes before the next`,
        };
    }
    if (minutes < MINUTES_A_DAY) {
        const hours = Math.round(minutes / 60);
        if (minutes % 60 !== 0) {
            const inner = convertRate(hours * 60, unitText(hours, "hour"));
            const changed = `${label} (${perDay(minutes)}) becomes ${unitText(hours, "hour")} (${perDay(hours * 60)})`;
            return { ...inner, approximation: [changed, inner.approximation].filter(Boolean).join("; ") };
        }
        const cron = hours === 1 ? "0 * * * *" : `0 */${hours} * * *`;
        if (24 % hours === 0) {
            return { cron, when: "at minute 0" };
        }
        const last = 24 - (24 % hours);
        return {
            cron,
            when: "at minute 0",
            approximation: `${label} becomes hours 0, ${hours}, …, ${last} of each day: ${Math.ceil(24 / hours)} runs a day instead of ${(24 / hours).toFixed(1)}, the last one ${24 - last} hours before midnight`,
        };
    }
    const days = Math.round(minutes / MINUTES_A_DAY);
    if (minutes % MINUTES_A_DAY !== 0) {
        const inner = convertRate(days * MINUTES_A_DAY, unitText(days, "day"));
        return { ...inner, approximation: [`${label} becomes ${unitText(days, "day")}`, inner.approximation].filter(Boolean).join("; ") };
    }
    if (days === 1) {
        return { cron: "0 0 * * *", when: "at 00:00" };
    }
    if (days === 7) {
        return { cron: "0 0 * * 0", when: "on Sundays at 00:00" };
    }
    if (days < 28) {
        // Day-of-month steps restart on the 1st: months of 28-31 days end with a shorter gap.
        const lengths = [28, 29, 30, 31];
        const runs = lengths.map((l) => Math.floor((l - 1) / days) + 1);
        const gaps = lengths.map((l) => l - (1 + days * Math.floor((l - 1) / days)) + 1);
        return {
            cron: `0 0 */${days} * *`,
            when: "at 00:00",
            approximation: `${label} becomes days 1, ${1 + days}, … of each month: the count restarts on the 1st, so a month's last run comes ${span(gaps)} days before the next and the CronJob runs ${span(runs)} times a month instead of ${(DAYS_A_MONTH / days).toFixed(1)}`,
        };
    }
    const months = Math.max(1, Math.round(days / DAYS_A_MONTH));
    if (months >= 12) {
        return { cron: "0 0 1 1 *", when: "at 00:00", approximation: `${label} becomes once a year, on January 1st` };
    }
    return {
        cron: months === 1 ? "0 0 1 * *" : `0 0 1 */${months} *`,
        when: "at 00:00",
        approximation: `${label} becomes the 1st of ${months === 1 ? "every month" : `every ${months} months`}: months are 28-31 days long${12 % months === 0 ? "" : ", and the count restarts each January"}`,
    };
}

const UNIT_MINUTES: Readonly<Record<string, number>> = { minute: 1, hour: 60, day: MINUTES_A_DAY };

export function convertSchedule(expression: string, timeZone?: string): ScheduleResult {
    const tz = timeZone && timeZone.length > 0 ? timeZone : "Etc/UTC";
    const trimmed = expression.trim();
    const cron = /^cron\((.*)\)$/.exec(trimmed);
    if (cron) {
        return convertCron(expression, cron[1], tz);
    }
    const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(trimmed);
    if (rate) {
        const n = Number(rate[1]);
        const unit = rate[2].replace(/s$/, "");
        if (n < 1) {
            return { ok: false, reason: `${expression} has a rate below 1` };
        }
        const converted = convertRate(n * UNIT_MINUTES[unit], unitText(n, unit));
        return {
            ok: true,
            schedule: {
                cron: converted.cron,
                timeZone: tz,
                ...(converted.approximation ? { approximation: converted.approximation } : {}),
                note: `EventBridge counted ${expression} from when the schedule was created; the CronJob runs on the clock (${converted.when}, ${tz})`,
            },
        };
    }
    if (/^at\(/.test(trimmed)) {
        return { ok: false, reason: `${expression} runs once; a CronJob repeats` };
    }
    return { ok: false, reason: `${JSON.stringify(expression)} is not a cron() or rate() expression` };
}
