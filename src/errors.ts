/**
 * The error classes the client throws. One base class, `ElkApiError`, carries everything the server sent
 * (status, code, type, param, request id, headers, body), what was asked (operationId, method, URL) and how many
 * attempts were made; the key is redacted from all of it (message, stack, fields, `toJSON()`, `util.inspect`,
 * and the `cause` chain). Subclasses follow the names openai-node and the Anthropic SDK use, so `instanceof`
 * checks read the same:
 *
 * ```
 * ElkApiError
 * ├── BadRequestError (400)            ├── RateLimitError (429)
 * ├── AuthenticationError (401)        ├── InternalServerError (>= 500)
 * ├── PermissionDeniedError (403)      ├── ErrorInBodyError (2xx whose body reports a failure)
 * ├── NotFoundError (404)              ├── StreamEventError (error event or error chunk inside an SSE stream)
 * ├── ConflictError (409)              ├── InvalidResponseError (2xx body that is not what the protocol says)
 * ├── UnprocessableEntityError (422)   ├── APIUserAbortError (the caller's AbortSignal fired)
 * └── APIConnectionError (no usable answer)
 *     ├── APIConnectionTimeoutError (timeoutMs or idleTimeoutMs passed)
 *     └── IncompleteStreamError (an SSE stream ended or was cut before its end marker)
 * ```
 * Other statuses (408, 413, 501 ...) throw ElkApiError itself, with `status` set.
 */
import { redactError, redactText, redactValue } from "./internal/secrets.js";

/** One request violation reported by the mock (Prism's `sl-violations` header or problem `validation` list). */
export interface Violation {
  /** Where, e.g. `["body", "model"]`. */
  location: string[];
  message: string;
  code?: string | number;
}

/** What `ElkApiError` and its subclasses are built from. */
export interface ElkApiErrorInit {
  message: string;
  status?: number | undefined;
  code?: string | number | null | undefined;
  type?: string | null | undefined;
  param?: string | null | undefined;
  requestId?: string | null | undefined;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body?: unknown;
  rawBody?: string | null | undefined;
  headers?: Record<string, string> | undefined;
  operationId?: string | null | undefined;
  method?: string | undefined;
  url?: string | undefined;
  validation?: Violation[] | undefined;
  /** Attempts made before giving up: 1 when the call was not retried. Default 1. */
  attempts?: number | undefined;
  cause?: unknown;
  /** The API key, to redact from every field. Not stored. */
  secret?: string | undefined;
}

/**
 * Base class of every error the client throws.
 * `status` is undefined for errors without an HTTP answer (connection, timeout, abort).
 */
export class ElkApiError extends Error {
  override readonly name: string = "ElkApiError";
  readonly status: number | undefined;
  /** Machine-readable reason (`insufficient_user_quota`, `model_not_found` ...), when the body has one. */
  readonly code: string | number | null;
  /** Error family from the body (`new_api_error`, `invalid_request_error`, `overloaded_error` ...). */
  readonly type: string | null;
  /** The request field at fault, when the body names one. */
  readonly param: string | null;
  /** Gateway request id (header `X-Oneapi-Request-Id`, or ` (request id: ...)` in the message). */
  readonly requestId: string | null;
  /** Parsed JSON body, or the raw text when it was not JSON; undefined without an answer. */
  readonly body: unknown;
  /** The body exactly as received (redacted), or null. */
  readonly rawBody: string | null;
  /** Response headers (lower-case names), when there was a response. */
  readonly headers: Record<string, string> | undefined;
  /** Spec operationId of the call, when the client knows it. */
  readonly operationId: string | null;
  readonly method: string | undefined;
  /** Request URL with the key redacted. */
  readonly url: string | undefined;
  /** Request violations the mock reported (empty against the real gateway). */
  readonly validation: Violation[];
  /** How many times the request was sent (1 = no retry; see README "Retries"). */
  readonly attempts: number;

  constructor(init: ElkApiErrorInit) {
    super(redactText(init.message, init.secret), init.cause === undefined ? undefined : { cause: redactError(init.cause, init.secret) });
    const s = init.secret;
    this.status = init.status;
    this.code = typeof init.code === "string" ? redactText(init.code, s) : (init.code ?? null);
    this.type = init.type ?? null;
    this.param = init.param ?? null;
    this.requestId = init.requestId ?? null;
    this.body = redactValue(init.body, s);
    this.rawBody = init.rawBody == null ? null : redactText(init.rawBody, s);
    this.headers = init.headers ? redactValue(init.headers, s) : undefined;
    this.operationId = init.operationId ?? null;
    this.method = init.method;
    this.url = init.url === undefined ? undefined : redactText(init.url, s);
    this.validation = redactValue(init.validation ?? [], s);
    this.attempts = init.attempts ?? 1;
  }

  /** A plain object with every field, safe to log. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      type: this.type,
      param: this.param,
      requestId: this.requestId,
      operationId: this.operationId,
      method: this.method,
      url: this.url,
      validation: this.validation,
      attempts: this.attempts,
      body: this.body,
    };
  }
}

/** 400: the request is malformed or a field is invalid. */
export class BadRequestError extends ElkApiError {
  override readonly name = "BadRequestError";
}
/** 401: the key is missing, unknown, expired or disabled. */
export class AuthenticationError extends ElkApiError {
  override readonly name = "AuthenticationError";
}
/** 403: the key may not do this (model not allowed, group disabled, balance exhausted ...). */
export class PermissionDeniedError extends ElkApiError {
  override readonly name = "PermissionDeniedError";
}
/** 404: wrong path or base URL, or an unknown model or task. */
export class NotFoundError extends ElkApiError {
  override readonly name = "NotFoundError";
}
/** 409: conflict. */
export class ConflictError extends ElkApiError {
  override readonly name = "ConflictError";
}
/** 422: the request was understood but is invalid (the Prism mock's validation answer). */
export class UnprocessableEntityError extends ElkApiError {
  override readonly name = "UnprocessableEntityError";
}
/** 429: rate limited or the upstream group is saturated. */
export class RateLimitError extends ElkApiError {
  override readonly name = "RateLimitError";
}
/** 5xx: gateway or upstream failure. */
export class InternalServerError extends ElkApiError {
  override readonly name = "InternalServerError";
}
/**
 * No usable answer: DNS failure, refused or reset connection, or a body cut off while it was read.
 * `status` is set when the headers had arrived before the body was cut.
 */
export class APIConnectionError extends ElkApiError {
  override readonly name: string = "APIConnectionError";
}
/** An attempt took longer than `timeoutMs`, or a stream was silent for longer than `idleTimeoutMs`. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override readonly name = "APIConnectionTimeoutError";
}
/**
 * An SSE stream ended, or its connection was cut, before the protocol's end marker (`data: [DONE]` or an end
 * event such as `message_stop`). `body` holds the number of events received as `{ events }`.
 */
export class IncompleteStreamError extends APIConnectionError {
  override readonly name = "IncompleteStreamError";
}
/** The caller's AbortSignal fired. */
export class APIUserAbortError extends ElkApiError {
  override readonly name = "APIUserAbortError";
}

/** The subclass for an HTTP status (ElkApiError for statuses without their own class). */
export function errorClassFor(status: number): typeof ElkApiError {
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 422) return UnprocessableEntityError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return InternalServerError;
  return ElkApiError;
}
/** The server answered 2xx, but the body reports a failure (marked in the spec by `x-elkapi-error-in-200`). */
export class ErrorInBodyError extends ElkApiError {
  override readonly name = "ErrorInBodyError";
}
/**
 * An SSE stream that had started (HTTP 200) carried an error: an `error` event (Anthropic, Responses), a
 * `data: {"error": {...}}` chunk (OpenAI chat through new-api), or an event the spec lists in
 * `x-elkapi-sse.errorEvents`. `code`, `type` and `message` come from the event; `body` is the event's JSON.
 */
export class StreamEventError extends ElkApiError {
  override readonly name = "StreamEventError";
}
/**
 * A 2xx answer whose body is not what its media type says: JSON that does not parse (e.g. a body cut short but
 * delivered as complete), or an SSE request answered with something other than `text/event-stream`.
 * `rawBody` keeps the text received.
 */
export class InvalidResponseError extends ElkApiError {
  override readonly name = "InvalidResponseError";
}
