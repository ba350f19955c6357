/**
 * Mutations of a whole drawn request (body and parameters), and the oracle that says whether a mutated request
 * still breaks a rule of the spec as it travels: a JSON body as it is; a multipart form and the parameters as
 * text, which the spec's types are read from (OpenAPI's form and parameter serialisation, the coercion Prism also
 * applies). Only mutations the oracle confirms are sent as invalid requests.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Json } from "../../../scripts/lib/spec.js";
import { bundle, validatorAt } from "../spec.js";
import { type Mutation, mutationsOf } from "./mutations.js";
import type { FuzzRequest, FuzzTarget } from "./targets.js";

const coercing = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, coerceTypes: true });
addFormats.default(coercing);
coercing.addFormat("binary", true);
coercing.addSchema(bundle as object, "spec");
const cache = new Map<string, ValidateFunction>();
function textValidator(pointer: string): ValidateFunction {
  let v = cache.get(pointer);
  if (!v) {
    v = coercing.getSchema(`spec#${pointer}`);
    if (!v) throw new Error(`no schema at ${pointer}`);
    cache.set(pointer, v);
  }
  return v;
}

/**
 * A multipart body as the form carries it: scalars as text, objects as JSON text, arrays as repeated parts (an
 * empty array is no part at all, so no field).
 */
export function formView(body: Json): Json {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const text = (v: Json): Json => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null || (Array.isArray(v) && v.length === 0)) continue; // the client sends no part for these
    out[k] = Array.isArray(v) ? v.filter((x) => x !== null).map(text) : text(v);
  }
  return out;
}

const paramText = (v: Json): Json => (Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : typeof v === "string" ? v : JSON.stringify(v));

/** A mutation of a request, with where it happened. */
export interface RequestMutation extends Mutation {
  in: "body" | "path" | "query" | "header";
  request: FuzzRequest;
  /** The key itself went missing or empty: the answer is a 401, not a validation error. */
  unauthenticated?: boolean;
}

/** Whether `req` breaks a rule of the spec as it is sent (see the module comment). */
export function breaksARule(t: FuzzTarget, req: FuzzRequest): boolean {
  if (t.bodyPointer && req.body !== undefined) {
    const ok = t.media === "multipart/form-data" ? textValidator(t.bodyPointer)(formView(req.body)) : validatorAt(t.bodyPointer)(req.body);
    if (!ok) return true;
  } else if (t.bodyRequired) return true;
  for (const p of t.params) {
    const v = req[p.in][p.name];
    if (v === undefined) {
      if (p.required) return true;
      continue;
    }
    if (!textValidator(p.pointer)(paramText(v))) return true;
  }
  return false;
}

/** Every single-rule mutation of a request: its body's (see mutations.ts) and its parameters'. */
export function requestMutations(t: FuzzTarget, req: FuzzRequest): RequestMutation[] {
  const out: RequestMutation[] = [];
  if (t.bodyPointer && req.body !== undefined) {
    for (const m of mutationsOf(t.bodyPointer, req.body, { multipart: t.media === "multipart/form-data" })) out.push({ ...m, in: "body", request: { ...req, body: m.value } });
  }
  for (const p of t.params) {
    const v = req[p.in][p.name];
    if (v === undefined) continue;
    const at = (value: Json | undefined): FuzzRequest => {
      const request: FuzzRequest = { ...req, [p.in]: { ...req[p.in] } };
      if (value === undefined) delete request[p.in][p.name];
      else request[p.in][p.name] = value;
      return request;
    };
    // An absent path parameter is another route, not a request to this operation.
    if (p.required && p.in !== "path") {
      out.push({ kind: "required", path: [p.name], field: p.name, value: null, definite: true, note: `${p.in} parameter "${p.name}" removed`, in: p.in, request: at(undefined), ...(p.credential ? { unauthenticated: true } : {}) });
    }
    for (const m of mutationsOf(p.pointer, v, { multipart: true })) {
      if (p.in === "path" && m.value === "") continue;
      out.push({ ...m, path: [p.name], field: p.name, note: `${p.in} parameter "${p.name}" ${m.note}`, in: p.in, request: at(m.value), ...(p.credential && m.value === "" ? { unauthenticated: true } : {}) });
    }
  }
  return out;
}
