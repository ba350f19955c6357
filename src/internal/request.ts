/**
 * The per-call function of the client (openapi-fetch's `coreFetch`, for this gateway): builds the URL with
 * openapi-fetch's own path and query serializers, merges the headers, sets the key, serialises the body once,
 * runs middleware when there is any, sends through the transport (retries, timeouts) and turns the answer into
 * `{ data, response }` or a typed error. Without middleware no Request or extra Response is built: fetch gets
 * `(url, init)` and the body is read once.
 */
import { type Middleware, type ParseAs, createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
import type { ElkApiError } from "../errors.js";
import type { ElkRequestOptions, FetchLike } from "../types.js";
import { type CallSite, dataOf, errorFor } from "./answers.js";
import { encodeForm, serializeBody } from "./multipart.js";
import { type CallFacts, findOperation } from "./operation-index.js";
import type { ResolvedOptions } from "./options.js";
import { type Answer, type CallContext, type Outgoing, send } from "./transport.js";
import { checkMs, checkRetries } from "./values.js";

/** What a call takes: openapi-fetch's options (params, body, headers, parseAs ...) plus ElkRequestOptions. */
export type CallInit = ElkRequestOptions & {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  headers?: HeadersInit | Record<string, string | number | boolean | null | undefined>;
  parseAs?: ParseAs;
  baseUrl?: string;
  fetch?: FetchLike;
  middleware?: Middleware[];
  querySerializer?: ((query: Record<string, unknown>) => string) | Parameters<typeof createQuerySerializer>[0];
  bodySerializer?: (body: unknown) => unknown;
  pathSerializer?: (pathname: string, params: Record<string, unknown>) => string;
};

/** A call's result: the parsed answer and the response it came in (its body already read, unless streamed). */
export interface CallResult {
  data: unknown;
  response: Response;
  /** Attempts the transport made. */
  attempts: number;
}

/** One call of the client, with the client's middleware list. */
export interface Requester {
  (method: string, path: string, init?: CallInit): Promise<CallResult>;
  middleware: Middleware[];
}

const defaultQuery = createQuerySerializer();
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** Headers from any form openapi-fetch accepts into one lower-cased record; `null` removes a header. */
function mergeInto(out: Record<string, string>, h: unknown): void {
  if (!h || typeof h !== "object") return;
  const entries: Iterable<[string, unknown]> = h instanceof Headers || Array.isArray(h) ? new Headers(h as HeadersInit).entries() : Object.entries(h);
  for (const [k, v] of entries) {
    const key = k.toLowerCase();
    if (v === null) delete out[key];
    else if (Array.isArray(v)) out[key] = v.join(", ");
    else if (v !== undefined) out[key] = String(v);
  }
}

/** The client's per-call function over resolved options (see the module comment). */
export function createRequester(o: ResolvedOptions): Requester {
  const middleware: Middleware[] = [];

  const request = (async (method: string, path: string, init: CallInit = {}): Promise<CallResult> => {
    const { timeoutMs, idleTimeoutMs, maxRetries, idempotent, params = {}, body, headers, parseAs = "json", baseUrl, fetch, querySerializer, bodySerializer, pathSerializer } = init;
    checkMs("timeoutMs", timeoutMs, method);
    checkMs("idleTimeoutMs", idleTimeoutMs, method);
    checkRetries(maxRetries, method);
    const facts = findOperation(method, path);
    const query = typeof querySerializer === "function" ? querySerializer : querySerializer ? createQuerySerializer(querySerializer) : defaultQuery;
    const url = createFinalURL(path, {
      baseUrl: baseUrl ? baseUrl.replace(/\/+$/, "") : o.baseUrl,
      params,
      querySerializer: query as (q: unknown) => string,
      pathSerializer: pathSerializer ?? defaultPathSerializer,
    });
    const site: CallSite = { operationId: facts?.operationId ?? null, method, url, secret: o.apiKey };
    const ctx: CallContext = {
      operationId: site.operationId,
      idempotent: idempotent ?? facts?.idempotent ?? (method === "GET" || method === "HEAD"),
      maxRetries: maxRetries ?? o.maxRetries,
      timeoutMs: timeoutMs ?? o.timeoutMs,
      // A call's own timeoutMs also bounds stream silences, unless an idle limit was set somewhere.
      idleTimeoutMs: idleTimeoutMs ?? o.idleTimeoutMs ?? timeoutMs ?? o.timeoutMs,
      read: parseAs === "stream" ? "stream" : parseAs === "blob" || parseAs === "arrayBuffer" ? "bytes" : "text",
      secret: o.apiKey,
      fetch: fetch ?? o.fetch,
      log: o.log,
      sleep: o.sleep,
      random: o.random,
    };
    try {
      const out = await outgoing(method, url, o, init, facts, body, headers, params.header, bodySerializer);
      const answer = middleware.length || init.middleware?.length
        ? await withMiddleware([...middleware, ...(init.middleware ?? [])], { ctx, out, path, params, parseAs, query, o })
        : await send(ctx, out);
      if (!answer.response.ok) throw errorFor(answer, site);
      return { data: dataOf(answer, parseAs, facts, site), response: answer.response, attempts: answer.attempts };
    } catch (e) {
      if (o.log.enabled("warn")) {
        const err = e as Partial<ElkApiError> & Error;
        o.log.warn(`${method} ${path} failed: ${err.name}${err.status !== undefined ? ` ${err.status}` : ""} after ${err.attempts ?? "?"} attempt(s): ${err.message}`, {
          operationId: site.operationId,
          error: e,
        });
      }
      throw e;
    }
  }) as Requester;
  request.middleware = middleware;
  return request;
}

/** The request as every attempt sends it: headers merged (client, call, header params), key and body set. */
async function outgoing(
  method: string,
  url: string,
  o: ResolvedOptions,
  init: CallInit,
  facts: CallFacts | null,
  body: unknown,
  headers: CallInit["headers"],
  headerParams: Record<string, unknown> | undefined,
  bodySerializer: CallInit["bodySerializer"],
): Promise<Outgoing> {
  const h: Record<string, string> = {};
  let payload: Outgoing["body"];
  if (body !== undefined) {
    const serialized = bodySerializer ? bodySerializer(body) : serializeBody(body, facts?.files ?? null, facts?.jsonToo);
    if (typeof FormData !== "undefined" && serialized instanceof FormData) {
      const form = await encodeForm(serialized);
      payload = form.bytes;
      h["content-type"] = form.contentType;
    } else {
      payload = serialized as string;
      h["content-type"] = "application/json";
    }
  }
  mergeInto(h, o.headers);
  mergeInto(h, headers);
  mergeInto(h, headerParams);
  h.authorization ??= `Bearer ${o.apiKey}`;
  return { url, method, headers: h, body: payload, signal: init.signal };
}

/**
 * The call with middleware: a Request for the onRequest hooks (in order; one may answer instead), the transport
 * for the Request they leave, and the onResponse hooks (in reverse) over a Response of the answer read.
 */
async function withMiddleware(
  list: Middleware[],
  c: { ctx: CallContext; out: Outgoing; path: string; params: NonNullable<CallInit["params"]>; parseAs: ParseAs; query: unknown; o: ResolvedOptions },
): Promise<Answer> {
  const id = Math.random().toString(36).slice(2, 11);
  const options = Object.freeze({ baseUrl: c.o.baseUrl, parseAs: c.parseAs, querySerializer: c.query, bodySerializer: (b: unknown) => b, pathSerializer: defaultPathSerializer, fetch: c.ctx.fetch });
  const base = { schemaPath: c.path, params: c.params, id, options } as unknown as Parameters<NonNullable<Middleware["onRequest"]>>[0];
  let request = new Request(c.out.url, { method: c.out.method, headers: c.out.headers, body: c.out.body ?? null, ...(c.out.signal ? { signal: c.out.signal } : {}) });
  let answer: Answer | undefined;
  for (const m of list) {
    const result = await m.onRequest?.({ ...base, request });
    if (result instanceof Request) request = result;
    else if (result instanceof Response) {
      answer = { response: result, text: await result.text(), attempts: 0 };
      break;
    } else if (result !== undefined) throw new Error("onRequest: must return new Request() or Response() when modifying the request");
  }
  if (!answer) {
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    try {
      answer = await send(c.ctx, { url: request.url, method: request.method, headers, body, signal: c.out.signal });
    } catch (error) {
      let failure: unknown = error;
      for (const m of [...list].reverse()) {
        const result = await m.onError?.({ ...base, request, error: failure });
        if (result instanceof Response) {
          answer = { response: result, text: await result.text(), attempts: 1 };
          break;
        }
        if (result instanceof Error) failure = result;
      }
      if (!answer) throw failure;
    }
  }
  for (const m of [...list].reverse()) {
    if (!m.onResponse) continue;
    const { response } = answer;
    const body = NULL_BODY_STATUS.has(response.status) ? null : (answer.stream ?? answer.bytes ?? answer.text ?? null);
    const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    const result = await m.onResponse({ ...base, request, response: copy });
    if (result === undefined) continue;
    if (!(result instanceof Response)) throw new Error("onResponse: must return new Response() when modifying the response");
    answer = c.ctx.read === "stream" && result.ok ? { response: result, stream: result.body, attempts: answer.attempts } : { response: result, text: await result.text(), attempts: answer.attempts };
  }
  return answer;
}
