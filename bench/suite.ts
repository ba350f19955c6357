/**
 * Section 5: the contract suite. Runs `vitest run --reporter=json` (its global setup starts Prism on
 * generated/openapi.json) and takes the wall time from spawn to exit and the counts from the JSON report.
 * contract-tests/bench.test.ts is excluded: it runs this bench in quick mode, which would nest. Quick mode runs
 * one small file (contract-tests/platform.test.ts) instead of the whole suite.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { bin, root, timed } from "./lib/proc.js";
import type { SuiteSection } from "./lib/results.js";
import type { BenchSection, RunOptions } from "./lib/section.js";
import { ms, num, table } from "./lib/stats.js";

/** The bench's own test, left out of the measured suite. */
export const EXCLUDED = "contract-tests/bench.test.ts";
/** The one file quick mode runs. */
export const QUICK_FILE = "contract-tests/platform.test.ts";

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
  testResults: { name: string; startTime: number; endTime: number }[];
}

async function run(opts: RunOptions): Promise<SuiteSection> {
  const dir = path.join(root, "bench/.tmp/suite");
  await mkdir(dir, { recursive: true });
  const report = path.join(dir, "vitest.json");
  await rm(report, { force: true });
  const args = ["run", ...(opts.quick ? [QUICK_FILE] : []), "--exclude", EXCLUDED, "--reporter=json", `--outputFile=${report}`];
  opts.progress(`suite: vitest ${args.join(" ")}`);
  const res = await timed(bin("vitest"), args);
  const json = JSON.parse(
    await readFile(report, "utf8").catch(() => {
      throw new Error(`vitest wrote no JSON report (exit ${res.code}):\n${(res.stdout + res.stderr).slice(-3000)}`);
    }),
  ) as VitestJson;
  await rm(dir, { recursive: true, force: true });
  return {
    command: `vitest ${args.filter((a) => !a.startsWith("--outputFile")).join(" ")}`,
    wallMs: Math.round(res.wallMs),
    files: json.testResults.length,
    tests: { total: json.numTotalTests, passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests },
    success: json.success && res.code === 0,
    slowestFiles: json.testResults
      .map((t) => ({ file: path.relative(root, t.name), ms: Math.round(t.endTime - t.startTime) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
  };
}

/** Section 5 of `npm run bench`. */
export const suite: BenchSection<SuiteSection> = {
  title: "5. Contract suite",
  run,
  print: (s) =>
    [
      `${s.command}: ${s.success ? "passed" : "FAILED"} in ${ms(s.wallMs)} wall (spawn to exit, Prism start included)`,
      `${s.files} files, ${s.tests.total} tests (${s.tests.passed} passed, ${s.tests.failed} failed, ${s.tests.skipped} skipped); ${num((s.tests.total / s.wallMs) * 1000, 1)} tests/s`,
      "",
      "slowest files (their own time; files run in parallel):",
      table(["file", "ms"], s.slowestFiles.map((f) => [f.file, num(f.ms, 0)])),
    ].join("\n"),
};
