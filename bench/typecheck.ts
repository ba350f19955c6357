/**
 * Section 3: type-check cost. Writes a consumer file with the 20 calls of typecheck-calls.ts against
 * createElkClient, and the same 20 calls against the openai SDK, then times `tsc --noEmit` on each (and on an
 * empty file, tsc's fixed cost) with peak memory from the child's process.resourceUsage().maxRSS.
 * The elkapi consumer imports declarations emitted from src/ (as a published package would ship them, with
 * generated/schema.d.ts), not the .ts sources, so both sides are checked the same way (skipLibCheck on).
 */
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { ok, root, timedNode } from "./lib/proc.js";
import type { TypecheckRow, TypecheckSection } from "./lib/results.js";
import type { BenchSection, RunOptions } from "./lib/section.js";
import { ms, ratio, round, showSpread, spread, table } from "./lib/stats.js";
import { CALLS, elkConsumer, openaiConsumer, openapiFetchConsumer } from "./typecheck-calls.js";

/** Where the consumer files and the emitted declarations go (git-ignored). */
export const WORK_DIR = path.join(root, "bench/.tmp/typecheck");
const TSC = path.join(root, "node_modules/typescript/bin/tsc");

/** Compiler options of both consumers: strict, as a typical app would set them. */
const CONSUMER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2023", "DOM", "DOM.Iterable"],
  types: ["node"],
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  noEmit: true,
};

const CONFIGS = [
  { id: "empty", label: "empty file (tsc's fixed cost: lib.dom, @types/node)", file: "empty.ts" },
  { id: "elkapi", label: "20 calls, createElkClient", file: "elk-consumer.ts" },
  { id: "openapi-fetch", label: "20 calls, bare openapi-fetch", file: "openapi-fetch-consumer.ts" },
  { id: "openai", label: "20 calls, openai SDK", file: "openai-consumer.ts" },
] as const;

/** Writes the work dir: declarations of src/ (untimed), the consumer files and a tsconfig per consumer. */
export async function prepare(): Promise<void> {
  await rm(WORK_DIR, { recursive: true, force: true });
  await mkdir(WORK_DIR, { recursive: true });
  const pkg = path.join(WORK_DIR, "pkg");
  await writeFile(
    path.join(WORK_DIR, "tsconfig.decl.json"),
    JSON.stringify({
      extends: path.relative(WORK_DIR, path.join(root, "tsconfig.json")),
      compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, outDir: "pkg", rootDir: path.relative(WORK_DIR, root) },
      files: [path.relative(WORK_DIR, path.join(root, "src/index.ts"))],
      include: [],
    }),
  );
  ok(await timedNode(TSC, ["-p", path.join(WORK_DIR, "tsconfig.decl.json")]), "tsc (declarations of src/)");
  await copyFile(path.join(root, "generated/schema.d.ts"), path.join(pkg, "generated/schema.d.ts"));
  await writeFile(path.join(WORK_DIR, "empty.ts"), "export {};\n");
  await writeFile(path.join(WORK_DIR, "elk-consumer.ts"), elkConsumer("./pkg/src/index.js"));
  await writeFile(path.join(WORK_DIR, "openai-consumer.ts"), openaiConsumer());
  await writeFile(path.join(WORK_DIR, "openapi-fetch-consumer.ts"), openapiFetchConsumer("./pkg/generated/schema.js"));
  for (const c of CONFIGS) {
    await writeFile(path.join(WORK_DIR, `tsconfig.${c.id}.json`), JSON.stringify({ compilerOptions: CONSUMER_OPTIONS, files: [c.file] }, null, 2));
  }
}

/** One `tsc --noEmit -p tsconfig.<id>.json --extendedDiagnostics`: wall time, peak RSS, files read. */
export async function checkOnce(id: string): Promise<{ wallMs: number; peakRssMiB: number; files: number; phasesMs: TypecheckRow["phasesMs"] }> {
  const res = ok(await timedNode(TSC, ["-p", path.join(WORK_DIR, `tsconfig.${id}.json`), "--extendedDiagnostics"], { cwd: WORK_DIR }), `tsc --noEmit (${id})`);
  const files = Number(/^Files:\s+(\d+)/m.exec(res.stdout)?.[1] ?? NaN);
  if (res.peakRssMiB === undefined) throw new Error(`tsc (${id}): no peak memory reading`);
  const phase = (name: string) => Math.round(Number(new RegExp(`^${name} time:\\s+([\\d.]+)s`, "m").exec(res.stdout)?.[1] ?? NaN) * 1000);
  return { wallMs: res.wallMs, peakRssMiB: res.peakRssMiB, files, phasesMs: { parse: phase("Parse"), bind: phase("Bind"), check: phase("Check") } };
}

async function run(opts: RunOptions): Promise<TypecheckSection> {
  const rounds = opts.quick ? 1 : 3;
  opts.progress("typecheck: emitting declarations of src/ and writing the consumers");
  await prepare();
  const taken = new Map<string, { wallMs: number[]; peakRssMiB: number[]; files: number; phasesMs: TypecheckRow["phasesMs"] }>(
    CONFIGS.map((c) => [c.id, { wallMs: [], peakRssMiB: [], files: 0, phasesMs: { parse: 0, bind: 0, check: 0 } }]),
  );
  for (let r = 0; r < rounds; r++) {
    for (const c of CONFIGS) {
      opts.progress(`typecheck: round ${r + 1}/${rounds}, ${c.id}`);
      const one = await checkOnce(c.id);
      const t = taken.get(c.id)!;
      t.wallMs.push(Math.round(one.wallMs));
      t.peakRssMiB.push(round(one.peakRssMiB, 1));
      t.files = one.files;
      t.phasesMs = one.phasesMs;
    }
  }
  const rows: TypecheckRow[] = CONFIGS.map((c) => {
    const t = taken.get(c.id)!;
    return { id: c.id, label: c.label, wallMs: spread(t.wallMs), peakRssMiB: spread(t.peakRssMiB), files: t.files, phasesMs: t.phasesMs };
  });
  await rm(WORK_DIR, { recursive: true, force: true });
  const elk = rows.find((r) => r.id === "elkapi")!;
  const openai = rows.find((r) => r.id === "openai")!;
  const bare = rows.find((r) => r.id === "openapi-fetch")!;
  const fixed = rows.find((r) => r.id === "empty")!.wallMs.median;
  return {
    settings: { typescript: ts.version, rounds, calls: CALLS.length },
    calls: CALLS.map((c) => ({ id: c.id, operationId: c.operationId, openai: c.openai, ...(c.elkWorkaround ? { elkWorkaround: c.elkWorkaround } : {}) })),
    rows,
    elkVsOpenai: {
      wallMs: round(elk.wallMs.median / openai.wallMs.median, 2),
      peakRssMiB: round(elk.peakRssMiB.median / openai.peakRssMiB.median, 2),
    },
    // The issue's measure: time above tsc's fixed cost (the empty file), createElkClient over bare openapi-fetch.
    elkVsOpenapiFetchAboveFixed: round((elk.wallMs.median - fixed) / (bare.wallMs.median - fixed), 2),
    elkVsOpenaiAboveFixed: round((elk.wallMs.median - fixed) / (openai.wallMs.median - fixed), 2),
  };
}

const row = (s: TypecheckSection, id: string) => s.rows.find((r) => r.id === id)!;

/** Section 3 of `npm run bench`. */
export const typecheck: BenchSection<TypecheckSection> = {
  title: "3. Type-check cost",
  run,
  print: (s) =>
    [
      `tsc ${s.settings.typescript} --noEmit, strict, skipLibCheck; ${s.settings.rounds} round(s); median (min-max)`,
      `calls: ${s.calls.map((c) => c.id).join(", ")}`,
      "",
      table(
        ["consumer", "wall ms", "peak RSS MiB", "files", "tsc parse / bind / check ms"],
        s.rows.map((r) => [r.label, showSpread(r.wallMs, 0), showSpread(r.peakRssMiB, 0), String(r.files), `${r.phasesMs.parse} / ${r.phasesMs.bind} / ${r.phasesMs.check}`]),
      ),
      "",
      `above tsc's fixed cost, createElkClient takes ${ratio(s.elkVsOpenapiFetchAboveFixed)} bare openapi-fetch's time and ${ratio(s.elkVsOpenaiAboveFixed)} the openai SDK's` +
        ` (${["elkapi", "openapi-fetch", "openai"].map((id) => `${id} ${ms(row(s, id).wallMs.median - row(s, "empty").wallMs.median)}`).join(", ")})`,
      `createElkClient vs openai SDK, whole run: ${ratio(s.elkVsOpenai.wallMs)} the wall time, ${ratio(s.elkVsOpenai.peakRssMiB)} the peak memory`,
      `calls needing a cast or runtime check on the createElkClient side only: ${s.calls.filter((c) => c.elkWorkaround).map((c) => c.id).join(", ") || "none"}`,
    ].join("\n"),
};
