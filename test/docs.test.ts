import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { LEDGER } from "../migration/translate/ledger";
import { MAPPING_DOC, renderMappingDoc } from "../tools/mappingDoc";
import { One, service, taskDefinition } from "./translateHarness";

const ROOT = path.join(__dirname, "..", "..");

describe("docs/mapping.md", () => {
    it("is the field ledger as it is now (npm run docs:mapping rewrites it)", () => {
        assert.strictEqual(fs.readFileSync(MAPPING_DOC, "utf8"), renderMappingDoc(), "docs/mapping.md is stale: run npm run docs:mapping");
    });

    it("has a row for every ECS member, saying what it becomes, how it is reported, or why it does not apply", () => {
        const rows = renderMappingDoc()
            .split("\n")
            .filter((l) => /^\| `\w+` \| (carried|reported|n\/a) \| \S/.test(l));
        assert.strictEqual(rows.length, Object.keys(LEDGER).length);
        assert.ok(rows.includes("| `hostPort` | carried | dropped: every pod has an address of its own (reported when it differed from the container port, or in bridge mode) | `HOST_PORT_DROPPED` |"), rows.filter((r) => r.includes("hostPort")).join("\n"));
        assert.ok(rows.some((r) => r.startsWith("| `enableFaultInjection` | reported | ECS fault injection endpoints are not carried over: use AWS FIS") && r.endsWith("| `FAULT_INJECTION` (info) |")));
        assert.ok(rows.some((r) => r.startsWith("| `family` | n/a | an identifier")));
    });

    it("documents no code the translator never reports: each code of a carried field is emitted by it", () => {
        const dir = path.join(ROOT, "migration", "translate");
        const sources = fs
            .readdirSync(dir, { recursive: true, encoding: "utf8" })
            .filter((f) => f.endsWith(".ts") && f !== "ledger.ts")
            .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
            .join("\n");
        const silent = Object.entries(LEDGER).filter(([, e]) => e.status === "carried" && e.code !== undefined && !sources.includes(`"${e.code}"`));
        assert.deepStrictEqual(silent.map(([member, e]) => `${member}: ${e.status === "carried" ? e.code : ""}`), []);
    });

    it("tells the truth about a blue/green deployment strategy: the plan reports it", () => {
        const one = new One(taskDefinition(), service({ deploymentConfiguration: { strategy: "BLUE_GREEN", maximumPercent: 200, minimumHealthyPercent: 100 } }));
        const found = one.workload.diagnostics.filter((d) => d.code === "ECS_BLUE_GREEN");
        assert.deepStrictEqual(found.map((d) => [d.field, d.severity]), [["deploymentConfiguration.strategy", "warning"]]);
        assert.match(found[0].message, /BLUE_GREEN strategy; the Deployment rolls out in place/);
        const rolling = new One(taskDefinition(), service({ deploymentConfiguration: { strategy: "ROLLING", maximumPercent: 200, minimumHealthyPercent: 100 } }));
        assert.ok(!rolling.workload.diagnostics.some((d) => d.code === "ECS_BLUE_GREEN"));
    });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

/** Each relative link of a Markdown page that does not resolve inside the repository, with why. */
export function brokenLinks(file: string, text: string, exists: (repoPath: string) => boolean): string[] {
    const broken: string[] = [];
    const withoutCode = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    const anchors = new Set([...text.matchAll(/^#+\s+(.*)$/gm)].map((m) => anchor(m[1])));
    const targets = new Set([
        ...[...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]),
        ...[...withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
        // A path in prose ("see ../x/y.md") is a link too, in effect.
        ...[...withoutCode.matchAll(/(?:^|\s)(\.{1,2}\/[\w./-]+\.\w+)/g)].map((m) => m[1]),
    ]);
    for (const target of targets) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
            continue;
        }
        const [filePart, fragment] = target.split("#");
        if (filePart === "") {
            if (!anchors.has(fragment)) {
                broken.push(`${file}: #${fragment} is no heading of the page`);
            }
            continue;
        }
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), filePart));
        if (resolved.startsWith("../") || resolved === "..") {
            broken.push(`${file}: ${target} is outside the repository`);
        } else if (!exists(resolved)) {
            broken.push(`${file}: ${target} is not in the repository`);
        }
    }
    return broken;
}

describe("Markdown links", () => {
    const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter((f) => f !== "");
    const files = new Set(tracked);
    const exists = (p: string) => files.has(p) || tracked.some((f) => f.startsWith(`${p.replace(/\/$/, "")}/`));

    it("lead only to files in the repository, and to headings that exist (README.md, migration/README.md, docs/, every page)", () => {
        const pages = tracked.filter((f) => f.endsWith(".md"));
        assert.ok(pages.includes("README.md") && pages.includes("migration/README.md") && pages.includes("docs/mapping.md"), pages.join(", "));
        assert.deepStrictEqual(pages.flatMap((p) => brokenLinks(p, fs.readFileSync(path.join(ROOT, p), "utf8"), exists)), []);
    });

    it("are found in every form a page writes them", () => {
        const page = [
            "# Title",
            "## Security: what is enforced where",
            "[ok](docs/runbook.md) [up](../../shared/design/ARCHITECTURE.md) [gone](docs/nothing.md)",
            "[here](#security-what-is-enforced-where) [nowhere](#no-such-heading) [web](https://example.invalid/x.md)",
            "See ../../shared/design/MAPPING.md for the facts. `../in/code.md` is not a link.",
            "[ref]: ./missing.md",
        ].join("\n");
        assert.deepStrictEqual(brokenLinks("migration/README.md", page, (p) => p === "migration/docs/runbook.md"), [
            "migration/README.md: ../../shared/design/ARCHITECTURE.md is outside the repository",
            "migration/README.md: docs/nothing.md is not in the repository",
            "migration/README.md: #no-such-heading is no heading of the page",
            "migration/README.md: ./missing.md is not in the repository",
            "migration/README.md: ../../shared/design/MAPPING.md is outside the repository",
        ]);
    });
});
