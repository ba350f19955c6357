/**
 * Sending one logical request: the attempts, their deadlines, the retries, and reading the answer. It is called
 * with the request already built (URL, headers, body text or bytes), so every attempt sends the same bytes, and
 * it calls fetch with `(url, init)` (no Request or Response objects of its own, as openai-node does). Per request:
 * - each attempt runs under a deadline (`timeoutMs`) joined with the caller's AbortSignal; the deadline covers
 *   connecting, the headers and reading the whole body; for streams (`read: "stream"` or a `text/event-stream`
 *   answer) it covers the headers, then `idleTimeoutMs` covers each wait for more bytes;
 * - retries follow the policy in retry.ts, waiting the server's `retry-after-ms` / `retry-after` or the backoff;
 * - network failures become typed errors (APIConnectionError, APIConnectionTimeoutError, APIUserAbortError), each
 *   carrying the number of attempts. The caller's abort always wins over a timeout and is never retried.
 * The answer's body is read once, inside the deadline, as text or bytes (or handed over as a guarded stream);
 * non-2xx answers come back read after the last attempt, and answers.ts turns them into typed errors.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, ElkApiError } from "../errors.js";
import { type AttemptFailure, failedBeforeSending, networkCode, retryDelayMs, shouldRetry } from "../retry.js";
import type { FetchLike, Sleep } from "../types.js";
import type { Log } from "./log.js";

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
  /** How the 2xx body is wanted: decoded text, raw bytes, or a stream handed to the caller unread. */
  read: "text" | "bytes" | "stream";
  /** The API key, redacted from error text. */
  secret: string;
  fetch: FetchLike;
  log: Log;
  sleep: Sleep;
  /** Jitter source in [0, 1). */
  random: () => number;
}

/** One request as every attempt sends it. */
export interface Outgoing {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** JSON text, encoded form bytes, or nothing. */
  body: string | Uint8Array<ArrayBuffer> | undefined;
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
}

/** What came back: the final response (its body consumed unless streamed), its body, and the attempts made. */
export interface Answer {
  response: Response;
  /** The body as text (`read: "text"`, every non-2xx answer, and SSE answers read whole). */
  text?: string;
  /** The body's bytes (`read: "bytes"` on a 2xx). */
  bytes?: Uint8Array<ArrayBuffer>;
  /** The guarded body (`read: "stream"` on a 2xx). */
  stream?: ReadableStream<Uint8Array> | null;
  attempts: number;
}

const isEventStream = (res: Response): boolean => (res.headers.get("content-type") ?? "").toLowerCase().includes("text/event-stream");

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
 * Sends `out` under the context's policy (see the module comment).
 * @throws APIUserAbortError when the caller's signal aborts (before, during or between attempts).
 * @throws APIConnectionTimeoutError when the last attempt passed `timeoutMs` (or a stream `idleTimeoutMs`).
 * @throws APIConnectionError when the last attempt failed on the network (refused, reset, body cut).
 */
export async function send(ctx: CallContext, out: Outgoing): Promise<Answer> {
  const maxAttempts = ctx.maxRetries + 1;
  const userSignal = out.signal;
  const route = `${out.method} ${new URL(out.url).pathname}`;
  let attempts = 0;
  const common = () => ({ operationId: ctx.operationId, method: out.method, url: out.url, secret: ctx.secret, attempts });
  const userAbort = (cause: unknown) => new APIUserAbortError({ ...common(), message: `Request aborted by the caller (${route})`, cause });
  if (userSignal?.aborted) throw userAbort(userSignal.reason);

  for (;;) {
    attempts += 1;
    const attempt = attempts;
    const deadline = new AbortController();
    // Held until the answer is read: AbortSignal.any follows its sources only weakly, so a collected signal
    // would lose the timeout's abort and hang the read (seen with Node 20 under GC pressure).
    const signal = userSignal ? AbortSignal.any([userSignal, deadline.signal]) : deadline.signal;
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
    if (ctx.log.enabled("debug")) ctx.log.debug(`→ ${route} attempt ${attempt}/${maxAttempts}`, { operationId: ctx.operationId, url: out.url });
    try {
      response = await ctx.fetch(out.url, { method: out.method, headers: out.headers, body: out.body ?? null, signal });
      if (ctx.log.enabled("debug")) {
        ctx.log.debug(`← ${response.status} ${route} in ${Date.now() - started} ms`, { attempt, requestId: response.headers.get("x-oneapi-request-id") ?? undefined });
      }
      if (response.ok || !canRetry(attempt, { kind: "status", status: response.status, headers: response.headers })) {
        if (response.ok && response.body !== null && (ctx.read === "stream" || isEventStream(response))) {
          stopTimer();
          const stream = guardStream(response, { ctx, deadline, userSignal, common, route, keep: [signal] });
          if (ctx.read === "stream") return { response, stream, attempts };
          return { response, text: await new Response(stream).text(), attempts };
        }
        phase = "body";
        const answer: Answer = { response, attempts };
        if (ctx.read === "bytes" && response.ok) answer.bytes = new Uint8Array(await response.arrayBuffer());
        else answer.text = await response.text();
        stopTimer();
        return answer;
      }
      stopTimer();
      failure = { kind: "status", status: response.status, headers: response.headers };
      reason = `HTTP ${response.status}`;
      await response.body?.cancel().catch(() => undefined);
    } catch (cause) {
      stopTimer();
      if (cause instanceof ElkApiError) throw cause;
      if (userSignal?.aborted) throw userAbort(cause);
      const status = response?.status;
      let error: ElkApiError;
      if (deadline.signal.aborted) {
        failure = { kind: "timeout" };
        const what = phase === "body" ? `the body of a ${status} answer did not arrive` : "no answer";
        error = new APIConnectionTimeoutError({ ...common(), status, message: `Timed out: ${what} within ${ctx.timeoutMs} ms (${route}, attempt ${attempt}/${maxAttempts})`, cause });
      } else {
        failure = { kind: "network", notSent: phase === "connect" && failedBeforeSending(cause) };
        const what = phase === "body" ? `the body of a ${status} answer was cut` : "connection failed";
        error = new APIConnectionError({ ...common(), status, message: `Network error: ${what}: ${reasonOf(cause)} (${route}, attempt ${attempt}/${maxAttempts})`, cause });
      }
      if (!canRetry(attempt, failure)) throw error;
      reason = error.message;
    }
    const delay = retryDelayMs(attempt - 1, failure.kind === "status" ? failure.headers : undefined, ctx.random);
    ctx.log.info(`${route} attempt ${attempt}/${maxAttempts} failed (${reason}); retrying in ${Math.round(delay)} ms`, {
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
    userSignal: AbortSignal | undefined;
    common: () => Record<string, unknown> & { secret: string };
    route: string;
    /** Held for the stream's life so their aborts still reach the read (see send). */
    keep: unknown[];
  },
): ReadableStream<Uint8Array> {
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
    if (g.userSignal?.aborted) return new APIUserAbortError({ ...base, message: `Stream aborted by the caller (${g.route})` });
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
  return new ReadableStream<Uint8Array>(source, { highWaterMark: 0 });
}
