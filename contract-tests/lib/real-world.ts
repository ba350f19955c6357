/**
 * Checking real-world corpus cases against the bundled spec: which operation a case's route names, its body
 * as the gateway's validator sees it (multipart text coerced by the field's type, as a form is), and the
 * client call that sends it to the mock.
 */
import type { Json, OperationEntry } from "../../scripts/lib/spec.js";
import type { RealWorldCase } from "../../scripts/lib/review/real-world.js";
import { createElkClient } from "../../src/index.js";
import { TEST_KEY, mockBaseUrl, paramsOf, requestContent, schemaOf, upgradeRequest } from "./calls.js";
import { requestBase, responseBase } from "./contract.js";
import { bundle, deref, operation, pointerOf, schemaErrors } from "./spec.js";
import { parseSse } from "./sse.js";

/** The case's route split into method, path (without its `server` prefix), path parameters and query. */
export function routeOf(c: RealWorldCase, entry: OperationEntry): { method: string; path: Record<string, string>; query: Record<string, string> } | string {
  const [method, target] = c.route.split(" ") as [string, string];
  const url = new URL(target, "http://x");
  let pathname = url.pathname;
  if (c.server) {
    if (!pathname.startsWith(c.server + "/")) return `route ${c.route} does not start with its server ${c.server}`;
    pathname = pathname.slice(c.server.length);
  }
  if (method.toLowerCase() !== entry.method) return `route method ${method} is not ${entry.method.toUpperCase()} of ${entry.op.operationId}`;
  const want = pathname.replace(/\/+$/, "").split("/");
  const have = entry.path.split("/");
  const params: Record<string, string> = {};
  const ok =
    have.length === want.length &&
    have.every((seg, i) => {
      // Templates may fill part of a segment (`{model}:generateContent`).
      const names: string[] = [];
      const re = new RegExp(`^${seg.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, n: string) => (names.push(n), "([^/]+)"))}$`);
      const m = re.exec(want[i]!);
      names.forEach((n, j) => (params[n] = decodeURIComponent(m?.[j + 1] ?? "")));
      return m !== null;
    });
  if (!ok) return `route ${c.route} does not match ${entry.op.operationId} (${entry.method.toUpperCase()} ${entry.path})`;
  return { method, path: params, query: Object.fromEntries(url.searchParams) };
}

/** Every type a (resolved) schema or its union members allow. */
function typesOf(node: Json | undefined, depth = 0): Set<string> {
  const s = schemaOf(node) as Record<string, Json>;
  const out = new Set<string>();
  const t = s.type;
  if (typeof t === "string") out.add(t);
  if (Array.isArray(t)) t.forEach((x) => out.add(String(x)));
  if (s.const !== undefined || Array.isArray(s.enum)) for (const v of (s.enum as Json[] | undefined) ?? [s.const as Json]) out.add(v === null ? "null" : typeof v);
  if (depth < 4) for (const k of ["anyOf", "oneOf", "allOf"]) for (const m of (s[k] as Json[] | undefined) ?? []) typesOf(m, depth + 1).forEach((x) => out.add(x));
  return out;
}

/** The array item schema of a field, when the field may be an array. */
function itemsOf(node: Json | undefined): Json | undefined {
  const s = schemaOf(node) as Record<string, Json>;
  if (s.items) return s.items;
  for (const k of ["anyOf", "oneOf"]) for (const m of (s[k] as Json[] | undefined) ?? []) if (schemaOf(m).items) return schemaOf(m).items;
  return undefined;
}

/** One form text value as the field's type reads it: numbers, booleans and JSON parts parsed, the rest text. */
function coerce(value: Json, node: Json | undefined): Json {
  if (typeof value !== "string" || value.startsWith("@")) return value;
  const types = typesOf(node);
  // Numeric text reads as a number wherever the field takes one, also when a string branch (an empty field) is allowed.
  if ((types.has("integer") || types.has("number")) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return Number(value);
  if (types.has("string")) return value;
  if (types.has("boolean") && (value === "true" || value === "false")) return value === "true";
  if (types.has("object") || types.has("array")) {
    try {
      return JSON.parse(value) as Json;
    } catch {
      return value;
    }
  }
  return value;
}

/** A multipart case's fields as the validator sees them: each text coerced by its field's type, repeated parts as arrays. */
export function formAsJson(entry: OperationEntry, body: Record<string, Json>): Record<string, Json> {
  const rc = requestContent(entry);
  const props = schemaOf(rc?.content.schema).properties ?? {};
  const out: Record<string, Json> = {};
  for (const [name, v] of Object.entries(body)) {
    const items = itemsOf(props[name]);
    // A field typed array takes repeated parts: a single part is a list of one.
    const list = Array.isArray(v) ? v : typesOf(props[name]).size === 1 && typesOf(props[name]).has("array") ? [v] : undefined;
    out[name] = list ? list.map((x) => coerce(x, items ?? props[name])) : coerce(v, props[name]);
  }
  return out;
}

const PNG_1x1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/** The file a `"@name.ext"` form value stands for: a 1×1 PNG for images, a few bytes otherwise. */
function fileOf(ref: string): File {
  const name = ref.slice(1) || "file.bin";
  const ext = name.split(".").pop()?.toLowerCase() ?? "";
  const types: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", mp3: "audio/mpeg", wav: "audio/wav", m4a: "audio/mp4", mp4: "video/mp4", jsonl: "application/jsonl", zip: "application/zip" };
  const type = types[ext] ?? "application/octet-stream";
  return new File([type === "image/png" ? PNG_1x1 : Buffer.from("RIFF....WAVEfmt ")], name, { type });
}

/** Problems validating a case against the spec (empty when it is valid). */
export function caseErrors(c: RealWorldCase): string[] {
  let entry: OperationEntry;
  try {
    entry = operation(c.operationId);
  } catch (e) {
    return [(e as Error).message];
  }
  const route = routeOf(c, entry);
  if (typeof route === "string") return [route];
  if (c.server) {
    type Server = { url: string; variables?: Record<string, { default: string; enum?: string[] }> };
    const servers = [...((bundle.paths[entry.path] as { servers?: Server[] }).servers ?? []), ...((entry.op as { servers?: Server[] }).servers ?? [])];
    // A server variable (`https://api.elkapi.com/{mode}`) stands for each of its values.
    const bases = servers.flatMap((s) =>
      Object.entries(s.variables ?? {}).reduce(
        (urls, [name, v]) => urls.flatMap((u) => (v.enum ?? [v.default]).map((value) => u.replaceAll(`{${name}}`, value))),
        [s.url],
      ),
    );
    if (!bases.some((u) => new URL(u).pathname.replace(/\/$/, "") === c.server)) return [`${c.operationId} declares no server with the base ${c.server}`];
  }
  if (c.kind === "request") {
    const rc = requestContent(entry);
    if (!rc) return c.body === undefined ? [] : [`${c.operationId} takes no request body`];
    if (c.body === undefined) return entry.op.requestBody && (deref(bundle, entry.op.requestBody) as { required?: boolean }).required ? ["the body is missing"] : [];
    const media = c.mediaType ?? rc.media;
    const body = deref(bundle, entry.op.requestBody!) as { content?: Record<string, unknown> };
    if (!body.content?.[media]) return [`${c.operationId} takes no ${media} body`];
    const value = media === "multipart/form-data" ? formAsJson(entry, c.body as Record<string, Json>) : c.body;
    return schemaErrors(`${requestBase(entry)}${pointerOf("content", media, "schema")}`, value);
  }
  const status = String(c.status ?? 200);
  if (!entry.op.responses[status]) return [`${c.operationId} declares no ${status} answer`];
  const media = c.mediaType ?? "application/json";
  const resp = deref(bundle, entry.op.responses[status]!) as { content?: Record<string, { schema?: Json; "x-elkapi-sse"?: { done?: string } }> };
  const mt = resp.content?.[media];
  if (!mt) return [`${c.operationId} ${status} has no ${media} content`];
  const base = `${responseBase(entry, status)}${pointerOf("content", media, "schema")}`;
  if (media === "text/event-stream") {
    const done = mt["x-elkapi-sse"]?.done;
    return parseSse(String(c.body)).flatMap((ev, i) => {
      if (ev.data === done) return [];
      try {
        return schemaErrors(`${base}/contentSchema`, JSON.parse(ev.data)).map((e) => `event ${i}: ${e}`);
      } catch {
        return [`event ${i}: data is not JSON: ${ev.data.slice(0, 80)}`];
      }
    });
  }
  return schemaErrors(base, c.body);
}

/** A WebSocket endpoint: its only success is `101 Switching Protocols`, a handshake fetch cannot make. */
export function upgradeOnly(entry: OperationEntry): boolean {
  const statuses = Object.keys(entry.op.responses);
  return statuses.includes("101") && !statuses.some((s) => /^2\d\d$/.test(s));
}

/**
 * Sends a request case through createElkClient to the mock (a WebSocket operation's case as its handshake, which
 * fetch cannot send); resolves with the answer's status and text.
 */
export async function sendCase(c: RealWorldCase): Promise<{ status: number; text: string }> {
  const entry = operation(c.operationId);
  const route = routeOf(c, entry);
  if (typeof route === "string") throw new Error(route);
  if (upgradeOnly(entry)) {
    // The WebSocket handshake headers (Upgrade, Sec-WebSocket-*) are what any ws library sends.
    const answer = await upgradeRequest(new URL(mockBaseUrl() + c.route.split(" ")[1]!), { ...paramsOf(entry).header, ...c.headers });
    return { status: answer.status === 101 ? 200 : answer.status, text: JSON.stringify(answer.body ?? "") };
  }
  const elk = createElkClient({ apiKey: TEST_KEY, baseUrl: mockBaseUrl() + (c.server ?? ""), maxRetries: 0 });
  const media = c.mediaType ?? requestContent(entry)?.media;
  let body: unknown = c.body;
  if (media === "multipart/form-data" && body && typeof body === "object") {
    const form = new FormData();
    for (const [name, v] of Object.entries(body as Record<string, Json>)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (typeof item === "string" && item.startsWith("@")) form.append(name, fileOf(item));
        else form.append(name, typeof item === "object" && item !== null ? JSON.stringify(item) : String(item));
      }
    }
    body = form;
  }
  const call = elk[route.method as "POST"] as unknown as (path: string, init: Record<string, unknown>) => Promise<{ response: Response; data: unknown }>;
  const { response, data } = await call(entry.path, {
    params: { path: route.path, query: route.query, header: { ...paramsOf(entry).header, ...(c.headers ?? {}) } },
    ...(body !== undefined ? { body } : {}),
    parseAs: "text",
  });
  return { status: response.status, text: String(data) };
}
