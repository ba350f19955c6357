/**
 * The retry policy: which failures are retried, for which calls, and how long to wait. Pure functions; the
 * transport (transport.ts) applies them. Sources: DESIGN.md "Client conventions"; the gateway's status table and
 * retry advice (catalog anthropic-audio-platform.md, "Error status code description" and "Retry logic
 * documentation"); openai-node's policy (`x-should-retry`, `retry-after-ms`, 0.5 s doubling to 8 s, 25% jitter).
 *
 * Whether a failed attempt is retried (while retries are left):
 * 1. The server's `x-should-retry: true` or `false` header decides when present.
 * 2. Otherwise, for every call: a connection that failed before the request could be sent (refused, DNS,
 *    unreachable, connect timeout), and 429 (the gateway turned the request away before acting on it).
 * 3. Otherwise, only for calls safe to repeat (GET/HEAD, operations marked `x-elkapi-idempotent`, or a call made
 *    with `idempotent: true`): any other connection failure (reset, cut body), a per-attempt timeout, 408, 409
 *    and every status >= 500.
 * Never: the caller's abort, other 4xx, errors inside a 2xx, or anything after a stream has started.
 */

/** Default number of retries after the first attempt. */
export const DEFAULT_MAX_RETRIES = 2;
/** First backoff wait, in ms; it doubles per retry. */
export const INITIAL_RETRY_DELAY_MS = 500;
/** Largest backoff wait, in ms. */
export const MAX_RETRY_DELAY_MS = 8000;
/** Largest server-asked wait (`retry-after-ms` / `retry-after`) the client obeys, in ms; longer asks use backoff. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Fraction of the backoff wait that jitter may remove (0.25 = waits fall in [75%, 100%] of the nominal value). */
export const RETRY_JITTER = 0.25;

/** Network error codes (undici / libuv) meaning no byte of the request reached the server. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The first error `code` along an error's `cause` chain (AggregateError members included). */
export function networkCode(err: unknown, depth = 0): string | undefined {
  if (depth > 6 || !err || typeof err !== "object") return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const inner = (err as { errors?: unknown[] }).errors;
  if (Array.isArray(inner)) for (const e of inner) {
    const c = networkCode(e, depth + 1);
    if (c) return c;
  }
  return networkCode((err as { cause?: unknown }).cause, depth + 1);
}

/** True when a fetch failure proves the request never left: safe to send again for any operation. */
export function failedBeforeSending(err: unknown): boolean {
  const code = networkCode(err);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** What the transport knows about a failed attempt. */
export type AttemptFailure =
  | { kind: "status"; status: number; headers: Headers }
  | { kind: "network"; notSent: boolean }
  | { kind: "timeout" };

/** Statuses retried for calls safe to repeat. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Whether this failure may be retried (retries left is checked by the caller).
 * @param idempotent the call is safe to send again after the server may have acted on it.
 */
export function shouldRetry(failure: AttemptFailure, idempotent: boolean): boolean {
  if (failure.kind === "status") {
    const hint = failure.headers.get("x-should-retry")?.trim().toLowerCase();
    if (hint === "true") return true;
    if (hint === "false") return false;
    if (failure.status === 429) return true;
    return idempotent && isRetryableStatus(failure.status);
  }
  if (failure.kind === "network") return failure.notSent || idempotent;
  return idempotent;
}

/**
 * The wait the server asks for, in ms: `retry-after-ms` (ms), else `retry-after` (seconds, or an HTTP date).
 * Undefined when absent, unparsable, negative or over 60 s (the backoff applies then).
 * @param now current time in ms since the epoch (for HTTP dates).
 */
export function serverRetryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const inRange = (ms: number) => (Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS ? ms : undefined);
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const v = inRange(Number(ms));
    if (v !== undefined) return v;
  }
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return inRange(Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : inRange(Math.max(0, date - now));
}

/**
 * The exponential backoff wait before retry number `retry` (0 for the first retry), in ms:
 * `min(500 * 2^retry, 8000) * (1 - 0.25 * random())`.
 * @param random a source in [0, 1) (default Math.random).
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const nominal = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return nominal * (1 - RETRY_JITTER * random());
}

/** The wait before retry number `retry`: the server's ask when it gave a usable one, else the backoff. In ms. */
export function retryDelayMs(retry: number, headers: Headers | undefined, random: () => number = Math.random, now: number = Date.now()): number {
  return serverRetryAfterMs(headers, now) ?? backoffMs(retry, random);
}
