/**
 * `npm run generators [-- --spec <bundle.json>] [--only <id,...>] [--keep] [--all]`: the published bundle
 * (default generated/openapi.json) through the client generators users pick, checked as scripts/lib/review/generators/
 * describes. Prints one row per generator and fails on any tsc error, erased schema, required property typed
 * optional, Spectral `spectral:oas` error or named example the generated zod schemas reject.
 * `--keep` leaves the temp folder with every output; `--all` lists every finding instead of the first five.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type CheckResult, checkGenerators, failures } from "./lib/review/generators/check.js";
import { formatSpectral } from "./lib/review/generators/spectral.js";
import { GENERATORS } from "./lib/review/generators/tools.js";
import { generatedDir } from "./lib/paths.js";
import type { Bundle } from "./lib/spec.js";

const { values } = parseArgs({
  options: { spec: { type: "string" }, only: { type: "string" }, keep: { type: "boolean" }, all: { type: "boolean" } },
});

const list = (title: string, lines: string[]) => {
  if (!lines.length) return;
  console.log(`  ${title}:`);
  for (const l of values.all ? lines : lines.slice(0, 5)) console.log(`    ${l}`);
  if (!values.all && lines.length > 5) console.log(`    ... ${lines.length - 5} more (--all lists them)`);
};

function report(r: CheckResult): void {
  console.log("generator                      | exit | tsc errors | erased | required→optional | no type | s");
  for (const g of r.generators) {
    const row = [g.label.padEnd(30), String(g.exitCode).padStart(4), String(g.tscErrors.length).padStart(10), String(g.erased.length).padStart(6), String(g.requiredDropped.length).padStart(17), String(g.missing).padStart(7), (g.ms / 1000).toFixed(0).padStart(3)];
    console.log(row.join(" | "));
  }
  for (const g of r.generators) {
    if (!g.failure && !g.specRejected.length && !g.tscErrors.length && !g.erased.length && !g.requiredDropped.length) continue;
    console.log(`${g.label}:`);
    if (g.failure) list("generator failed", g.failure.split("\n"));
    list("spec rejected by its validator", g.specRejected);
    list("tsc errors", g.tscErrors);
    list("erased to unknown/any", g.erased.map((f) => `${f.pointer} (${f.detail})`));
    list("required but typed optional", g.requiredDropped.map((f) => `${f.pointer}: ${f.detail}`));
  }
  console.log(`spectral:oas: ${r.spectral.errors.length} errors, ${r.spectral.warnings.length} warnings`);
  list("errors", r.spectral.errors.map(formatSpectral));
  list("warnings", r.spectral.warnings.map(formatSpectral));
  const e = r.examples;
  console.log(`zod: ${e.checked} named examples and SSE payloads parsed, ${e.rejected.length} rejected; ${e.skipped.length} examples without a JSON schema skipped`);
  list("rejected", e.rejected);
  list("without their zod schema", e.unmatched);
}

const spec = path.resolve(values.spec ?? path.join(generatedDir, "openapi.json"));
const only = values.only?.split(",").map((s) => s.trim());
const unknown = only?.filter((id) => !GENERATORS.some((g) => g.id === id)) ?? [];
if (unknown.length) {
  console.error(`generators: unknown --only ${unknown.join(", ")}; known: ${GENERATORS.map((g) => g.id).join(", ")}`);
  process.exit(2);
}
const work = await mkdtemp(path.join(os.tmpdir(), "elkapi-generators-"));
const started = performance.now();
let ok = false;
try {
  const bundle = JSON.parse(await readFile(spec, "utf8")) as Bundle;
  const result = await checkGenerators(spec, bundle, work, { only });
  report(result);
  const problems = failures(result);
  ok = problems.length === 0;
  console.log(`generators: ${ok ? "passed" : `FAILED: ${problems.join("; ")}`} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} catch (e) {
  console.error(`generators: ${(e as Error).stack ?? e}`);
} finally {
  if (values.keep) console.log(`generators: outputs kept in ${work}`);
  else await rm(work, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
