/**
 * The fetch that openapi-fetch calls for one logical request. It sits under the middleware chain, so middleware
 * (auth, typed errors, yours) sees each logical request once, however many attempts it takes. Per request it:
 * - buffers the request body once, so every attempt sends the same bytes (JSON and multipart alike);
 * - runs attempts under a per-attempt deadline (`timeoutMs`) joined with the caller's AbortSignal; the deadline
 *   covers connecting, the headers and reading the whole body; for streams (`parseAs: "stream"` or a
 *   `text/event-stream` answer) it covers the headers, then `idleTimeoutMs` covers each wait for more bytes;
 * - retries by the policy in retry.ts, waiting the server's `retry-after-ms` / `retry-after` or the backoff;
 * - turns network failures into typed errors (APIConnectionError, APIConnectionTimeoutError, APIUserAbortError),
 *   each carrying the number of attempts. The caller's abort always wins over a timeout and is never retried.
 * Non-2xx answers are returned (buffered) after the last attempt; errorsMiddleware turns them into typed errors.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, ElkApiError } from "./errors.js";
import type { Log } from "./logger.js";
import { type AttemptFailure, failedBeforeSending, networkCode, retryDelayMs, shouldRetry } from "./retry.js";

/** A fetch as openapi-fetch calls it. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/**
 * Waits `ms` milliseconds; rejects (with the signal's reason) as soon as `signal` aborts, clearing its timer.
 * Replaceable (option `sleep`) so tests can record the waits instead of sleeping.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The default Sleep: a timer that is cleared on abort. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Everything the transport needs to run one logical request. */
export interface CallContext {
  /** Spec operationId, when the call matches one. */
  operationId: string | null;
  /** Safe to send again after the server may have acted on it (see retry.ts). */
  idempotent: boolean;
  /** Retries after the first attempt (0 = one attempt). */
  maxRetries: number;
  /** Deadline of one attempt, in ms (headers and, for non-streams, the whole body). */
  timeoutMs: number;
  /** Longest silence allowed while reading a stream, in ms. */
  idleTimeoutMs: number;
  /** The caller reads the 2xx body as a stream (`parseAs: "stream"`): do not buffer it. */
  stream: boolean;
  /** The API key, redacted from error text. */
  secret: string;
  fetch: FetchLike;
  log: Log;
  sleep: Sleep;
  /** Jitter source in [0, 1). */
  random: () => number;
  /** Set by the transport when the request starts: its attempts so far. */
  state?: CallState;
}

/** What the transport records about a logical request, for errorsMiddleware and the stream helper. */
export interface CallState {
  /** Attempts made so far (0 before the first is sent). */
  attempts: number;
  /** The total attempts allowed (maxRetries + 1). */
  maxAttempts: number;
}

/** Call state by the Request openapi-fetch handed to the transport (the same object its middleware sees). */
export const callStates = new WeakMap<Request, CallState>();

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function isEventStream(res: Response): boolean {
  return (res.headers.get("content-type") ?? "").toLowerCase().includes("text/event-stream");
}

/** A Response with the same status, headers and URL over bytes already read. */
function buffered(res: Response, bytes: Uint8Array<ArrayBuffer>): Response {
  const headers = new Headers(res.headers);
  headers.delete("content-encoding");
  headers.delete("transfer-encoding");
  headers.set("content-length", String(bytes.byteLength));
  const out = new Response(NULL_BODY_STATUS.has(res.status) ? null : (bytes as Uint8Array<ArrayBuffer>), { status: res.status, statusText: res.statusText, headers });
  Object.defineProperty(out, "url", { value: res.url });
  Object.defineProperty(out, "redirected", { value: res.redirected });
  return out;
}

/** The reason text of a network failure (`ECONNREFUSED`, `other side closed` ...). */
function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = networkCode(cause);
  const text = inner?.message || cause.message;
  return code && !text.includes(code) ? `${code} ${text}`.trim() : text;
}

const TIMEOUT = Symbol("elkapi.timeout");

/**
 * Builds the fetch for one logical request (see the module comment).
 * @throws APIUserAbortError when the caller's signal aborts (before, during or between attempts).
 * @throws APIConnectionTimeoutError when the last attempt passed `timeoutMs` (or a stream `idleTimeoutMs`).
 * @throws APIConnectionError when the last attempt failed on the network (refused, reset, body cut).
 */
export function createCallFetch(ctx: CallContext): FetchLike {
  return async (request) => {
    const state: CallState = { attempts: 0, maxAttempts: ctx.maxRetries + 1 };
    callStates.set(request, state);
    ctx.state = state;
    const userSignal = request.signal;
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const common = () => ({ operationId: ctx.operationId, method: request.method, url: request.url, secret: ctx.secret, attempts: state.attempts });
    const userAbort = (cause: unknown) =>
      new APIUserAbortError({ ...common(), message: `Request aborted by the caller (${route})`, cause });
    if (userSignal.aborted) throw userAbort(userSignal.reason);
    // Buffer the body once: a Request body is a one-shot stream, and retries must resend the same bytes.
    const body = request.body === null ? undefined : await request.arrayBuffer();

    for (;;) {
      state.attempts += 1;
      const attempt = state.attempts;
      const deadline = new AbortController();
      const signal = AbortSignal.any([userSignal, deadline.signal]);
      let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => deadline.abort(TIMEOUT), ctx.timeoutMs);
      const stopTimer = () => {
        clearTimeout(timer);
        timer = undefined;
      };
      let phase: "connect" | "body" = "connect";
      let failure: AttemptFailure;
      let reason: string;
      let response: Response | undefined;
      const started = Date.now();
      if (ctx.log.enabled("debug")) {
        ctx.log.debug(`→ ${route} attempt ${attempt}/${state.maxAttempts}`, { operationId: ctx.operationId, url: request.url });
      }
      // Held until the answer is read: AbortSignal.any and fetch follow their sources only weakly, so a collected
      // signal or Request would lose the timeout's abort and hang the read (seen with Node 20 under GC pressure).
      const attemptRequest = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body,
        signal,
        redirect: request.redirect,
        keepalive: request.keepalive,
      });
      try {
        response = await ctx.fetch(attemptRequest);
        ctx.log.debug(`← ${response.status} ${route} in ${Date.now() - started} ms`, { attempt, requestId: response.headers.get("x-oneapi-request-id") ?? undefined });
        const streaming = response.ok && response.body !== null && (ctx.stream || isEventStream(response));
        if (response.ok || !canRetry(attempt, { kind: "status", status: response.status, headers: response.headers })) {
          if (streaming) {
            stopTimer();
            return guardStream(response, { ctx, deadline, userSignal, common, route, keep: [signal, attemptRequest] });
          }
          phase = "body";
          const bytes = new Uint8Array(await response.arrayBuffer());
          stopTimer();
          return buffered(response, bytes);
        }
        stopTimer();
        failure = { kind: "status", status: response.status, headers: response.headers };
        reason = `HTTP ${response.status}`;
        await response.body?.cancel().catch(() => undefined);
      } catch (cause) {
        stopTimer();
        if (userSignal.aborted) throw userAbort(cause);
        const status = response?.status;
        let error: ElkApiError;
        if (deadline.signal.aborted) {
          failure = { kind: "timeout" };
          const what = phase === "body" ? `the body of a ${status} answer did not arrive` : "no answer";
          error = new APIConnectionTimeoutError({ ...common(), status, message: `Timed out: ${what} within ${ctx.timeoutMs} ms (${route}, attempt ${attempt}/${state.maxAttempts})`, cause });
        } else {
          failure = { kind: "network", notSent: phase === "connect" && failedBeforeSending(cause) };
          const what = phase === "body" ? `the body of a ${status} answer was cut` : "connection failed";
          error = new APIConnectionError({ ...common(), status, message: `Network error: ${what}: ${reasonOf(cause)} (${route}, attempt ${attempt}/${state.maxAttempts})`, cause });
        }
        if (!canRetry(attempt, failure)) throw error;
        reason = error.message;
      }
      const delay = retryDelayMs(attempt - 1, failure.kind === "status" ? failure.headers : undefined, ctx.random);
      ctx.log.info(`${route} attempt ${attempt}/${state.maxAttempts} failed (${reason}); retrying in ${Math.round(delay)} ms`, {
        operationId: ctx.operationId,
        attempt,
        delayMs: Math.round(delay),
      });
      try {
        await ctx.sleep(delay, userSignal);
      } catch (cause) {
        throw userAbort(cause);
      }
    }
  };

  function canRetry(attempt: number, failure: AttemptFailure): boolean {
    return attempt <= ctx.maxRetries && shouldRetry(failure, ctx.idempotent);
  }
}

/**
 * Wraps a streaming body: the idle timer runs while a read waits for the server (so a slow reader is never timed
 * out), read failures become typed errors, and cancelling releases the connection and the timer.
 */
function guardStream(
  response: Response,
  g: {
    ctx: CallContext;
    deadline: AbortController;
    userSignal: AbortSignal;
    common: () => Record<string, unknown> & { secret: string };
    route: string;
    /** Held for the stream's life so their aborts still reach the read (see createCallFetch). */
    keep: unknown[];
  },
): Response {
  const reader = response.body!.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const release = () => {
    stop();
    source.keep = undefined;
  };
  const typed = (cause: unknown): ElkApiError => {
    if (cause instanceof ElkApiError) return cause;
    const base = { ...g.common(), status: response.status, cause } as ConstructorParameters<typeof ElkApiError>[0];
    if (g.userSignal.aborted) return new APIUserAbortError({ ...base, message: `Stream aborted by the caller (${g.route})` });
    if (g.deadline.signal.aborted) {
      return new APIConnectionTimeoutError({ ...base, message: `Timed out: the stream was idle for more than ${g.ctx.idleTimeoutMs} ms (${g.route})` });
    }
    return new APIConnectionError({ ...base, message: `Network error: the stream was cut: ${reasonOf(cause)} (${g.route})` });
  };
  const source: UnderlyingDefaultSource<Uint8Array> & { keep?: unknown[] | undefined } = {
    keep: g.keep,
    async pull(controller) {
      timer = setTimeout(() => g.deadline.abort(TIMEOUT), g.ctx.idleTimeoutMs);
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else {
          stop();
          controller.enqueue(value);
        }
      } catch (cause) {
        release();
        controller.error(typed(cause));
      }
    },
    async cancel(reason) {
      release();
      await reader.cancel(reason).catch(() => undefined);
    },
  };
  const body = new ReadableStream<Uint8Array>(source, { highWaterMark: 0 });
  const out = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(out, "url", { value: response.url });
  return out;
}
