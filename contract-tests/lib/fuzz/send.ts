/**
 * Sending a drawn request through `createElkClient` (or, for WebSocket endpoints, as a raw handshake) and
 * checking the answer against the spec: its status is declared, and its body validates against the schema of
 * that status and media type (each `data:` of an SSE answer against the stream's `contentSchema`).
 */
import { fieldsFromBody, violationsFromHeader } from "../../../src/internal/error-body.js";
import { errorClassFor } from "../../../src/errors.js";
import { ElkApiError, ErrorInBodyError } from "../../../src/index.js";
import http from "node:http";
import { TEST_KEY, mockBaseUrl, testClient } from "../calls.js";
import { bundle, deref, pointerOf, schemaErrors } from "../spec.js";
import { parseSse } from "../sse.js";
import { type FuzzRequest, type FuzzTarget, wireBody, wireParams } from "./targets.js";

/** Longest a fuzz call may take before it counts as a hang, in ms. */
export const CALL_TIMEOUT_MS = 15_000;

/** What came back for one request. */
export interface Answer {
  status: number;
  media: string;
  /** Parsed JSON, SSE text, or the byte count of a binary answer. */
  body: unknown;
  /** The typed error the client threw, if it threw. */
  error?: ElkApiError;
}

const client = () => testClient({ timeoutMs: CALL_TIMEOUT_MS });

/** Sends `req` for operation `t`; never throws for an HTTP answer (the client's typed error is kept). */
export async function send(t: FuzzTarget, req: FuzzRequest, headers: Record<string, string> = {}): Promise<Answer> {
  if (t.upgrade) return upgrade(t, req, headers);
  const c = client();
  const method = c[t.entry.method.toUpperCase() as "GET"] as unknown as (path: string, init: Record<string, unknown>) => Promise<{ data: unknown; response: Response }>;
  const body = wireBody(t, req.body);
  try {
    const { data, response } = await method(t.entry.path, {
      params: wireParams(req),
      ...(body !== undefined ? { body } : {}),
      headers,
      parseAs: "blob",
    });
    const media = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const blob = data as Blob;
    const textual = /json|text|event-stream/.test(media);
    const text = textual ? await blob.text() : "";
    return { status: response.status, media, body: media.includes("json") ? JSON.parse(text) : textual ? text : blob.size };
  } catch (e) {
    if (!(e instanceof ElkApiError)) throw e;
    const media = (e.headers?.["content-type"] ?? "").split(";")[0]!.trim();
    return { status: e.status ?? 0, media, body: e.body, error: e };
  }
}

function responseObject(t: FuzzTarget, status: number): { pointer: string; content: Record<string, { schema?: unknown; "x-elkapi-sse"?: { done?: string } }> } | undefined {
  const responses = t.entry.op.responses;
  const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
  if (!key) return undefined;
  const raw = responses[key] as { $ref?: string };
  const pointer = raw.$ref ? raw.$ref.slice(1) : pointerOf("paths", t.entry.path, t.entry.method, "responses", key);
  return { pointer, content: (deref(bundle, raw) as { content?: never }).content ?? {} };
}

/**
 * What is wrong with an answer according to the spec: an undeclared status or media type, or schema errors.
 * Empty when the answer is as declared. Binary answers are checked for having bytes only.
 */
export function answerProblems(t: FuzzTarget, a: Answer): string[] {
  const resp = responseObject(t, a.status);
  if (!resp) return [`status ${a.status} is not declared`];
  const medias = Object.keys(resp.content);
  if (medias.length === 0) return [];
  const media = medias.find((m) => m === a.media) ?? medias.find((m) => m.endsWith("/*") && a.media.startsWith(m.slice(0, -1)));
  if (!media) return [`media type "${a.media}" is not declared for ${a.status} (${medias.join(", ")})`];
  const at = `${resp.pointer}${pointerOf("content", media, "schema")}`;
  if (media === "text/event-stream") {
    const done = resp.content[media]?.["x-elkapi-sse"]?.done;
    const events = parseSse(String(a.body));
    if (events.length === 0) return ["an empty event stream"];
    return events.flatMap((ev) => (done !== undefined && ev.data === done ? [] : schemaErrors(`${at}/contentSchema`, JSON.parse(ev.data))));
  }
  if (media.includes("json")) return schemaErrors(at, a.body);
  return typeof a.body === "number" && a.body === 0 ? ["an empty binary answer"] : [];
}

/** True when the client reported an error the gateway sends inside a 2xx (the body is still checked). */
export const isErrorIn200 = (a: Answer): boolean => a.error instanceof ErrorInBodyError;

/**
 * A WebSocket handshake with exactly the drawn headers (fetch cannot send `Upgrade`): 101 closes the socket at
 * once; an error status is read like any answer.
 */
function upgrade(t: FuzzTarget, req: FuzzRequest, headers: Record<string, string>): Promise<Answer> {
  const p = wireParams(req);
  const url = new URL(mockBaseUrl() + t.entry.path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(p.path[n] ?? "")));
  for (const [k, v] of Object.entries(p.query)) url.searchParams.set(k, typeof v === "string" ? v : JSON.stringify(v));
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method: "GET", headers: { Authorization: `Bearer ${TEST_KEY}`, ...p.header, ...headers } });
    r.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, media: "", body: undefined });
    });
    r.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        const media = String(res.headers["content-type"] ?? "").split(";")[0]!.trim();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        const status = res.statusCode ?? 0;
        // Typed like the client's errors, so invalid handshakes are judged the same way.
        const error = status >= 400 ? errorFor(status, body, res.headers) : undefined;
        resolve({ status, media, body, ...(error ? { error } : {}) });
      });
    });
    r.on("error", reject);
    r.setTimeout(CALL_TIMEOUT_MS, () => r.destroy(new Error("handshake timed out")));
    r.end();
  });
}

/** The client's typed error for an answer it cannot fetch itself (a handshake), built the way its middleware does. */
function errorFor(status: number, body: unknown, headers: http.IncomingHttpHeaders): ElkApiError {
  const fields = fieldsFromBody(body);
  const validation = [...(fields.validation ?? []), ...violationsFromHeader((headers["sl-violations"] as string | undefined) ?? null)];
  const detail = validation.length ? `; request violations: ${validation.map((v) => `${v.location.join(".") || "request"}: ${v.message}`).join("; ")}` : "";
  const Cls = errorClassFor(status);
  return new Cls({ message: `${status} ${fields.message ?? ""}${detail}`, status, body, validation, secret: TEST_KEY });
}
