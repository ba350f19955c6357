/**
 * `npm run bench [-- --quick] [--out <file>] [--only overhead,bundle,typecheck,pipeline,suite]`: measures the
 * client's cost next to bare openapi-fetch and the official SDKs, prints a table per section, and writes the
 * figures to bench/results.json (quick mode: bench/results-quick.json, git-ignored). See bench/README.md.
 * Builds generated/ first when it is missing. Not part of `npm test`.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureGenerated } from "./lib/generated.js";
import { root } from "./lib/proc.js";
import { SECTIONS, type SectionName } from "./lib/results.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    out: { type: "string" },
    only: { type: "string" },
  },
});
const quick = values.quick ?? false;
const only = (values.only ? values.only.split(",").map((s) => s.trim()) : [...SECTIONS]) as SectionName[];
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length) {
  console.error(`bench: unknown section(s) ${unknown.join(", ")}; known: ${SECTIONS.join(", ")}`);
  process.exit(2);
}
const started = performance.now();
const progress = (m: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}\n`);
// Before main.js is loaded: it imports src/, which imports generated/.
await ensureGenerated(progress);
const { runBench } = await import("./main.js");
const { failed } = await runBench({
  quick,
  only,
  out: path.resolve(values.out ?? path.join(root, "bench", quick ? "results-quick.json" : "results.json")),
  log: (line) => console.log(line),
  progress,
});
process.exitCode = failed ? 1 : 0;
