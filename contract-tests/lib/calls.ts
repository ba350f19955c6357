/** Building calls for any operation from its spec entry: parameters, bodies (JSON or multipart) and the client. */
import http from "node:http";
import { inject } from "vitest";
import { createElkClient, type ElkClient } from "../../src/index.js";
import type { Json, OperationEntry } from "../../scripts/lib/spec.js";
import { bundle, deref, examplesOf } from "./spec.js";

/** The key tests use; it must never show up in an error. */
export const TEST_KEY = "sk-elk-test-9f8e7d6c5b4a3210";

/** Base URL of the run's mock (its front, default rules). */
export const mockBaseUrl = (): string => inject("mockBaseUrl");

/** Base URL of the Prism behind the run's mock, to put a front with other rules before it. */
export const prismBaseUrl = (): string => inject("prismBaseUrl");

/** A client pointed at the mock. No retries: the mock's scripted errors would only repeat (faults/ tests retries). */
export function testClient(extra: Parameters<typeof createElkClient>[0] = {}): ElkClient {
  return createElkClient({ apiKey: TEST_KEY, baseUrl: mockBaseUrl(), maxRetries: 0, ...extra });
}

type Schema = { [k: string]: Json | undefined } & {
  properties?: Record<string, Json>;
  required?: string[];
  oneOf?: Json[];
  anyOf?: Json[];
  items?: Json;
  enum?: Json[];
  format?: string;
};

/** Resolves a schema's $ref chain. */
export const schemaOf = (node: Json | undefined): Schema => deref(bundle, (node ?? {}) as Schema);

function isBinary(node: Json | undefined): boolean {
  const s = schemaOf(node);
  if (s.format === "binary") return true;
  if (s.items && isBinary(s.items)) return true;
  return [...(s.oneOf ?? []), ...(s.anyOf ?? [])].some(isBinary);
}

/** The request body media type and its content object. */
export function requestContent(entry: OperationEntry): { media: string; content: { schema?: Json; encoding?: Record<string, { contentType?: string }> } } | undefined {
  const body = entry.op.requestBody ? deref(bundle, entry.op.requestBody) : undefined;
  const [media, content] = Object.entries(body?.content ?? {})[0] ?? [];
  return media && content ? { media, content: content as never } : undefined;
}

/** Request examples of an operation (resolved). */
export function requestExamples(entry: OperationEntry) {
  const rc = requestContent(entry);
  const body = entry.op.requestBody ? deref(bundle, entry.op.requestBody) : undefined;
  return rc ? examplesOf(body?.content?.[rc.media]) : [];
}

/**
 * Turns an example value into what the client sends: JSON as is; for multipart, file fields become Files
 * (named `<field>.<ext>` with the encoding's first media type), everything else stays text.
 */
export function toBody(entry: OperationEntry, value: Json): unknown {
  const rc = requestContent(entry);
  if (!rc || rc.media !== "multipart/form-data" || !value || typeof value !== "object" || Array.isArray(value)) return value;
  const props = schemaOf(rc.content.schema).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!isBinary(props[name]) || v === "") {
      out[name] = v;
      continue;
    }
    const type = rc.content.encoding?.[name]?.contentType?.split(",")[0]?.trim() ?? "application/octet-stream";
    const ext = type.split("/")[1]?.replace(/\W.*$/, "") || "bin";
    const file = (s: Json) => new File([String(s)], `${name}.${ext}`, { type });
    out[name] = Array.isArray(v) ? v.map(file) : file(v);
  }
  const isFile = (v: unknown) => v instanceof Blob || (Array.isArray(v) && v.some((x) => x instanceof Blob));
  if (!Object.values(out).some(isFile)) {
    // No file left (e.g. the "missing required file" test): the client would send JSON, which a multipart-only
    // operation refuses without naming the field. Send the form the operation declares instead.
    return formOf(out);
  }
  return out;
}

/** A multipart body as FormData: files as they are, arrays as repeated parts, objects as JSON text, the rest as text. */
export function formOf(body: unknown): FormData {
  const form = new FormData();
  for (const [name, v] of Object.entries(body as Record<string, unknown>)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === null || item === undefined) continue;
      form.append(name, item instanceof Blob ? item : typeof item === "object" ? JSON.stringify(item) : String(item));
    }
  }
  return form;
}

/** Path, query and header parameter values taken from the parameters' examples. */
export function paramsOf(entry: OperationEntry): { path: Record<string, string>; query: Record<string, string>; header: Record<string, string> } {
  const out = { path: {} as Record<string, string>, query: {} as Record<string, string>, header: {} as Record<string, string> };
  for (const raw of entry.op.parameters ?? []) {
    const p = deref(bundle, raw) as { name: string; in: string; required?: boolean; example?: Json; schema?: Json };
    if (p.in !== "path" && !p.required) continue;
    const s = schemaOf(p.schema) as Schema & { examples?: Json[]; default?: Json };
    const value = p.example ?? s.examples?.[0] ?? s.default ?? s.enum?.[0] ?? "test-id";
    (out as Record<string, Record<string, string>>)[p.in]![p.name] = String(value);
  }
  return out;
}

/** Options of `callOperation`. */
export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  parseAs?: "json" | "text" | "blob" | "stream";
  client?: ElkClient;
}

/** Calls an operation through the typed client, choosing the method and path from the spec entry. */
export async function callOperation(entry: OperationEntry, opts: CallOptions = {}): Promise<{ data: unknown; response: Response }> {
  const client = opts.client ?? testClient();
  const method = client[entry.method.toUpperCase() as "GET" | "POST"] as unknown as (
    url: string,
    init: Record<string, unknown>,
  ) => Promise<{ data: unknown; response: Response }>;
  const params = paramsOf(entry);
  return method(entry.path, {
    params,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    headers: opts.headers ?? {},
    parseAs: opts.parseAs ?? "json",
  });
}

/** The concrete URL path of an operation with its example path parameters filled in. */
export function concretePath(entry: OperationEntry): string {
  const { path } = paramsOf(entry);
  return entry.path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(path[n] ?? "test-id"));
}

/** The answer to a WebSocket upgrade handshake: a 101 with its headers, or an HTTP error with its parsed body. */
export interface HandshakeAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body?: unknown;
}

/**
 * Sends an operation's WebSocket upgrade handshake (a GET with `Upgrade: websocket`, which fetch refuses to send)
 * with the key, the required query and header parameters from their examples, and `headers` on top. On 101 the
 * socket is closed at once; no frames are exchanged.
 */
export function handshake(entry: OperationEntry, headers: Record<string, string> = {}): Promise<HandshakeAnswer> {
  const { query, header } = paramsOf(entry);
  const url = new URL(mockBaseUrl() + concretePath(entry));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return upgradeRequest(url, { ...header, ...headers });
}

/** Sends an operation's handshake GET to `url` with the key and `headers` (the mock answers it with 101). */
export function upgradeRequest(url: URL, headers: Record<string, string> = {}): Promise<HandshakeAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "GET",
      headers: { Authorization: `Bearer ${TEST_KEY}`, ...headers },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("handshake timed out")));
    req.end();
  });
}
