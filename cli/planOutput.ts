/**
 * `plan` owns its output directory: it writes into a new or empty directory,
 * or one it wrote before (recognised by its marker file), and then removes
 * the manifests it no longer produces, so `kubectl apply -f <dir>/manifests`
 * never brings back a service that left the snapshot. Any other directory
 * (a project, a home directory, `/`) is refused before anything is written.
 */
import * as fs from "fs";
import * as path from "path";
import { FileError, ensureDirectory, fileError, writeFileAtomic } from "../migration/ecs/files";

export const MARKER = ".ecs2eks-plan";
export const MANIFESTS = "manifests";

function entries(dir: string): string[] {
    try {
        return fs.readdirSync(dir);
    } catch (err) {
        throw fileError(err, "read the directory", dir);
    }
}

/** Throws a one-line FileError unless `out` may be (re)written by plan. */
export function claimOutputDirectory(out: string): void {
    const resolved = path.resolve(out);
    if (path.dirname(resolved) === resolved) {
        throw new FileError(`refusing to plan into ${resolved}, the root of the file system; give a directory of its own, e.g. --out plan`);
    }
    if (!fs.existsSync(resolved)) {
        ensureDirectory(resolved);
        return;
    }
    if (!fs.statSync(resolved).isDirectory()) {
        throw new FileError(`--out ${out} is a file; give a directory (plan writes manifests/, plan.json and report.md into it)`);
    }
    const found = entries(resolved);
    if (found.length > 0 && !found.includes(MARKER)) {
        throw new FileError(`refusing to plan into ${out}: it is not empty and was not written by ecs2eks plan (no ${MARKER}); give a new or empty directory`);
    }
}

/**
 * Writes the files (paths relative to `out`), each atomically, then removes
 * whatever else is in the manifests directory. The marker goes first, so an
 * interrupted run leaves a directory the next run recognises.
 */
export function writePlanDirectory(out: string, files: ReadonlyMap<string, string>): { removed: string[] } {
    writeFileAtomic(path.join(out, MARKER), "written by ecs2eks plan; plan replaces everything in this directory\n");
    for (const [name, content] of files) {
        writeFileAtomic(path.join(out, name), content);
    }
    const manifests = path.join(out, MANIFESTS);
    const removed: string[] = [];
    for (const name of fs.existsSync(manifests) ? entries(manifests) : []) {
        const relative = `${MANIFESTS}/${name}`;
        if (!files.has(relative)) {
            try {
                fs.rmSync(path.join(manifests, name), { recursive: true, force: true });
            } catch (err) {
                throw fileError(err, "remove the stale manifest", path.join(manifests, name));
            }
            removed.push(relative);
        }
    }
    return { removed };
}
