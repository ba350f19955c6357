/**
 * The portability check behind `npm run generators`: the bundle through every generator of tools.ts into a temp
 * folder, then per output the strict type-check and the type losses (erased.ts); Spectral's `spectral:oas`; and
 * every named example parsed with hey-api's generated zod schemas (examples.ts).
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "../../paths.js";
import { run } from "../../proc.js";
import type { Bundle } from "../../spec.js";
import { type Finding, componentTypes, typeLosses } from "./erased.js";
import { exampleCases, rejectedExamples } from "./examples.js";
import { type SpectralResult, spectralOas } from "./spectral.js";
import { GENERATORS, type Generator } from "./tools.js";
import { typecheck } from "./typecheck.js";

/** What one generator made of the bundle. */
export interface GeneratorResult {
  id: string;
  label: string;
  /** Exit code of the generator (0 = generated). */
  exitCode: number;
  /** The generator's last output lines when it failed. */
  failure?: string;
  /** Lines where the generator's own validator calls the spec invalid (e.g. swagger-parser's). */
  specRejected: string[];
  tscErrors: string[];
  erased: Finding[];
  requiredDropped: Finding[];
  /** Component schemas without a generated type (informational). */
  missing: number;
  ms: number;
}

export interface CheckResult {
  generators: GeneratorResult[];
  spectral: { errors: SpectralResult[]; warnings: SpectralResult[] };
  examples: { checked: number; rejected: string[]; unmatched: string[]; skipped: string[] };
  dir: string;
}

async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => path.join(e.parentPath, e.name));
}

/** Runs one generator into `<work>/<id>` and inspects its output. */
async function runGenerator(g: Generator, bundle: Bundle, work: string): Promise<GeneratorResult> {
  const started = performance.now();
  const out = path.join(work, g.id);
  await mkdir(out, { recursive: true });
  const spec = path.join(work, "openapi.json");
  const { bin, args } = g.command(spec);
  const res = await run(
    bin,
    args.map((a) => a.replace("{out}", out)),
    { cwd: g.cwd === "checkout" ? root : work },
  );
  const output = `${res.stdout}\n${res.stderr}`;
  // swagger-parser (orval, oazapfts) prints "Swagger schema validation failed." and one `#/pointer must ...` line per problem.
  const specRejected = output.split("\n").filter((l) => /schema validation failed|^\s*#\/\S* must /i.test(l)).map((l) => l.trim());
  const result: GeneratorResult = { id: g.id, label: g.label, exitCode: res.code, specRejected, tscErrors: [], erased: [], requiredDropped: [], missing: 0, ms: 0 };
  if (res.code !== 0) {
    result.failure = output.trim().split("\n").slice(-12).join("\n");
    result.ms = performance.now() - started;
    return result;
  }
  const files = g.typecheck === "all" ? await filesOf(out) : g.typecheck.map((f) => path.join(out, f));
  const { program, errors } = typecheck(files, { declarations: g.declarations });
  result.tscErrors = errors.map((e) => e.replace(out + path.sep, ""));
  const file = program.getSourceFile(path.join(out, g.typesFile));
  if (file) {
    const checker = program.getTypeChecker();
    const names = Object.keys(bundle.components?.schemas ?? {});
    const losses = typeLosses(bundle, checker, componentTypes(checker, file, names, g.lookup));
    result.erased = losses.findings.filter((f) => f.kind === "erased");
    result.requiredDropped = losses.findings.filter((f) => f.kind === "required");
    result.missing = losses.missing.length;
  } else result.tscErrors.push(`no ${g.typesFile} in the output`);
  result.ms = performance.now() - started;
  return result;
}

/** Runs `tasks` with at most `limit` at a time, keeping their order. */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

/**
 * Checks `specFile` (a bundled OpenAPI JSON) in `work` (a fresh folder; it gets a copy of the spec, a
 * node_modules link to the project's packages and each generator's output).
 */
export async function checkGenerators(specFile: string, bundle: Bundle, work: string, opts: { only?: string[] } = {}): Promise<CheckResult> {
  await copyFile(specFile, path.join(work, "openapi.json"));
  await writeFile(path.join(work, "package.json"), '{ "private": true, "type": "module" }\n');
  if (!existsSync(path.join(work, "node_modules"))) await symlink(path.join(root, "node_modules"), path.join(work, "node_modules"), "dir");
  const chosen = GENERATORS.filter((g) => !opts.only || opts.only.includes(g.id));
  const limit = Math.max(1, Math.min(2, os.availableParallelism()));
  const [generators, spectral] = await Promise.all([
    pooled(
      chosen.map((g) => () => runGenerator(g, bundle, work)),
      limit,
    ),
    spectralOas(path.join(work, "openapi.json"), work),
  ]);
  const { cases, skipped } = exampleCases(bundle);
  const zodFile = path.join(work, "hey-api-zod", "zod.gen.ts");
  let examples: CheckResult["examples"] = { checked: 0, rejected: [], unmatched: [], skipped };
  if (existsSync(zodFile)) {
    const mod = (await import(pathToFileURL(zodFile).href)) as Record<string, unknown>;
    examples = { ...rejectedExamples(cases, mod), skipped };
  } else if (chosen.some((g) => g.id === "hey-api-zod")) examples.rejected.push("hey-api's zod output is missing");
  return { generators, spectral, examples, dir: work };
}

/** Problems that fail the run, one line each (empty when the bundle passes). */
export function failures(r: CheckResult): string[] {
  const out: string[] = [];
  for (const g of r.generators) {
    if (g.exitCode !== 0) out.push(`${g.label}: generator exited ${g.exitCode}`);
    if (g.specRejected.length) out.push(`${g.label}: its validator rejects the spec (${g.specRejected.length} lines)`);
    if (g.tscErrors.length) out.push(`${g.label}: ${g.tscErrors.length} tsc errors`);
    if (g.erased.length) out.push(`${g.label}: ${g.erased.length} schemas erased to unknown/any`);
    if (g.requiredDropped.length) out.push(`${g.label}: ${g.requiredDropped.length} required properties typed optional`);
  }
  if (r.spectral.errors.length) out.push(`spectral:oas: ${r.spectral.errors.length} errors`);
  if (r.examples.rejected.length) out.push(`zod: ${r.examples.rejected.length} named examples rejected`);
  if (r.examples.unmatched.length) out.push(`zod: ${r.examples.unmatched.length} named examples without their zod schema`);
  return out;
}
