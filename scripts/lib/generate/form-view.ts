/**
 * The published spec writes multipart fields the way OpenAPI 3.1 and every generator read them: a field sent as
 * repeated parts is `type: array` (one part is a list of one), and a JSON part is JSON text (`type: string`,
 * `contentMediaType: application/json`, `contentSchema`), or an object with `encoding.<field>.contentType:
 * application/json`. Two readers of ours need a looser spelling of the same form:
 *
 * - Prism parses a form into strings and keeps only the last of repeated parts, so it sees one item where the
 *   schema says array, and a JSON part's text where the schema says object;
 * - our client (src/multipart.ts) takes one item for a repeated field and sends an object's JSON text, so its
 *   types (generated/schema.d.ts) accept `T | T[]` and `text | object`.
 *
 * `formView` gives that spelling on a copy: a multipart field typed array becomes `oneOf: [<items>, <array>]`; a
 * JSON text field `oneOf: [<text>, <contentSchema>]`; an object sent as a JSON part `oneOf: [{type: string,
 * contentMediaType, contentSchema: <object>}, <object>]`. Nothing else changes. A multipart schema that a
 * non-multipart body also uses is inlined into the form's media type before it is rewritten, so the JSON body
 * keeps the published spelling.
 */
import { type Bundle, type Json, type MediaTypeObject, deref, operationsOf } from "../spec.js";

type Schema = { [k: string]: Json };
const isObj = (n: unknown): n is Schema => !!n && typeof n === "object" && !Array.isArray(n);

/** The JSON types a schema (or the schema a `$ref` names) allows, from `type` alone. */
function typesOf(bundle: Bundle, node: Json | undefined): string[] {
  const s = isObj(node) ? deref(bundle, node) : undefined;
  if (!isObj(s)) return [];
  return typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? s.type.map(String) : [];
}

/** The looser form spelling of one field (see the module comment), or undefined when it has none. */
export function formField(bundle: Bundle, field: Json, contentType: string | undefined): Json | undefined {
  const types = typesOf(bundle, field);
  const resolved = deref(bundle, field) as Schema;
  const own: Schema = isObj(field) && typeof field.description === "string" ? { description: field.description } : {};
  if (types.includes("array") && resolved.items !== undefined) return { ...own, oneOf: [resolved.items, field] };
  // JSON text with the schema of its content: the client also takes the object and sends its text.
  if (types.includes("string") && typeof resolved.contentMediaType === "string" && /json/i.test(resolved.contentMediaType) && isObj(resolved.contentSchema)) {
    return { ...own, oneOf: [field, resolved.contentSchema] };
  }
  if (contentType && /json/i.test(contentType) && !types.includes("string")) {
    return { ...own, oneOf: [{ type: "string", contentMediaType: contentType.split(",")[0]!.trim(), contentSchema: field }, field] };
  }
  return undefined;
}

/** Rewrites the fields of one multipart schema node in place (own properties and inline allOf members'). */
function rewriteForm(bundle: Bundle, schema: Schema, encoding: Record<string, { contentType?: string }>): void {
  const props = isObj(schema.properties) ? schema.properties : undefined;
  for (const [name, field] of Object.entries(props ?? {})) {
    const loose = formField(bundle, field, encoding[name]?.contentType);
    if (loose !== undefined) props![name] = loose;
  }
  if (Array.isArray(schema.allOf)) for (const m of schema.allOf) if (isObj(m) && typeof m.$ref !== "string") rewriteForm(bundle, m, encoding);
}

/** Every media type object of the operations' request bodies, with its media type name. */
function requestMediaTypes(bundle: Bundle): [string, MediaTypeObject][] {
  const out: [string, MediaTypeObject][] = [];
  for (const { op } of operationsOf(bundle)) {
    const body = op.requestBody ? deref(bundle, op.requestBody) : undefined;
    for (const [media, mt] of Object.entries(body?.content ?? {})) out.push([media, mt]);
  }
  return out;
}

/** A deep copy of `doc` with multipart fields in the looser form spelling (see the module comment). */
export function formView<T extends Bundle>(doc: T): T {
  const copy = structuredClone(doc);
  const media = requestMediaTypes(copy);
  const refOf = (mt: MediaTypeObject) => (isObj(mt.schema) && typeof mt.schema.$ref === "string" ? mt.schema.$ref : undefined);
  const usedOutsideForms = new Set(media.filter(([m]) => m !== "multipart/form-data").map(([, mt]) => refOf(mt)));
  const done = new Set<Json>();
  for (const [m, mt] of media) {
    if (m !== "multipart/form-data" || !isObj(mt.schema)) continue;
    const ref = refOf(mt);
    // A schema shared with a JSON body is rewritten as an inline copy, so the JSON body keeps its spelling.
    if (ref && usedOutsideForms.has(ref)) mt.schema = structuredClone(deref(copy, mt.schema));
    const schema = deref(copy, mt.schema) as Schema;
    if (done.has(schema)) continue;
    done.add(schema);
    rewriteForm(copy, schema, (mt as { encoding?: Record<string, { contentType?: string }> }).encoding ?? {});
  }
  return copy;
}
