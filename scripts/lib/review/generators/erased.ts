/**
 * Counting what a generator silently loses, by walking each component schema of the bundle next to the type the
 * generator made for it (TypeScript's checker on the output):
 *
 * - **erased**: a schema location that states a type (see `statesType`) whose generated type is `unknown` or `any`.
 *   Locations are component roots and the inline schemas under them reached through `properties` (own and of
 *   inline `allOf` members), `items`, `additionalProperties`, and inline `anyOf`/`oneOf` members (matched to the
 *   generated union's member that has the member's properties). A `$ref` is checked where it is used and walked
 *   as its own component; the properties an `allOf` `$ref` member brings are also checked at the schema using
 *   them, since an intersection there can collapse them (`string & any` is `any`; reported as
 *   `<schema>/properties/<name>`, "inherited"). Each location counts once, as its JSON pointer in the bundle.
 * - **required dropped**: a property the schema requires (its own `required`, an inline `allOf` member's, or one
 *   beside a `$ref`) that the generated type marks optional.
 * - **missing**: component schemas the output names no type for (some generators emit only the schemas that
 *   operations use); reported, not counted as erased.
 */
import ts from "typescript";
import { type Bundle, type Json, deref } from "../../spec.js";
import type { TypeLookup } from "./tools.js";

type Schema = { [k: string]: Json };

/** One location a generator typed `unknown`/`any` (erased) or made optional although required (required). */
export interface Finding {
  /** JSON pointer of the schema in the bundle, e.g. `#/components/schemas/ImagesResponse/properties/data/items`. */
  pointer: string;
  kind: "erased" | "required";
  /** `unknown` or `any` (erased), or the property name (required). */
  detail: string;
}

export interface TypeLossReport {
  findings: Finding[];
  /** Component schemas the output has no type for. */
  missing: string[];
  /** Component schemas compared. */
  compared: number;
}

const isObj = (n: unknown): n is Schema => !!n && typeof n === "object" && !Array.isArray(n);
const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Whether a schema says what type its values have, so that `unknown`/`any` loses information: it has `type`,
 * `properties`, `items`, `prefixItems`, `enum`, `const` or a schema-valued `additionalProperties`; or it is a
 * `$ref` to such a schema; or an `allOf` with such a member; or an `anyOf`/`oneOf` whose every member is such a
 * schema (one member that allows anything makes the union allow anything). Rule-only schemas
 * (`{required: [a]}`, `not`, descriptions) state no type.
 */
export function statesType(bundle: Bundle, node: Json | undefined, seen: Set<string> = new Set()): boolean {
  if (!isObj(node)) return false;
  if (typeof node.$ref === "string") {
    if (seen.has(node.$ref)) return true;
    const { $ref, ...siblings } = node;
    return statesType(bundle, deref(bundle, { $ref } as Json), new Set([...seen, $ref as string])) || statesType(bundle, siblings, seen);
  }
  if (node.type !== undefined || node.properties || node.items || node.prefixItems || node.enum || node.const !== undefined) return true;
  if (isObj(node.additionalProperties)) return true;
  if (Array.isArray(node.allOf) && node.allOf.some((m) => statesType(bundle, m, seen))) return true;
  for (const k of ["anyOf", "oneOf"] as const) {
    const members = node[k];
    if (Array.isArray(members) && members.length > 0 && members.every((m) => statesType(bundle, m, seen))) return true;
  }
  return false;
}

/** The generated type of each component schema, by the output's naming (see TypeLookup). */
export function componentTypes(checker: ts.TypeChecker, file: ts.SourceFile, names: string[], lookup: TypeLookup): Map<string, ts.Type> {
  const out = new Map<string, ts.Type>();
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) return out;
  const exports = new Map<string, ts.Symbol>();
  for (const s of checker.getExportsOfModule(moduleSymbol)) exports.set(s.getName(), s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  if (lookup === "components") {
    const components = exports.get("components");
    const schemas = components && checker.getPropertyOfType(checker.getDeclaredTypeOfSymbol(components), "schemas");
    if (!schemas) return out;
    const schemasType = checker.getTypeOfSymbol(schemas);
    for (const name of names) {
      const p = checker.getPropertyOfType(schemasType, name);
      if (p) out.set(name, checker.getTypeOfSymbol(p));
    }
    return out;
  }
  const norm = (s: string) => s.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  const byNorm = new Map<string, ts.Symbol>();
  for (const [name, s] of exports) {
    if (lookup === "zod" ? !(s.flags & ts.SymbolFlags.Variable) : !(s.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface | ts.SymbolFlags.Enum))) continue;
    if (!byNorm.has(norm(name))) byNorm.set(norm(name), s);
  }
  for (const name of names) {
    const s = byNorm.get(norm(lookup === "zod" ? `z${name}` : name));
    if (!s) continue;
    if (lookup === "zod") {
      // zod 4: a schema's parsed type is `schema._zod.output` (what `z.infer` reads).
      const internals = checker.getPropertyOfType(checker.getTypeOfSymbol(s), "_zod");
      const output = internals && checker.getPropertyOfType(checker.getTypeOfSymbol(internals), "output");
      if (output) out.set(name, checker.getTypeOfSymbol(output));
    } else out.set(name, checker.getDeclaredTypeOfSymbol(s));
  }
  return out;
}

/** Walks component schemas next to their generated types; see the module comment for what is counted. */
export function typeLosses(bundle: Bundle, checker: ts.TypeChecker, types: Map<string, ts.Type>): TypeLossReport {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const names = Object.keys((bundle.components?.schemas ?? {}) as Record<string, Json>);

  const members = (t: ts.Type): ts.Type[] => {
    const nn = checker.getNonNullableType(t);
    return nn.isUnion() ? nn.types : [nn];
  };
  const loose = (t: ts.Type) => (t.flags & ts.TypeFlags.Any ? "any" : t.flags & ts.TypeFlags.Unknown ? "unknown" : undefined);
  const property = (t: ts.Type, name: string): ts.Symbol | undefined => {
    for (const m of members(t)) {
      const p = checker.getPropertyOfType(m, name);
      if (p) return p;
    }
    return undefined;
  };
  const elementType = (t: ts.Type): ts.Type | undefined => {
    for (const m of members(t)) if (checker.isArrayType(m) || checker.isTupleType(m)) return checker.getIndexTypeOfType(m, ts.IndexKind.Number);
    return undefined;
  };

  /** Own properties and required names of an inline schema and its inline allOf members, with their pointers. */
  const shapeOf = (node: Schema, pointer: string) => {
    const props: [string, Json, string][] = [];
    const required = new Set<string>();
    const add = (s: Schema, ptr: string) => {
      for (const [k, v] of Object.entries(isObj(s.properties) ? s.properties : {})) props.push([k, v, `${ptr}/properties/${esc(k)}`]);
      if (Array.isArray(s.required)) s.required.forEach((r) => typeof r === "string" && required.add(r));
      if (Array.isArray(s.allOf)) s.allOf.forEach((m, i) => isObj(m) && typeof m.$ref !== "string" && add(m, `${ptr}/allOf/${i}`));
    };
    add(node, pointer);
    return { props, required };
  };

  /** Properties that `allOf` `$ref` members (and their own allOf `$ref`s) give a schema. */
  const inherited = (node: Schema, depth = 0): [string, Json][] => {
    if (depth > 6 || !Array.isArray(node.allOf)) return [];
    return node.allOf.flatMap((m) => {
      if (!isObj(m) || typeof m.$ref !== "string") return isObj(m) ? inherited(m, depth + 1) : [];
      const target = deref(bundle, m) as Json;
      if (!isObj(target)) return [];
      return [...Object.entries(isObj(target.properties) ? target.properties : {}), ...inherited(target, depth + 1)];
    });
  };

  const walk = (node: Json | undefined, pointer: string, type: ts.Type, depth: number): void => {
    if (!isObj(node) || depth > 12 || seen.has(pointer)) return;
    seen.add(pointer);
    const lost = loose(type);
    if (lost) {
      // A `$ref` whose component is itself erased is counted once, at the component.
      const target = typeof node.$ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(node.$ref)?.[1] : undefined;
      const targetType = target ? types.get(target.replace(/~1/g, "/").replace(/~0/g, "~")) : undefined;
      if (statesType(bundle, node) && !(targetType && loose(targetType))) findings.push({ pointer, kind: "erased", detail: lost });
      return;
    }
    const { props, required } = shapeOf(node, pointer);
    for (const name of required) {
      const p = property(type, name);
      if (p && p.flags & ts.SymbolFlags.Optional) findings.push({ pointer, kind: "required", detail: name });
    }
    if (typeof node.$ref === "string") return; // its target is walked as its own component
    for (const [name, schema, ptr] of props) {
      const p = property(type, name);
      if (p) walk(schema, ptr, checker.getTypeOfSymbol(p), depth + 1);
    }
    // Properties of `allOf: [{$ref}]` members: their schemas are walked as their own components, but an
    // intersection here can still collapse them (`string & any` is `any`).
    const own = new Set(props.map(([n]) => n));
    for (const [name, schema] of inherited(node)) {
      const p = own.has(name) ? undefined : property(type, name);
      const lostHere = p && loose(checker.getTypeOfSymbol(p));
      if (lostHere && statesType(bundle, schema)) findings.push({ pointer: `${pointer}/properties/${esc(name)}`, kind: "erased", detail: `${lostHere} (inherited)` });
    }
    if (isObj(node.items)) {
      const el = elementType(type);
      if (el) walk(node.items, `${pointer}/items`, el, depth + 1);
    }
    if (isObj(node.additionalProperties)) {
      const idx = members(type).map((m) => checker.getIndexTypeOfType(m, ts.IndexKind.String)).find((x) => x);
      if (idx) walk(node.additionalProperties, `${pointer}/additionalProperties`, idx, depth + 1);
    }
    for (const k of ["anyOf", "oneOf"] as const) {
      const list = node[k];
      if (!Array.isArray(list)) continue;
      list.forEach((m, i) => {
        // A member that states no type (`{required: [a]}`) is a rule, not a shape a generated type could have.
        if (!isObj(m) || (typeof m.$ref === "string" && !m.required) || !statesType(bundle, m)) return;
        const own = shapeOf(m, `${pointer}/${k}/${i}`);
        const wanted = [...new Set([...own.props.map(([n]) => n), ...own.required])];
        if (wanted.length === 0) return;
        const match = members(type).find((t) => wanted.every((n) => checker.getPropertyOfType(t, n)));
        if (match) walk(m, `${pointer}/${k}/${i}`, match, depth + 1);
      });
    }
  };

  const missing: string[] = [];
  for (const name of names) {
    const type = types.get(name);
    if (!type) missing.push(name);
    else walk((bundle.components!.schemas as Record<string, Json>)[name], `#/components/schemas/${esc(name)}`, type, 0);
  }
  return { findings, missing, compared: names.length - missing.length };
}
