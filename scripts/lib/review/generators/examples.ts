/**
 * Every named example of the bundle's request bodies and responses, with the zod schema hey-api's zod plugin
 * names for it, so `npm run generators` can parse each example with the generated validators.
 *
 * Which zod schema: a media type whose schema is `$ref: #/components/schemas/X` uses `zX`; an inline JSON schema
 * uses the operation's `z<OperationId>Body` (request) or `z<OperationId>Response` (when the operation has one JSON
 * success answer); an SSE stream's `data:` payloads each use the zod schema of the `contentSchema` `$ref`
 * (the `x-elkapi-sse` `done` marker skipped). Examples of other media types (audio, video, plain text) have no
 * schema to parse with and are counted as skipped.
 */
import { createParser } from "eventsource-parser";
import { type Bundle, type Json, type MediaTypeObject, deref, operationsOf } from "../../spec.js";

/** One value to parse: an example, or one `data:` payload of an SSE example. */
export interface ExampleCase {
  /** `operationId request|<status> <media type> <example name>`, plus ` event <n>` for SSE payloads. */
  label: string;
  /** Export name of the zod schema in zod.gen.ts (before name normalisation). */
  zod: string;
  value: Json;
}

export interface ExampleCases {
  cases: ExampleCase[];
  /** Examples with no schema to parse with, as `label: reason`. */
  skipped: string[];
}

const refName = (s: Json | undefined) => {
  const ref = s && typeof s === "object" && !Array.isArray(s) ? (s as { $ref?: unknown }).$ref : undefined;
  const m = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref) : null;
  return m ? m[1]!.replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
};

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

function named(bundle: Bundle, mt: MediaTypeObject): { name: string; value: Json }[] {
  const out = Object.entries(mt.examples ?? {}).flatMap(([name, ex]) => {
    const v = deref(bundle, ex).value;
    return v === undefined ? [] : [{ name, value: v }];
  });
  if (mt.example !== undefined) out.push({ name: "example", value: mt.example });
  return out;
}

/** Splits an SSE example into its `data:` payloads, parsed as JSON where they are JSON. */
export function ssePayloads(text: string): string[] {
  const out: string[] = [];
  createParser({ onEvent: (e) => out.push(e.data) }).feed(text);
  return out;
}

/** The examples of every operation (requests and answers, shared responses included) and their zod schemas. */
export function exampleCases(bundle: Bundle): ExampleCases {
  const cases: ExampleCase[] = [];
  const skipped: string[] = [];
  for (const { op } of operationsOf(bundle)) {
    const id = op.operationId;
    const bodies: [string, Record<string, MediaTypeObject>, "Body" | "Response"][] = [];
    if (op.requestBody) bodies.push(["request", deref(bundle, op.requestBody).content ?? {}, "Body"]);
    for (const [status, raw] of Object.entries(op.responses)) bodies.push([status, deref(bundle, raw).content ?? {}, "Response"]);
    const jsonSuccesses = Object.entries(op.responses).filter(([s, r]) => /^2/.test(s) && Object.keys(deref(bundle, r).content ?? {}).some((m) => m.includes("json")));
    const oneJsonAnswer = jsonSuccesses.length === 1 && Object.keys(deref(bundle, jsonSuccesses[0]![1]).content ?? {}).filter((m) => m.includes("json")).length === 1;
    for (const [where, content, suffix] of bodies) {
      for (const [media, mt] of Object.entries(content)) {
        for (const ex of named(bundle, mt)) {
          const label = `${id} ${where} ${media} ${ex.name}`;
          const schema = mt.schema as { contentSchema?: Json } | undefined;
          const component = refName(mt.schema);
          if (component) cases.push({ label, zod: `z${component}`, value: ex.value });
          else if (media === "text/event-stream" && refName(schema?.contentSchema) && typeof ex.value === "string") {
            const done = (mt["x-elkapi-sse"] as { done?: string } | undefined)?.done;
            ssePayloads(ex.value).forEach((data, i) => {
              if (data === done) return;
              let value: Json;
              try {
                value = JSON.parse(data) as Json;
              } catch {
                value = data;
              }
              cases.push({ label: `${label} event ${i}`, zod: `z${refName(schema!.contentSchema)}`, value });
            });
          } else if (media.includes("json") && (suffix === "Body" || (oneJsonAnswer && /^2/.test(where)))) cases.push({ label, zod: `z${pascal(id)}${suffix}`, value: ex.value });
          else skipped.push(`${label}: ${media.includes("json") ? "inline schema without a zod name" : "not JSON"}`);
        }
      }
    }
  }
  return { cases, skipped };
}

/** Parses each case with the module's zod schemas; returns the rejected ones with zod's first issues. */
export function rejectedExamples(
  cases: ExampleCase[],
  zodModule: Record<string, unknown>,
): { rejected: string[]; unmatched: string[]; checked: number } {
  const norm = (s: string) => s.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  const byNorm = new Map(Object.entries(zodModule).map(([k, v]) => [norm(k), v as { safeParse?: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }]));
  const rejected: string[] = [];
  const unmatched: string[] = [];
  let checked = 0;
  for (const c of cases) {
    const schema = byNorm.get(norm(c.zod));
    if (!schema?.safeParse) {
      unmatched.push(`${c.label}: no ${c.zod} in zod.gen.ts`);
      continue;
    }
    checked++;
    const res = schema.safeParse(c.value);
    if (!res.success) {
      const issues = (res.error?.issues ?? []).slice(0, 3).map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
      rejected.push(`${c.label} (${c.zod}): ${issues.join("; ")}`);
    }
  }
  return { rejected, unmatched, checked };
}
