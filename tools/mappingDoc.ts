/**
 * Writes docs/mapping.md from the field ledger: every member of the ECS
 * TaskDefinition and Service shapes, carried over to what, reported with
 * which code, or not applicable and why. The ledger is the source; a test
 * fails when the page is stale. Run: npm run docs:mapping.
 */
import * as fs from "fs";
import * as path from "path";
import { LEDGER, LedgerEntry } from "../migration/translate/ledger";

/** Where the page is checked in, from dist/tools/ or tools/. */
export const MAPPING_DOC = path.join(__dirname, "..", ...(path.basename(path.dirname(__dirname)) === "dist" ? [".."] : []), "docs", "mapping.md");

const cell = (text: string) => text.replace(/\|/g, "\\|");

function row(member: string, entry: LedgerEntry): string {
    const cells =
        entry.status === "carried"
            ? ["carried", cell(entry.to), entry.code ? `\`${entry.code}\`` : ""]
            : entry.status === "reported"
              ? ["reported", `${cell(entry.message)}: ${cell(entry.suggestion)}`, `\`${entry.code}\` (${entry.severity})`]
              : ["n/a", cell(entry.reason), ""];
    return `| \`${member}\` | ${cells.join(" | ")} |`.replace(/ {2}\|$/, " |");
}

export function renderMappingDoc(ledger: Readonly<Record<string, LedgerEntry>> = LEDGER): string {
    const shapes = new Map<string, [string, LedgerEntry][]>();
    for (const [key, entry] of Object.entries(ledger)) {
        const [shape, member] = key.split(".");
        shapes.set(shape, [...(shapes.get(shape) ?? []), [member, entry]]);
    }
    const entries = Object.values(ledger);
    const count = (status: LedgerEntry["status"]) => entries.filter((e) => e.status === status).length;
    return [
        "# ECS → Kubernetes: the field mapping",
        "",
        "<!-- Generated from migration/translate/ledger.ts by `npm run docs:mapping`: edit the ledger, not this page. A test fails when the two differ. -->",
        "",
        `Every member of the ECS \`TaskDefinition\` and \`Service\` shapes that the installed \`@aws-sdk/client-ecs\` declares (${entries.length}), and what \`ecs2eks plan\` does with it, from the [field ledger](../migration/translate/ledger.ts):`,
        "",
        "- **carried**: carried over to what the third column says; the code is the diagnostic the plan reports when only some values can be.",
        "- **reported**: not carried over; the plan reports it with this code, severity and suggestion wherever it is set.",
        "- **n/a**: nothing to carry over, for the reason given.",
        "",
        `${count("carried")} carried, ${count("reported")} reported, ${count("n/a")} not applicable. A plan's coverage figures count what the translator did with the fields a snapshot sets ([coverage.ts](../migration/translate/coverage.ts)).`,
        "",
        ...[...shapes.entries()].flatMap(([shape, members]) => [
            `## ${shape}`,
            "",
            "| Member | | Carried over to, reported as, or why not | Code |",
            "|---|---|---|---|",
            ...members.map(([member, entry]) => row(member, entry)),
            "",
        ]),
    ].join("\n");
}

if (require.main === module) {
    fs.writeFileSync(MAPPING_DOC, renderMappingDoc());
    process.stdout.write(`wrote ${path.relative(process.cwd(), MAPPING_DOC)}\n`);
}
