/**
 * guard: turns away, the way the gateway does, what would crash or wedge Prism, and hands Prism only forms it
 * can read. Runs first.
 *
 * - A body over 32 MiB: 413 with the gateway's body (new-api's MAX_REQUEST_BODY_MB, default 32, answers 413).
 * - A JSON body that does not parse, or nests deeper than 512 levels: 400 with the gateway's body (Go's decoder
 *   refuses malformed JSON; Prism's validator overflows its stack on very deep values and answers 500).
 * - A multipart form: read with busboy. A malformed form (a part header line without its colon, no boundary, a
 *   body that never closes, more than 1000 parts) is a 400, as Go's mime/multipart refuses it; a well-formed one
 *   is written out again in the one shape Prism's parser survives (every part `form-data; name="..."`, files with
 *   a plain quoted filename and a Content-Type), parts without a name dropped as Go's ReadForm drops them. Prism's
 *   parser (parse-multipart-data) throws, and takes the process down, on anything else: a part without
 *   Content-Disposition, an unquoted or `filename*=` filename, a filename holding `;` or `=`, a file part without
 *   Content-Type.
 * - Repeated parts over a field's `maxItems` (the spec's multipart array fields): 400 naming the field. Prism
 *   keeps only the last repeated part, so it cannot count them.
 * Source: QuantumNous/new-api README (environment variables: MAX_REQUEST_BODY_MB); Go mime/multipart (ReadForm's
 * 1000-part limit, textproto "malformed MIME header line").
 */
import Busboy from "busboy";
import type { Json } from "../../scripts/lib/spec.js";
import { deref } from "../../scripts/lib/spec.js";
import type { Exchange, MockResponse } from "../exchange.js";
import type { Rule, RuleFactory } from "../rule.js";
import type { MockSpec } from "../spec.js";

/** Largest body the gateway takes, in bytes (new-api MAX_REQUEST_BODY_MB default 32). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Deepest JSON nesting passed on to Prism. */
export const MAX_JSON_DEPTH = 512;
/** Most parts in one form (Go's mime/multipart ReadForm limit). */
export const MAX_PARTS = 1000;

type Schema = { [k: string]: unknown };

/** The gateway's error body for `status`, from the spec's shared response example, with `message`. */
function gatewayError(spec: MockSpec, component: string, status: number, message: string, code: string): MockResponse {
  const resp = (spec.bundle.components?.responses as Record<string, Schema> | undefined)?.[component];
  const example = ((resp?.content as Record<string, { example?: Json }> | undefined)?.["application/json"]?.example ?? {}) as { error?: Record<string, Json> };
  const body = { ...example, error: { ...(example.error ?? { type: "new_api_error", param: "" }), message, code } };
  return {
    status,
    headers: { "content-type": "application/json", "access-control-allow-origin": "*" },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** Nesting depth of a JSON text, counted without parsing (strings skipped). */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; mimeType: string; data: Buffer };
}

/** Reads a form with busboy; rejects with busboy's message on a malformed one. */
function readForm(body: Buffer, contentType: string): Promise<Part[]> {
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: { "content-type": contentType }, limits: { parts: MAX_PARTS, fieldSize: MAX_BODY_BYTES, headerPairs: 100 } });
    } catch (e) {
      reject(e as Error);
      return;
    }
    const parts: Part[] = [];
    const pending: Promise<void>[] = [];
    bb.on("field", (name, value) => parts.push({ name, value }));
    bb.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      const part: Part = { name, file: { filename: info.filename ?? name, mimeType: info.mimeType || "application/octet-stream", data: Buffer.alloc(0) } };
      parts.push(part);
      pending.push(
        new Promise((done) => {
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("close", () => {
            part.file!.data = Buffer.concat(chunks);
            done();
          });
        }),
      );
    });
    bb.on("partsLimit", () => reject(new Error(`more than ${MAX_PARTS} parts`)));
    bb.on("error", (e) => reject(e as Error));
    bb.on("close", () => void Promise.all(pending).then(() => resolve(parts)));
    bb.end(body);
  });
}

/** A filename Prism's parser can read: quoted, without `"`, `;`, `=`, backslashes or line breaks. */
const safeName = (s: string) => s.replace(/["\\;=\r\n]/g, "_") || "file";
const safeField = (s: string) => s.replace(/["\r\n;]/g, "_");

/** Writes `parts` out again as multipart with `boundary`, in the shape Prism's parser reads. */
function writeForm(parts: Part[], boundary: string): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const head = p.file
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${safeField(p.name)}"; filename="${safeName(p.file.filename)}"\r\nContent-Type: ${p.file.mimeType}\r\n\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${safeField(p.name)}"\r\n\r\n`;
    out.push(Buffer.from(head, "utf8"), p.file ? p.file.data : Buffer.from(p.value ?? "", "utf8"), Buffer.from("\r\n"));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

/** `maxItems` of each multipart array field of each operation, read from the spec once. */
function partLimits(spec: MockSpec): Map<string, Map<string, number>> {
  const limits = new Map<string, Map<string, number>>();
  const maxItemsOf = (node: unknown, depth = 0): number | undefined => {
    const s = deref(spec.bundle, (node ?? {}) as Schema);
    if (depth > 10 || !s || typeof s !== "object") return undefined;
    if (typeof s.maxItems === "number") return s.maxItems;
    for (const k of ["oneOf", "anyOf", "allOf"] as const) {
      const found = ((s[k] as unknown[] | undefined) ?? []).map((b) => maxItemsOf(b, depth + 1)).filter((n): n is number => n !== undefined);
      if (found.length) return Math.max(...found);
    }
    return undefined;
  };
  for (const op of spec.operations.values()) {
    const body = op.op.requestBody ? deref(spec.bundle, op.op.requestBody) : undefined;
    const schema = body?.content?.["multipart/form-data"]?.schema;
    if (!schema) continue;
    const props = (deref(spec.bundle, schema as Schema).properties ?? {}) as Record<string, unknown>;
    const fields = new Map<string, number>();
    for (const [name, prop] of Object.entries(props)) {
      const max = maxItemsOf(prop);
      if (max !== undefined) fields.set(name, max);
    }
    if (fields.size) limits.set(op.id, fields);
  }
  return limits;
}

/** The guard rule (see the module comment). */
export const guard: RuleFactory = (spec: MockSpec): Rule => {
  const limits = partLimits(spec);
  const bad = (message: string, code = "bad_request_body") => gatewayError(spec, "BadRequest", 400, message, code);
  return {
    name: "guard",
    async onRequest(ex: Exchange): Promise<MockResponse | void> {
      if (ex.body.length > MAX_BODY_BYTES) {
        return gatewayError(spec, "PayloadTooLarge", 413, `request body too large: ${ex.body.length} bytes, the limit is ${MAX_BODY_BYTES}`, "request_body_too_large");
      }
      if (ex.body.length === 0) return;
      const type = (ex.clientHeaders["content-type"] ?? "").toLowerCase();
      if (/[/+]json\b/.test(type)) {
        const text = ex.body.toString("utf8");
        if (jsonDepth(text) > MAX_JSON_DEPTH) return bad(`invalid request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
        try {
          JSON.parse(text);
        } catch (e) {
          return bad(`invalid request body: ${(e as Error).message}`);
        }
        return;
      }
      if (!type.startsWith("multipart/form-data")) return;
      let parts: Part[];
      try {
        parts = await readForm(ex.body, ex.clientHeaders["content-type"]!);
      } catch (e) {
        return bad(`invalid multipart form: ${(e as Error).message}`);
      }
      const fields = ex.route ? limits.get(ex.route.operation.id) : undefined;
      for (const [name, max] of fields ?? []) {
        const n = parts.filter((p) => p.name === name).length;
        if (n > max) return bad(`${name}: ${n} parts, at most ${max} (maxItems)`, "invalid_request");
      }
      // The client's boundary stays: no part it delimited can hold it, and the other rules read the form with the
      // client's Content-Type.
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ex.clientHeaders["content-type"]!)!;
      ex.body = writeForm(parts.filter((p) => p.name !== ""), boundary[1] ?? boundary[2]!);
    },
  };
};
