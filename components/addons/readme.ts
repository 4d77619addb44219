import { ADDONS, pinKey } from "./registry";
import { AddonModule } from "./types";

const PHASE = { core: "before the node groups", cluster: "after the node groups" } as const;

function installed(a: AddonModule): string {
    return a.install.kind === "helm" ? `Helm chart \`${pinKey(a.install)}\` in \`${a.install.namespace}\`` : `EKS add-on \`${pinKey(a.install)}\``;
}

function identity(a: AddonModule): string {
    if (!a.identity) {
        return "none";
    }
    const notes = [
        ...(a.identity.createdBy === "eks-addon" ? ["created by the EKS add-on"] : []),
        ...(a.identity.mode ? [`always ${a.identity.mode === "irsa" ? "IRSA" : "Pod Identity"}`] : []),
    ];
    return `\`${a.identity.namespace}/${a.identity.serviceAccount}\`${notes.length > 0 ? ` (${notes.join("; ")})` : ""}: ${a.identity.permits}`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/**
 * README's add-on table, rendered from the registry; test/addons.test.ts
 * fails when README.md holds anything else between the markers.
 */
export function renderAddonTable(): string {
    const rows = (ADDONS as readonly AddonModule[]).map((a) =>
        [a.title, installed(a), PHASE[a.phase], a.toggle ? `\`addons:${a.key}\` (default \`${a.toggle.default}\`)` : "always", identity(a), a.about].map(cell),
    );
    return [
        "| add-on | installed as (pin and `addons:versionOverrides` key) | when | switched by | service account: what its role may do | settings |",
        "|---|---|---|---|---|---|",
        ...rows.map((r) => `| ${r.join(" | ")} |`),
    ].join("\n");
}

/** The markers around the rendered table in README.md. */
export const README_MARKERS = {
    begin: "<!-- add-on table: rendered from components/addons/registry.ts (components/addons/readme.ts) -->",
    end: "<!-- end of add-on table -->",
} as const;
