/**
 * `npm run coverage [-- --spec generated/openapi.json] [--seeds ../shared/seeds] [--catalog ../shared/catalog/README.md] [--json | --summary]`
 *
 * The table of every leaf of the seed navigation (read from the seeds' bullet trees) → the operation(s) whose
 * x-elkapi-doc names it, "guide page", or "missing", with counts. Which leaves are guide pages comes from the
 * catalog README's navigation map ("kind"); leaves of sections the map does not cover (Quick Start, Pricing and
 * Billing, Help Center) are site pages, counted as guide pages. Fails (exit 1) when an endpoint leaf has no
 * operation, an x-elkapi-doc names no leaf, or the seeds and the catalog disagree.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { coverageMarkdown, navCoverage } from "./lib/review/coverage.js";
import { corpusCoverage, corpusMarkdown, loadCorpus, realWorldDir } from "./lib/review/real-world.js";
import { readCatalogKinds, readSeedNav } from "./lib/review/nav.js";
import { generatedDir, root } from "./lib/paths.js";
import type { Bundle } from "./lib/spec.js";

const { values } = parseArgs({
  options: {
    spec: { type: "string", default: path.join(generatedDir, "openapi.json") },
    seeds: { type: "string", default: path.resolve(root, "../shared/seeds") },
    catalog: { type: "string", default: path.resolve(root, "../shared/catalog/README.md") },
    json: { type: "boolean", default: false },
    summary: { type: "boolean", default: false },
    corpus: { type: "string", default: realWorldDir },
  },
});

try {
  const nav = readSeedNav(path.resolve(values.seeds));
  const kinds = readCatalogKinds(path.resolve(values.catalog));
  const bundle = JSON.parse(readFileSync(path.resolve(values.spec), "utf8")) as Bundle;
  const report = navCoverage(nav.leaves, kinds, bundle);
  report.problems.unshift(...nav.problems);
  const corpus = corpusCoverage(bundle, loadCorpus(path.resolve(values.corpus)));
  report.problems.push(...corpus.unknown.map((id) => `corpus cases name ${id}, which the spec lacks`));
  if (values.json) console.log(JSON.stringify({ seeds: nav.seeds, ...report, corpus }, null, 2));
  else {
    console.log(`Nav coverage: seed navigation from ${nav.seeds.join(", ")}; kinds from ${path.relative(root, path.resolve(values.catalog))}\n`);
    console.log(coverageMarkdown(report, { onlyMissing: values.summary }));
    console.log(`\nReal-world corpus per operation (${path.relative(root, path.resolve(values.corpus)) || "."}):\n`);
    console.log(corpusMarkdown(corpus, { onlyThin: values.summary }));
  }
  const failed = report.counts.missing > 0 || report.problems.length > 0;
  if (failed) {
    console.error(
      `coverage: FAILED: ${report.counts.missing} endpoint nav item${report.counts.missing === 1 ? "" : "s"} without an operation` +
        (report.problems.length ? `, ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}` : ""),
    );
    process.exitCode = 1;
  } else console.error(`coverage: every endpoint nav item has an operation (${report.counts.covered}/${report.counts.endpoints})`);
} catch (e) {
  console.error(`coverage: ${(e as Error).message}`);
  process.exitCode = 2;
}
