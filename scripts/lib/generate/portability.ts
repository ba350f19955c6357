/**
 * Spellings that client generators misread although they are valid OpenAPI 3.1; `npm run generate` refuses them
 * so they never reach the published bundle (`npm run generators` shows what each one costs, README "Regenerating
 * a client"). Each problem names the location and the portable spelling:
 *
 * - an `anyOf`/`oneOf` whose members only list required fields ("at least one of"): generators type each member
 *   `unknown` and erase the schema; write `not: {allOf: [{not: {required: [a]}}, {not: {required: [b]}}]}`;
 * - keywords beside a `$ref` (`required`, ...): tools that follow JSON Reference ignore them; use `allOf`;
 * - `required` beside an `allOf` naming properties only a `$ref` member defines (and does not require): hey-api
 *   and oazapfts type them optional; restate each property (its type) beside, as `Hunyuan3dJob` does;
 * - an `allOf` member that only holds a rule (`{not: ...}`, `{required: [...]}`): oazapfts types it `any`, and
 *   the intersection with it is `any`;
 * - multipart fields that are a union with an array or an object (orval appends the union as one part; write
 *   `type: array` for repeated parts and JSON text for a JSON part), or that allow `null` (a form part cannot be
 *   null);
 * - string enums whose values do not map to distinct identifiers (`""`, `chirp-v3-0` / `chirp-v3.0`) without
 *   `x-enum-varnames` naming each value (openapi-typescript `--enum` writes an invalid enum);
 * - a `description` on a server variable: swagger-parser (orval, oazapfts) validates 3.1 with a schema that
 *   misspells that field and calls the spec invalid.
 */
import { statesType } from "../review/generators/erased.js";
import { type Bundle, type Json, deref, operationsOf } from "../spec.js";

type Schema = { [k: string]: Json };
const isObj = (n: unknown): n is Schema => !!n && typeof n === "object" && !Array.isArray(n);

/** The enum member name openapi-typescript `--enum` derives from a value ("" when it has none). */
export function enumMemberName(value: string): string {
  if (value === "") return "";
  return (/^\d/.test(value) ? `Value${value}` : value).replace(/[^A-Za-z0-9_$]/g, "_");
}

function enumProblem(node: Schema): string | undefined {
  const values = node.enum;
  if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) return undefined;
  const names = node["x-enum-varnames"];
  if (Array.isArray(names)) {
    const ok = names.length === values.length && names.every((n) => typeof n === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n)) && new Set(names).size === names.length;
    return ok ? undefined : "x-enum-varnames must give one distinct identifier per enum value";
  }
  const derived = (values as string[]).map(enumMemberName);
  const bad = (values as string[]).filter((v, i) => derived[i] === "" || derived.indexOf(derived[i]!) !== i);
  return bad.length ? `enum values ${bad.map((v) => JSON.stringify(v)).join(", ")} have no distinct identifier; add x-enum-varnames` : undefined;
}

/** Properties and required names an `allOf` `$ref` member (and its own `allOf`) gives a schema. */
function inheritedShape(bundle: Bundle, node: Schema, depth = 0): { props: Set<string>; required: Set<string> } {
  const props = new Set<string>();
  const required = new Set<string>();
  if (depth > 6 || !Array.isArray(node.allOf)) return { props, required };
  for (const m of node.allOf) {
    if (!isObj(m) || typeof m.$ref !== "string") continue;
    const target = deref(bundle, m) as Json;
    if (!isObj(target)) continue;
    Object.keys(isObj(target.properties) ? target.properties : {}).forEach((k) => props.add(k));
    (Array.isArray(target.required) ? target.required : []).forEach((r) => typeof r === "string" && required.add(r));
    const deeper = inheritedShape(bundle, target, depth + 1);
    deeper.props.forEach((k) => props.add(k));
    deeper.required.forEach((r) => required.add(r));
  }
  return { props, required };
}

/** Names a schema requires that only an `allOf` `$ref` member defines, and that member does not require. */
function requiredOnlyByAllOf(bundle: Bundle, node: Schema): string[] {
  if (!Array.isArray(node.required) || !Array.isArray(node.allOf)) return [];
  const own = new Set(Object.keys(isObj(node.properties) ? node.properties : {}));
  for (const m of node.allOf) if (isObj(m) && typeof m.$ref !== "string" && isObj(m.properties)) Object.keys(m.properties).forEach((k) => own.add(k));
  const inherited = inheritedShape(bundle, node);
  return node.required.filter((r): r is string => typeof r === "string" && !own.has(r) && inherited.props.has(r) && !inherited.required.has(r));
}

/** Problems of one schema node (not its children). */
function schemaProblems(bundle: Bundle, node: Schema): string[] {
  const out: string[] = [];
  for (const k of ["anyOf", "oneOf"] as const) {
    const members = node[k];
    if (Array.isArray(members) && members.length > 0 && members.every((m) => isObj(m) && Array.isArray(m.required) && !statesType(bundle, m))) {
      out.push(`${k} of bare required lists; write "at least one of" as not: {allOf: [{not: {required: [a]}}, ...]}`);
    }
  }
  if (Array.isArray(node.allOf) && node.allOf.some((m) => isObj(m) && typeof m.$ref !== "string" && !statesType(bundle, m))) {
    out.push("an allOf member that only holds a rule (not, required, ...) makes oazapfts type the schema any; put the rule on the schema itself");
  }
  const loose = requiredOnlyByAllOf(bundle, node);
  if (loose.length) {
    out.push(`required ${loose.join(", ")} only defined by an allOf $ref: hey-api and oazapfts type them optional; restate each in properties beside (its type)`);
  }
  if (typeof node.$ref === "string") {
    const beside = Object.keys(node).filter((k) => !["$ref", "description", "summary", "title"].includes(k) && !k.startsWith("x-"));
    if (beside.length) out.push(`${beside.join(", ")} beside $ref is ignored by tools that follow JSON Reference; use allOf: [{$ref}] instead`);
  }
  const e = enumProblem(node);
  if (e) out.push(e);
  return out;
}

/** Walks every schema-like node of the document (examples and `not` subtrees skipped), calling `visit` with its JSON pointer. */
function walk(node: Json, pointer: string, visit: (n: Schema, p: string) => void): void {
  if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${pointer}/${i}`, visit));
  if (!isObj(node)) return;
  visit(node, pointer);
  for (const [k, v] of Object.entries(node)) {
    // Generators do not read what sits under `not` (a rule, never a type).
    if (k === "example" || k === "examples" || k === "x-elkapi-doc" || k === "not") continue;
    walk(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, visit);
  }
}

/** Problems of the multipart fields of one form schema. */
function formProblems(bundle: Bundle, schema: Json): string[] {
  const s = deref(bundle, schema) as Schema;
  const out: string[] = [];
  for (const [name, raw] of Object.entries(isObj(s.properties) ? s.properties : {})) {
    const field = deref(bundle, raw) as Schema;
    const members = [...(Array.isArray(field.oneOf) ? field.oneOf : []), ...(Array.isArray(field.anyOf) ? field.anyOf : [])].map((m) => deref(bundle, m) as Schema);
    const typeOf = (x: Schema) => (Array.isArray(x.type) ? x.type.map(String) : typeof x.type === "string" ? [x.type] : []);
    const types = [...typeOf(field), ...members.flatMap(typeOf)];
    const memberTypes = members.flatMap(typeOf);
    if (memberTypes.includes("array")) out.push(`field ${name}: a union with an array; a repeated part is type: array (one part is a list of one)`);
    else if (memberTypes.includes("object")) out.push(`field ${name}: a union with an object; a JSON part is JSON text (type: string, contentMediaType, contentSchema)`);
    if (types.includes("null")) out.push(`field ${name}: allows null, which a form part cannot carry`);
  }
  return out;
}

/** Every non-portable spelling of the bundle, as `<pointer or operation>: <problem>`. */
export function portabilityProblems(bundle: Bundle): string[] {
  const out: string[] = [];
  walk(bundle as unknown as Json, "#", (node, pointer) => {
    for (const p of schemaProblems(bundle, node)) out.push(`${pointer}: ${p}`);
    if (/\/servers\/\d+\/variables\/[^/]+$/.test(pointer) && node.description !== undefined) {
      out.push(`${pointer}: a server variable's description makes swagger-parser (orval, oazapfts) call the spec invalid; describe it in the server's description`);
    }
  });
  for (const { op } of operationsOf(bundle)) {
    const body = op.requestBody ? deref(bundle, op.requestBody) : undefined;
    const form = body?.content?.["multipart/form-data"] as { schema?: Json } | undefined;
    if (form?.schema) for (const p of formProblems(bundle, form.schema)) out.push(`${op.operationId} multipart body: ${p}`);
  }
  return [...new Set(out)];
}
