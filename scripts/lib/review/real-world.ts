/**
 * The real-world corpus (contract-tests/fixtures/real-world/<family>.json): request bodies and answers that public
 * client code, gateway code and reseller docs show for these routes, each with its source. This module reads and
 * checks the files' shape; contract-tests/real-world.test.ts validates every case against the spec and sends every
 * request case to the mock, and `npm run coverage` counts the cases per operation.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { root } from "../paths.js";
import { type Bundle, operationsOf } from "../spec.js";

export const realWorldDir = path.join(root, "contract-tests", "fixtures", "real-world");

/** Where a case comes from: a file of a public repository, or a public page. Never ../shared (seeds, catalog). */
export type CaseSource = { repo: string; path: string; commit?: string } | { url: string };

/** One request or answer seen in public code or docs. */
export interface RealWorldCase {
  /** Unique in the corpus, kebab-case. */
  id: string;
  operationId: string;
  kind: "request" | "response";
  /** `METHOD /concrete/path?query` as the source shows it, relative to the server (`server` prefix included). */
  route: string;
  /** An alternate base the route is sent under (`/anthropic`), declared in the operation's `servers`. */
  server?: string;
  /** Header parameters the source sends (other than auth). */
  headers?: Record<string, string>;
  /** Answers only: HTTP status (default 200). */
  status?: number;
  /** Default: the operation's first request media type; `application/json` for answers. */
  mediaType?: string;
  /**
   * JSON bodies as sent; multipart forms as field → text value (or a list of them for repeated parts), with
   * files as `"@name.ext"`; SSE answers as the event-stream text.
   */
  body?: unknown;
  source: CaseSource;
  /** What was copied and what composed (e.g. "fields from the DTO, values composed"). */
  note?: string;
}

export interface CorpusFile {
  family: string;
  cases: RealWorldCase[];
}

const fileSchema = {
  type: "object",
  required: ["family", "cases"],
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    family: { type: "string", pattern: "^[a-z0-9-]+$" },
    cases: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "operationId", "kind", "route", "source"],
        additionalProperties: false,
        properties: {
          id: { type: "string", pattern: "^[a-z0-9][a-z0-9.-]*$" },
          operationId: { type: "string", minLength: 1 },
          kind: { enum: ["request", "response"] },
          route: { type: "string", pattern: "^(GET|POST|PUT|PATCH|DELETE) /\\S*$" },
          server: { type: "string", pattern: "^/[^/]" },
          headers: { type: "object", additionalProperties: { type: "string" } },
          status: { type: "integer", minimum: 100, maximum: 599 },
          mediaType: { type: "string", minLength: 3 },
          body: true,
          source: {
            oneOf: [
              {
                type: "object",
                required: ["repo", "path"],
                additionalProperties: false,
                properties: { repo: { type: "string", pattern: "^[\\w.-]+/[\\w.-]+$" }, path: { type: "string", minLength: 1 }, commit: { type: "string", pattern: "^[0-9a-f]{7,40}$" } },
              },
              { type: "object", required: ["url"], additionalProperties: false, properties: { url: { type: "string", pattern: "^https?://[^/]+/?" } } },
            ],
          },
          note: { type: "string" },
        },
      },
    },
  },
} as const;

const validateFile = new Ajv2020({ allErrors: true }).compile(fileSchema);

/** A source as one string, used to count independent sources (`repo:path` or the URL without its fragment). */
export function sourceKey(s: CaseSource): string {
  return "url" in s ? s.url.replace(/#.*$/, "") : `${s.repo}:${s.path}`;
}

/** Reads every corpus file; throws naming the file and the rule when one is malformed or two cases share an id. */
export function loadCorpus(dir: string = realWorldDir): { file: string; corpus: CorpusFile }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return [];
  }
  const seen = new Map<string, string>();
  return names.map((file) => {
    const corpus = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CorpusFile;
    if (!validateFile(corpus)) {
      const errs = (validateFile.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`).join("; ");
      throw new Error(`${file}: ${errs}`);
    }
    if (`${corpus.family}.json` !== file) throw new Error(`${file}: family "${corpus.family}" must match the file name`);
    for (const c of corpus.cases) {
      const other = seen.get(c.id);
      if (other) throw new Error(`${file}: case id "${c.id}" is also used in ${other}`);
      seen.set(c.id, file);
      if ("url" in c.source ? /\/shared\/|elkapi-catalog/.test(c.source.url) : /(^|\/)shared\//.test(c.source.path)) {
        throw new Error(`${file}: case "${c.id}" cites ../shared; the corpus holds sources other than the seeds and the catalog`);
      }
    }
    return { file, corpus };
  });
}

/** Cases and distinct sources per operationId. */
export function casesByOperation(files: { corpus: CorpusFile }[]): Map<string, { cases: number; sources: Set<string> }> {
  const out = new Map<string, { cases: number; sources: Set<string> }>();
  for (const { corpus } of files) {
    for (const c of corpus.cases) {
      const row = out.get(c.operationId) ?? { cases: 0, sources: new Set<string>() };
      row.cases++;
      row.sources.add(sourceKey(c.source));
      out.set(c.operationId, row);
    }
  }
  return out;
}

/** Per operation of the spec: corpus cases and independent sources backing it. */
export interface CorpusRow {
  operationId: string;
  method: string;
  path: string;
  cases: number;
  sources: number;
}

/** The corpus against every operation of `bundle`, in document order, plus cases naming unknown operations. */
export function corpusCoverage(bundle: Bundle, files: { file: string; corpus: CorpusFile }[]): { rows: CorpusRow[]; unknown: string[]; total: number; families: number } {
  const by = casesByOperation(files);
  const ops = operationsOf(bundle);
  const known = new Set(ops.map((o) => o.op.operationId));
  const unknown = [...by.keys()].filter((id) => !known.has(id));
  const rows = ops.map(({ method, path: p, op }) => {
    const row = by.get(op.operationId);
    return { operationId: op.operationId, method: method.toUpperCase(), path: p, cases: row?.cases ?? 0, sources: row?.sources.size ?? 0 };
  });
  const total = files.reduce((n, f) => n + f.corpus.cases.length, 0);
  return { rows, unknown, total, families: files.length };
}

/** The corpus table as Markdown (only operations with fewer than two sources with onlyThin). */
export function corpusMarkdown(r: ReturnType<typeof corpusCoverage>, opts: { onlyThin?: boolean } = {}): string {
  const out = ["| operation | route | cases | sources |", "|---|---|---|---|"];
  for (const row of r.rows) {
    if (opts.onlyThin && row.sources >= 2) continue;
    out.push(`| ${row.operationId} | \`${row.method} ${row.path}\` | ${row.cases} | ${row.sources || "**none**"} |`);
  }
  const without = r.rows.filter((x) => x.cases === 0).length;
  const thin = r.rows.filter((x) => x.sources === 1).length;
  out.push("", `Corpus: ${r.total} cases in ${r.families} families; ${r.rows.length - without}/${r.rows.length} operations have a case, ${thin} of them from one source only, ${without} none.`);
  for (const id of r.unknown) out.push(`problem: corpus cases name ${id}, which the spec lacks`);
  return out.join("\n");
}
