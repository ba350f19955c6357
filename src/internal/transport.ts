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
import type { AttemptFailure } from "../retry.js";
import type { FetchLike, Sleep } from "../types.js";
import type { CallSite } from "./failures.js";
import type { Log } from "./log.js";

/** The failure handling, loaded on the first failed attempt (see failures.ts). */
let loading: Promise<typeof import("./failures.js")> | undefined;
const failures = () => (loading ??= import("./failures.js"));
/** Everything the transport needs to run one logical request. */
export interface CallContext {
  /** `METHOD /path` as the spec writes it: its operationId and retry safety are looked up on failure. */
  route: string;
  /** The caller's say on whether the call is safe to send again (see retry.ts); else the spec decides. */
  idempotent: boolean | undefined;
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
  const site: CallSite = { route: ctx.route, method: out.method, url: out.url, secret: ctx.secret };
  // Debug lines name the operation; its id table loads with the failure handling, only when they are on.
  const operationId = ctx.log.enabled("debug") ? (await failures()).operationIdOf(ctx.route) : undefined;
  const route = `${out.method} ${new URL(out.url).pathname}`;
  if (userSignal?.aborted) throw (await failures()).userAbort(site, 0, userSignal.reason);

  for (let attempt = 1; ; attempt++) {
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
    if (ctx.log.enabled("debug")) ctx.log.debug(`→ ${route} attempt ${attempt}/${maxAttempts}`, { operationId, url: out.url });
    try {
      response = await ctx.fetch(out.url, { method: out.method, headers: out.headers, body: out.body ?? null, signal });
      if (ctx.log.enabled("debug")) {
        ctx.log.debug(`← ${response.status} ${route} in ${Date.now() - started} ms`, { attempt, requestId: response.headers.get("x-oneapi-request-id") ?? undefined });
      }
      failure = { kind: "status", status: response.status, headers: response.headers };
      if (response.ok || !(await failures()).canRetry(ctx, attempt, failure)) {
        if (response.ok && response.body !== null && (ctx.read === "stream" || isEventStream(response))) {
          stopTimer();
          const stream = guardStream(response, { ctx, site, attempts: attempt, deadline, userSignal, keep: [signal] });
          if (ctx.read === "stream") return { response, stream, attempts: attempt };
          return { response, text: await new Response(stream).text(), attempts: attempt };
        }
        phase = "body";
        const answer: Answer = { response, attempts: attempt };
        if (ctx.read === "bytes" && response.ok) answer.bytes = new Uint8Array(await response.arrayBuffer());
        else answer.text = await response.text();
        stopTimer();
        return answer;
      }
      stopTimer();
      reason = `HTTP ${response.status}`;
      await response.body?.cancel().catch(() => undefined);
    } catch (cause) {
      stopTimer();
      const f = await failures();
      // A typed error from reading a guarded SSE body whole (idle timeout, cut stream) is final as it is.
      if (f.isElkError(cause)) throw cause;
      if (userSignal?.aborted) throw f.userAbort(site, attempt, cause);
      const typed = f.attemptError(ctx, site, { attempt, phase, status: response?.status, timedOut: deadline.signal.aborted, cause });
      failure = typed.failure;
      if (!f.canRetry(ctx, attempt, failure)) throw typed.error;
      reason = typed.error.message;
    }
    const f = await failures();
    const delay = f.retryDelayMs(attempt - 1, failure.kind === "status" ? failure.headers : undefined, ctx.random);
    ctx.log.info(`${route} attempt ${attempt}/${maxAttempts} failed (${reason}); retrying in ${Math.round(delay)} ms`, {
      operationId: f.operationIdOf(ctx.route),
      attempt,
      delayMs: Math.round(delay),
    });
    try {
      await ctx.sleep(delay, userSignal);
    } catch (cause) {
      throw f.userAbort(site, attempt, cause);
    }
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
    site: CallSite;
    attempts: number;
    deadline: AbortController;
    userSignal: AbortSignal | undefined;
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
  const typed = async (cause: unknown): Promise<unknown> => {
    const f = await failures();
    if (f.isElkError(cause)) return cause;
    const aborted = g.userSignal?.aborted ?? false;
    return f.streamError(g.ctx, g.site, { attempts: g.attempts, status: response.status, aborted, timedOut: !aborted && g.deadline.signal.aborted, cause });
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
        controller.error(await typed(cause));
      }
    },
    async cancel(reason) {
      release();
      await reader.cancel(reason).catch(() => undefined);
    },
  };
  return new ReadableStream<Uint8Array>(source, { highWaterMark: 0 });
}
