/**
 * Server-sent event streams as typed async iterables. `elk.stream(operationId, init)` (client.ts) works for every
 * operation whose `text/event-stream` answer carries `x-elkapi-sse` (generated/operations.ts `sse`): today
 * createChatCompletion and createImage; the Responses and Messages operations once the spec has them.
 *
 * An `ElkStream` parses the body with eventsource-parser, yields each `data:` payload as parsed JSON (typed by the
 * operation's SSE `contentSchema`), and:
 * - ends at the protocol's end marker: the `done` payload (`[DONE]`, not yielded) or an `endEvents` event
 *   (yielded, then the stream stops); with neither in the spec, the end of the body is the end;
 * - throws `StreamEventError` on an error event (event name or `type` in `errorEvents`, or `error`) or an error
 *   chunk (`data: {"error": {...}}`);
 * - throws `IncompleteStreamError` when the body ends or is cut before the end marker;
 * - throws `APIConnectionTimeoutError` when the server is silent for longer than `idleTimeoutMs`, and
 *   `APIUserAbortError` when the caller's signal or `stream.abort()` fires;
 * - releases the connection and its timers whenever iteration stops (end, error, `break`, abort).
 * `final()` (alias `finalChatCompletion()` / `finalMessage()` / `finalResponse()`) gives the accumulated answer.
 */
import { asRecord } from "./internal/values.js";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { OperationId, SseEventTypes, SseRule, operations } from "../generated/operations.js";
import type { operations as OperationTypes } from "../generated/schema.js";
import { createAccumulator } from "./internal/accumulate.js";
import { requestIdFrom } from "./internal/request-id.js";
import type { StreamSite } from "./internal/stream-errors.js";

/** The stream's errors, loaded on the first one (see stream-errors.ts). */
const errors = () => import("./internal/stream-errors.js");

/** The operationIds whose spec declares an SSE answer with `x-elkapi-sse`. */
export type SseOperationId = { [K in OperationId]: (typeof operations)[K]["sse"] extends null ? never : K }[OperationId];

/** One event an operation's stream yields: its `contentSchema` type without the error member (errors are thrown). */
export type StreamEvent<Id extends SseOperationId> = Id extends keyof SseEventTypes ? Exclude<SseEventTypes[Id], { error: unknown }> : unknown;

type JsonContent<R> = R extends { content: { "application/json": infer J } } ? J : unknown;

/** The accumulated answer of an operation's stream: the operation's own JSON (non-streamed) answer type. */
export type StreamFinal<Id extends SseOperationId> = Id extends keyof OperationTypes
  ? OperationTypes[Id]["responses"] extends { 200: infer R }
    ? JsonContent<R>
    : unknown
  : unknown;

/** What an ElkStream is made from (client.ts builds it). */
export interface ElkStreamInit {
  response: Response;
  operationId: string;
  rule: SseRule;
  /** Aborts the request (stream.abort()). */
  controller: AbortController;
  method: string;
  url: string;
  /** Attempts the transport made before the stream started. */
  attempts: number;
  secret: string;
}

type Obj = Record<string, unknown>;
const obj = asRecord as (v: unknown) => Obj | undefined;

/**
 * A typed SSE stream. Iterate it once with `for await`; or call `final()` to read it to the end and get the
 * accumulated answer (also after a partial iteration: the rest is read).
 * @typeParam E the event type yielded. @typeParam F the accumulated answer type.
 */
export class ElkStream<E, F> implements AsyncIterable<E> {
  /** The HTTP response (status 200, `content-type: text/event-stream`). */
  readonly response: Response;
  /** The spec operationId streamed. */
  readonly operationId: string;
  /** The gateway's request id (header `X-Oneapi-Request-Id`), when sent. */
  readonly requestId: string | null;
  readonly #init: ElkStreamInit;
  readonly #acc = createAccumulator();
  #iterator: AsyncGenerator<E, void, undefined> | undefined;
  #events = 0;
  #finished: Promise<void> | undefined;
  #complete = false;

  constructor(init: ElkStreamInit) {
    this.#init = init;
    this.response = init.response;
    this.operationId = init.operationId;
    this.requestId = requestIdFrom(init.response.headers, undefined);
  }

  /** Number of events yielded so far. */
  get eventCount(): number {
    return this.#events;
  }

  /** Aborts the request: iteration (and `final()`) then throws APIUserAbortError. */
  abort(): void {
    this.#init.controller.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    if (this.#iterator) throw new TypeError("ElkStream: a stream can be iterated only once (use final() to read the rest)");
    this.#iterator = this.#run();
    return this.#iterator;
  }

  /**
   * Reads the stream to its end marker and resolves to the accumulated answer (see accumulate.ts), e.g. a
   * `chat.completion` object for createChatCompletion. Works before, during (reads the rest) or after iteration.
   * @throws the same errors as iteration; IncompleteStreamError when the caller stopped iterating early (break).
   */
  final(): Promise<F> {
    this.#finished ??= (async () => {
      const it = this.#iterator ?? (this.#iterator = this.#run());
      for (;;) {
        const { done } = await it.next();
        if (done) break;
      }
      if (!this.#complete) throw await this.#incomplete("was stopped by the caller (break or return)");
    })();
    return this.#finished.then(() => this.#acc.result() as F);
  }

  /** `final()` under openai-node's name. */
  finalChatCompletion(): Promise<F> {
    return this.final();
  }

  /** `final()` under the Anthropic SDK's name. */
  finalMessage(): Promise<F> {
    return this.final();
  }

  /** `final()` under openai-node's Responses name. */
  finalResponse(): Promise<F> {
    return this.final();
  }

  /** Reads to the end and resolves to the answer's text (chat content, Anthropic text blocks, Responses output text). */
  async finalText(): Promise<string> {
    await this.final();
    return this.#acc.text();
  }

  #site(): StreamSite {
    const i = this.#init;
    return {
      common: { message: "", operationId: i.operationId, method: i.method, url: i.url, secret: i.secret, attempts: i.attempts, status: i.response.status, requestId: this.requestId },
      route: `${i.method} ${new URL(i.url).pathname}`,
    };
  }

  async #incomplete(why: string, cause?: unknown): Promise<Error> {
    return (await errors()).incomplete(this.#site(), this.#init.rule, this.#events, why, cause);
  }

  /** True for an error event (name or `type` in `errorEvents`, or `error`) or an error chunk (`{"error": {...}}`). */
  #isError(ev: EventSourceMessage, data: unknown): boolean {
    const d = obj(data);
    const type = typeof d?.type === "string" ? d.type : undefined;
    const names = this.#init.rule.errorEvents ?? [];
    return (
      (ev.event !== undefined && (names.includes(ev.event) || ev.event === "error")) ||
      (type !== undefined && (names.includes(type) || type === "error")) ||
      (d !== undefined && obj(d.error) !== undefined && d.choices === undefined && d.object !== "chat.completion.chunk")
    );
  }

  async *#run(): AsyncGenerator<E, void, undefined> {
    const body = this.response.body;
    if (!body) throw await this.#incomplete("had no body");
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const queue: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (e) => queue.push(e) });
    const rule = this.#init.rule;
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (cause) {
          throw (await errors()).readError(this.#site(), rule, this.#events, this.#init.controller.signal.aborted, cause);
        }
        const atEnd = chunk.done;
        // At the end of the body, flush a last event that lacks its blank line; a cut one fails to parse below.
        parser.feed(atEnd ? decoder.decode() + "\n\n" : decoder.decode(chunk.value, { stream: true }));
        while (queue.length) {
          const ev = queue.shift()!;
          if (rule.done !== undefined && ev.data.trim() === rule.done) {
            this.#complete = true;
            return;
          }
          if (ev.data.trim() === "") continue;
          let data: unknown;
          try {
            data = JSON.parse(ev.data);
          } catch (cause) {
            if (atEnd) throw await this.#incomplete("was cut mid-event", cause);
            throw (await errors()).notJson(this.#site(), ev.data, cause);
          }
          if (this.#isError(ev, data)) throw (await errors()).eventError(this.#site(), ev, data);
          const name = ev.event ?? (typeof obj(data)?.type === "string" ? (obj(data)!.type as string) : undefined);
          const isEnd = name !== undefined && rule.endEvents?.includes(name) === true;
          this.#acc.add(data);
          this.#events += 1;
          if (isEnd) this.#complete = true;
          yield data as E;
          if (isEnd) return;
        }
        if (atEnd) {
          if (rule.done === undefined && rule.endEvents === undefined) {
            this.#complete = true;
            return;
          }
          throw await this.#incomplete("ended");
        }
      }
    } finally {
      // Stop reading: releases the socket (and the idle timer) whether we ended, failed or the caller broke out.
      await reader.cancel().catch(() => undefined);
    }
  }
}
