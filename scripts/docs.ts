/**
 * `npm run docs [-- --out site/index.html] [--spec generated/openapi.json] [--check] [--screenshots screenshots]`:
 * writes the API reference of the bundled spec as one self-contained HTML page (Redocly reference docs, grouped
 * by x-tagGroups). With --check it then opens the page in headless Chromium and fails on a missing family group,
 * an operation whose request or response schema is not shown, a console error, or a request leaving the page;
 * screenshots of what it saw go to --screenshots (git-ignored).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildDocs, checkDocs, docsProblems } from "./lib/review/docs.js";
import { generatedDir, root } from "./lib/paths.js";
import type { Bundle } from "./lib/spec.js";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: path.join(root, "site/index.html") },
    spec: { type: "string", default: path.join(generatedDir, "openapi.json") },
    check: { type: "boolean", default: false },
    screenshots: { type: "string", default: path.join(root, "screenshots") },
    operation: { type: "string" },
  },
});
const out = path.resolve(values.out);
const spec = path.resolve(values.spec);
const rel = (p: string) => path.relative(process.cwd(), p) || ".";

try {
  const started = performance.now();
  await buildDocs(spec, out);
  console.log(`docs: wrote ${rel(out)} from ${rel(spec)} in ${Math.round(performance.now() - started)} ms`);
  if (values.check) {
    const bundle = JSON.parse(await readFile(spec, "utf8")) as Bundle;
    const report = await checkDocs(out, bundle, { screenshotDir: path.resolve(values.screenshots), operationId: values.operation });
    const problems = docsProblems(report);
    console.log(`docs: opened in Chromium; checked ${report.operation.operationId} (${report.operation.summary})`);
    for (const s of report.screenshots) console.log(`docs: screenshot ${rel(s)}`);
    for (const p of problems) console.error(`docs: ${p}`);
    console.log(`docs: ${problems.length ? `${problems.length} problems` : "renders: family groups, request and response schemas, no console errors"}`);
    if (problems.length) process.exitCode = 1;
  }
} catch (e) {
  console.error(`docs: ${(e as Error).message}`);
  process.exitCode = 1;
}
