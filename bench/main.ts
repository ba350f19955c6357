/**
 * The bench driver: runs the chosen sections in order, prints each one's table, writes the results file.
 * bench/run.ts is the command line (`npm run bench`); contract-tests/bench.test.ts calls `runBench` directly.
 * Importing this module loads src/, which needs generated/ (run.ts builds it first when missing).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { bundle } from "./bundle-size.js";
import { loadNow, machineInfo } from "./lib/machine.js";
import { type BenchResults, SECTIONS, type SectionName } from "./lib/results.js";
import type { BenchSection } from "./lib/section.js";
import { ms } from "./lib/stats.js";
import { overhead } from "./overhead.js";
import { pipeline } from "./pipeline.js";
import { soak } from "./soak.js";
import { suite } from "./suite.js";
import { typecheck } from "./typecheck.js";

/** Every section module by its results key, in run order. */
export const SECTION_MODULES: Record<SectionName, BenchSection<never>> = {
  overhead: overhead as BenchSection<never>,
  bundle: bundle as BenchSection<never>,
  typecheck: typecheck as BenchSection<never>,
  pipeline: pipeline as BenchSection<never>,
  suite: suite as BenchSection<never>,
  soak: soak as BenchSection<never>,
};

/** What `runBench` takes. */
export interface BenchOptions {
  /** One round and tiny durations per section (a smoke test; the figures mean little). */
  quick: boolean;
  /** Sections to run (default all); the others are recorded as `{ error: "not run (--only)" }`. */
  only?: readonly SectionName[];
  /** Where the results JSON goes. */
  out: string;
  /** Where the tables go (stdout for the command line). */
  log(line: string): void;
  /** Where progress lines go (stderr for the command line). */
  progress(message: string): void;
}

/**
 * Runs the sections, printing each table as it completes, and writes the results file. A section that throws
 * is recorded as `{ error }` and the rest still run; `failed` says whether any did.
 */
export async function runBench(opts: BenchOptions): Promise<{ results: BenchResults; failed: boolean }> {
  const started = performance.now();
  const only = opts.only ?? SECTIONS;
  const runOpts = { quick: opts.quick, progress: opts.progress };
  const machine = machineInfo();
  opts.log(`elkapi bench (${opts.quick ? "quick: one round, tiny durations; the figures are a smoke test only" : "full"})`);
  opts.log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryMiB} MiB, Node ${machine.node}, ${machine.platform} ${machine.arch}, load average ${machine.loadAverage.start}`,
  );
  const results: Record<string, unknown> = { schema: 1, mode: opts.quick ? "quick" : "full", startedAt: new Date().toISOString(), durationMs: 0, machine };
  let failed = false;
  for (const name of SECTIONS) {
    const section = SECTION_MODULES[name];
    if (!only.includes(name)) {
      results[name] = { error: "not run (--only)" };
      continue;
    }
    const t = performance.now();
    opts.progress(`${section.title} ...`);
    try {
      const result = await section.run(runOpts);
      results[name] = result;
      // A section with a pass mark (the soak) keeps its figures when it misses it, and the run fails.
      if ((result as { passed?: boolean }).passed === false) failed = true;
      opts.log(`\n## ${section.title}  (${ms(performance.now() - t)})\n`);
      opts.log(section.print(result));
    } catch (e) {
      failed = true;
      results[name] = { error: (e as Error).message };
      opts.log(`\n## ${section.title}: FAILED\n`);
      opts.log((e as Error).stack ?? String(e));
    }
  }
  machine.loadAverage.end = loadNow();
  results.durationMs = Math.round(performance.now() - started);
  await mkdir(path.dirname(opts.out), { recursive: true });
  await writeFile(opts.out, JSON.stringify(results, null, 2) + "\n");
  opts.log(`\nbench: ${failed ? "FAILED (see above)" : "done"} in ${ms(performance.now() - started)}; wrote ${path.relative(process.cwd(), opts.out) || opts.out}`);
  return { results: results as unknown as BenchResults, failed };
}
