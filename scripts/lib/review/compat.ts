/**
 * Does code written against the old spec's generated types still compile against the new ones?
 *
 * For every operation of the old spec this writes a consumer: the request's params and each request example as
 * object literals typed by `paths` (so a removed, renamed or retyped field, a narrowed enum or a newly required
 * field fails to compile), an openapi-fetch call with them (so a moved path or method fails), and each JSON or
 * text 2xx response of the new types assigned to the old response type (so a response a reader can no longer rely
 * on fails). The file is compiled once against the old schema.d.ts (lines that fail there check nothing: they are
 * left out and listed) and once against the new one; errors in the second compile are the operations that break
 * callers.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { root } from "../paths.js";
import { type Bundle, type Json, deref, operationsOf } from "../spec.js";
import { operationKey } from "./spec-diff.js";

export interface CompatResult {
  /** Operations of the old spec with a consumer. */
  checked: string[];
  /** Operations with a line that does not compile even against the old types (that line is left out), with the first error. */
  skipped: { op: string; error: string }[];
  /** Operations whose consumer fails against the new types, with the compiler's messages. */
  broken: Map<string, string[]>;
}

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  enum?: Json[];
  default?: Json;
  example?: Json;
  examples?: Json[];
}

/** The schema (after $ref) and every branch of its combiners, flattened. */
function branches(bundle: Bundle, schema: Schema | undefined, depth = 0): Schema[] {
  const s = deref(bundle, schema);
  if (!s || depth > 8) return [];
  return [s, ...[...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])].flatMap((b) => branches(bundle, b, depth + 1))];
}

/** A TypeScript literal for `value`, with Blobs where the schema says `format: binary`. */
function literal(bundle: Bundle, value: Json, schema: Schema | undefined, depth = 0): string {
  const all = branches(bundle, schema);
  if (typeof value === "string" && all.some((s) => s.format === "binary")) return "new Blob([])";
  if (Array.isArray(value)) {
    const items = all.map((s) => s.items).find((x) => x !== undefined);
    return `[${value.map((v) => literal(bundle, v, items, depth + 1)).join(", ")}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => {
      const prop = all.map((s) => s.properties?.[k]).find((x) => x !== undefined);
      return `${JSON.stringify(k)}: ${literal(bundle, v, prop, depth + 1)}`;
    });
    return `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** A value for a schema without examples: every property, first branch of a oneOf/anyOf, a few levels deep. */
function synthesize(bundle: Bundle, schema: Schema | undefined, depth = 0): Json {
  const s = deref(bundle, schema) as (Schema & { const?: Json }) | undefined;
  if (!s) return "x";
  if (s.const !== undefined) return s.const;
  if (s.example !== undefined || s.examples?.length || s.default !== undefined || s.enum?.length) return sampleOf(bundle, s);
  const first = s.oneOf?.[0] ?? s.anyOf?.[0];
  if (first) return synthesize(bundle, first, depth + 1);
  if (s.allOf?.length) {
    const parts = s.allOf.map((b) => synthesize(bundle, b, depth + 1));
    if (parts.every((p) => p && typeof p === "object" && !Array.isArray(p))) return Object.assign({}, ...(parts as object[])) as Json;
    return parts[0] ?? "x";
  }
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== "null") : s.type;
  if ((t === "object" || s.properties) && depth < 5) {
    return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, synthesize(bundle, v, depth + 1)]));
  }
  if (t === "array" && depth < 5) return [synthesize(bundle, s.items, depth + 1)];
  return sampleOf(bundle, s);
}

function sampleOf(bundle: Bundle, schema: Schema | undefined): Json {
  const s = deref(bundle, schema);
  if (!s) return "x";
  if (s.example !== undefined) return s.example;
  if (s.examples?.length) return s.examples[0]!;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0]!;
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== "null") : s.type;
  if (t === "integer" || t === "number") return 1;
  if (t === "boolean") return true;
  if (t === "array") return [];
  if (t === "object") return {};
  return "x";
}

interface ParamObject {
  name: string;
  in: string;
  example?: Json;
  examples?: Record<string, { value?: Json; $ref?: string }>;
  schema?: Schema;
}

const q = (s: string) => JSON.stringify(s);
const statusKey = (s: string) => (/^\d+$/.test(s) ? s : q(s));
const TEXTUAL = /json|^text\//;

/** The consumer file for `oldBundle`, and which lines belong to which operation. */
export function consumerFile(oldBundle: Bundle): { source: string; ranges: { op: string; from: number; to: number }[] } {
  const lines: string[] = [
    "// Generated by scripts/lib/review/compat.ts: calls written against the old spec's types.",
    'import createClient from "openapi-fetch";',
    'import type { paths } from "./schema";',
    'import type { paths as old } from "./old-schema";',
    "",
    "const client = createClient<paths>({ baseUrl: \"http://127.0.0.1\" });",
    "",
  ];
  const ranges: { op: string; from: number; to: number }[] = [];
  operationsOf(oldBundle).forEach((e, n) => {
    const P = q(e.path);
    const M = q(e.method);
    const from = lines.length + 1;
    lines.push(`// ${e.op.operationId}: ${e.method.toUpperCase()} ${e.path}`);
    lines.push(`export async function op${n}() {`);
    const params = (e.op.parameters ?? []).map((p) => deref(oldBundle, p) as unknown as ParamObject);
    const groups = new Map<string, string[]>();
    for (const p of params) {
      if (!["path", "query", "header", "cookie"].includes(p.in)) continue;
      const ex = p.example ?? Object.values(p.examples ?? {}).map((x) => deref(oldBundle, x).value).find((v) => v !== undefined) ?? sampleOf(oldBundle, p.schema);
      const list = groups.get(p.in) ?? [];
      list.push(`${q(p.name)}: ${literal(oldBundle, ex, p.schema)}`);
      groups.set(p.in, list);
    }
    const hasParams = groups.size > 0;
    if (hasParams) {
      const inner = [...groups].map(([where, list]) => `${where}: { ${list.join(", ")} }`).join(", ");
      lines.push(`  const params: paths[${P}][${M}]["parameters"] = { ${inner} };`);
    }
    const body = e.op.requestBody ? deref(oldBundle, e.op.requestBody) : undefined;
    const bodies: string[] = [];
    for (const [mt, media] of Object.entries(body?.content ?? {})) {
      const examples = [
        ...Object.values(media.examples ?? {}).map((x) => deref(oldBundle, x).value),
        ...(media.example !== undefined ? [media.example] : []),
      ].filter((v): v is Json => v !== undefined);
      const made = examples.length === 0;
      if (made) examples.push(synthesize(oldBundle, media.schema as Schema));
      examples.forEach((ex, i) => {
        const name = `body${bodies.length}`;
        bodies.push(name);
        lines.push(
          `  const ${name}: NonNullable<paths[${P}][${M}]["requestBody"]>["content"][${q(mt)}] = ${literal(oldBundle, ex, media.schema as Schema)}; // ${made ? "made from the schema" : `example ${i + 1}`} of ${mt}`,
        );
      });
    }
    // The body is typed on its own line above, and the call checks that openapi-fetch accepts it as it is.
    const init = (b?: string) => {
      const parts = [...(hasParams ? ["params"] : []), ...(b ? [`body: ${b}`] : [])];
      return parts.length ? `, { ${parts.join(", ")} }` : "";
    };
    const call = `client.${e.method.toUpperCase()}`;
    if (bodies.length) for (const b of bodies) lines.push(`  await ${call}(${P}${init(b)});`);
    else lines.push(`  await ${call}(${P}${init()});`);
    let r = 0;
    for (const [status, resp] of Object.entries(e.op.responses)) {
      if (!/^2(\d\d|XX)$/.test(status)) continue;
      for (const mt of Object.keys(deref(oldBundle, resp).content ?? {})) {
        if (!TEXTUAL.test(mt)) continue;
        const t = (root: string) => `${root}[${P}][${M}]["responses"][${statusKey(status)}]["content"][${q(mt)}]`;
        lines.push(`  const got${r}: ${t("paths")} = undefined as unknown as ${t("paths")};`);
        lines.push(`  const read${r}: ${t("old")} = got${r}; void read${r};`);
        r++;
      }
    }
    lines.push("}");
    lines.push("");
    ranges.push({ op: operationKey(e.method, e.path), from, to: lines.length });
  });
  return { source: lines.join("\n"), ranges };
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: [],
  skipLibCheck: true,
  noUnusedLocals: false,
};

/**
 * Compiles `dir/consumer.ts`; returns messages by 1-based line. Passing the previous program lets TypeScript
 * reuse the files both compiles share (lib.dom, openapi-fetch, old-schema.d.ts).
 */
function compile(dir: string, previous?: ts.Program): { line: number; message: string; program: ts.Program }[] & { program?: ts.Program } {
  const file = path.join(dir, "consumer.ts");
  const program = ts.createProgram({ rootNames: [file], options: COMPILER_OPTIONS, oldProgram: previous });
  const out: { line: number; message: string; program: ts.Program }[] & { program?: ts.Program } = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && path.resolve(d.file.fileName) === file && d.start !== undefined)
    .map((d) => ({
      line: d.file!.getLineAndCharacterOfPosition(d.start!).line + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n").slice(0, 3).join(" / "),
      program,
    }));
  out.program = program;
  return out;
}

/**
 * Writes the consumer of `oldBundle` and the two schema.d.ts files under `<root>/.tmp/` (so openapi-fetch
 * resolves from the project's node_modules), compiles it against both, and removes the folder.
 */
export async function checkTypeCompat(oldBundle: Bundle, oldTypes: string, newTypes: string): Promise<CompatResult> {
  const work = path.join(root, ".tmp", `compat-${process.pid}-${Date.now()}`);
  const { source, ranges } = consumerFile(oldBundle);
  const opAt = (line: number) => ranges.find((r) => line >= r.from && line < r.to)?.op ?? "(file)";
  try {
    const sides = { old: oldTypes, new: newTypes };
    for (const [side, types] of Object.entries(sides)) {
      const dir = path.join(work, side);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, "schema.d.ts"), types);
      await writeFile(path.join(dir, "old-schema.d.ts"), oldTypes);
      await writeFile(path.join(dir, "consumer.ts"), source);
    }
    // A line that does not compile against its own (old) types checks nothing: it is left out, and listed.
    const before = compile(path.join(work, "old"));
    const badLines = new Set(before.map((d) => d.line));
    const skipped = new Map<string, string>();
    for (const d of before) if (!skipped.has(opAt(d.line))) skipped.set(opAt(d.line), `line ${d.line}: ${d.message}`);
    const after = compile(path.join(work, "new"), before.program);
    const broken = new Map<string, string[]>();
    for (const d of after) {
      const op = opAt(d.line);
      if (badLines.has(d.line)) continue;
      const list = broken.get(op) ?? [];
      if (!list.includes(d.message)) list.push(d.message);
      broken.set(op, list);
    }
    return {
      checked: ranges.map((r) => r.op),
      skipped: [...skipped].map(([op, error]) => ({ op, error })),
      broken,
    };
  } finally {
    if (!process.env.ELKAPI_KEEP_COMPAT) await rm(work, { recursive: true, force: true });
  }
}
