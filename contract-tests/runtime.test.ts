/**
 * The client runtime's helpers: uploads (toFile and multipart for every multipart operation), logging and
 * redaction, stream accumulation for the Anthropic Messages and OpenAI Responses protocols (whose operations
 * other families add), and the retry policy's header parsing.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import mime from "mime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type OperationId, type OperationInfo, operations } from "../generated/operations.js";
import {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  ElkApiError,
  type ElkLogger,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,

  InternalServerError,
  StreamEventError,
  backoffMs,
  createElkClient,
  serverRetryAfterMs,
  toFile,
  UnprocessableEntityError,
} from "../src/index.js";
import { ElkStream } from "../src/streaming.js";
import { type FaultServer, json, startFaultServer } from "./faults/fault-server.js";
import { TEST_KEY, requestExamples, testClient } from "./lib/calls.js";
import { operation } from "./lib/spec.js";

const KEY = "sk-elk-runtime-abcdef0123456789";
const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

let server: FaultServer;
let dir: string;
beforeAll(async () => {
  server = await startFaultServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-uploads-"));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The multipart parts the server received in its last request. */
async function lastForm(): Promise<FormData> {
  const a = server.arrivals.at(-1)!;
  return new Response(new Uint8Array(a.body), { headers: { "content-type": String(a.headers["content-type"]) } }).formData();
}

describe("toFile", () => {
  it("reads a path lazily, naming the file and typing it by extension", async () => {
    const p = path.join(dir, "room.PNG");
    await writeFile(p, PNG);
    const f = await toFile(p);
    expect(f).toMatchObject({ name: "room.PNG", type: "image/png", size: PNG.byteLength });
    expect(new Uint8Array(await f.arrayBuffer())).toEqual(PNG);
    expect(await toFile(new URL(`file://${p}`), "other.webp")).toMatchObject({ name: "other.webp", type: "image/webp" });
  });

  it("wraps Buffers and bytes, with the name's type, an explicit type, or octet-stream", async () => {
    expect(await toFile(Buffer.from(PNG), "a.jpg")).toMatchObject({ name: "a.jpg", type: "image/jpeg" });
    expect(await toFile(PNG, undefined, { type: "audio/mpeg" })).toMatchObject({ name: "upload.mp3", type: "audio/mpeg" });
    expect(await toFile(PNG.buffer)).toMatchObject({ name: "upload", type: "application/octet-stream" });
  });

  it("keeps a File's name and type, renames when asked, and types a Blob from the name", async () => {
    const file = new File([PNG], "mask.png", { type: "image/png" });
    expect(await toFile(file)).toMatchObject({ name: "mask.png", type: "image/png" });
    expect(await toFile(file, "renamed.png")).toMatchObject({ name: "renamed.png", type: "image/png" });
    expect(await toFile(new Blob([PNG]), "clip.mp4")).toMatchObject({ name: "clip.mp4", type: "video/mp4" });
  });

  it("reads Node streams (named from their path) and web streams", async () => {
    const p = path.join(dir, "voice.wav");
    await writeFile(p, PNG);
    expect(await toFile(createReadStream(p))).toMatchObject({ name: "voice.wav", type: "audio/wav", size: PNG.byteLength });
    const web = new Blob([PNG]).stream();
    expect(await toFile(web, "x.png")).toMatchObject({ name: "x.png", size: PNG.byteLength });
  });

  it("rejects other URLs and kinds with a TypeError", async () => {
    await expect(toFile(new URL("https://example.org/a.png"))).rejects.toThrow(/file: URLs/);
    await expect(toFile(42 as never)).rejects.toThrow(TypeError);
    await expect(toFile(path.join(dir, "missing.png"))).rejects.toThrow(/ENOENT/);
  });
});

describe("uploads: every multipart operation", () => {
  const multipart = (Object.entries(operations) as [OperationId, OperationInfo][]).filter(([, op]) => op.files !== null);

  it("the table lists multipart operations with their file fields", () => {
    expect(multipart.length).toBeGreaterThan(0);
    for (const [, op] of multipart) expect(Object.keys(op.files!).length).toBeGreaterThan(0);
  });

  for (const [id, info] of multipart) {
    it(`${id}: files from a path, a Buffer, a Blob and a File arrive with the right filename and media type`, async () => {
      const example = (requestExamples(operation(id))[0]?.value ?? {}) as Record<string, unknown>;
      const body: Record<string, unknown> = Object.fromEntries(Object.entries(example).filter(([, v]) => v !== ""));
      const fields = Object.entries(info.files!);
      const expected: Record<string, { name: string; type: string }[]> = {};
      let i = 0;
      for (const [field, types] of fields) {
        const type = types[0] ?? "application/octet-stream";
        // The file extension that names this media type (audio/mpeg → mp3), as a user's file would have.
        const ext = mime.getExtension(type) ?? "bin";
        const p = path.join(dir, `${field}-${i}.${ext}`);
        await writeFile(p, PNG);
        // Four sources in turn: a path, a Buffer (typed from the spec's encoding), a nameless Blob, a File.
        const sources: [unknown, { name: string; type: string }][] = [
          [await toFile(p), { name: path.basename(p), type }],
          [Buffer.from(PNG), { name: `${field}.${ext}`, type }],
          [new Blob([PNG]), { name: `${field}.${ext}`, type }],
          [new File([PNG], `own-${field}.${ext}`, { type }), { name: `own-${field}.${ext}`, type }],
        ];
        const [value, want] = sources[i % sources.length]!;
        body[field] = value;
        expected[field] = [want];
        i += 1;
      }
      server.script(json(200, { created: 1, data: [] }));
      const elk = createElkClient({ apiKey: TEST_KEY, baseUrl: server.baseUrl });
      const call = elk[info.method as "POST"] as unknown as (url: string, init: object) => Promise<unknown>;
      await call(info.path, { body, params: { path: {} } });
      expect(String(server.arrivals.at(-1)!.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
      const form = await lastForm();
      for (const [field, want] of Object.entries(expected)) {
        const parts = form.getAll(field) as File[];
        expect(parts.map((p) => ({ name: p.name, type: p.type }))).toEqual(want);
        expect(new Uint8Array(await parts[0]!.arrayBuffer())).toEqual(PNG);
      }
    });
  }

  it("createImageEdit: a file from a path is accepted by the mock (Prism validates the multipart body)", async () => {
    const p = path.join(dir, "photo.png");
    await writeFile(p, PNG);
    const { data } = await testClient().POST("/v1/images/edits", { body: { image: [await toFile(p), await toFile(p, "second.png")], prompt: "Add a lamp" } });
    expect(data.data.length).toBeGreaterThan(0);
  });

  it("a multipart body is buffered once and resent identically on retry", async () => {
    server.script(json(503, { error: { message: "busy" } }), json(200, { created: 1, data: [] }));
    const elk = createElkClient({ apiKey: TEST_KEY, baseUrl: server.baseUrl, sleep: async () => undefined });
    const image = await toFile(PNG, "a.png");
    await elk.POST("/v1/images/edits", { body: { image, prompt: "x" } });
    const [a, b] = server.arrivals.slice(-2);
    expect(b!.body.equals(a!.body)).toBe(true);
    expect(b!.headers["content-type"]).toBe(a!.headers["content-type"]);
  });
});

describe("logging and redaction", () => {
  function recorder() {
    const lines: { level: string; message: string; details?: Record<string, unknown> }[] = [];
    const logger: ElkLogger = {
      debug: (message, details) => lines.push({ level: "debug", message, details }),
      info: (message, details) => lines.push({ level: "info", message, details }),
      warn: (message, details) => lines.push({ level: "warn", message, details }),
      error: (message, details) => lines.push({ level: "error", message, details }),
    };
    return { lines, logger };
  }

  it("logs attempts, retries and the failure at their levels, never with the key", async () => {
    server.script((req, res) => {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `bad key ${req.headers.authorization}` } }));
    });
    const { lines, logger } = recorder();
    const elk = createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger, logLevel: "debug", sleep: async () => undefined });
    const err = await elk.GET("/v1/models").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(lines.filter((l) => l.level === "debug" && l.message.startsWith("→"))).toHaveLength(3);
    expect(lines.filter((l) => l.level === "info" && l.message.includes("retrying in"))).toHaveLength(2);
    const warn = lines.find((l) => l.level === "warn")!;
    expect(warn.message).toContain("InternalServerError 500 after 3 attempt(s)");
    expect(warn.message).toContain("[redacted]");
    for (const l of lines) expect(inspect(l, { depth: 10 })).not.toContain(KEY);
  });

  it("a logger alone logs from info up; logLevel off silences it", async () => {
    server.script(json(200, { object: "list", data: [] }));
    const a = recorder();
    await createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger: a.logger }).GET("/v1/models");
    expect(a.lines).toEqual([]);
    server.script(json(503, { error: { message: "x" } }), json(200, { object: "list", data: [] }));
    await createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger: a.logger, sleep: async () => undefined }).GET("/v1/models");
    expect(a.lines.map((l) => l.level)).toEqual(["info"]);
    const b = recorder();
    server.script(json(503, { error: { message: "x" } }), json(200, { object: "list", data: [] }));
    await createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger: b.logger, logLevel: "off", sleep: async () => undefined }).GET("/v1/models");
    expect(b.lines).toEqual([]);
  });

  it("ELKAPI_LOG turns on the console logger, redacted", async () => {
    const saved = process.env.ELKAPI_LOG;
    process.env.ELKAPI_LOG = "debug";
    const spy = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    try {
      server.script(json(200, { object: "list", data: [] }));
      await createElkClient({ apiKey: KEY, baseUrl: `${server.baseUrl}/?key=${KEY}` }).GET("/v1/models");
      expect(spy).toHaveBeenCalled();
      const text = inspect(spy.mock.calls, { depth: 10 });
      expect(text).toContain("[elkapi] →");
      expect(text).not.toContain(KEY);
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.ELKAPI_LOG;
      else process.env.ELKAPI_LOG = saved;
    }
  });

  it("util.inspect of the client and of a stream shows no key", async () => {
    const elk = createElkClient({ apiKey: KEY, baseUrl: server.baseUrl });
    expect(inspect(elk, { depth: 10, showHidden: true })).not.toContain(KEY);
    const stream = streamOf(ev("message_stop", {}), { endEvents: ["message_stop"] });
    expect(inspect(stream, { depth: 10, showHidden: true })).not.toContain(KEY);
  });

  it("rejects an unknown logLevel", () => {
    expect(() => createElkClient({ apiKey: KEY, logLevel: "loud" as never })).toThrow(/logLevel must be one of/);
    expect(() => createElkClient({ apiKey: KEY, maxRetries: -1 })).toThrow(/maxRetries must be an integer/);
    expect(() => createElkClient({ apiKey: KEY, idleTimeoutMs: 0 })).toThrow(/idleTimeoutMs must be a positive/);
  });

  it("redacts the key from a network error's cause chain too", async () => {
    const elk = createElkClient({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      maxRetries: 0,
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error(`proxy refused Bearer ${KEY}`), { code: "ECONNRESET" }) });
      },
    });
    const err = (await elk.GET("/v1/models").catch((e: unknown) => e)) as APIConnectionError;
    expect(err).toBeInstanceOf(APIConnectionError);
    for (const t of [err.message, err.stack ?? "", JSON.stringify(err), inspect(err, { depth: 10 })]) expect(t).not.toContain(KEY);
    expect(inspect(err, { depth: 10 })).toContain("proxy refused Bearer [redacted]");
  });
});

/** An ElkStream over a fixed SSE text, as elk.stream() would build it. */
function streamOf(text: string, rule: { done?: string; endEvents?: string[]; errorEvents?: string[] }) {
  const response = new Response(text, { headers: { "content-type": "text/event-stream" } });
  return new ElkStream<Record<string, unknown>, Record<string, unknown>>({
    response,
    operationId: "createMessage",
    rule,
    controller: new AbortController(),
    method: "POST",
    url: "https://api.elkapi.com/v1/messages",
    attempts: 1,
    secret: KEY,
  });
}

const ev = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;

describe("stream accumulation for protocols other families add", () => {
  const anthropic = [
    ev("message_start", { message: { id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-20250514", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
    ev("ping", {}),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Sales " } }),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "rise." } }),
    ev("content_block_stop", { index: 0 }),
    ev("content_block_start", { index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "chart", input: {} } }),
    ev("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '{"kind":' } }),
    ev("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '"bar"}' } }),
    ev("content_block_stop", { index: 1 }),
    ev("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 30 } }),
    ev("message_stop", {}),
  ].join("");
  const rule = { endEvents: ["message_stop"], errorEvents: ["error"] };

  it("Anthropic messages: finalMessage() is the assembled message, text and tool input included", async () => {
    const stream = streamOf(anthropic, rule);
    const message = await stream.finalMessage();
    expect(message).toEqual({
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-20250514",
      content: [
        { type: "text", text: "Sales rise." },
        { type: "tool_use", id: "toolu_1", name: "chart", input: { kind: "bar" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 30 },
    });
    expect(await stream.finalText()).toBe("Sales rise.");
    expect(stream.eventCount).toBe(12);
  });

  it("Anthropic messages: an error event after 200 throws StreamEventError with its type", async () => {
    const text = anthropic.split("event: content_block_stop")[0] + ev("error", { error: { type: "overloaded_error", message: "Overloaded" } });
    const err = await streamOf(text, rule).final().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamEventError);
    expect(err).toMatchObject({ type: "overloaded_error", message: expect.stringContaining("Overloaded") });
  });

  it("OpenAI Responses: finalResponse() is the response of response.completed; text from the deltas meanwhile", async () => {
    const done = { id: "resp_1", object: "response", status: "completed", output: [{ type: "message", content: [{ type: "output_text", text: "Hi!" }] }] };
    const text = [
      ev("response.created", { response: { id: "resp_1", object: "response", status: "in_progress", output: [] }, sequence_number: 0 }),
      ev("response.output_text.delta", { delta: "Hi", sequence_number: 1 }),
      ev("response.output_text.delta", { delta: "!", sequence_number: 2 }),
      ev("response.completed", { response: done, sequence_number: 3 }),
    ].join("");
    const stream = streamOf(text, { endEvents: ["response.completed", "response.incomplete", "response.failed"], errorEvents: ["error"] });
    expect(await stream.finalResponse()).toEqual(done);
    expect(await stream.finalText()).toBe("Hi!");
  });

  it("OpenAI Responses: a `type: error` event throws StreamEventError with its code", async () => {
    const text = ev("response.created", { response: { id: "r" } }) + `event: error\ndata: ${JSON.stringify({ type: "error", code: "server_error", message: "boom", param: null })}\n\n`;
    const err = await streamOf(text, { endEvents: ["response.completed"] }).final().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamEventError);
    expect(err).toMatchObject({ code: "server_error", message: expect.stringContaining("boom") });
  });

  it("a stream is iterated once; final() after a full loop gives the answer", async () => {
    const stream = streamOf(anthropic, rule);
    for await (const _ of stream) {
      // drain
    }
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
    expect((await stream.final()).id).toBe("msg_1");
  });
});

describe("error bodies: every shape the gateway uses becomes the same typed fields", () => {
  const cases: { name: string; status: number; body: unknown; cls: typeof ElkApiError; want: Partial<Record<"code" | "type" | "param" | "requestId", unknown>>; message: string }[] = [
    { name: "A, OpenAI envelope", status: 403, body: { error: { message: "user quota is not enough (request id: 2025061109301548)", type: "new_api_error", param: "", code: "insufficient_user_quota" } }, cls: PermissionDeniedError, want: { code: "insufficient_user_quota", type: "new_api_error", requestId: "2025061109301548" }, message: "user quota is not enough" },
    { name: "B, Anthropic envelope", status: 429, body: { type: "error", error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" }, request_id: "req_011" }, cls: RateLimitError, want: { type: "rate_limit_error", requestId: "req_011" }, message: "exceeded your rate limit" },
    { name: "C, /mj", status: 400, body: { description: "task_no_found ", type: "upstream_error", code: 4 }, cls: BadRequestError, want: { code: 4, type: "upstream_error" }, message: "400 task_no_found (" },
    { name: "D, task routes", status: 400, body: { code: "task_not_exist", message: "task_not_exist", data: null }, cls: BadRequestError, want: { code: "task_not_exist" }, message: "task_not_exist" },
    { name: "D, Suno error", status: 500, body: { code: "error", message: "upstream refused the prompt" }, cls: InternalServerError, want: { code: "error" }, message: "upstream refused the prompt" },
    { name: "MiniMax base_resp", status: 400, body: { task_id: "", base_resp: { status_code: 1008, status_msg: "insufficient balance" } }, cls: BadRequestError, want: { code: 1008 }, message: "insufficient balance" },
    { name: "Kling service code", status: 401, body: { code: 1002, message: "Authorization is invalid", request_id: "kling-req-9" }, cls: AuthenticationError, want: { code: 1002, requestId: "kling-req-9" }, message: "Authorization is invalid" },
    { name: "Tencent Hunyuan3D", status: 400, body: { Response: { Error: { Code: "ResourceInsufficient", Message: "service not enabled" }, RequestId: "6f1d2c3b" } }, cls: BadRequestError, want: { code: "ResourceInsufficient", requestId: "6f1d2c3b" }, message: "service not enabled" },
    { name: "BFL / FastAPI detail list", status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "field required", type: "value_error.missing" }] }, cls: UnprocessableEntityError, want: {}, message: "body.prompt: field required" },
    { name: "Replicate problem", status: 404, body: { title: "Not found", detail: "The requested resource could not be found.", status: 404 }, cls: NotFoundError, want: {}, message: "Not found: The requested resource" },
    { name: "success: false", status: 400, body: { success: false, message: "invalid token" }, cls: BadRequestError, want: {}, message: "invalid token" },
    { name: "plain text", status: 500, body: "upstream error: EOF", cls: InternalServerError, want: {}, message: "upstream error: EOF" },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const elk = createElkClient({
        apiKey: KEY,
        maxRetries: 0,
        fetch: async () =>
          typeof c.body === "string" ? new Response(c.body, { status: c.status, headers: { "content-type": "text/plain" } }) : Response.json(c.body, { status: c.status }),
      });
      const err = (await elk.GET("/v1/models").catch((e: unknown) => e)) as ElkApiError;
      expect(err).toBeInstanceOf(c.cls);
      expect(err.status).toBe(c.status);
      expect(err.message).toContain(c.message);
      expect(err).toMatchObject(c.want);
      expect(err.body).toEqual(c.body);
    });
  }
});

describe("retry policy", () => {
  it("reads retry-after-ms, then retry-after in seconds or as an HTTP date, within 0-60 s", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(serverRetryAfterMs(h({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(serverRetryAfterMs(h({ "retry-after": "1.5" }))).toBe(1500);
    expect(serverRetryAfterMs(h({ "retry-after": "0" }))).toBe(0);
    expect(serverRetryAfterMs(h({ "retry-after": "61" }))).toBeUndefined();
    expect(serverRetryAfterMs(h({ "retry-after-ms": "-5" }))).toBeUndefined();
    expect(serverRetryAfterMs(h({ "retry-after": "soon" }))).toBeUndefined();
    const now = Date.parse("2025-06-11T09:30:00Z");
    expect(serverRetryAfterMs(h({ "retry-after": "Wed, 11 Jun 2025 09:30:05 GMT" }), now)).toBe(5000);
    expect(serverRetryAfterMs(h({ "retry-after": "Wed, 11 Jun 2025 09:29:00 GMT" }), now)).toBe(0);
  });

  it("backs off 0.5 s doubling to 8 s, jitter taking off at most 25%", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(0, () => 0.999999)).toBeCloseTo(375, 0);
  });
});
