/**
 * createElkClient: an openapi-fetch client typed by the generated `paths`, with middleware for auth and typed
 * errors, and under the middleware a transport that retries, times out and buffers (transport.ts). No
 * per-endpoint wrappers: call any operation by its path, e.g. `elk.POST("/v1/embeddings", { body })`. Helpers
 * exist only where the protocol needs them: `elk.stream(operationId, init)` for SSE, `toFile` for uploads.
 */
import createClient, { type FetchOptions, type FetchResponse, type Middleware, type ParseAs } from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import { type OperationId, type OperationInfo, operations } from "../generated/operations.js";
import type { operations as OperationTypes, paths } from "../generated/schema.js";
import { requestIdFrom, summarizeText } from "./error-body.js";
import { ElkApiError, InvalidResponseError } from "./errors.js";
import { type ElkLogger, LOG_LEVELS, type Log, type LogLevel, createLog, parseLogLevel } from "./logger.js";
import { authMiddleware } from "./middleware/auth.js";
import { errorsMiddleware } from "./middleware/errors.js";
import { bodySerializerFor } from "./multipart.js";
import { findOperation } from "./operation-index.js";
import { DEFAULT_MAX_RETRIES } from "./retry.js";
import { ElkStream, type SseOperationId, type StreamEvent, type StreamFinal } from "./streaming.js";
import { type CallContext, type CallState, type FetchLike, type Sleep, createCallFetch, realSleep } from "./transport.js";

/** Default base URL of the gateway. */
export const DEFAULT_BASE_URL = "https://api.elkapi.com";
/** Default per-attempt timeout: 10 minutes, in ms (long generations can take minutes). */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** Options of `createElkClient`. */
export interface ElkClientOptions {
  /** ElkAPI key (`sk-...`). Default: the `ELKAPI_API_KEY` environment variable. Required one way or the other. */
  apiKey?: string;
  /** Gateway origin. Default: `ELKAPI_BASE_URL`, else `https://api.elkapi.com`. Use the mock's URL in tests. */
  baseUrl?: string;
  /**
   * Deadline of each attempt, in ms: connecting, the headers and (except for streams) reading the whole body.
   * Default 600000 (10 min). Overridable per call.
   */
  timeoutMs?: number;
  /** Longest silence allowed between bytes of a stream once its headers arrived, in ms. Default: `timeoutMs`. */
  idleTimeoutMs?: number;
  /** Retries after the first attempt (see README "Retries" for which failures). Default 2; 0 disables. */
  maxRetries?: number;
  /** A fetch to use instead of `globalThis.fetch` (proxies, tests). Called once per attempt with a fresh Request. */
  fetch?: FetchLike;
  /** Extra headers sent with every request (e.g. `anthropic-version`). */
  headers?: Record<string, string>;
  /** Where log lines go. Default `console` (when a level is on). Lines never contain the key. */
  logger?: ElkLogger;
  /** Least severe level logged. Default: `ELKAPI_LOG` (`debug`, `info`, `warn`, `error`, `off`), else `info` when `logger` is given, else `off`. */
  logLevel?: LogLevel;
  /** Testing hook: replaces the wait between attempts (receives the wait in ms and the caller's signal). */
  sleep?: Sleep;
  /** Testing hook: the jitter source, a function returning [0, 1). Default Math.random. */
  random?: () => number;
}

/** Options every call accepts next to openapi-fetch's (`body`, `params`, `headers`, `signal`, `parseAs` ...). */
export interface ElkRequestOptions {
  /** This call's per-attempt deadline, in ms (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** This call's stream idle limit, in ms (default: the client's `idleTimeoutMs`). */
  idleTimeoutMs?: number;
  /** This call's retries after the first attempt (default: the client's `maxRetries`). */
  maxRetries?: number;
  /**
   * Treat this call as safe to send again after the server may have acted on it (`true`), or not (`false`).
   * Default: the spec's answer (GET, or `x-elkapi-idempotent`). Opt in for a task submit only when a duplicate
   * task is acceptable.
   */
  idempotent?: boolean;
  /** The caller's AbortSignal: aborting throws APIUserAbortError and is never retried. */
  signal?: AbortSignal;
}

type Init<P, M extends keyof P> = FetchOptions<P[M]>;
/**
 * The init argument: optional when the operation needs no body or parameters. `parseAs` is its own type
 * parameter: inferring it with the rest of the init fails whenever the body holds an enum literal (openapi-fetch's
 * mapped body type widens it), and `data` would lose its Blob/text/stream type.
 */
type InitParam<P, M extends keyof P, I, A extends ParseAs> = RequiredKeysOf<Init<P, M>> extends never
  ? [init?: I & { parseAs?: A } & ElkRequestOptions & { [key: string]: unknown }]
  : [init: I & { parseAs?: A } & ElkRequestOptions & { [key: string]: unknown }];
type Json = "application/json";

/**
 * What a call resolves to: errors are thrown, so `data` is always there: the JSON answer, or with `parseAs` a
 * `Blob` (binary answers such as speech audio), `string` (`text`), `ArrayBuffer` or the body `stream`.
 */
export interface ElkResponse<T extends Record<string | number, any>, A extends ParseAs = "json"> {
  data: NonNullable<FetchResponse<T, { parseAs: A }, Json>["data"]>;
  response: Response;
}

/** A call of one HTTP method, typed by path. */
export type ElkMethod<M extends HttpMethod> = <P extends PathsWithMethod<paths, M>, I extends Init<paths[P], M>, A extends ParseAs = "json">(
  url: P,
  ...init: InitParam<paths[P], M, I, A>
) => Promise<ElkResponse<paths[P][M] & Record<string | number, any>, A>>;

/**
 * What `elk.stream(operationId, init)` takes: the operation's usual call options (body, params, headers, signal)
 * plus ElkRequestOptions. The client sets `Accept: text/event-stream` and the body's `stream: true`.
 */
export type StreamInit<Id extends SseOperationId> = FetchOptions<OperationTypes[Id]> & ElkRequestOptions;

/** The client `createElkClient` returns. */
export interface ElkClient {
  GET: ElkMethod<"get">;
  POST: ElkMethod<"post">;
  PUT: ElkMethod<"put">;
  DELETE: ElkMethod<"delete">;
  PATCH: ElkMethod<"patch">;
  /**
   * Streams an SSE operation (one whose spec answer has `x-elkapi-sse`) as typed events; see streaming.ts.
   * Resolves once the stream's headers arrived (retries and timeouts apply up to then).
   * @example const stream = await elk.stream("createChatCompletion", { body: { model, messages } });
   *          for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? "");
   * @throws the typed HTTP errors as any call; InvalidResponseError when the answer is not `text/event-stream`.
   */
  stream<Id extends SseOperationId>(operationId: Id, init: StreamInit<Id>): Promise<ElkStream<StreamEvent<Id>, StreamFinal<Id>>>;
  /** Adds openapi-fetch middleware (runs after auth, before typed errors are thrown; sees each call once). */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
  /** The gateway origin this client calls. */
  readonly baseUrl: string;
}

function env(name: string): string | undefined {
  return typeof process !== "undefined" ? process.env?.[name] : undefined;
}

function checkMs(name: string, value: unknown, where = "createElkClient"): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value <= 0)) {
    throw new TypeError(`${where}: ${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
}

function checkRetries(value: unknown, where = "createElkClient"): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
    throw new TypeError(`${where}: maxRetries must be an integer >= 0, got ${String(value)}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Creates a typed ElkAPI client.
 * @throws TypeError when no key is given (option or `ELKAPI_API_KEY`), or an option breaks its rule.
 * Calls throw `ElkApiError` subclasses (see errors.ts) for non-2xx answers, errors inside 200s, timeouts,
 * aborts and connection failures, after the retries the policy allows (retry.ts).
 */
export function createElkClient(options: ElkClientOptions = {}): ElkClient {
  const givenKey = options.apiKey ?? env("ELKAPI_API_KEY");
  if (typeof givenKey !== "string" || givenKey.trim() === "") {
    throw new TypeError("createElkClient: no API key: pass { apiKey } or set the ELKAPI_API_KEY environment variable");
  }
  const apiKey: string = givenKey;
  const baseUrl = options.baseUrl ?? env("ELKAPI_BASE_URL") ?? DEFAULT_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(`createElkClient: baseUrl must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`createElkClient: baseUrl must use http or https, got "${parsed.protocol}"`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkMs("timeoutMs", timeoutMs);
  const idleTimeoutMs = options.idleTimeoutMs ?? timeoutMs;
  checkMs("idleTimeoutMs", idleTimeoutMs);
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  checkRetries(maxRetries);
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("createElkClient: fetch must be a function");
  }
  if (options.logLevel !== undefined && !LOG_LEVELS.includes(options.logLevel)) {
    throw new TypeError(`createElkClient: logLevel must be one of ${LOG_LEVELS.join(", ")}, got ${String(options.logLevel)}`);
  }
  const envLevel = parseLogLevel(env("ELKAPI_LOG"));
  const log: Log = createLog({
    logger: options.logger,
    level: options.logLevel ?? envLevel ?? (options.logger ? "info" : "off"),
    secret: apiKey,
  });
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const client = createClient<paths, Json>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: options.headers,
    fetch: baseFetch,
  });
  // Order matters: errors are thrown last, after any middleware a caller adds with use().
  client.use(errorsMiddleware(apiKey), authMiddleware(apiKey));

  type Raw = (url: string, init: Record<string, unknown>) => Promise<{ data?: unknown; response: Response }>;

  /** One logical call: per-call options split off, the transport built, errors logged. */
  async function call(method: string, url: string, init: Record<string, unknown> = {}, state?: { current?: CallState }) {
    const { timeoutMs: t, idleTimeoutMs: idle, maxRetries: r, idempotent, fetch: callFetch, ...rest } = init as ElkRequestOptions & {
      fetch?: FetchLike;
      [k: string]: unknown;
    };
    checkMs("timeoutMs", t, method);
    checkMs("idleTimeoutMs", idle, method);
    checkRetries(r, method);
    const op = findOperation(method, url);
    const ctx: CallContext = {
      operationId: op?.id ?? null,
      idempotent: idempotent ?? op?.info.idempotent ?? (method === "GET" || method === "HEAD"),
      maxRetries: r ?? maxRetries,
      timeoutMs: t ?? timeoutMs,
      idleTimeoutMs: idle ?? (t !== undefined && options.idleTimeoutMs === undefined ? t : idleTimeoutMs),
      stream: rest.parseAs === "stream",
      secret: apiKey,
      fetch: callFetch ?? baseFetch,
      log,
      sleep,
      random,
    };
    const transport = createCallFetch(ctx);
    const raw = (client as unknown as Record<string, Raw>)[method]!;
    try {
      return await raw(url, {
        ...rest,
        bodySerializer: rest.bodySerializer ?? bodySerializerFor((op?.info as OperationInfo | undefined)?.files ?? null),
        fetch: async (req: Request) => {
          const res = await transport(req);
          if (state) state.current = ctx.state;
          return res;
        },
      });
    } catch (e) {
      if (log.enabled("warn")) {
        const err = e as Partial<ElkApiError> & Error;
        log.warn(`${method} ${url} failed: ${err.name}${err.status !== undefined ? ` ${err.status}` : ""} after ${err.attempts ?? "?"} attempt(s): ${err.message}`, {
          operationId: op?.id ?? null,
          error: e,
        });
      }
      throw e;
    }
  }

  const method = (m: string) => (url: string, init?: Record<string, unknown>) => call(m, url, init);

  async function stream(operationId: OperationId, init: Record<string, unknown> & ElkRequestOptions) {
    const info = operations[operationId] as OperationInfo | undefined;
    if (!info?.sse) {
      throw new TypeError(`elk.stream: ${String(operationId)} has no SSE answer with x-elkapi-sse in the spec`);
    }
    const controller = new AbortController();
    const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    // The stream flag goes where the operation takes it (generated/operations.ts `streamFlag`).
    const flag = info.streamFlag;
    const body = flag?.in === "body" && isPlainObject(init.body) ? { ...init.body, [flag.name]: flag.value } : init.body;
    const givenParams = (init.params ?? {}) as { query?: Record<string, unknown> };
    const params = flag?.in === "query" ? { ...givenParams, query: { ...givenParams.query, [flag.name]: flag.value } } : init.params;
    const given = init.headers as HeadersInit | Record<string, string | null | undefined> | undefined;
    const headers =
      given instanceof Headers || Array.isArray(given)
        ? (() => {
            const h = new Headers(given);
            h.set("accept", "text/event-stream");
            return h;
          })()
        : { ...Object.fromEntries(Object.entries(given ?? {}).filter(([k]) => k.toLowerCase() !== "accept")), Accept: "text/event-stream" };
    const state: { current?: CallState } = {};
    const { response } = await call(info.method, info.path, { ...init, ...(params ? { params } : {}), body, headers, signal, parseAs: "stream" }, state);
    const attempts = state.current?.attempts ?? 1;
    const contentType = (response.headers.get("content-type") ?? "").toLowerCase();
    if (!contentType.includes("text/event-stream")) {
      const rawBody = await response.text().catch(() => "");
      throw new InvalidResponseError({
        message: `Expected a text/event-stream answer, got ${contentType || "no content-type"}: ${summarizeText(rawBody) || "(empty)"} (${info.method} ${info.path})`,
        status: response.status,
        operationId,
        method: info.method,
        url: response.url || `${elk.baseUrl}${info.path}`,
        requestId: requestIdFrom(response.headers, undefined),
        body: rawBody,
        rawBody,
        attempts,
        secret: apiKey,
      });
    }
    return new ElkStream({
      response,
      operationId,
      rule: info.sse,
      controller,
      method: info.method,
      url: response.url || `${elk.baseUrl}${info.path}`,
      attempts,
      secret: apiKey,
    });
  }

  const elk = {
    GET: method("GET"),
    POST: method("POST"),
    PUT: method("PUT"),
    DELETE: method("DELETE"),
    PATCH: method("PATCH"),
    stream,
    use: (...m: Middleware[]) => client.use(...m),
    eject: (...m: Middleware[]) => client.eject(...m),
    baseUrl: parsed.origin + parsed.pathname.replace(/\/+$/, ""),
  };
  return elk as unknown as ElkClient;
}
