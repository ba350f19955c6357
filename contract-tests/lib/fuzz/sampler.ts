/**
 * Valid values drawn from a schema of the bundle, for the property-based contract tests.
 *
 * json-schema-faker 0.6 draws them: maintained (2026 releases), zero dependencies, 2020-12 keywords (`anyOf`,
 * `oneOf`, `if`/`then`, `prefixItems`, `pattern` through a regex generator, formats), and seeded (Mulberry32), so
 * fast-check can own the seed, the run count and the counterexample report. Prism's bundled 0.5 line crashes on
 * the Anthropic schemas and ignores `maxItems`; writing our own schema-to-arbitrary would be code outside what
 * this project is for.
 *
 * The sampler's own mistakes are handled here, never by skipping an operation:
 * - `$ref` chains nest deeper than its default `maxDepth` of 5 (chat messages -> content parts): it then emits
 *   `null` items, so the depth is raised;
 * - a `minimum` with no `maximum` above its default range (Anthropic `budget_tokens >= 1024`) is drawn below the
 *   minimum, so such numbers get an explicit upper bound;
 * - it cannot intersect an `allOf` of `anyOf`s with sibling `properties` (Kling lip-sync: one non-empty video
 *   field), so a draw is checked with the spec's validator and drawn again, at most `MAX_DRAWS` times.
 * - it drops unknown keywords when it picks a `oneOf` branch, so a JSON-text field (`contentMediaType:
 *   application/json` with a `contentSchema`) gets, in the sampler's copy only, an `enum` of JSON texts of values
 *   drawn from its `contentSchema`.
 * - it cannot draw from a `not`: double negations are pushed down first (`withoutDoubleNegation`).
 * Files (`format: binary`) are bytes of every value 0-255, as a real upload is.
 */
import { generateSync } from "json-schema-faker";
import type { Json } from "../../../scripts/lib/spec.js";
import { bundle, schemaErrors } from "../spec.js";

/** Draws tried per value before the schema is reported as one the sampler cannot satisfy. */
export const MAX_DRAWS = 40;

/** Marks a drawn file: the bytes as a latin1 string, turned into a Blob on the wire. */
export const FILE_PREFIX = "\u0000elk-file:";

type Node = { [k: string]: unknown };

/**
 * A schema with its negations pushed down (De Morgan): `not: {allOf: [{not: A}, {not: B}]}` is `anyOf: [A, B]`,
 * the spelling the spec uses for "one of these fields" where generators mishandle `anyOf` of `required`s.
 * Neither the sampler nor the mutation engine can draw or read a `not`; the meaning is unchanged.
 */
export function withoutDoubleNegation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDoubleNegation);
  if (!node || typeof node !== "object") return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) out[k] = k.startsWith("x-") || k === "example" || k === "examples" ? v : withoutDoubleNegation(v);
  const neg = out.not as Node | undefined;
  if (!neg || typeof neg !== "object") return out;
  const keys = Object.keys(neg);
  const only = (k: string) => keys.length === 1 && keys[0] === k;
  const add = (key: "allOf" | "anyOf", items: unknown[]) => {
    if (out[key] === undefined) out[key] = items;
    else out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), { [key]: items }];
  };
  if (only("not")) {
    delete out.not;
    out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), neg.not];
  } else if (only("allOf")) {
    delete out.not;
    add("anyOf", (neg.allOf as unknown[]).map((x) => withoutDoubleNegation({ not: x })));
  } else if (only("anyOf")) {
    delete out.not;
    add("allOf", (neg.anyOf as unknown[]).map((x) => withoutDoubleNegation({ not: x })));
  }
  return out;
}

/** Copies a schema tree with the sampler's numeric-range blind spot closed (see the module comment). */
function forSampler(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forSampler);
  if (!node || typeof node !== "object") return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) out[k] = k.startsWith("x-") || k === "example" || k === "examples" ? v : forSampler(v);
  const low = typeof out.minimum === "number" ? out.minimum : typeof out.exclusiveMinimum === "number" ? out.exclusiveMinimum : undefined;
  if (low !== undefined && out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = Math.max(low, 0) + 1000;
  const high = typeof out.maximum === "number" ? out.maximum : typeof out.exclusiveMaximum === "number" ? out.exclusiveMaximum : undefined;
  if (high !== undefined && low === undefined && high < -1000) out.minimum = high - 1000;
  return out;
}

let components: unknown;
const roots = new Map<string, Node>();

const SAMPLER_OPTIONS = { maxDepth: 15, formats: { binary: fileBytes as never } };

/** Gives every JSON-text node of the sampler's copy an `enum` of drawn JSON texts (see the module comment). */
function jsonTextAsEnum(node: unknown): void {
  if (!node || typeof node !== "object") return;
  for (const v of Object.values(node)) jsonTextAsEnum(v);
  const n = node as Node;
  if (n.contentMediaType === "application/json" && n.contentSchema && n.enum === undefined) {
    const texts = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) texts.add(JSON.stringify(generateSync({ ...(n.contentSchema as Node), components } as never, { ...SAMPLER_OPTIONS, seed })));
    n.enum = [...texts];
  }
}

/** The schema at `pointer` as a root the sampler can resolve `#/components/...` refs against. */
function rootAt(pointer: string): Node {
  let root = roots.get(pointer);
  if (!root) {
    if (!components) {
      components = forSampler(withoutDoubleNegation(bundle.components));
      jsonTextAsEnum(components);
    }
    const schema = pointer
      .slice(1)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((o, k) => (o as Node)?.[k], bundle);
    if (schema === undefined) throw new Error(`no schema at ${pointer}`);
    const own = forSampler(withoutDoubleNegation(schema)) as Node;
    jsonTextAsEnum(own);
    root = { ...own, components };
    roots.set(pointer, root);
  }
  return root;
}

function fileBytes(random: { int(min: number, max: number): number }): string {
  const n = random.int(1, 48);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(random.int(0, 255));
  return FILE_PREFIX + s;
}

/** One draw from the schema at `pointer` (not yet checked). */
export function drawOnce(pointer: string, seed: number, opts: { optionals?: number } = {}): Json {
  return generateSync(rootAt(pointer), { ...SAMPLER_OPTIONS, seed, optionalsProbability: opts.optionals ?? 0.5 }) as Json;
}

/** A drawn value and how many draws it took. */
export interface Draw {
  value: Json;
  draws: number;
}

/**
 * A value valid against the schema at `pointer`, drawn from `seed` (the same seed gives the same value).
 * @throws Error naming the pointer and the validator's last complaint when `MAX_DRAWS` draws all fail: either the
 *   schema cannot be satisfied (a spec defect) or the sampler cannot reach it (extend the handling above).
 */
export function drawValid(pointer: string, seed: number, opts: { optionals?: number } = {}): Draw {
  let last: string[] = [];
  let lastValue: Json = null;
  for (let i = 0; i < MAX_DRAWS; i++) {
    const value = drawOnce(pointer, (seed + i * 7919) | 0, opts);
    last = schemaErrors(pointer, value);
    if (last.length === 0) return { value, draws: i + 1 };
    lastValue = value;
  }
  throw new Error(`no valid value for ${pointer} in ${MAX_DRAWS} draws from seed ${seed}: ${last.slice(0, 4).join("; ")}\n${JSON.stringify(lastValue).slice(0, 600)}`);
}
