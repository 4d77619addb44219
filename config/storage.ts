import { ConfigReader, checkInteger } from "./reader";
import { EfsAccessPointConfig, StorageConfig } from "./types";

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ABSOLUTE_PATH = /^\/[A-Za-z0-9._\-/]*$/;
const OCTAL_PERMISSIONS = /^[0-7]{3,4}$/;
const FIELDS = ["name", "path", "uid", "gid", "permissions"];

function readAccessPoint(r: ConfigReader, value: unknown, i: number): EfsAccessPointConfig | undefined {
    const at = `storage:efsAccessPoints[${i}]`;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        r.fail(`${at} ${JSON.stringify(value)} is not allowed; expected {name, path, uid, gid, permissions}`);
        return undefined;
    }
    const ap = value as Record<string, unknown>;
    const before = r.problems.length;
    for (const field of Object.keys(ap).filter((f) => !FIELDS.includes(f))) {
        r.fail(`${at}.${field} is not a known field; known fields: ${FIELDS.join(", ")}`);
    }
    const name = typeof ap.name === "string" && NAME.test(ap.name) ? ap.name : undefined;
    if (!name) {
        r.fail(`${at}.name ${JSON.stringify(ap.name)} is not allowed; use lowercase letters, digits and -`);
    }
    const path = ap.path === undefined ? `/${name ?? ""}` : ap.path;
    if (typeof path !== "string" || !ABSOLUTE_PATH.test(path) || path === "/") {
        r.fail(`${at}.path ${JSON.stringify(ap.path)} is not allowed; use an absolute directory below /, like /shared`);
    }
    const id = (field: string) =>
        checkInteger(ap[field] ?? 1000, 0, 4294967295, (msg) => r.fail(`${at}.${field} ${JSON.stringify(ap[field])} ${msg}`));
    const uid = id("uid");
    const gid = id("gid");
    const permissions = ap.permissions === undefined ? "750" : ap.permissions;
    if (typeof permissions !== "string" || !OCTAL_PERMISSIONS.test(permissions)) {
        r.fail(`${at}.permissions ${JSON.stringify(ap.permissions)} is not allowed; use octal permissions as a string, like "750"`);
    }
    if (r.problems.length > before) {
        return undefined;
    }
    return Object.freeze({ name: name as string, path: path as string, uid: uid as number, gid: gid as number, permissions: permissions as string });
}

export function readStorage(r: ConfigReader): StorageConfig {
    const efs = r.boolean("storage:efs", true);
    const efsThroughputMode = r.oneOf("storage:efsThroughputMode", "elastic", ["elastic", "bursting"] as const);
    const efsBackups = r.boolean("storage:efsBackups", true);
    const raw = r.json("storage:efsAccessPoints");
    const accessPoints: EfsAccessPointConfig[] = [];
    if (raw !== undefined && !Array.isArray(raw)) {
        r.fail(`storage:efsAccessPoints ${JSON.stringify(raw)} is not allowed; expected a list of {name, path, uid, gid, permissions}`);
    } else if (Array.isArray(raw)) {
        raw.forEach((value, i) => {
            const ap = readAccessPoint(r, value, i);
            if (ap) {
                accessPoints.push(ap);
            }
        });
        const names = accessPoints.map((a) => a.name);
        const dup = names.find((n, i) => names.indexOf(n) !== i);
        if (dup) {
            r.fail(`storage:efsAccessPoints has two access points named ${JSON.stringify(dup)}; names must be unique`);
        }
    }
    if (!efs && accessPoints.length > 0) {
        r.fail(`storage:efsAccessPoints needs storage:efs true; access points live on the file system this stack creates`);
    }
    return Object.freeze({ efs, efsThroughputMode, efsBackups, efsAccessPoints: Object.freeze(accessPoints) });
}
