/** The bundled spec as tests read it: operations, resolved examples, and Ajv 2020 validators for its schemas. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { type Bundle, type Json, type OperationEntry, deref, operationsOf } from "../../scripts/lib/spec.js";
import { generatedDir } from "../../scripts/lib/paths.js";

export const bundle: Bundle = JSON.parse(readFileSync(path.join(generatedDir, "openapi.json"), "utf8"));
export const allOperations: OperationEntry[] = operationsOf(bundle);
export { deref };

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats.default(ajv);
ajv.addFormat("binary", true);
ajv.addSchema(bundle as object, "spec");
const cache = new Map<string, ValidateFunction>();

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** JSON pointer of a node of the bundle from its path segments. */
export function pointerOf(...segments: string[]): string {
  return "/" + segments.map(escape).join("/");
}

/** Validator for the schema at `pointer` in the bundle (refs resolve against the whole document). */
export function validatorAt(pointer: string): ValidateFunction {
  let v = cache.get(pointer);
  if (!v) {
    v = ajv.getSchema(`spec#${pointer}`);
    if (!v) throw new Error(`no schema at ${pointer}`);
    cache.set(pointer, v);
  }
  return v;
}

/** Validates `value` against the schema at `pointer`; returns Ajv's messages (empty when valid). */
export function schemaErrors(pointer: string, value: unknown): string[] {
  const v = validatorAt(pointer);
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message} ${JSON.stringify(e.params)}`);
}

/** One named example of a media type, resolved. */
export interface NamedExample {
  name: string;
  value: Json;
}

/** Named examples (and a lone `example`, named "example") of a media type object. */
export function examplesOf(mediaType: { example?: Json; examples?: Record<string, unknown> } | undefined): NamedExample[] {
  if (!mediaType) return [];
  const out: NamedExample[] = [];
  for (const [name, ex] of Object.entries(mediaType.examples ?? {})) {
    const resolved = deref(bundle, ex as { value?: Json });
    if (resolved.value !== undefined) out.push({ name, value: resolved.value });
  }
  if (mediaType.example !== undefined) out.push({ name: "example", value: mediaType.example });
  return out;
}

/** Finds an operation by id. */
export function operation(id: string): OperationEntry {
  const e = allOperations.find((o) => o.op.operationId === id);
  if (!e) throw new Error(`no operation ${id} in generated/openapi.json`);
  return e;
}

/** The operation serving `method` + a concrete path (e.g. `/dream-machine/v1/generations/abc`). */
export function operationForUrl(method: string, urlPath: string): OperationEntry | undefined {
  const want = urlPath.replace(/\/+$/, "").split("/");
  return allOperations.find((o) => {
    if (o.method !== method.toLowerCase()) return false;
    const have = o.path.split("/");
    return have.length === want.length && have.every((seg, i) => /^\{[^}]+\}$/.test(seg) || seg === want[i]);
  });
}
