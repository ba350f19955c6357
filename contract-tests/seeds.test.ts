/**
 * The seeds are fixtures: every request and response example they show validates against the spec as it is, is
 * one of the spec's named examples, and the request sent to the mock (host swapped) gets a valid 200. Every field
 * a seed's tables list exists in the spec.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../scripts/lib/spec.js";
import { TEST_KEY, mockBaseUrl, requestContent, schemaOf } from "./lib/calls.js";
import { loadSeeds } from "./lib/seeds.js";
import { bundle, deref, examplesOf, operationForUrl, pointerOf, schemaErrors } from "./lib/spec.js";

const seeds = loadSeeds();
const withRequests = seeds.filter((s) => s.request);

function contentOf(node: unknown, media: string) {
  return deref(bundle, node as { content?: Record<string, { schema?: Json; example?: Json; examples?: Record<string, unknown> }> }).content?.[media];
}

/** Resolves a dotted field path (`usage.input_tokens_details.text_tokens`) in a schema, through arrays and unions. */
function hasField(schema: Json | undefined, dotted: string): boolean {
  const [head, ...rest] = dotted.split(".");
  const s = schemaOf(schema);
  const candidates = [s, ...[...(s.oneOf ?? []), ...(s.anyOf ?? [])].map(schemaOf), ...(s.items ? [schemaOf(s.items)] : [])];
  return candidates.some((c) => {
    const itemsOrSelf = c.items ? schemaOf(c.items) : c;
    const prop = itemsOrSelf.properties?.[head!] ?? c.properties?.[head!];
    if (prop === undefined) return [...(itemsOrSelf.anyOf ?? []), ...(itemsOrSelf.oneOf ?? [])].some((u) => hasField(u, dotted));
    return rest.length === 0 || hasField(prop, rest.join("."));
  });
}

describe("seeds", () => {
  it("holds the four detailed endpoint pages", () => {
    expect(withRequests.map((s) => s.file)).toHaveLength(4);
  });

  for (const seed of withRequests) {
    const req = seed.request!;
    const entry = operationForUrl(req.method, req.url.pathname);
    describe(`${seed.file} (${req.method} ${req.url.pathname})`, () => {
      it("maps to an operation of the spec", () => {
        expect(entry, `${req.method} ${req.url.pathname}`).toBeDefined();
      });
      if (!entry) return;
      const base = pointerOf("paths", entry.path, entry.method);

      if (req.json !== undefined) {
        it("its request body validates and is one of the operation's named examples", () => {
          const rc = requestContent(entry)!;
          expect(schemaErrors(`${base}/requestBody/content/${rc.media.replace("/", "~1")}/schema`, req.json)).toEqual([]);
          const examples = examplesOf(contentOf(entry.op.requestBody, rc.media)).map((e) => e.value);
          expect(examples).toContainEqual(req.json);
        });
      }
      if (req.form) {
        it("its form fields are one of the operation's named examples", () => {
          // A field typed array takes repeated parts, so one part of it is a list of one.
          const props = schemaOf(requestContent(entry)!.content.schema).properties ?? {};
          const asValue = (k: string, v: string) => (schemaOf(props[k]).type === "array" ? [v] : v);
          const asExample = Object.fromEntries(Object.entries(req.form!).map(([k, v]) => [k, asValue(k, v.startsWith("@") ? v.slice(1) : v)]));
          const examples = examplesOf(contentOf(entry.op.requestBody, "multipart/form-data")).map((e) => e.value);
          expect(examples).toContainEqual(asExample);
        });
      }

      it(`its response example validates against the spec${seed.responseTruncated ? " (cut off on the page, closed here)" : ""}`, () => {
        const status = "200";
        const raw = entry.op.responses[status] as { $ref?: string };
        const ptr = raw.$ref ? raw.$ref.slice(1) : `${base}/responses/${status}`;
        expect(schemaErrors(`${ptr}/content/application~1json/schema`, seed.response)).toEqual([]);
        const examples = examplesOf(contentOf(entry.op.responses[status], "application/json")).map((e) => e.value);
        expect(examples).toContainEqual(seed.response);
      });

      it("its request, sent to the mock with the host swapped, gets a 200 whose body validates", async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = v.replace(/\{\{api-key\}\}|<token>/g, TEST_KEY);
        const init: RequestInit = { method: req.method, headers };
        if (req.json !== undefined) init.body = JSON.stringify(req.json);
        if (req.form) {
          const form = new FormData();
          for (const [k, v] of Object.entries(req.form)) {
            // `@name` uploads a file; `@""` (Apifox's unused file field) is sent as an empty field.
            if (!v.startsWith("@")) form.append(k, v);
            else if (v === "@") form.append(k, "");
            else form.append(k, new File([new Uint8Array([137, 80, 78, 71])], path(v.slice(1)), { type: "image/png" }));
          }
          init.body = form;
        }
        const res = await fetch(mockBaseUrl() + req.url.pathname + req.url.search, init);
        expect(res.status).toBe(200);
        const raw = entry.op.responses["200"] as { $ref?: string };
        const ptr = raw.$ref ? raw.$ref.slice(1) : `${base}/responses/200`;
        expect(schemaErrors(`${ptr}/content/application~1json/schema`, await res.json())).toEqual([]);
      });

      if (seed.requestFields.length) {
        it(`documents request fields the spec names: ${seed.requestFields.join(", ")}`, () => {
          const rc = requestContent(entry)!;
          for (const f of seed.requestFields) expect(hasField(rc.content.schema, f), f).toBe(true);
        });
      }
      if (seed.responseFields.length) {
        it(`documents response fields the spec names: ${seed.responseFields.join(", ")}`, () => {
          const schema = contentOf(entry.op.responses["200"], "application/json")?.schema;
          for (const f of seed.responseFields) expect(hasField(schema, f), f).toBe(true);
        });
      }
    });
  }
});

/** File name of a seed upload path (`MQ==/test.png` → `test.png`; empty for `""`). */
function path(p: string): string {
  return p.split("/").pop() ?? p;
}
