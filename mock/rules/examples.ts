/**
 * Rule `examples`: answers that depend on the request, as the spec's `x-elkapi-mock` on a success media type
 * states them (openapi/README.md, Extensions):
 * - `select`: request values that pick this media type, and optionally one of its examples (first match wins),
 *   e.g. embeddings `encoding_format: base64` → example `base64`, speech `response_format: wav` → `audio/wav`;
 * - `default`: the example to serve when nothing picks one (instead of the first, e.g. a seed's placeholder);
 * - `repeat`: the answer holds one item per request input: the array at `at` gets as many items as `per` counts
 *   (a number is the count, an array its length, an array of numbers, a token list, one; absent, one), cycling
 *   through the example's items, with `index` (a pointer inside each item) set to its position.
 * A client's own `Prefer: example=<name>` wins over all three; any client `Prefer` keeps Prism's example choice.
 * A select never overrides the stream decision (it only applies when the outgoing Accept allows its media type).
 * Off: Prism's first example, as many items as it holds.
 */
import { getPointer } from "../../src/internal/pointer.js";
import type { Exchange, RequestValue } from "../exchange.js";
import { setPointer } from "../json.js";
import { acceptable, mediaOf, preferring } from "../media.js";
import type { RuleFactory } from "../rule.js";

/** `x-elkapi-mock` on a response media type (validated by scripts/lib/generate/extensions.ts). */
export interface MockExtension {
  /** `value` absent: the value is present, whatever it is (e.g. a header). All of `all` must hold too. */
  select?: (RequestValue & { value?: string | number | boolean; example?: string; all?: (RequestValue & { value?: string | number | boolean })[] })[];
  default?: string;
  repeat?: { at: string; per: RequestValue; index?: string };
  /** Read by the `bytes` rule. */
  bytes?: "base64";
}

interface Choice {
  media: string;
  ext: MockExtension;
}

/** How many items a request value asks for (see `repeat` above). */
export function countOf(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  if (typeof value === "string" && /^[1-9]\d*$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => typeof v === "number") ? 1 : Math.max(value.length, 1);
  return 1;
}

/** `items` made `count` long by cycling, each a copy with `index` set to its position. */
export function repeated(items: unknown[], count: number, index: string | undefined): unknown[] {
  if (!items.length) return items;
  return Array.from({ length: count }, (_, i) => {
    const item: unknown = structuredClone(items[i % items.length]);
    if (index) setPointer(item, index, i);
    return item;
  });
}

async function everyOf(ex: Exchange, values: (RequestValue & { value?: unknown })[]): Promise<boolean> {
  for (const v of values) if (!(await ex.has(v))) return false;
  return true;
}

async function selected(ex: Exchange, choices: Choice[]): Promise<{ media: string; example?: string } | undefined> {
  for (const c of choices) {
    for (const s of c.ext.select ?? []) {
      if (!(await ex.has(s))) continue;
      if (s.all && !(await everyOf(ex, s.all))) continue;
      return { media: c.media, ...(s.example ? { example: s.example } : {}) };
    }
  }
  return undefined;
}

export const examples: RuleFactory = (spec) => {
  // Per operation: its success media types in spec order, each with its x-elkapi-mock (if any).
  const ops = new Map<string, Choice[]>();
  for (const o of spec.operations.values()) {
    const choices = o.answers.map((a) => ({ media: a.media, ext: (a.content["x-elkapi-mock"] ?? {}) as MockExtension }));
    if (choices.some((c) => c.ext.select || c.ext.default || c.ext.repeat)) ops.set(o.id, choices);
  }
  return {
    name: "examples",
    async onRequest(ex) {
      const choices = ex.route && ops.get(ex.route.operation.id);
      if (!choices || ex.clientPrefer.example) return;
      const allowed = new Set(acceptable(ex.headers.accept, choices.map((c) => c.media)));
      const pick = await selected(ex, choices.filter((c) => allowed.has(c.media)));
      if (pick) ex.headers.accept = preferring([pick.media]);
      const media = pick?.media ?? acceptable(ex.headers.accept, choices.map((c) => c.media))[0];
      const example = pick?.example ?? choices.find((c) => c.media === media)?.ext.default;
      if (example && ex.clientHeaders.prefer === undefined) ex.headers.prefer = `example=${example}`;
    },
    async onResponse(ex) {
      const choices = ex.route && ops.get(ex.route.operation.id);
      const res = ex.response;
      if (!choices || ex.clientPrefer.example || res.status < 200 || res.status > 299) return;
      const repeat = choices.find((c) => c.media === mediaOf(res.headers["content-type"]))?.ext.repeat;
      if (!repeat) return;
      let data: unknown;
      try {
        data = JSON.parse(res.body.toString("utf8"));
      } catch {
        return;
      }
      const items = getPointer(data, repeat.at);
      if (!Array.isArray(items)) return;
      setPointer(data, repeat.at, repeated(items, countOf(await ex.value(repeat.per)), repeat.index));
      res.body = Buffer.from(JSON.stringify(data));
    },
  };
};
