/**
 * Nav coverage: every leaf of the seed navigation against the operations whose `x-elkapi-doc` names it.
 *
 * What a leaf is comes from the catalog README's navigation map ("kind": endpoint or guide). That map covers the
 * sections the catalog documents (API Reference, Integration Guide); a leaf in any other top-level section
 * (Quick Start, Pricing and Billing, Help Center) is a site page with no endpoint of its own, so it counts as a
 * guide page too ("site page"). A leaf in a catalog section that the map lacks is a problem, and so is a map row
 * the seeds do not show, or an x-elkapi-doc value that names no leaf.
 */
import type { NavLeaf } from "./nav.js";
import { type Bundle, operationsOf } from "../spec.js";

export type LeafStatus = "covered" | "missing" | "guide page";

export interface CoverageRow {
  path: string;
  section: string;
  /** endpoint / guide from the catalog, `site page` for sections the catalog does not map, `unknown` otherwise. */
  kind: "endpoint" | "guide" | "site page" | "unknown";
  /** HTTP methods the seeds print beside it. */
  seedMethods: string[];
  operations: { operationId: string; method: string; path: string }[];
  status: LeafStatus;
}

export interface CoverageReport {
  rows: CoverageRow[];
  counts: {
    leaves: number;
    endpoints: number;
    covered: number;
    missing: number;
    guidePages: number;
    operations: number;
    /** Operations with x-elkapi-doc (a seed nav leaf). */
    withNavDoc: number;
    /** Operations with only externalDocs (pages the seed navigation lacks). */
    externalOnly: number;
  };
  /** Inconsistencies that fail the run besides missing endpoints. */
  problems: string[];
  /** Worth a look, does not fail the run. */
  notes: string[];
}

/** Builds the table. `kinds` is the catalog map (nav path → kind). */
export function navCoverage(leaves: NavLeaf[], kinds: Map<string, string>, bundle: Bundle): CoverageReport {
  const problems: string[] = [];
  const notes: string[] = [];
  const catalogSections = new Set([...kinds.keys()].map((p) => p.split("/")[0]!));
  const leafPaths = new Set(leaves.map((l) => l.path));
  for (const p of kinds.keys()) if (!leafPaths.has(p)) problems.push(`catalog lists "${p}", which no seed navigation shows`);

  const byDoc = new Map<string, CoverageRow["operations"]>();
  const ops = operationsOf(bundle);
  let withNavDoc = 0;
  let externalOnly = 0;
  for (const { method, path, op } of ops) {
    const docs = (op["x-elkapi-doc"] as string[] | undefined) ?? [];
    if (docs.length) withNavDoc++;
    else if (op.externalDocs) externalOnly++;
    for (const d of docs) {
      if (!leafPaths.has(d)) problems.push(`${op.operationId}: x-elkapi-doc "${d}" names no seed nav leaf`);
      const list = byDoc.get(d) ?? [];
      list.push({ operationId: op.operationId, method: method.toUpperCase(), path });
      byDoc.set(d, list);
    }
  }

  const rows: CoverageRow[] = leaves.map((l) => {
    const catalogKind = kinds.get(l.path);
    let kind: CoverageRow["kind"];
    if (catalogKind === "endpoint" || catalogKind === "guide") kind = catalogKind;
    else if (catalogKind !== undefined) {
      problems.push(`catalog gives "${l.path}" the kind "${catalogKind}" (expected endpoint or guide)`);
      kind = "unknown";
    } else if (!catalogSections.has(l.section)) kind = "site page";
    else {
      problems.push(`"${l.path}" is in the seed navigation but not in the catalog's navigation map`);
      kind = "unknown";
    }
    if (kind === "guide" && l.methods.length) notes.push(`"${l.path}" is a guide in the catalog, but a seed prints ${l.methods.join("/")} beside it`);
    const operations = byDoc.get(l.path) ?? [];
    // Unknown kinds count as endpoints: a gap in the catalog must not hide a missing operation.
    const status: LeafStatus = kind === "guide" || kind === "site page" ? "guide page" : operations.length ? "covered" : "missing";
    return { path: l.path, section: l.section, kind, seedMethods: l.methods, operations, status };
  });

  const endpoints = rows.filter((r) => r.status !== "guide page");
  return {
    rows,
    counts: {
      leaves: rows.length,
      endpoints: endpoints.length,
      covered: endpoints.filter((r) => r.status === "covered").length,
      missing: endpoints.filter((r) => r.status === "missing").length,
      guidePages: rows.length - endpoints.length,
      operations: ops.length,
      withNavDoc,
      externalOnly,
    },
    problems,
    notes,
  };
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The report as a Markdown table (only the missing rows with onlyMissing) followed by counts, problems and notes. */
export function coverageMarkdown(r: CoverageReport, opts: { onlyMissing?: boolean } = {}): string {
  const out = ["| # | nav leaf | kind | operation(s) |", "|---|---|---|---|"];
  r.rows.forEach((row, i) => {
    if (opts.onlyMissing && row.status !== "missing") return;
    const ops = row.operations.map((o) => `\`${o.method} ${o.path}\` ${o.operationId}`).join("<br>");
    const kind = row.kind + (row.seedMethods.length ? ` (${row.seedMethods.join("/")})` : "");
    const what = row.status === "guide page" ? ops || "guide page" : row.status === "missing" ? "**missing**" : ops;
    out.push(`| ${i + 1} | ${cell(row.path)} | ${kind} | ${what} |`);
  });
  const sections = [...new Set(r.rows.map((x) => x.section))].map((sec) => {
    const rows = r.rows.filter((x) => x.section === sec && x.status !== "guide page");
    const covered = rows.filter((x) => x.status === "covered").length;
    return rows.length ? `${sec} ${covered}/${rows.length}` : `${sec} (guide pages only)`;
  });
  const c = r.counts;
  out.push(
    "",
    `Nav leaves: ${c.leaves}; endpoint items: ${c.endpoints} (${c.covered} covered, ${c.missing} missing); guide pages: ${c.guidePages}.`,
    `Endpoint items covered by section: ${sections.join(", ")}.`,
    `Operations: ${c.operations} (${c.withNavDoc} name a nav leaf in x-elkapi-doc, ${c.externalOnly} only externalDocs).`,
  );
  for (const p of r.problems) out.push(`problem: ${p}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join("\n");
}
