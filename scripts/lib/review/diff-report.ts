/** The text of `npm run diff`: the spec diff and the type check, and whether they add up to a breaking change. */
import type { CompatResult } from "./compat.js";
import { type Change, type SpecDiff, breakingOperations } from "./spec-diff.js";

const LABEL: Record<Change["class"], string> = {
  breaking: "BREAKING",
  "non-breaking": "non-breaking",
  deprecated: "deprecated",
  unclassified: "unclassified",
  annotation: "docs",
};
const ORDER: Change["class"][] = ["breaking", "unclassified", "deprecated", "non-breaking", "annotation"];

function changeLines(changes: Change[], verbose: boolean, indent: string): string[] {
  const out: string[] = [];
  const shown = changes.filter((c) => verbose || c.class !== "annotation").sort((a, b) => ORDER.indexOf(a.class) - ORDER.indexOf(b.class));
  for (const c of shown) {
    out.push(`${indent}${LABEL[c.class].padEnd(13)} ${c.where ? c.where + ": " : ""}${c.description}${c.reason ? ` (${c.reason})` : ""}`);
  }
  const docs = changes.filter((c) => c.class === "annotation").length;
  if (docs && !verbose) out.push(`${indent}${"docs".padEnd(13)} ${docs} description/example change${docs === 1 ? "" : "s"} (--verbose lists them)`);
  return out;
}

export function report(fromLabel: string, toLabel: string, diff: SpecDiff, compat: CompatResult | undefined, verbose: boolean): { text: string; breaking: boolean; missed: string[] } {
  const out: string[] = [];
  out.push(`Spec diff: ${fromLabel}  →  ${toLabel}`);
  out.push(
    `Operations: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.moved.length} moved, ` +
      `${diff.changed.length} changed, ${diff.unchanged} unchanged`,
  );
  if (diff.added.length) {
    out.push("", "Added operations (non-breaking)");
    for (const a of diff.added) out.push(`  + ${a.method} ${a.path}  ${a.operationId} [${a.tag}]`);
  }
  if (diff.removed.length) {
    out.push("", "Removed operations (BREAKING)");
    for (const r of diff.removed) out.push(`  - ${r.method} ${r.path}  ${r.operationId} [${r.tag}]`);
  }
  if (diff.moved.length) {
    out.push("", "Moved operations (BREAKING: same operationId, other method or path)");
    for (const m of diff.moved) {
      out.push(`  ~ ${m.from.operationId}: ${m.from.method} ${m.from.path}  →  ${m.to.method} ${m.to.path}`);
      out.push(...changeLines(m.changes, verbose, "      "));
    }
  }
  if (diff.changed.length) {
    out.push("", "Changed operations");
    for (const c of diff.changed) {
      const worst = ORDER.find((k) => c.changes.some((x) => x.class === k)) ?? "annotation";
      out.push(`  * ${c.op.method} ${c.op.path}  ${c.op.operationId} [${c.op.tag}]  (${LABEL[worst]})`);
      out.push(...changeLines(c.changes, verbose, "      "));
    }
  }
  if (diff.document.length) {
    out.push("", "Document (outside paths)");
    out.push(...changeLines(diff.document, verbose, "      "));
  }

  const missed = compat ? missedByDiff(diff, compat) : [];
  if (compat) {
    out.push("", `Type check: a consumer of the old types (${compat.checked.length + compat.skipped.length} operations) compiled against the new types`);
    for (const s of compat.skipped) out.push(`  ? ${s.op}: partly checked; a line does not compile against its own (old) types: ${s.error}`);
    for (const [op, messages] of compat.broken) {
      const agreed = !missed.includes(op);
      out.push(`  ${agreed ? "x" : "!"} ${op}: ${agreed ? "fails to compile, as the diff says (breaking)" : "FAILS TO COMPILE though the diff calls it non-breaking"}`);
      for (const m of messages.slice(0, 4)) out.push(`      ${m}`);
      if (messages.length > 4) out.push(`      ... ${messages.length - 4} more`);
    }
    const ok = compat.checked.length - compat.broken.size;
    out.push(`  ${ok} of ${compat.checked.length} checked operations still compile${missed.length ? `; ${missed.length} break that the diff did not class breaking` : ""}`);
  }

  const c = diff.counts;
  out.push(
    "",
    `Summary: ${c.breaking} breaking, ${c["non-breaking"]} non-breaking, ${c.deprecated} deprecated, ${c.unclassified} unclassified, ` +
      `${c.annotation} docs-only` + (missed.length ? `; ${missed.length} type break${missed.length === 1 ? "" : "s"} the diff missed` : ""),
  );
  return { text: out.join("\n"), breaking: c.breaking > 0 || missed.length > 0, missed };
}


/** Operations whose old-style calls no longer compile though the diff has no breaking change for them. */
export function missedByDiff(diff: SpecDiff, compat: CompatResult): string[] {
  const breakingOps = breakingOperations(diff);
  return [...compat.broken.keys()].filter((op) => !breakingOps.has(op));
}
