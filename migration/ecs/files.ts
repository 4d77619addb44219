/**
 * Writing files so that a failure is one line and leaves nothing behind:
 * parent directories are created, content goes to a temporary file next to
 * the target and is renamed over it, and the temporary file is removed when
 * anything fails.
 */
import * as fs from "fs";
import * as path from "path";
import { ExpectedError } from "../../core/errors";

/** A file-system failure the user can act on; the CLI prints its message alone. */
export class FileError extends ExpectedError {}

const REASONS: Readonly<Record<string, string>> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EDQUOT: "the disk quota is exhausted",
    EISDIR: "it is a directory",
    ENOTDIR: "a part of the path is a file, not a directory",
    EEXIST: "it exists and is not a directory",
    ENOENT: "it does not exist",
    ENAMETOOLONG: "the name is too long",
};

/** "cannot write out/plan.json: permission denied" from a Node.js file-system error. */
export function fileError(err: unknown, action: string, file: string): FileError {
    if (err instanceof FileError) {
        return err;
    }
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "";
    return new FileError(`cannot ${action} ${file}: ${REASONS[code] ?? (err instanceof Error ? err.message : String(err))}`);
}

export function ensureDirectory(dir: string): void {
    try {
        fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
        throw fileError(err, "create the directory", dir);
    }
    if (!fs.statSync(dir).isDirectory()) {
        throw new FileError(`cannot use ${dir} as a directory: it is a file`);
    }
}

/** Fails now, before a long read, if `file` could not be written later. */
export function checkWritable(file: string): void {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        throw new FileError(`cannot write ${file}: it is a directory; give a file name (e.g. ${path.join(file, "ecs-snapshot.json")})`);
    }
    const dir = path.dirname(path.resolve(file));
    ensureDirectory(dir);
    try {
        fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
        throw fileError(err, "write into", dir);
    }
}

export function writeFileAtomic(file: string, content: string): void {
    ensureDirectory(path.dirname(path.resolve(file)));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        throw new FileError(`cannot write ${file}: it is a directory`);
    }
    const tmp = `${file}.tmp-${process.pid}`;
    try {
        fs.writeFileSync(tmp, content);
        fs.renameSync(tmp, file);
    } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw fileError(err, "write", file);
    }
}
