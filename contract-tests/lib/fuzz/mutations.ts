/**
 * Mutations that break one rule of a schema each, read from the schema itself: a required field removed, a value
 * of a type the field does not take, a value out of its bounds (length, size, range, pattern, format), a value
 * off a closed enum, an extra field where the object is closed.
 *
 * A mutation is `definite` when the schema says for certain that the value breaks it: the rule sits on a path of
 * `properties`, `items`, `allOf` and `$ref` only, so no other branch of an `anyOf`/`oneOf` can take the value. A
 * field-level union (`anyOf: [{enum}, {type: string}]`, `[string, null]`) is definite for a type none of its
 * branches take and for an enum only when every branch is closed; an open enum takes any string, so no off-enum
 * mutation is made there. Mutations inside an object-level union are not definite: the validator decides whether
 * they still break a rule.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Json } from "../../../scripts/lib/spec.js";
import { bundle, validatorAt } from "../spec.js";
import { withoutDoubleNegation } from "./sampler.js";

// The engine reads the spec with double negations pushed down (`not: {allOf: [{not: A}, {not: B}]}` is
// `anyOf: [A, B]`), and matches union branches with a validator of that reading; only `refusal` uses the spec itself.
const readable = withoutDoubleNegation(bundle) as Record<string, unknown>;
const branchAjv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
addFormats.default(branchAjv);
branchAjv.addFormat("binary", true);
branchAjv.addSchema(readable, "readable");
const branchCache = new Map<string, ValidateFunction>();
function branchValidator(pointer: string): ValidateFunction {
  let v = branchCache.get(pointer);
  if (!v) {
    v = branchAjv.getSchema(`readable#${pointer}`)!;
    branchCache.set(pointer, v);
  }
  return v;
}

/** The rule a mutation breaks. */
export type MutationKind = "required" | "type" | "bound" | "enum" | "extra";

/** One mutation of a value. */
export interface Mutation {
  kind: MutationKind;
  /** Where the broken field is, from the root of the value. */
  path: (string | number)[];
  /** The field the error must name: the property removed or added, else the last property name on the path. */
  field: string;
  /** The whole value with the mutation applied. */
  value: Json;
  definite: boolean;
  /** What was done, for reports: `removed "model"`, `"n" = 11 (maximum 10)`. */
  note: string;
}

type Schema = { [k: string]: unknown };
interface Applied {
  node: Schema;
  pointer: string;
  definite: boolean;
}

/** The name an extra field gets (no schema of the spec declares it). */
export const EXTRA_FIELD = "elk_fuzz_extra";
/** The value put where a closed enum is. */
export const OFF_ENUM = "elk_fuzz_not_in_enum";

function at(pointer: string): Schema {
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((o, k) => (o as Schema)?.[k], readable) as Schema;
}

const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Every schema that applies to a value at `pointer`: the node, its `$ref` targets and `allOf` members, and the
 * branches of its unions that the value matches (those are not definite). */
function applied(pointer: string, value: Json, definite: boolean, out: Applied[] = [], depth = 0): Applied[] {
  if (depth > 30) return out;
  const node = at(pointer);
  if (!node || typeof node !== "object") return out;
  out.push({ node, pointer, definite });
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) applied(node.$ref.slice(1), value, definite, out, depth + 1);
  (node.allOf as unknown[] | undefined)?.forEach((_, i) => applied(`${pointer}/allOf/${i}`, value, definite, out, depth + 1));
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = node[key] as unknown[] | undefined;
    if (!branches) continue;
    branches.forEach((_, i) => {
      const p = `${pointer}/${key}/${i}`;
      if (branchValidator(p)(value)) applied(p, value, false, out, depth + 1);
    });
  }
  return out;
}

const jsonType = (v: Json): string => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

/** The JSON types a schema node takes, or undefined when it does not say (follows refs, unions and allOf). */
function typesOf(pointer: string, depth = 0): Set<string> | undefined {
  if (depth > 30) return undefined;
  const node = at(pointer);
  if (!node || typeof node !== "object") return undefined;
  if (typeof node.$ref === "string") return typesOf(node.$ref.slice(1), depth + 1);
  let own: Set<string> | undefined;
  if (node.type !== undefined) own = new Set(([] as string[]).concat(node.type as string));
  else if (node.const !== undefined) own = new Set([jsonType(node.const as Json)]);
  else if (Array.isArray(node.enum)) own = new Set((node.enum as Json[]).map(jsonType));
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = node[key] as unknown[] | undefined;
    if (!branches) continue;
    const union = new Set<string>();
    for (let i = 0; i < branches.length; i++) {
      const t = typesOf(`${pointer}/${key}/${i}`, depth + 1);
      if (!t) return own;
      t.forEach((x) => union.add(x));
    }
    own = own ? new Set([...own].filter((x) => union.has(x) || (x === "number" && union.has("integer")))) : union;
  }
  for (let i = 0; i < ((node.allOf as unknown[] | undefined)?.length ?? 0); i++) {
    const t = typesOf(`${pointer}/allOf/${i}`, depth + 1);
    if (t) own = own ? new Set([...own].filter((x) => t.has(x) || (x === "integer" && t.has("number")))) : t;
  }
  if (own?.has("number")) own.add("integer");
  return own;
}

/** True when every string a schema node takes is listed (enum/const in every string-taking branch). */
function closedForStrings(pointer: string, depth = 0): boolean {
  if (depth > 30) return false;
  const node = at(pointer);
  if (!node || typeof node !== "object") return false;
  if (typeof node.$ref === "string") return closedForStrings(node.$ref.slice(1), depth + 1);
  if (Array.isArray(node.enum) || node.const !== undefined) return true;
  const branches = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (branches) {
    const key = node.anyOf ? "anyOf" : "oneOf";
    return branches.every((_, i) => {
      const t = typesOf(`${pointer}/${key}/${i}`);
      return (t && !t.has("string")) || closedForStrings(`${pointer}/${key}/${i}`, depth + 1);
    });
  }
  return (node.allOf as unknown[] | undefined)?.some((_, i) => closedForStrings(`${pointer}/allOf/${i}`, depth + 1)) ?? false;
}

function enumValues(pointer: string, depth = 0): Json[] {
  const node = at(pointer);
  if (!node || depth > 30) return [];
  if (typeof node.$ref === "string") return enumValues(node.$ref.slice(1), depth + 1);
  const own = [...((node.enum as Json[] | undefined) ?? []), ...(node.const !== undefined ? [node.const as Json] : [])];
  const branches = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  const key = node.anyOf ? "anyOf" : "oneOf";
  return [...own, ...(branches ?? []).flatMap((_, i) => enumValues(`${pointer}/${key}/${i}`, depth + 1))];
}

function setAt(root: Json, path: (string | number)[], fn: (parent: Record<string, Json> | Json[], key: string | number) => void): Json {
  const copy = structuredClone(root);
  if (path.length === 0) throw new Error("cannot mutate the root in place");
  let cur = copy as Record<string, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k as string] as Record<string, Json>;
  fn(cur, path[path.length - 1]!);
  return copy;
}

const lastName = (path: (string | number)[]): string => String([...path].reverse().find((k) => typeof k === "string") ?? "body");

/** A string that does not match `pattern`, or undefined when none of the candidates fails it. */
function offPattern(pattern: string): string | undefined {
  const re = new RegExp(pattern, "u");
  return ["elk fuzz!", "", " ", "!!", "\u00e9\u00e9", "0", "a"].find((s) => !re.test(s));
}

const BAD_FORMAT: Record<string, string> = {
  uri: "not a uri",
  "uri-reference": "not a uri\\",
  url: "not a uri",
  "date-time": "yesterday",
  date: "2025-13-45",
  time: "25:99",
  email: "not-an-email",
  uuid: "not-a-uuid",
  ipv4: "999.1.1.1",
  hostname: "-bad-.",
  byte: "not base64!",
};

/** Scalar mutations at one value: wrong type, bounds, closed enum. `multipart`: only what a form field can carry. */
function scalarMutations(root: Json, path: (string | number)[], value: Json, apps: Applied[], fieldPointer: string, definite: boolean, multipart: boolean): Mutation[] {
  const out: Mutation[] = [];
  const field = lastName(path);
  const push = (kind: MutationKind, v: Json, note: string, def: boolean) =>
    out.push({ kind, path, field, value: replaceAt(root, path, v), definite: def, note: path.length ? `"${path.join(".")}" ${note}` : note });
  const types = typesOf(fieldPointer);
  if (types && types.size > 0) {
    const candidates: Json[] = multipart ? ["elk-fuzz-not-a-number"] : [12345.5, "elk-fuzz-text", true, { elk: 1 }, [1], 7, null];
    const bad = candidates.find((c) => !types.has(jsonType(c)) && !(jsonType(c) === "integer" && types.has("number")));
    // In a form every field is text, and one part of an array field is an array of one: a wrong type exists only
    // for fields that take neither a string nor an array.
    if (bad !== undefined && (!multipart || (!types.has("string") && !types.has("array")))) push("type", bad, `= ${JSON.stringify(bad)} (takes ${[...types].join("/")})`, definite);
  }
  if (typeof value === "string" && closedForStrings(fieldPointer) && !enumValues(fieldPointer).includes(OFF_ENUM)) {
    push("enum", OFF_ENUM, "off its closed enum", definite);
  }
  // Bounds come from the schemas applying to this value; under a union they hold only in that branch.
  for (const a of apps) {
    const n = a.node;
    const def = definite && a.definite;
    if (typeof value === "number") {
      const step = n.type === "integer" || Number.isInteger(value) ? 1 : 0.5;
      if (typeof n.maximum === "number") push("bound", n.maximum + step, `above maximum ${n.maximum}`, def);
      if (typeof n.exclusiveMaximum === "number") push("bound", n.exclusiveMaximum, `at exclusiveMaximum ${n.exclusiveMaximum}`, def);
      if (typeof n.minimum === "number") push("bound", n.minimum - step, `below minimum ${n.minimum}`, def);
      if (typeof n.exclusiveMinimum === "number") push("bound", n.exclusiveMinimum, `at exclusiveMinimum ${n.exclusiveMinimum}`, def);
    }
    if (typeof value === "string") {
      if (typeof n.maxLength === "number") push("bound", "x".repeat(n.maxLength + 1), `longer than maxLength ${n.maxLength}`, def);
      if (typeof n.minLength === "number" && n.minLength > 0) push("bound", "x".repeat(n.minLength - 1), `shorter than minLength ${n.minLength}`, def);
      if (typeof n.pattern === "string") {
        const off = offPattern(n.pattern);
        if (off !== undefined) push("bound", off, `not matching pattern ${n.pattern}`, def);
      }
      if (typeof n.format === "string" && BAD_FORMAT[n.format] !== undefined) push("bound", BAD_FORMAT[n.format]!, `not a ${n.format}`, def);
    }
  }
  return out;
}

/**
 * Every mutation of `value` against the schema at `pointer` that breaks one rule.
 * `multipart`: the value is a form (top-level fields only; nested values travel as JSON text), or a parameter
 * (a lone scalar sent as text).
 */
export function mutationsOf(pointer: string, value: Json, opts: { multipart?: boolean } = {}): Mutation[] {
  const out: Mutation[] = [];
  const walk = (ptrs: { pointer: string; definite: boolean }[], v: Json, path: (string | number)[], depth: number) => {
    if (depth > 8) return;
    const apps = ptrs.flatMap((p) => applied(p.pointer, v, p.definite));
    // The field's declared schema: a definite one when there is one (a union branch only says what that branch takes).
    const field = ptrs.find((p) => p.definite) ?? ptrs[0]!;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const a of apps) {
        for (const name of (a.node.required as string[] | undefined) ?? []) {
          if (!(name in v)) continue;
          const { [name]: _removed, ...rest } = v;
          out.push({
            kind: "required",
            path: [...path, name],
            field: name,
            value: replaceAt(value, path, rest),
            definite: a.definite,
            note: `removed required "${[...path, name].join(".")}"`,
          });
        }
        if (a.node.additionalProperties === false && !a.node.patternProperties) {
          out.push({
            kind: "extra",
            path: [...path, EXTRA_FIELD],
            field: EXTRA_FIELD,
            value: replaceAt(value, path, { ...v, [EXTRA_FIELD]: "x" }),
            definite: a.definite,
            note: `added "${[...path, EXTRA_FIELD].join(".")}" where the object is closed`,
          });
        }
      }
      if (opts.multipart && path.length > 0) return;
      for (const [name, child] of Object.entries(v)) {
        const childPtrs = apps.flatMap((a) => {
          const props = a.node.properties as Schema | undefined;
          if (props && name in props) return [{ pointer: `${a.pointer}/properties/${esc(name)}`, definite: a.definite }];
          if (a.node.additionalProperties && typeof a.node.additionalProperties === "object" && !(props && name in props)) return [{ pointer: `${a.pointer}/additionalProperties`, definite: a.definite }];
          return [];
        });
        if (childPtrs.length) walk(childPtrs, child, [...path, name], depth + 1);
      }
      return;
    }
    if (Array.isArray(v)) {
      if (path.length === 0) return;
      for (const a of apps) {
        const def = a.definite;
        if (typeof a.node.maxItems === "number" && v.length > 0 && !a.node.uniqueItems) {
          const longer = Array.from({ length: a.node.maxItems + 1 }, (_, i) => v[i % v.length]!);
          out.push({ kind: "bound", path, field: lastName(path), value: replaceAt(value, path, longer), definite: def, note: `"${path.join(".")}" with ${longer.length} items (maxItems ${a.node.maxItems})` });
        }
        if (typeof a.node.minItems === "number" && a.node.minItems > 0) {
          out.push({ kind: "bound", path, field: lastName(path), value: replaceAt(value, path, v.slice(0, a.node.minItems - 1)), definite: def, note: `"${path.join(".")}" with ${a.node.minItems - 1} items (minItems ${a.node.minItems})` });
        }
      }
      if (!opts.multipart) {
        v.slice(0, 2).forEach((item, i) => {
          const itemPtrs = apps.flatMap((a) => {
            const prefix = a.node.prefixItems as unknown[] | undefined;
            if (prefix && i < prefix.length) return [{ pointer: `${a.pointer}/prefixItems/${i}`, definite: a.definite }];
            return a.node.items && typeof a.node.items === "object" ? [{ pointer: `${a.pointer}/items`, definite: a.definite }] : [];
          });
          if (itemPtrs.length) walk(itemPtrs, item, [...path, i], depth + 1);
        });
      }
      // A field-level wrong type for the array itself.
      out.push(...scalarMutations(value, path, v, [], field.pointer, field.definite, !!opts.multipart).filter((m) => m.kind === "type"));
      return;
    }
    out.push(...scalarMutations(value, path, v, apps, field.pointer, field.definite, !!opts.multipart));
  };
  walk([{ pointer, definite: true }], value, [], 0);
  return out;
}

function replaceAt(root: Json, path: (string | number)[], v: Json): Json {
  if (path.length === 0) return v;
  return setAt(root, path, (p, k) => ((p as Record<string, Json>)[k as string] = v));
}

/** JSON pointer of a value path, as the validator reports `instancePath`. */
export const instancePath = (path: (string | number)[]): string => path.map((k) => "/" + esc(String(k))).join("");

/**
 * Whether the spec's validator refuses a mutated value at the place the mutation broke: the missing or extra
 * property reported on its parent object, any other rule reported on the field itself.
 * @returns the validator's errors, and `located` true when one of them is at that place.
 */
export function refusal(pointer: string, m: Mutation): { refused: boolean; located: boolean; errors: string[] } {
  const v = validatorAt(pointer);
  if (v(m.value)) return { refused: false, located: false, errors: [] };
  const errors = v.errors ?? [];
  const parent = instancePath(m.path.slice(0, -1));
  const self = instancePath(m.path);
  const located = errors.some((e) => {
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    // A union spelled with `not` (or any union) can only say the object matches no branch.
    if (!m.definite && e.instancePath === parent && ["not", "anyOf", "oneOf"].includes(e.keyword)) return true;
    if (m.kind === "required") return e.instancePath === parent && params.missingProperty === m.field;
    if (m.kind === "extra") return e.instancePath === parent && params.additionalProperty === m.field;
    return e.instancePath === self;
  });
  return { refused: true, located, errors: errors.map((e) => `${e.instancePath || "(root)"} ${e.message}`) };
}
