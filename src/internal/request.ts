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
import { dataOf } from "./answers.js";
import type { CallSite } from "./failures.js";
import { type CallFacts, findOperation } from "./operation-index.js";
import type { ResolvedOptions } from "./options.js";
import { type CallContext, type Outgoing, send } from "./transport.js";
import { checkMs, checkRetries } from "./values.js";

/** What a call takes: openapi-fetch's options (params, body, headers, parseAs ...) plus ElkRequestOptions. */
export type CallInit = ElkRequestOptions & {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  headers?: Headers | [string, string][] | Record<string, string | number | boolean | null | undefined>;
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

/** Headers from any form openapi-fetch accepts into one lower-cased record; `null` removes a header. */
function mergeInto(out: Record<string, string>, h: unknown): void {
  if (!h || typeof h !== "object") return;
  const entries: Iterable<[string, unknown]> = h instanceof Headers || Array.isArray(h) ? new Headers(h as ConstructorParameters<typeof Headers>[0]).entries() : Object.entries(h);
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
    const site: CallSite = { route: facts.route, method, url, secret: o.apiKey };
    const ctx: CallContext = {
      route: facts.route,
      idempotent,
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
        ? await (await import("./middleware.js")).withMiddleware([...middleware, ...(init.middleware ?? [])], { ctx, out, path, params, parseAs, query, o })
        : await send(ctx, out);
      if (!answer.response.ok) throw (await import("./failures.js")).errorFor(answer, site);
      return { data: await dataOf(answer, parseAs, facts, site), response: answer.response, attempts: answer.attempts };
    } catch (e) {
      if (o.log.enabled("warn")) {
        const err = e as Partial<ElkApiError> & Error;
        o.log.warn(`${method} ${path} failed: ${err.name}${err.status !== undefined ? ` ${err.status}` : ""} after ${err.attempts ?? "?"} attempt(s): ${err.message}`, {
          operationId: err.operationId ?? null,
          error: e,
        });
      }
      throw e;
    }
  }) as Requester;
  request.middleware = middleware;
  return request;
}

const isBlob = (v: unknown): boolean => typeof Blob !== "undefined" && v instanceof Blob;

/** True when a body goes as multipart: FormData, or an object for a multipart-only operation or holding a Blob. */
function isForm(body: unknown, facts: CallFacts): boolean {
  if (typeof FormData !== "undefined" && body instanceof FormData) return true;
  if (!body || typeof body !== "object" || Array.isArray(body)) return false;
  if (facts.multipart && !facts.jsonToo) return true;
  return Object.values(body).some((v) => isBlob(v) || (Array.isArray(v) && v.some(isBlob)));
}

/** The request as every attempt sends it: headers merged (client, call, header params), key and body set. */
async function outgoing(
  method: string,
  url: string,
  o: ResolvedOptions,
  init: CallInit,
  facts: CallFacts,
  body: unknown,
  headers: CallInit["headers"],
  headerParams: Record<string, unknown> | undefined,
  bodySerializer: CallInit["bodySerializer"],
): Promise<Outgoing> {
  const h: Record<string, string> = {};
  let payload: Outgoing["body"];
  if (body !== undefined) {
    const serialized = bodySerializer ? bodySerializer(body) : body;
    if (isForm(serialized, facts)) {
      // Forms are rare next to JSON calls: their encoder (and the file-field table) loads on first use.
      const form = await (await import("./multipart.js")).encodeForm(serialized as FormData | Record<string, unknown>, facts.route);
      payload = form.bytes;
      h["content-type"] = form.contentType;
    } else {
      payload = bodySerializer ? (serialized as string) : JSON.stringify(serialized);
      h["content-type"] = "application/json";
    }
  }
  mergeInto(h, o.headers);
  mergeInto(h, headers);
  mergeInto(h, headerParams);
  h.authorization ??= `Bearer ${o.apiKey}`;
  return { url, method, headers: h, body: payload, signal: init.signal };
}
