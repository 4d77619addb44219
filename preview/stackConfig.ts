/**
 * Stack config as the Pulumi CLI would hand it to the program: every key
 * namespaced, scalars as strings, structured values as JSON text. Pure.
 */
import { ExpectedError } from "../core/errors";

export interface StackConfigValues {
    readonly values: Record<string, string>;
    /** Keys whose value is encrypted in the stack file and so unknown offline. */
    readonly secretKeys: string[];
}

/** What an encrypted value reads as offline: it cannot be decrypted without the stack's secrets provider. */
export const SECRET_PLACEHOLDER = "[secret]";

export class StackConfigError extends ExpectedError {}

function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

/** The `config:` block of a Pulumi.<stack>.yaml document. */
export function configFromStackDocument(project: string, doc: unknown, file: string): StackConfigValues {
    const config = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>).config : undefined;
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    if (config === undefined || config === null) {
        return { values, secretKeys };
    }
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new StackConfigError(`${file}: "config" is not a map of keys to values`);
    }
    for (const [rawKey, value] of Object.entries(config as Record<string, unknown>)) {
        const key = qualify(project, rawKey);
        if (isSecure(value)) {
            values[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { values, secretKeys };
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

type Path = (string | number)[];

/** `ns:name.a[0].b` → key `ns:name`, path ["a", 0, "b"]. */
function splitPath(fullKey: string): { key: string; path: Path } {
    const colon = fullKey.indexOf(":");
    const rest = fullKey.slice(colon + 1);
    const m = /^([^.[]+)(.*)$/.exec(rest);
    if (!m) {
        throw new StackConfigError(`--config ${fullKey}: no key name after the namespace`);
    }
    const path: Path = [];
    const segment = /\.([^.[\]]+)|\[(\d+)\]/g;
    let consumed = 0;
    for (let s = segment.exec(m[2]); s; s = segment.exec(m[2])) {
        if (s.index !== consumed) {
            break;
        }
        path.push(s[1] !== undefined ? s[1] : Number(s[2]));
        consumed = segment.lastIndex;
    }
    if (consumed !== m[2].length) {
        throw new StackConfigError(`--config ${fullKey}: cannot read the path ${JSON.stringify(m[2])}; write it like nodeGroups:general.minSize or a.list[0]`);
    }
    return { key: `${fullKey.slice(0, colon)}:${m[1]}`, path };
}

function setAtPath(root: unknown, path: Path, value: unknown): unknown {
    if (path.length === 0) {
        return value;
    }
    const [head, ...tail] = path;
    if (Array.isArray(root) || (root === undefined && typeof head === "number")) {
        const list: unknown[] = Array.isArray(root) ? [...root] : [];
        list[Number(head)] = setAtPath(list[Number(head)], tail, value);
        return list;
    }
    const map: Record<string, unknown> = typeof root === "object" && root !== null ? { ...(root as Record<string, unknown>) } : {};
    map[head] = setAtPath(map[head], tail, value);
    return map;
}

/**
 * Applies one `--config key=value` override. A value that parses as JSON is
 * structured, as with `pulumi config set --path`; a key with a path
 * (`nodeGroups:general.minSize=3`) sets one field inside a structured value.
 */
export function applyOverride(project: string, config: StackConfigValues, assignment: string): StackConfigValues {
    const eq = assignment.indexOf("=");
    if (eq <= 0) {
        throw new StackConfigError(`--config ${JSON.stringify(assignment)} is not key=value, e.g. --config network:azCount=2`);
    }
    const { key, path } = splitPath(qualify(project, assignment.slice(0, eq)));
    const text = assignment.slice(eq + 1);
    const parsed = parseJson(text);
    const values = { ...config.values };
    const secretKeys = config.secretKeys.filter((k) => k !== key);
    if (path.length === 0) {
        values[key] = typeof parsed === "object" && parsed !== null ? JSON.stringify(parsed) : text;
    } else {
        const current = values[key] === undefined ? undefined : parseJson(values[key]);
        values[key] = JSON.stringify(setAtPath(current, path, parsed === undefined ? text : parsed));
    }
    return { values, secretKeys };
}
