/**
 * Prism's engine in the front's own process: the same router, validators and mocker `prism mock` runs
 * (@stoplight/prism-http, configured as prism-cli 5.14.2 configures it), called with the exchange the front
 * already read, and answered the way prism-http-server answers (its body parsing, `Prefer` reading,
 * serializers, `sl-violations` header and CORS headers). Without it every call crossed a second HTTP hop to a
 * Prism process, which cost a quarter of the mock's throughput with one call in flight (bench/README §4).
 */
import { getHttpOperationsFromSpec, createInstance, resetJSONSchemaGenerator, ProblemJsonError } from "@stoplight/prism-http";
import type { IHttpRequest, IHttpConfig } from "@stoplight/prism-http";
import { getHttpConfigFromRequest } from "@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js";
import { serialize } from "@stoplight/prism-http-server/dist/serialize.js";
import { createLogger } from "@stoplight/prism-core";
import type { Exchange, MockResponse } from "./exchange.js";

/** Answers one exchange as Prism would; never rejects for a bad request (Prism's own error bodies come back). */
export type Engine = (ex: Exchange) => Promise<MockResponse>;

// prism-cli's `mock` defaults: requests and answers validated, security checked, static examples unless a
// request asks `Prefer: dynamic=true`, violations reported in a header only (`--errors false`).
const CONFIG: IHttpConfig = {
  validateRequest: true,
  validateResponse: true,
  checkSecurity: true,
  errors: false,
  upstreamProxy: undefined,
  mock: { dynamic: false, ignoreExamples: false },
  isProxy: false,
} as IHttpConfig;

const MAX_SAFE_HEADER_LENGTH = 8 * 1024 - 100;

/** type-is's match of `application/json` and `application/*+json`, as prism-http-server asks it. */
function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[^/\s]+\+json$/.test(type);
}

/** prism-http-server's body reading: none without a length, JSON for JSON media types, text for the rest. */
function bodyOf(ex: Exchange): { value: unknown } | { error: MockResponse } {
  if (ex.body.length === 0) return { value: null };
  const text = ex.body.toString("utf8");
  if (!isJson(ex.headers["content-type"])) return { value: text };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // micri's answer to a JSON body that does not parse.
    const body = Buffer.from(JSON.stringify({ error: { code: "invalid_json", message: "Invalid JSON" } }));
    return { error: { status: 400, headers: { "content-type": "application/json; charset=utf-8" }, body } };
  }
}

/** Prism's CORS headers (prism-cli's default `--cors`), on every answer. */
function corsHeaders(h: Record<string, string>): Record<string, string> {
  return {
    "access-control-allow-origin": h.origin || "*",
    "access-control-allow-headers": h["access-control-request-headers"] || "*",
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": h["access-control-expose-headers"] || "*",
  };
}

/** micri's `send`: the content type it defaults to for a string body, and the length. */
function sent(status: number, headers: Record<string, string>, body: unknown): MockResponse {
  if (body === undefined || body === null) return { status, headers, body: Buffer.alloc(0) };
  const text = typeof body === "string" ? body : JSON.stringify(body);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
    headers["content-type"] = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
  }
  return { status, headers, body: Buffer.from(text) };
}

const lower = (h: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));

/**
 * Reads `document` (the mock's view of the bundle, see view.ts; a file path or the parsed document, which Prism
 * dereferences in place) as `prism mock` does and returns its engine. Rejects when it holds no operation.
 */
export async function createEngine(document: string | object): Promise<Engine> {
  const operations = await getHttpOperationsFromSpec(document);
  if (operations.length === 0) throw new Error("the spec has no operations");
  // What prism-cli's configureExtensionsUserProvided does for a spec without `x-json-schema-faker`.
  resetJSONSchemaGenerator();
  const logger = createLogger("HTTP SERVER", { level: "silent" });
  const prism = createInstance(CONFIG, { logger });

  return async (ex) => {
    const cors = corsHeaders(ex.headers);
    // Prism's CORS preflight (answered before routing).
    if (ex.method === "OPTIONS" && ex.headers.origin && ex.headers["access-control-request-method"]) {
      return {
        status: 204,
        headers: { ...cors, "access-control-allow-methods": ex.headers["access-control-request-method"], vary: "origin", "content-length": "0" },
        body: Buffer.alloc(0),
      };
    }
    const body = bodyOf(ex);
    if ("error" in body) return { ...body.error, headers: { ...cors, ...body.error.headers } };
    const url = new URL(ex.target, "http://example.com");
    const query: Record<string, string | string[]> = {};
    for (const key of url.searchParams.keys()) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length === 1 ? all[0]! : all;
    }
    const input: IHttpRequest = {
      method: ex.method.toLowerCase() as IHttpRequest["method"],
      url: { path: url.pathname, baseUrl: url.searchParams.get("__server") || undefined, query },
      headers: { connection: "keep-alive", ...ex.connection, ...ex.headers, ...(ex.body.length ? { "content-length": String(ex.body.length) } : {}) },
      body: body.value,
    };
    const perRequest = getHttpConfigFromRequest(input);
    const result = perRequest._tag === "Left"
      ? perRequest
      : await prism.request(input, operations, { ...CONFIG, mock: { ...CONFIG.mock, ...dropUndefined(perRequest.right) } })();
    if (result._tag === "Left") {
      const e = result.left as Error & { status?: number; additional?: { headers?: Record<string, string> } };
      const headers = { ...cors, "content-type": "application/problem+json", ...lower(e.additional?.headers) };
      return sent(e.status || 500, headers, JSON.stringify(ProblemJsonError.toProblemJson(e)));
    }
    const { output, validations } = result.right;
    const headers: Record<string, string> = { ...cors };
    const violations = [
      ...validations.input.map((d) => violation("request", d)),
      ...validations.output.map((d) => violation("response", d)),
    ];
    if (violations.length) {
      let value = JSON.stringify(violations);
      if (value.length > MAX_SAFE_HEADER_LENGTH) value = `Too many violations! ${value.substring(0, MAX_SAFE_HEADER_LENGTH)}`;
      headers["sl-violations"] = value;
    }
    Object.assign(headers, lower(output.headers as Record<string, unknown> | undefined));
    try {
      return sent(output.statusCode, headers, serialize(output.body, headers["content-type"]));
    } catch (e) {
      const err = e as Error & { status?: number };
      return sent(err.status || 500, { ...cors, "content-type": "application/problem+json" }, JSON.stringify(ProblemJsonError.toProblemJson(err)));
    }
  };
}

const SEVERITY = ["Error", "Warning", "Information", "Hint"];

function violation(prefix: string, d: { path?: readonly (string | number)[]; severity: number; code?: string | number; message: string }) {
  return { location: [prefix, ...(d.path ?? [])], severity: SEVERITY[d.severity], code: d.code, message: d.message };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
