/**
 * The public types of the client: its options, the per-call options, the fetch and sleep it can be given, the
 * logger it writes to, and the shape of the client itself. Implementation lives in client.ts and internal/.
 */
import type { Middleware, ParseAs } from "openapi-fetch";
import type {
  HttpMethod,
  IsOperationRequestBodyOptional,
  OperationRequestBodyContent,
  PathsWithMethod,
  RequiredKeysOf,
  ResponseObjectMap,
  SuccessResponse,
} from "openapi-typescript-helpers";
import type { operations as OperationTypes, paths } from "../generated/schema.js";
import type { ElkStream, SseOperationId, StreamEvent, StreamFinal } from "./streaming.js";

/**
 * A fetch as the client calls it: once per attempt, with the URL and a plain init (method, headers, body,
 * signal). `globalThis.fetch` fits, and so does any wrapper with fetch's signature.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Waits `ms` milliseconds; rejects (with the signal's reason) as soon as `signal` aborts, clearing its timer.
 * Replaceable (option `sleep`) so tests can record the waits instead of sleeping.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Log levels, most verbose first; `off` logs nothing. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/**
 * A logger the client writes to: message first, then an optional plain object of details. `console` fits; wrap
 * loggers that take the details first (pino: `{ info: (m, d) => log.info(d ?? {}, m), ... }`).
 */
export interface ElkLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

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
  /** A fetch to use instead of `globalThis.fetch` (proxies, tests). Called once per attempt with (url, init). */
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

/*
 * The call types follow openapi-fetch's (`params` required when a parameter is, `body` typed by the operation's
 * request media type), without its Writable/Readable wrappers: they map every body and answer type deeply to drop
 * `$Read`/`$Write` markers, which our generated types never carry, and were most of the type-check time of a call.
 */

/** `params` of an operation: required when one of its parameters is. */
type ParamsOf<Op> = Op extends { parameters: any }
  ? RequiredKeysOf<Op["parameters"]> extends never
    ? { params?: Op["parameters"] }
    : { params: Op["parameters"] }
  : { params?: { query?: Record<string, unknown> } };

/** `body` of an operation: its request body type, required unless the spec marks the body optional. */
type BodyOf<Op> =
  OperationRequestBodyContent<Op> extends never
    ? { body?: never }
    : IsOperationRequestBodyOptional<Op> extends true
      ? { body?: OperationRequestBodyContent<Op> }
      : { body: OperationRequestBodyContent<Op> };

/** openapi-fetch's per-call options the client honours. */
interface CallOptions {
  headers?: Headers | [string, string][] | Record<string, string | number | boolean | (string | number | boolean)[] | null | undefined>;
  /** Another origin (or base path) for this call, e.g. `https://api.elkapi.com/anthropic`. */
  baseUrl?: string;
  fetch?: FetchLike;
  middleware?: Middleware[];
  querySerializer?: ((query: Record<string, unknown>) => string) | { array?: { style: "form" | "spaceDelimited" | "pipeDelimited"; explode: boolean }; object?: { style: "form" | "deepObject"; explode: boolean }; allowReserved?: boolean };
  bodySerializer?: (body: any) => any;
  pathSerializer?: (pathname: string, pathParams: Record<string, unknown>) => string;
}

/** The init of a call of operation `Op`: params, body, openapi-fetch's options and ElkRequestOptions. */
type Init<Op> = ParamsOf<Op> & BodyOf<Op> & CallOptions & ElkRequestOptions;

/** What `parseAs` makes of the answer. */
interface ParsedAs<T> {
  json: T;
  text: string;
  blob: Blob;
  arrayBuffer: ArrayBuffer;
  stream: ReadableStream<Uint8Array> | null;
}

/**
 * What a call resolves to: errors are thrown, so `data` is always there: the JSON answer, or with `parseAs` a
 * `Blob` (binary answers such as speech audio), `string` (`text`), `ArrayBuffer` or the body `stream`.
 */
export interface ElkResponse<T extends Record<string | number, any>, A extends ParseAs = "json"> {
  data: NonNullable<ParsedAs<SuccessResponse<ResponseObjectMap<T>, "application/json">>[A]>;
  response: Response;
}

/**
 * A call of one HTTP method, typed by path. The init is optional when the operation needs no body or
 * parameters. `parseAs` is its own type parameter, so `data` is a Blob, text or stream when asked.
 */
export type ElkMethod<M extends HttpMethod> = <P extends PathsWithMethod<paths, M>, A extends ParseAs = "json">(
  url: P,
  ...init: RequiredKeysOf<Init<paths[P][M]>> extends never ? [init?: Init<paths[P][M]> & { parseAs?: A }] : [init: Init<paths[P][M]> & { parseAs?: A }]
) => Promise<ElkResponse<paths[P][M] & Record<string | number, any>, A>>;

/**
 * What `elk.stream(operationId, init)` takes: the operation's usual call options (body, params, headers, signal)
 * plus ElkRequestOptions. The client sets `Accept: text/event-stream` and the operation's stream flag.
 */
export type StreamInit<Id extends SseOperationId> = Init<OperationTypes[Id]>;

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
  /**
   * Adds openapi-fetch middleware. It sees each call once (after the key is set, before an error answer is
   * thrown), whatever the retries underneath; onRequest hooks run in order, onResponse hooks in reverse.
   */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
  /** The gateway origin this client calls. */
  readonly baseUrl: string;
}
