/**
 * Fault tests: a scripted server on 127.0.0.1 (fault-server.ts) drives the real client through the failures the
 * gateway and the network produce. For each fault: the error class, the number of attempts (the error's
 * `attempts` and the fetches made), the waits between attempts (recorded through the client's `sleep` hook, within
 * ±20% of the policy; one test also measures real waits at the server), no unhandled rejection, no timer or
 * socket left behind, and the key in no error text.
 */
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../../mock/prism.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ConflictError,
  ElkApiError,
  ErrorInBodyError,
  IncompleteStreamError,
  InternalServerError,
  InvalidResponseError,
  RateLimitError,
  StreamEventError,
  createElkClient,
  type ElkClientOptions,
} from "../../src/index.js";
import { type FaultServer, type Step, json, reset, silent, sse, stallBody, startFaultServer, text, truncated } from "./fault-server.js";

const KEY = "sk-elk-fault-0123456789abcdef";
/** Jitter source the recorded-wait tests use: 0.5 takes 12.5% off each backoff wait. */
const HALF = () => 0.5;
/** Policy waits with random() = 0.5: 500 ms and 1000 ms nominal, each times 0.875. */
const BACKOFF_HALF = [437.5, 875];

let server: FaultServer;
let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
/** Timers and sockets before the test's first client was made (measured outside any expect.poll). */
let baseline: { timers: number; sockets: number } | undefined;

const resources = () => {
  const info = process.getActiveResourcesInfo();
  return { timers: info.filter((r) => r === "Timeout").length, sockets: info.filter((r) => r === "TCPSocketWrap").length };
};

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});
beforeEach(async () => {
  unhandled = [];
  server = await startFaultServer();
  baseline = undefined;
});
afterEach(async () => {
  await server.close();
});

/** A client against the fault server that records waits and counts fetches. */
function faultClient(extra: ElkClientOptions = {}) {
  baseline ??= resources();
  const waits: number[] = [];
  let fetches = 0;
  const elk = createElkClient({
    apiKey: KEY,
    baseUrl: server.baseUrl,
    random: HALF,
    sleep: async (ms, signal) => {
      waits.push(ms);
      if (signal?.aborted) throw signal.reason;
    },
    fetch: (url, init) => {
      fetches += 1;
      return globalThis.fetch(url, init);
    },
    ...extra,
  });
  return { elk, waits, fetches: () => fetches };
}

/** Each wait within ±20% of the policy's. */
function expectWaits(actual: number[], policy: number[]): void {
  expect(actual.length, `waits ${JSON.stringify(actual)}`).toBe(policy.length);
  policy.forEach((p, i) => {
    expect(actual[i]!).toBeGreaterThanOrEqual(p * 0.8);
    expect(actual[i]!).toBeLessThanOrEqual(p * 1.2);
  });
}

/** The key appears in no text the error exposes. */
function expectNoKey(err: unknown): void {
  const e = err as ElkApiError;
  for (const t of [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 }), e.rawBody ?? "", String(e.code)]) {
    expect(t).not.toContain(KEY);
  }
}

/**
 * No unhandled rejection, no connection left open by the client, no timer left by the client. Measured between
 * 20 ms ticks (not inside expect.poll, whose own timer would count), for up to 3 s: sockets close asynchronously,
 * and the fault server's own short timers (cut after 20 ms) must fire first.
 */
async function expectClean(): Promise<void> {
  const base = baseline ?? resources();
  const deadline = performance.now() + 3000;
  let now = resources();
  while ((server.busySockets() > 0 || now.sockets > base.sockets || now.timers > base.timers) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    now = resources();
  }
  expect(server.busySockets(), "connections with an unfinished exchange").toBe(0);
  expect(now.sockets, "TCP sockets").toBeLessThanOrEqual(base.sockets);
  expect(now.timers, "timers").toBeLessThanOrEqual(base.timers);
  expect(unhandled).toEqual([]);
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("the call should have failed");
    },
    (e: unknown) => e as ElkApiError,
  );

/** An error body that echoes the key, to prove redaction. */
const echoKey =
  (status: number, extraHeaders: Record<string, string> = {}): Step =>
  (req, res) => {
    res
      .writeHead(status, { "content-type": "application/json", ...extraHeaders })
      .end(JSON.stringify({ error: { message: `upstream said no to ${req.headers.authorization}`, type: "new_api_error", code: "do_request_failed" } }));
  };

const models = { object: "list", data: [{ id: "gpt-4o-mini", object: "model", created: 1, owned_by: "openai" }], success: true };
const chatBody = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }] };

describe("retries on HTTP status", () => {
  it("429 without Retry-After: RateLimitError after 3 attempts, backoff 0.5 s then 1 s", async () => {
    server.script(echoKey(429));
    const { elk, waits, fetches } = faultClient();
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, attempts: 3, code: "do_request_failed", operationId: "listModels" });
    expect(fetches()).toBe(3);
    expect(server.arrivals).toHaveLength(3);
    expectWaits(waits, BACKOFF_HALF);
    expectNoKey(err);
    await expectClean();
  });

  it("429 with Retry-After (seconds, HTTP date) and retry-after-ms: waits what the server asks", async () => {
    server.script(json(429, { error: { message: "slow" } }, { "retry-after": "2" }), json(429, { error: { message: "slow" } }, { "retry-after-ms": "150", "retry-after": "30" }), json(200, models));
    const a = faultClient();
    const { data } = await a.elk.GET("/v1/models");
    expect(data.object).toBe("list");
    expectWaits(a.waits, [2000, 150]);

    const when = new Date(Date.now() + 3000).toUTCString();
    server.script(json(429, { error: { message: "slow" } }, { "retry-after": when }));
    const b = faultClient({ maxRetries: 1 });
    const err = await failure(b.elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.attempts).toBe(2);
    // An HTTP date has 1 s resolution: 2-3 s from now.
    expect(b.waits[0]!).toBeGreaterThan(1500);
    expect(b.waits[0]!).toBeLessThanOrEqual(3000 * 1.2);
    await expectClean();
  });

  it("429 with a Retry-After over 60 s falls back to the backoff", async () => {
    server.script(json(429, { error: { message: "later" } }, { "retry-after": "3600" }));
    const { elk, waits } = faultClient();
    const err = await failure(elk.GET("/v1/models"));
    expect(err.attempts).toBe(3);
    expectWaits(waits, BACKOFF_HALF);
    await expectClean();
  });

  it("429 on a task submit is retried too (the gateway refused it before acting)", async () => {
    server.script(echoKey(429), json(200, { id: "gen-1", state: "queued" }));
    const { elk, waits } = faultClient();
    const { data } = await elk.POST("/dream-machine/v1/generations", { body: { prompt: "a fox" } });
    expect(data).toMatchObject({ id: "gen-1" });
    expect(server.arrivals).toHaveLength(2);
    expect(server.arrivals[1]!.body.toString()).toBe(server.arrivals[0]!.body.toString());
    expectWaits(waits, [437.5]);
    await expectClean();
  });

  for (const status of [500, 502, 503, 504]) {
    it(`${status}: InternalServerError after 3 attempts on an idempotent call, 1 on a task submit`, async () => {
      server.script(echoKey(status));
      const idem = faultClient();
      const err = await failure(idem.elk.POST("/v1/embeddings", { body: { model: "text-embedding-3-small", input: "hi" } }));
      expect(err).toBeInstanceOf(InternalServerError);
      expect(err).toMatchObject({ status, attempts: 3, operationId: "createEmbedding" });
      expect(idem.fetches()).toBe(3);
      expectWaits(idem.waits, BACKOFF_HALF);
      // The request body was buffered once and sent identically each time.
      expect(new Set(server.arrivals.map((a) => a.body.toString())).size).toBe(1);
      expectNoKey(err);

      const submit = faultClient();
      const err2 = await failure(submit.elk.POST("/dream-machine/v1/generations", { body: { prompt: "a fox" } }));
      expect(err2).toBeInstanceOf(InternalServerError);
      expect(err2).toMatchObject({ status, attempts: 1, operationId: "createLumaGeneration" });
      expect(submit.waits).toEqual([]);
      expectNoKey(err2);
      await expectClean();
    });
  }

  it("a task submit is retried after a 5xx when the caller opts in with idempotent: true", async () => {
    server.script(echoKey(502), json(200, { id: "gen-2", state: "queued" }));
    const { elk, waits } = faultClient();
    const { data } = await elk.POST("/dream-machine/v1/generations", { body: { prompt: "a fox" }, idempotent: true });
    expect(data).toMatchObject({ id: "gen-2" });
    expectWaits(waits, [437.5]);
    await expectClean();
  });

  it("an HTML 502 page: InternalServerError with the page kept raw, retried", async () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    server.script(text(502, html, "text/html"));
    const { elk, waits } = faultClient();
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ status: 502, attempts: 3, rawBody: html, body: html });
    expect(err.message).toContain("502 Bad Gateway");
    expectWaits(waits, BACKOFF_HALF);
    await expectClean();
  });

  it("x-should-retry: false stops retries; x-should-retry: true retries even a 400", async () => {
    server.script(json(503, { error: { message: "no channel" } }, { "x-should-retry": "false" }));
    const a = faultClient();
    const err = await failure(a.elk.GET("/v1/models"));
    expect(err).toMatchObject({ status: 503, attempts: 1 });
    expect(a.waits).toEqual([]);

    server.script(json(400, { error: { message: "try again" } }, { "x-should-retry": "true" }), json(200, models));
    const b = faultClient();
    await b.elk.GET("/v1/models");
    expectWaits(b.waits, [437.5]);
    await expectClean();
  });

  it("408 and 409 are retried on idempotent calls", async () => {
    server.script(json(408, { error: { message: "timeout" } }), json(409, { error: { message: "conflict" } }), json(409, { error: { message: "conflict" } }));
    const { elk, waits } = faultClient();
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.attempts).toBe(3);
    expectWaits(waits, BACKOFF_HALF);
    await expectClean();
  });

  it("waits for real between attempts (measured at the server, ±20%)", async () => {
    server.script(json(503, { error: { message: "busy" } }), json(503, { error: { message: "busy" } }), json(200, models));
    baseline ??= resources();
    const elk = createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, random: () => 0 });
    await elk.GET("/v1/models");
    const [a, b, c] = server.arrivals.map((x) => x.at);
    expect(b! - a!).toBeGreaterThanOrEqual(500 * 0.8);
    expect(b! - a!).toBeLessThanOrEqual(500 * 1.2);
    expect(c! - b!).toBeGreaterThanOrEqual(1000 * 0.8);
    expect(c! - b!).toBeLessThanOrEqual(1000 * 1.2);
    await expectClean();
  });

  it("jitter keeps every wait within [75%, 100%] of the nominal backoff", async () => {
    server.script(json(500, { error: { message: "x" } }));
    const { elk, waits } = faultClient({ random: Math.random, maxRetries: 5 });
    await failure(elk.GET("/v1/models"));
    const nominal = [500, 1000, 2000, 4000, 8000];
    expect(waits).toHaveLength(5);
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(nominal[i]! * 0.75);
      expect(w).toBeLessThanOrEqual(nominal[i]!);
    });
    await expectClean();
  });
});

describe("network faults", () => {
  it("connection reset: APIConnectionError after 3 attempts on an idempotent call, 1 on a task submit", async () => {
    server.script(reset);
    const idem = faultClient();
    const err = await failure(idem.elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).toMatchObject({ attempts: 3, status: undefined });
    expectWaits(idem.waits, BACKOFF_HALF);
    expectNoKey(err);

    const submit = faultClient();
    const err2 = await failure(submit.elk.POST("/dream-machine/v1/generations", { body: { prompt: "a fox" } }));
    expect(err2).toBeInstanceOf(APIConnectionError);
    expect(err2.attempts).toBe(1);
    expect(submit.waits).toEqual([]);
    await expectClean();
  });

  it("connection refused: retried for every call, task submits included (nothing was sent)", async () => {
    const port = await freePort();
    const { elk, waits, fetches } = faultClient({ baseUrl: `http://127.0.0.1:${port}` });
    const err = await failure(elk.POST("/dream-machine/v1/generations", { body: { prompt: "a fox" } }));
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err.constructor).toBe(APIConnectionError);
    expect(err.attempts).toBe(3);
    expect(fetches()).toBe(3);
    expect(err.message).toContain("ECONNREFUSED");
    expectWaits(waits, BACKOFF_HALF);
    expectNoKey(err);
    await expectClean();
  });

  it("headers later than the timeout: APIConnectionTimeoutError after 3 attempts, each aborted", async () => {
    server.script(silent);
    const { elk, waits } = faultClient({ timeoutMs: 200 });
    const started = performance.now();
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err.attempts).toBe(3);
    expect(server.arrivals).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(3 * 200 * 1.2 + 1000);
    expectWaits(waits, BACKOFF_HALF);
    expectNoKey(err);
    await expectClean();
  });

  it("a timed-out task submit is not sent again", async () => {
    server.script(silent);
    const { elk, waits } = faultClient({ timeoutMs: 150 });
    const err = await failure(elk.POST("/dream-machine/v1/generations", { body: { prompt: "a fox" } }));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err.attempts).toBe(1);
    expect(server.arrivals).toHaveLength(1);
    expect(waits).toEqual([]);
    await expectClean();
  });

  it("a body that stalls after the headers: the timeout covers body reading too", async () => {
    server.script(stallBody(200, '{"object":"list","data":['));
    const { elk, waits } = faultClient({ timeoutMs: 200 });
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err).toMatchObject({ attempts: 3, status: 200 });
    expect(err.message).toContain("body");
    expectWaits(waits, BACKOFF_HALF);
    await expectClean();
  });

  it("a truncated JSON body (connection closed before Content-Length): APIConnectionError, retried", async () => {
    const whole = JSON.stringify(models);
    server.script(truncated(200, whole, whole.slice(0, 20)));
    const { elk, waits } = faultClient();
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).toMatchObject({ attempts: 3, status: 200 });
    expect(err.message).toContain("cut");
    expectWaits(waits, BACKOFF_HALF);
    await expectClean();
  });

  it("a truncated JSON body delivered as complete: InvalidResponseError with the raw text, not retried", async () => {
    server.script(text(200, '{"object":"list","data":[{"id":"gpt', "application/json"));
    const { elk, waits } = faultClient();
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ attempts: 1, status: 200, rawBody: '{"object":"list","data":[{"id":"gpt' });
    expect(waits).toEqual([]);
    await expectClean();
  });

  it("the caller's abort during a retry wait: APIUserAbortError at once, no further attempt", async () => {
    server.script(json(503, { error: { message: "busy" } }));
    const ac = new AbortController();
    baseline ??= resources();
    const elk = createElkClient({ apiKey: KEY, baseUrl: server.baseUrl });
    setTimeout(() => ac.abort(), 100);
    const started = performance.now();
    const err = await failure(elk.GET("/v1/models", { signal: ac.signal }));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(err.attempts).toBe(1);
    expect(performance.now() - started).toBeLessThan(400);
    expect(server.arrivals).toHaveLength(1);
    await expectClean();
  });

  it("the caller's abort while headers are awaited wins over the timeout and is not retried", async () => {
    server.script(silent);
    const ac = new AbortController();
    const { elk, waits } = faultClient({ timeoutMs: 10_000 });
    setTimeout(() => ac.abort(), 80);
    const err = await failure(elk.GET("/v1/models", { signal: ac.signal }));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(err.attempts).toBe(1);
    expect(waits).toEqual([]);
    await expectClean();
  });
});

describe("errors inside 200 answers", () => {
  it("GET /v1/models with success: false: ErrorInBodyError, not retried", async () => {
    server.script(json(200, { success: false, message: `token ${KEY} is disabled`, data: null }));
    const { elk, waits } = faultClient();
    const err = await failure(elk.GET("/v1/models"));
    expect(err).toBeInstanceOf(ErrorInBodyError);
    expect(err).toMatchObject({ status: 200, attempts: 1, operationId: "listModels" });
    expect(err.message).toContain("[redacted]");
    expect(waits).toEqual([]);
    expectNoKey(err);
    await expectClean();
  });
});

describe("SSE faults", () => {
  const chunk = (content: string, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

  it("a stream cut mid-event: IncompleteStreamError after the events before it", async () => {
    const whole = chunk(" there");
    server.script(sse([chunk("Hi"), 20, whole.slice(0, 40)], "destroy"));
    const { elk, waits } = faultClient();
    const stream = await elk.stream("createChatCompletion", { body: chatBody });
    const seen: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? "");
      })(),
    );
    expect(seen).toEqual(["Hi"]);
    expect(err).toBeInstanceOf(IncompleteStreamError);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).toMatchObject({ attempts: 1, operationId: "createChatCompletion", status: 200 });
    expect(waits).toEqual([]);
    expectNoKey(err);
    await expectClean();
  });

  it("a stream that ends cleanly without [DONE]: IncompleteStreamError", async () => {
    server.script(sse([chunk("Hi"), chunk("!", "stop")], "end"));
    const { elk } = faultClient();
    const stream = await elk.stream("createChatCompletion", { body: chatBody });
    const err = await failure(stream.final());
    expect(err).toBeInstanceOf(IncompleteStreamError);
    expect(err.message).toContain("[DONE]");
    await expectClean();
  });

  it("an SSE error chunk after 200: StreamEventError with the gateway's code and type", async () => {
    const errorChunk = `data: ${JSON.stringify({ error: { message: `upstream overloaded for ${KEY}`, type: "upstream_error", code: "bad_response_status_code" } })}\n\n`;
    server.script(sse([chunk("Hi"), errorChunk], "hang"));
    const { elk } = faultClient();
    const stream = await elk.stream("createChatCompletion", { body: chatBody });
    const err = await failure(stream.final());
    expect(err).toBeInstanceOf(StreamEventError);
    expect(err).toMatchObject({ status: 200, code: "bad_response_status_code", type: "upstream_error", attempts: 1 });
    expect(stream.eventCount).toBe(1);
    expectNoKey(err);
    await expectClean();
  });

  it("an Anthropic-style `event: error`: StreamEventError with its type", async () => {
    const ev = `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })}\n\n`;
    server.script(sse([chunk("Hi"), ev], "hang"));
    const { elk } = faultClient();
    const stream = await elk.stream("createChatCompletion", { body: chatBody });
    const err = await failure(stream.final());
    expect(err).toBeInstanceOf(StreamEventError);
    expect(err).toMatchObject({ type: "overloaded_error" });
    expect(err.message).toContain("Overloaded");
    await expectClean();
  });

  it("a stream silent for longer than idleTimeoutMs: APIConnectionTimeoutError, while a slow but steady one passes", async () => {
    server.script(sse([chunk("Hi"), 60, chunk("!"), 60, chunk("", "stop"), 60, "data: [DONE]\n\n"], "end"));
    const a = faultClient({ idleTimeoutMs: 250, timeoutMs: 250 });
    const steady = await a.elk.stream("createChatCompletion", { body: chatBody });
    expect(await steady.finalText()).toBe("Hi!");

    server.script(sse([chunk("Hi")], "hang"));
    const b = faultClient({ idleTimeoutMs: 150 });
    const stream = await b.elk.stream("createChatCompletion", { body: chatBody });
    const err = await failure(stream.final());
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err.message).toContain("idle");
    expect(err.attempts).toBe(1);
    await expectClean();
  });

  it("a 503 before the stream starts is retried; the stream then runs", async () => {
    server.script(echoKey(503), sse([chunk("ok", "stop"), "data: [DONE]\n\n"]));
    const { elk, waits } = faultClient();
    const stream = await elk.stream("createChatCompletion", { body: chatBody });
    expect(await stream.finalText()).toBe("ok");
    expectWaits(waits, [437.5]);
    const sent = JSON.parse(server.arrivals[1]!.body.toString()) as { stream?: boolean };
    expect(sent.stream).toBe(true);
    expect(server.arrivals[1]!.headers.accept).toBe("text/event-stream");
    await expectClean();
  });

  it("abort mid-stream: APIUserAbortError, connection released", async () => {
    server.script(sse([chunk("Hi"), 30, chunk("more")], "hang"));
    const { elk } = faultClient();
    const stream = await elk.stream("createChatCompletion", { body: chatBody });
    const err = await failure(
      (async () => {
        for await (const c of stream) if (c.choices[0]?.delta.content === "more") stream.abort();
      })(),
    );
    expect(err).toBeInstanceOf(APIUserAbortError);
    await expectClean();
  });

  it("break out of the loop: the connection is released and final() says the stream was stopped", async () => {
    server.script(sse([chunk("Hi"), chunk("more")], "hang"));
    const { elk } = faultClient();
    const stream = await elk.stream("createChatCompletion", { body: chatBody });
    for await (const _ of stream) break;
    expect(await failure(stream.final())).toBeInstanceOf(IncompleteStreamError);
    await expectClean();
  });
});
