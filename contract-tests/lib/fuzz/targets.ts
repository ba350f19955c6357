/**
 * What the property-based tests fuzz for each operation: its request body schema (the media type the client
 * sends), its parameters' schemas, and how a drawn request is put on the wire.
 */
import type { Json, OperationEntry } from "../../../scripts/lib/spec.js";
import { operations } from "../../../generated/operations.js";
import { type NamedExample, allOperations, bundle, deref, examplesOf, pointerOf } from "../spec.js";
import { FILE_PREFIX, drawValid } from "./sampler.js";

/** One parameter of an operation and where its schema is. */
export interface ParamTarget {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  /** JSON pointer of its schema in the bundle. */
  pointer: string;
  /** It carries the key (an apiKey scheme the operation requires, and the client's Bearer key does not do). */
  credential: boolean;
}

/** One operation (one per request media type when it takes several) as the fuzzer sees it. */
export interface FuzzTarget {
  entry: OperationEntry;
  id: string;
  /** The operationId, with the media type when the operation takes several (`generateIdeogramV3Image (application/json)`). */
  name: string;
  /** The operation takes more than one request media type. */
  mixed: boolean;
  /** The request media type the client sends (undefined without a body). */
  media?: string;
  /** JSON pointer of the request body schema. */
  bodyPointer?: string;
  bodyRequired: boolean;
  params: ParamTarget[];
  /** A WebSocket endpoint: its only success is 101, which fetch cannot ask for; sent as a raw handshake. */
  upgrade: boolean;
}

/** A drawn request: the body as the schema describes it (files as marked strings) and the parameters. */
export interface FuzzRequest {
  body?: Json;
  path: Record<string, Json>;
  query: Record<string, Json>;
  header: Record<string, Json>;
}

// Headers the mock itself reads (`Prefer` picks Prism's example and status) are the test's to set, not drawn.
const MOCK_CONTROL = new Set(["prefer"]);

function targetsOf(entry: OperationEntry): FuzzTarget[] {
  const raw = entry.op.requestBody as { $ref?: string } | undefined;
  const body = raw ? deref(bundle, entry.op.requestBody!) : undefined;
  // Every media type is fuzzed: the client sends JSON, or multipart for a multipart-only operation or a body
  // holding a file; a form without a file for an operation that also takes JSON is handed over as FormData.
  const medias = Object.keys(body?.content ?? {});
  const base = raw?.$ref ? raw.$ref.slice(1) : pointerOf("paths", entry.path, entry.method, "requestBody");
  const params: ParamTarget[] = [];
  const schemes = (bundle.components?.securitySchemes ?? {}) as Record<string, { type: string; in?: string; name?: string }>;
  const security = ((entry.op as { security?: unknown }).security ?? bundle.security ?? []) as Record<string, unknown>[];
  const bearerWorks = security.length === 0 || security.some((alt) => Object.keys(alt).some((n) => schemes[n]?.type === "http"));
  const carriesKey = (name: string, where: string) =>
    !bearerWorks && security.some((alt) => Object.keys(alt).some((n) => schemes[n]?.type === "apiKey" && schemes[n]?.in === where && schemes[n]?.name?.toLowerCase() === name.toLowerCase()));
  (entry.op.parameters ?? []).forEach((p, i) => {
    const r = deref(bundle, p) as { name: string; in: string; required?: boolean; schema?: Json };
    if (!r.schema || !["path", "query", "header"].includes(r.in) || MOCK_CONTROL.has(r.name.toLowerCase())) return;
    const at = (p as { $ref?: string }).$ref ? `${(p as { $ref: string }).$ref.slice(1)}/schema` : pointerOf("paths", entry.path, entry.method, "parameters", String(i), "schema");
    params.push({ name: r.name, in: r.in as ParamTarget["in"], required: r.in === "path" || r.required === true, pointer: at, credential: carriesKey(r.name, r.in) });
  });
  const statuses = Object.keys(entry.op.responses);
  const common = {
    entry,
    id: entry.op.operationId,
    bodyRequired: body?.required === true,
    params,
    upgrade: statuses.includes("101") && !statuses.some((s) => /^2\d\d$/.test(s)),
    mixed: medias.length > 1,
  };
  if (medias.length === 0) return [{ ...common, name: common.id }];
  return medias.map((media) => ({
    ...common,
    name: medias.length > 1 ? `${common.id} (${media})` : common.id,
    media,
    bodyPointer: `${base}${pointerOf("content", media, "schema")}`,
  }));
}

/** Every operation of the spec as a fuzz target, in document order. */
export const fuzzTargets: FuzzTarget[] = allOperations.flatMap(targetsOf);

/** A small deterministic generator (splitmix32) for choices made around the sampler, e.g. which optional parameters to send. */
export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

/**
 * A request valid against the spec, drawn from `seed`: the body from its schema, every required parameter and
 * about half the optional ones from theirs. Path parameters are never empty (an empty segment is another route).
 */
export function drawRequest(t: FuzzTarget, seed: number): FuzzRequest {
  const req: FuzzRequest = { path: {}, query: {}, header: {} };
  const pick = rng(seed);
  if (t.bodyPointer) req.body = drawValid(t.bodyPointer, seed).value;
  t.params.forEach((p, i) => {
    if (!p.required && pick() < 0.5) return;
    let v = drawValid(p.pointer, seed + 101 * (i + 1)).value;
    for (let n = 1; p.in === "path" && String(v) === "" && n < 20; n++) v = drawValid(p.pointer, seed + 101 * (i + 1) + n).value;
    req[p.in][p.name] = v;
  });
  return req;
}

function fileOf(field: string, marked: string, contentTypes: readonly string[]): File {
  const bytes = Uint8Array.from(marked.slice(FILE_PREFIX.length), (c) => c.charCodeAt(0));
  const type = contentTypes[0] ?? "application/octet-stream";
  const ext = type.split("/")[1]?.replace(/\W.*$/, "") || "bin";
  return new File([bytes], `${field}.${ext}`, { type });
}

const isFileMark = (v: unknown): v is string => typeof v === "string" && v.startsWith(FILE_PREFIX);

/**
 * The body as the client is given it: for multipart, marked file strings become small Files named after the
 * field with the spec's first encoding media type (arrays of them stay arrays: repeated parts); the client
 * turns numbers and booleans into text and objects into JSON text. A JSON body is sent as it is.
 */
export function wireBody(t: FuzzTarget, body: Json | undefined): unknown {
  if (t.media !== "multipart/form-data" || !body || typeof body !== "object" || Array.isArray(body)) return body;
  const files = (operations[t.id as keyof typeof operations] as { files?: Record<string, readonly string[]> } | undefined)?.files ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(body)) {
    if (isFileMark(v)) out[name] = fileOf(name, v, files[name] ?? []);
    else if (Array.isArray(v) && v.some(isFileMark)) out[name] = v.map((x) => (isFileMark(x) ? fileOf(name, x, files[name] ?? []) : x));
    else out[name] = v;
  }
  const hasFile = Object.values(out).some((v) => v instanceof Blob || (Array.isArray(v) && v.some((x) => x instanceof Blob)));
  return t.mixed && !hasFile ? formDataOf(out) : out;
}

/** A form as the client builds one (arrays as repeated parts, objects as JSON text, null fields left out). */
function formDataOf(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, v] of Object.entries(fields)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === null || item === undefined) continue;
      form.append(name, item instanceof Blob ? item : typeof item === "object" ? JSON.stringify(item) : String(item));
    }
  }
  return form;
}

/** Parameters as openapi-fetch takes them: path and header values as text, query values as drawn. */
export function wireParams(req: FuzzRequest): { path: Record<string, string>; query: Record<string, unknown>; header: Record<string, string> } {
  const text = (o: Record<string, Json>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  return { path: text(req.path), query: { ...req.query }, header: text(req.header) };
}

/** The request examples of the media type the client sends. */
export function examplesFor(t: FuzzTarget): NamedExample[] {
  if (!t.media || !t.entry.op.requestBody) return [];
  return examplesOf(deref(bundle, t.entry.op.requestBody).content?.[t.media]);
}
