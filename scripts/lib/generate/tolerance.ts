/**
 * The tolerance policy's checkable part (openapi/README.md, "Tolerance"): requests accept every value the gateway
 * forwards. In request schemas (bodies and parameters, through $refs):
 * - a model-id field (`model`, `model_name`, `modelName`, `*_model`, `model_version`, Suno's `mv` ...) is never a
 *   closed enum or const: the gateway routes new model ids every month without a spec change;
 * - any other closed `enum` names the source that shows the gateway or vendor refusing other values, in
 *   `x-elkapi-closed-enum`; otherwise it is written open: `anyOf: [{type: string, enum: [known ...]}, {type: string}]`
 *   (OpenAI's own spelling for model ids), so the known values stay in the types and docs; a number set likewise,
 *   `anyOf: [{type: integer, enum: [5, 10]}, {type: integer}]`.
 * Enums of one value (discriminators such as `type: function`) and enums inside an open anyOf are not flagged.
 */
import { type Bundle, deref, operationsOf } from "../spec.js";

/** Property names that hold a model id. */
export const MODEL_FIELD = /^(mv|(.*_)?model(_?(name|id|version|type))?|.*Model(Name|Id|Version)?)$/i;

type Node = Record<string, unknown>;

const isObj = (v: unknown): v is Node => !!v && typeof v === "object" && !Array.isArray(v);

/** A union member that accepts any string (no enum, const, pattern or format narrowing it). */
function anyString(bundle: Bundle, member: unknown): boolean {
  const s = deref(bundle, member as Node);
  if (!isObj(s)) return false;
  const t = s.type;
  const stringy = t === "string" || (Array.isArray(t) && t.includes("string"));
  return stringy && s.enum === undefined && s.const === undefined && s.pattern === undefined && s.format === undefined && s.maxLength === undefined;
}

/** A union member that accepts any integer / number, for the open number set `anyOf: [{type: integer, enum: [5, 10]}, {type: integer}]`. */
function anyNumber(bundle: Bundle, member: unknown): boolean {
  const s = deref(bundle, member as Node);
  if (!isObj(s)) return false;
  const t = s.type;
  const numeric = ["integer", "number"].some((k) => t === k || (Array.isArray(t) && t.includes(k)));
  return numeric && s.enum === undefined && s.const === undefined;
}

/** A union is open when a member takes any string, or any number and every enum in it lists numbers only. */
function openUnion(bundle: Bundle, members: unknown[]): boolean {
  if (members.some((m) => anyString(bundle, m))) return true;
  const values = members.flatMap((m) => {
    const s = deref(bundle, m as Node);
    return isObj(s) && Array.isArray(s.enum) ? (s.enum as unknown[]) : [];
  });
  return members.some((m) => anyNumber(bundle, m)) && values.every((v) => typeof v === "number");
}

export interface ToleranceFinding {
  operationId: string;
  /** Dotted field path inside the request (`body.aspect_ratio`, `query.mode`). */
  field: string;
  kind: "closed-model" | "closed-enum";
  values: unknown[];
}

/** Every closed enum of the request schemas (see the module comment). */
export function toleranceFindings(bundle: Bundle): ToleranceFinding[] {
  const out: ToleranceFinding[] = [];
  for (const { op } of operationsOf(bundle)) {
    const seen = new Set<unknown>();
    const walk = (raw: unknown, field: string, name: string, open: boolean) => {
      const s = deref(bundle, raw as Node);
      if (!isObj(s) || seen.has(s)) return;
      seen.add(s);
      const closed = Array.isArray(s.enum) ? (s.enum as unknown[]) : s.const !== undefined ? [s.const] : undefined;
      if (closed && !open) {
        if (MODEL_FIELD.test(name)) out.push({ operationId: op.operationId, field, kind: "closed-model", values: closed });
        else if (Array.isArray(s.enum) && closed.length > 1 && !(typeof s["x-elkapi-closed-enum"] === "string" && s["x-elkapi-closed-enum"].length >= 10)) {
          out.push({ operationId: op.operationId, field, kind: "closed-enum", values: closed });
        }
      }
      for (const [prop, sub] of Object.entries(isObj(s.properties) ? s.properties : {})) walk(sub, `${field}.${prop}`, prop, false);
      for (const key of ["items", "additionalProperties", "contains", "not"]) if (isObj(s[key])) walk(s[key], `${field}[]`, name, false);
      for (const item of Array.isArray(s.prefixItems) ? s.prefixItems : []) walk(item, `${field}[]`, name, false);
      for (const key of ["anyOf", "oneOf"]) {
        const members = Array.isArray(s[key]) ? (s[key] as unknown[]) : [];
        const isOpen = open || openUnion(bundle, members);
        for (const m of members) walk(m, field, name, isOpen);
      }
      for (const m of Array.isArray(s.allOf) ? s.allOf : []) walk(m, field, name, open);
    };
    const body = op.requestBody ? deref(bundle, op.requestBody) : undefined;
    for (const mt of Object.values(body?.content ?? {})) walk(mt.schema, "body", "", false);
    for (const raw of op.parameters ?? []) {
      const p = deref(bundle, raw) as { name?: string; in?: string; schema?: unknown };
      if (p.schema) walk(p.schema, `${p.in}.${p.name}`, p.name ?? "", false);
    }
  }
  return out;
}

/** One line per finding, for generate's problem list and the tests. */
export function toleranceProblems(findings: ToleranceFinding[]): string[] {
  return findings.map((f) =>
    f.kind === "closed-model"
      ? `${f.operationId}: ${f.field} is a model id but a closed ${JSON.stringify(f.values)}: write it open (anyOf: [{type: string, enum: [...]}, {type: string}])`
      : `${f.operationId}: ${f.field} is a closed enum ${JSON.stringify(f.values)}: write it open, or name the source that shows other values refused in x-elkapi-closed-enum`,
  );
}
