/**
 * createElkClient: an openapi-fetch client typed by the generated `paths`, with middleware for auth and typed
 * errors, a per-attempt timeout, and multipart bodies for file uploads. No per-endpoint wrappers: call any
 * operation by its path, e.g. `elk.POST("/v1/embeddings", { body })`.
 */
import createClient, { type FetchOptions, type FetchResponse, type Middleware } from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import type { paths } from "../generated/schema.js";
import { authMiddleware } from "./middleware/auth.js";
import { errorsMiddleware } from "./middleware/errors.js";
import { serializeBody } from "./multipart.js";
import { createTransport, type FetchLike } from "./transport.js";

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
  /** Time each attempt may take to answer with headers, in ms. Default 600000 (10 min). */
  timeoutMs?: number;
  /** A fetch to use instead of `globalThis.fetch` (proxies, tests). */
  fetch?: FetchLike;
  /** Extra headers sent with every request (e.g. `anthropic-version`). */
  headers?: Record<string, string>;
}

type Init<P, M extends keyof P> = FetchOptions<P[M]>;
type InitParam<I> = RequiredKeysOf<I> extends never ? [(I & { [key: string]: unknown })?] : [I & { [key: string]: unknown }];
type Json = "application/json";

/** What a call resolves to: errors are thrown, so `data` is always there (Blob, text or stream with `parseAs`). */
export interface ElkResponse<T extends Record<string | number, any>, I> {
  data: NonNullable<FetchResponse<T, I, Json>["data"]>;
  response: Response;
}

/** A call of one HTTP method, typed by path. */
export type ElkMethod<M extends HttpMethod> = <P extends PathsWithMethod<paths, M>, I extends Init<paths[P], M>>(
  url: P,
  ...init: InitParam<I>
) => Promise<ElkResponse<paths[P][M] & Record<string | number, any>, I>>;

/** The client `createElkClient` returns. */
export interface ElkClient {
  GET: ElkMethod<"get">;
  POST: ElkMethod<"post">;
  PUT: ElkMethod<"put">;
  DELETE: ElkMethod<"delete">;
  PATCH: ElkMethod<"patch">;
  /** Adds openapi-fetch middleware (runs after auth, before typed errors are thrown). */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
  /** The gateway origin this client calls. */
  readonly baseUrl: string;
}

function env(name: string): string | undefined {
  return typeof process !== "undefined" ? process.env?.[name] : undefined;
}

/**
 * Creates a typed ElkAPI client.
 * @throws TypeError when no key is given (option or `ELKAPI_API_KEY`), or an option breaks its rule.
 * Calls throw `ElkApiError` subclasses (see errors.ts) for non-2xx answers, errors inside 200s, timeouts,
 * aborts and connection failures.
 */
export function createElkClient(options: ElkClientOptions = {}): ElkClient {
  const apiKey = options.apiKey ?? env("ELKAPI_API_KEY");
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new TypeError("createElkClient: no API key: pass { apiKey } or set the ELKAPI_API_KEY environment variable");
  }
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
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`createElkClient: timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("createElkClient: fetch must be a function");
  }
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const client = createClient<paths, Json>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: options.headers,
    fetch: createTransport({ fetch: baseFetch, timeoutMs, secret: apiKey }),
    bodySerializer: serializeBody,
  });
  // Order matters: errors are thrown last, after any middleware a caller adds with use().
  client.use(errorsMiddleware(apiKey), authMiddleware(apiKey));
  const elk = {
    GET: client.GET,
    POST: client.POST,
    PUT: client.PUT,
    DELETE: client.DELETE,
    PATCH: client.PATCH,
    use: (...m: Middleware[]) => client.use(...m),
    eject: (...m: Middleware[]) => client.eject(...m),
    baseUrl: parsed.origin + parsed.pathname.replace(/\/+$/, ""),
  };
  return elk as unknown as ElkClient;
}
