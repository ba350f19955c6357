/**
 * The shape of bench/results.json, and a check that a parsed file has it (used by contract-tests/bench.test.ts).
 * Times are in milliseconds, sizes in bytes, memory in MiB unless a field says otherwise.
 */

/** A figure measured over several rounds: the median and the spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Every round's value, in the order taken. */
  rounds: number[];
}

/** Where the numbers were taken. */
export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  arch: string;
  totalMemoryMiB: number;
  /** 1-minute load average when the run started and when it ended (other processes share the CPUs). */
  loadAverage: { start: number; end: number };
}

/** One client in the per-call overhead section. */
export interface OverheadRow {
  id: string;
  label: string;
  /** Calls per second, one value per round. */
  opsPerSec: Spread;
  /** Median latency of one call in microseconds (median over rounds of each round's median sample). */
  p50Us: number;
  /** opsPerSec.median / bare openapi-fetch's. */
  vsOpenapiFetch: number;
  /** opsPerSec.median / bare fetch's. */
  vsBareFetch: number;
  /** Extra microseconds per call over bare openapi-fetch (1e6/ops - 1e6/ops of openapi-fetch). */
  extraUsVsOpenapiFetch: number;
}

export interface OverheadSection {
  settings: { rounds: number; timeMsPerTask: number; warmupMsPerTask: number; operation: string };
  /** Every client calls the same stub fetch (a function returning a fresh Response). */
  stub: OverheadRow[];
  /** Every client calls a node:http server on 127.0.0.1 in this process. */
  loopback: OverheadRow[];
}

export interface BundleRow {
  id: string;
  label: string;
  minifiedBytes: number;
  /** What the entry's calls load: dynamic imports they do not trigger are left out. */
  gzipBytes: number;
  /** With every dynamic import bundled in (everything the client can load). */
  allGzipBytes: number;
  /** The lazily loaded modules left out of `gzipBytes` (empty for the SDKs, which load nothing lazily). */
  lazyLeftOut: string[];
  /** gzipBytes / bare openapi-fetch's. */
  gzipVsOpenapiFetch: number;
  /** The inputs contributing the most bytes to the minified output. */
  largestInputs: { path: string; bytes: number }[];
  /** `node:` modules the bundle imports (left external; a browser build would have to stub them). */
  nodeBuiltins: string[];
}

export interface BundleSection {
  settings: { esbuild: string; platform: string; format: string; target: string; external: string };
  entries: BundleRow[];
}

export interface TypecheckRow {
  id: string;
  label: string;
  wallMs: Spread;
  peakRssMiB: Spread;
  /** Files tsc read for the program (from --extendedDiagnostics). */
  files: number;
  /** tsc's own phase times in the last round (--extendedDiagnostics). */
  phasesMs: { parse: number; bind: number; check: number };
}

export interface TypecheckSection {
  settings: { typescript: string; rounds: number; calls: number };
  /** The 20 calls, each written against both clients. */
  calls: { id: string; operationId: string; openai: string; elkWorkaround?: string }[];
  rows: TypecheckRow[];
  /** elkapi's median wall time and peak memory as a multiple of the openai SDK's. */
  elkVsOpenai: { wallMs: number; peakRssMiB: number };
  /** (createElkClient − empty) / (bare openapi-fetch − empty), wall time medians. */
  elkVsOpenapiFetchAboveFixed: number;
  /** (createElkClient − empty) / (openai SDK − empty), wall time medians. */
  elkVsOpenaiAboveFixed: number;
}

export interface ThroughputRow {
  /** `full+front`: the full spec's Prism through the mock's front. */
  spec: "full" | "full+front" | "one-operation";
  connections: number;
  /** Mean requests per second over the run (autocannon). */
  requestsPerSec: number;
  latencyMs: { p50: number; p99: number; mean: number };
  requests: number;
  errors: number;
  non2xx: number;
}

export interface PipelineSection {
  settings: { rounds: number; durationSec: number; operations: { full: number; oneOperation: number } };
  lintMs: Spread;
  bundleMs: Spread;
  generateMs: Spread;
  /** Prism alone (full, one-operation) and the mock (`startMock`: the front before Prism's engine), on the full spec. */
  mockStartMs: { full: Spread; fullWithFront: Spread; oneOperation: Spread };
  throughput: ThroughputRow[];
  /** Full-spec requests per second as a fraction of the one-operation spec's, per connection count. */
  fullVsOneOperation: { connections: number; ratio: number }[];
  /** The front's cost: the mock's start and req/s as a multiple of Prism alone's (full spec, same run). */
  front: { startRatio: number; throughput: { connections: number; ratio: number }[] };
}

export interface SuiteSection {
  command: string;
  wallMs: number;
  files: number;
  tests: { total: number; passed: number; failed: number; skipped: number };
  success: boolean;
  slowestFiles: { file: string; ms: number }[];
}

/** The soak: the mock (its own processes, lifecycle mode) under a steady mix for a minute. */
export interface SoakSection {
  settings: { durationSec: number; warmupSec: number; connections: number; mix: string[]; mock: string };
  requests: number;
  requestsPerSec: number;
  latencyMs: { p50: number; p99: number; mean: number };
  /** Connection errors (timeouts included), as autocannon counts them. */
  errors: number;
  timeouts: number;
  /** Answers other than 2xx: every request of the mix expects a 200. */
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Processes of the mock measured (the mock and the Prism it starts). */
  processes: number;
  /** Summed resident memory of those processes, MiB: after the warm-up, every 5 s, at the end. */
  rssMiB: { afterWarmup: number; end: number; samples: { atSec: number; rssMiB: number }[] };
  rssEndVsWarmup: number;
  /** Times the mock reported restarting Prism during the run. */
  prismRestarts: number;
  /** 0 errors, 0 non-2xx, and end RSS within 20% of after warm-up. */
  passed: boolean;
}

/** A section that failed records its error instead of its figures. */
export type Section<T> = T | { error: string };

export interface BenchResults {
  schema: 1;
  mode: "full" | "quick";
  startedAt: string;
  durationMs: number;
  machine: Machine;
  overhead: Section<OverheadSection>;
  bundle: Section<BundleSection>;
  typecheck: Section<TypecheckSection>;
  pipeline: Section<PipelineSection>;
  suite: Section<SuiteSection>;
  soak: Section<SoakSection>;
  /** When the soak was measured in a run of its own (`--only soak`) and added to a full run's file: that run. */
  soakRun?: { startedAt: string; durationMs: number; machine: Machine; command: string };
  /** The same, for a bundle section measured in a run of its own. */
  bundleRun?: { startedAt: string; durationMs: number; machine: Machine; command: string };
}

/** The six sections, in the order they run and print. */
export const SECTIONS = ["overhead", "bundle", "typecheck", "pipeline", "suite", "soak"] as const;
export type SectionName = (typeof SECTIONS)[number];

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function spreadProblems(v: unknown, where: string): string[] {
  if (!isObj(v)) return [`${where}: not an object`];
  const out: string[] = [];
  for (const k of ["median", "min", "max"]) if (!isNum(v[k])) out.push(`${where}.${k}: not a number`);
  if (!Array.isArray(v.rounds) || v.rounds.length === 0 || !v.rounds.every(isNum)) out.push(`${where}.rounds: not a non-empty number array`);
  return out;
}

function rowsProblems(v: unknown, where: string, check: (row: Record<string, unknown>, at: string) => string[]): string[] {
  if (!Array.isArray(v) || v.length === 0) return [`${where}: not a non-empty array`];
  return v.flatMap((row, i) => (isObj(row) ? check(row, `${where}[${i}]`) : [`${where}[${i}]: not an object`]));
}

function numbers(o: Record<string, unknown>, keys: string[], where: string): string[] {
  return keys.filter((k) => !isNum(o[k])).map((k) => `${where}.${k}: not a number`);
}

/**
 * Problems with a parsed results.json (empty when it has the BenchResults shape with all six sections
 * measured). `allowErrors` accepts a section that recorded `{ error }` instead of figures.
 */
export function resultsProblems(r: unknown, opts: { allowErrors?: boolean } = {}): string[] {
  if (!isObj(r)) return ["results: not an object"];
  const out: string[] = [];
  if (r.schema !== 1) out.push("schema: not 1");
  if (r.mode !== "full" && r.mode !== "quick") out.push("mode: not full or quick");
  if (!isNum(r.durationMs)) out.push("durationMs: not a number");
  const m = r.machine;
  if (!isObj(m) || typeof m.cpuModel !== "string" || !isNum(m.cores) || typeof m.node !== "string" || !isNum(m.totalMemoryMiB)) {
    out.push("machine: missing cpuModel, cores, node or totalMemoryMiB");
  }
  for (const name of SECTIONS) {
    const s = r[name];
    if (!isObj(s)) {
      out.push(`${name}: missing`);
      continue;
    }
    if (typeof s.error === "string") {
      if (!opts.allowErrors) out.push(`${name}: failed: ${s.error}`);
      continue;
    }
    out.push(...sectionProblems(name, s));
  }
  return out;
}

function sectionProblems(name: SectionName, s: Record<string, unknown>): string[] {
  switch (name) {
    case "overhead":
      return ["stub", "loopback"].flatMap((t) =>
        rowsProblems(s[t], `overhead.${t}`, (row, at) => [
          ...spreadProblems(row.opsPerSec, `${at}.opsPerSec`),
          ...numbers(row, ["p50Us", "vsOpenapiFetch", "vsBareFetch", "extraUsVsOpenapiFetch"], at),
        ]),
      );
    case "bundle":
      return rowsProblems(s.entries, "bundle.entries", (row, at) => numbers(row, ["minifiedBytes", "gzipBytes", "allGzipBytes", "gzipVsOpenapiFetch"], at));
    case "typecheck": {
      const out = rowsProblems(s.rows, "typecheck.rows", (row, at) => [
        ...spreadProblems(row.wallMs, `${at}.wallMs`),
        ...spreadProblems(row.peakRssMiB, `${at}.peakRssMiB`),
      ]);
      if (!Array.isArray(s.calls) || s.calls.length !== 20) out.push("typecheck.calls: not 20 calls");
      if (!isObj(s.elkVsOpenai)) out.push("typecheck.elkVsOpenai: missing");
      return out;
    }
    case "pipeline":
      return [
        ...["lintMs", "bundleMs", "generateMs"].flatMap((k) => spreadProblems(s[k], `pipeline.${k}`)),
        ...((starts) => (isObj(starts) ? ["full", "fullWithFront", "oneOperation"].flatMap((k) => spreadProblems(starts[k], `pipeline.mockStartMs.${k}`)) : ["pipeline.mockStartMs: missing"]))(
          s.mockStartMs,
        ),
        ...rowsProblems(s.throughput, "pipeline.throughput", (row, at) => numbers(row, ["connections", "requestsPerSec", "requests"], at)),
        ...(isObj(s.front) && isNum(s.front.startRatio) ? [] : ["pipeline.front.startRatio: not a number"]),
      ];
    case "suite": {
      const out = numbers(s, ["wallMs", "files"], "suite");
      if (!isObj(s.tests) || !isNum(s.tests.total)) out.push("suite.tests.total: not a number");
      return out;
    }
    case "soak": {
      const out = numbers(s, ["requests", "requestsPerSec", "errors", "timeouts", "non2xx", "rssEndVsWarmup"], "soak");
      if (!isObj(s.rssMiB) || !isNum(s.rssMiB.afterWarmup) || !isNum(s.rssMiB.end)) out.push("soak.rssMiB: missing afterWarmup or end");
      if (typeof s.passed !== "boolean") out.push("soak.passed: not a boolean");
      return out;
    }
  }
}
