/**
 * `elk.stream()` for every operation whose spec answer has `x-elkapi-sse` (generated/operations.ts `sse`). Each
 * SSE example the spec holds is served twice: by Prism (the run's mock, `Prefer: example=<name>`) and by a local
 * scripted server that also cuts it mid-event, injects an error event, goes silent, or is aborted. New SSE
 * operations (Responses, Messages) are covered as soon as the spec has them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OperationId, type OperationInfo, operations } from "../generated/operations.js";
import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  type ElkApiError,
  type ElkClient,
  IncompleteStreamError,
  InvalidResponseError,
  StreamEventError,
  createElkClient,
  type SseOperationId,
} from "../src/index.js";
import { type FaultServer, sse, startFaultServer, json } from "./faults/fault-server.js";
import { TEST_KEY, paramsOf, requestExamples, testClient, toBody } from "./lib/calls.js";
import { responseBase } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation, pointerOf, schemaErrors } from "./lib/spec.js";
import { parseSse } from "./lib/sse.js";

const sseOps = (Object.entries(operations) as [OperationId, OperationInfo][]).filter(([, op]) => op.sse !== null) as [SseOperationId, OperationInfo][];

/** The SSE examples of an operation's 200 answer. */
function sseExamples(id: string) {
  const entry = operation(id);
  const resp = deref(bundle, entry.op.responses["200"]!);
  return examplesOf(resp.content?.["text/event-stream"]).map((e) => ({ name: e.name, text: String(e.value) }));
}

/** A streaming request: the request example that streams (else the first) and the example parameters. */
function streamInit(id: string): Record<string, unknown> {
  const entry = operation(id);
  const examples = requestExamples(entry);
  const ex = examples.find((e) => (e.value as { stream?: unknown })?.stream === true) ?? examples[0];
  return { params: paramsOf(entry), ...(ex ? { body: toBody(entry, structuredClone(ex.value)) } : {}) };
}

/** The payloads an example's events carry, without the `done` marker. */
function payloads(text: string, rule: OperationInfo["sse"]): unknown[] {
  return parseSse(text)
    .filter((e) => rule?.done === undefined || e.data !== rule.done)
    .map((e) => JSON.parse(e.data));
}

/** True when an example carries an error event or error chunk (the stream then throws StreamEventError). */
function hasErrorEvent(text: string, rule: OperationInfo["sse"]): boolean {
  return parseSse(text).some((e) => {
    if (rule?.done !== undefined && e.data === rule.done) return false;
    const d = JSON.parse(e.data) as Record<string, unknown>;
    const names = rule?.errorEvents ?? [];
    const type = typeof d.type === "string" ? d.type : undefined;
    return (
      (e.event !== undefined && (names.includes(e.event) || e.event === "error")) ||
      (type !== undefined && (names.includes(type) || type === "error")) ||
      (typeof d.error === "object" && d.error !== null && d.choices === undefined)
    );
  });
}

/** The example's event blocks (text between blank lines). */
function blocks(text: string): string[] {
  return text.split(/\n\n+/).filter((b) => b.trim() !== "").map((b) => `${b}\n\n`);
}

async function collect<E>(stream: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("the stream should have failed");
    },
    (e: unknown) => e as ElkApiError,
  );

describe("streaming: the table", () => {
  it("has SSE operations, each with at least one SSE example in the spec", () => {
    expect(sseOps.length).toBeGreaterThan(0);
    for (const [id] of sseOps) expect(sseExamples(id).length, id).toBeGreaterThan(0);
  });

  it("refuses an operation without an SSE answer", async () => {
    const elk = testClient();
    await expect(elk.stream("createEmbedding" as SseOperationId, { body: {} } as never)).rejects.toThrow(/no SSE answer/);
  });
});

describe("streaming against the Prism mock", () => {
  for (const [id, info] of sseOps) {
    for (const ex of sseExamples(id)) {
      if (hasErrorEvent(ex.text, info.sse)) {
        it(`${id}: "${ex.name}" (an error stream) throws StreamEventError`, async () => {
          const elk = testClient();
          const stream = await elk.stream(id, { ...streamInit(id), headers: { Prefer: `example=${ex.name}` } } as never);
          expect(await failure(collect(stream))).toBeInstanceOf(StreamEventError);
        });
        continue;
      }
      it(`${id}: "${ex.name}" arrives as typed events, and final() is a valid ${id} answer`, async () => {
        const elk = testClient();
        const stream = await elk.stream(id, { ...streamInit(id), headers: { Prefer: `example=${ex.name}` } } as never);
        expect(stream.response.headers.get("content-type")).toContain("text/event-stream");
        const events = await collect(stream);
        expect(events).toEqual(payloads(ex.text, info.sse));
        const final = await stream.final();
        expect(final).toBeDefined();
        if (!info.successMediaTypes.includes("application/json")) {
          // No JSON answer to build (e.g. speech audio): final() is the last event, as accumulate.ts says.
          expect(final).toEqual(payloads(ex.text, info.sse).at(-1));
          return;
        }
        // The accumulated answer has the shape of the operation's JSON answer, except for required fields no event
        // carried (e.g. chat `usage`, sent only with stream_options.include_usage).
        const jsonSchema = `${responseBase(operation(id), "200")}${pointerOf("content", "application/json", "schema")}`;
        const carried = (name: string) => ex.text.includes(`"${name}"`);
        const errors = schemaErrors(jsonSchema, final).filter((e) => {
          const missing = e.match(/must have required property '([^']+)'/)?.[1];
          return missing === undefined || carried(missing);
        });
        expect(errors, JSON.stringify(final)).toEqual([]);
      });
    }
  }

  it("createChatCompletion: stream_text accumulates to the text, usage and finish reason", async () => {
    const elk = testClient();
    const stream = await elk.stream("createChatCompletion", {
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hi." }] },
      headers: { Prefer: "example=stream_text" },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hi there!");
    const completion = await stream.finalChatCompletion();
    expect(completion).toMatchObject({
      id: "chatcmpl-71a",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi there!" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
    });
    expect(await stream.finalText()).toBe("Hi there!");
  });

  it("createChatCompletion: stream_tool_call joins the argument fragments", async () => {
    const elk = testClient();
    const stream = await elk.stream("createChatCompletion", {
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Weather?" }] },
      headers: { Prefer: "example=stream_tool_call" },
    });
    const completion = await stream.final();
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: "call_Wx81", type: "function", function: { name: "get_weather", arguments: '{"city":"Sydney"}' } },
    ]);
  });

  it("createImage: stream_partial yields the partial then the completed image, and stops there", async () => {
    const elk = testClient();
    const stream = await elk.stream("createImage", { body: { prompt: "A paper crane", model: "gpt-image-1", partial_images: 1 }, headers: { Prefer: "example=stream_partial" } });
    const types = (await collect(stream)).map((e) => ("type" in e ? e.type : undefined));
    expect(types).toEqual(["image_generation.partial_image", "image_generation.completed"]);
    const final = await stream.final();
    expect(final.data?.[0]).toMatchObject({ b64_json: expect.stringMatching(/^iVBOR/) });
  });

  it("a stream request answered with JSON gives InvalidResponseError", async () => {
    const server = await startFaultServer();
    try {
      server.script(json(200, { id: "chatcmpl-1", object: "chat.completion", choices: [] }));
      const elk = createElkClient({ apiKey: TEST_KEY, baseUrl: server.baseUrl });
      const err = await failure(elk.stream("createChatCompletion", { body: { model: "m", messages: [] } }));
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(err.rawBody).toContain("chat.completion");
    } finally {
      await server.close();
    }
  });
});

describe("streaming against a scripted server, for every SSE operation", () => {
  let server: FaultServer;
  let elk: ElkClient;
  beforeAll(async () => {
    server = await startFaultServer();
    elk = createElkClient({ apiKey: TEST_KEY, baseUrl: server.baseUrl, idleTimeoutMs: 300 });
  });
  afterAll(async () => {
    await server.close();
  });

  for (const [id, info] of sseOps) {
    const ex = sseExamples(id).find((e) => !hasErrorEvent(e.text, info.sse)) ?? sseExamples(id)[0]!;
    const all = blocks(ex.text);
    const endIndex = all.length - 1; // every SSE example ends with its end marker (the contract suite checks it)
    const before = all.slice(0, endIndex);
    // The first event that is not the end marker (absent when the example is only its end event).
    const first = before.slice(0, 1);
    // A protocol without an end marker (Gemini's `alt=sse`): the stream ends when the body ends.
    const endsWithBody = info.sse?.done === undefined && info.sse?.endEvents === undefined;

    it(`${id}: the example, sent in pieces with keep-alive comments, gives the same events`, async () => {
      const pieces = all.flatMap((b) => [": keep-alive\n\n", b.slice(0, 7), 5, b.slice(7)]);
      server.script(sse(pieces, endsWithBody ? "end" : "hang"));
      const stream = await elk.stream(id, { ...streamInit(id) } as never);
      expect(await collect(stream)).toEqual(payloads(ex.text, info.sse));
      // The stream flag went where the operation takes it.
      const arrival = server.arrivals.at(-1)!;
      const flag = info.streamFlag;
      if (flag?.in === "query") expect(arrival.path).toContain(`${flag.name}=${String(flag.value)}`);
      else if (flag && info.requestMediaTypes.includes("multipart/form-data")) expect(arrival.body.toString()).toContain(`name="${flag.name}"\r\n\r\n${String(flag.value)}`);
      else if (flag) expect((JSON.parse(arrival.body.toString()) as Record<string, unknown>)[flag.name]).toBe(flag.value);
      expect(server.arrivals.at(-1)!.headers.accept).toBe("text/event-stream");
    });

    it(`${id}: cut mid-event before its end marker → IncompleteStreamError`, async () => {
      const last = before.at(-1) ?? all[0]!;
      server.script(sse([...before.slice(0, -1), last.slice(0, Math.floor(last.length / 2))], "destroy"));
      const stream = await elk.stream(id, { ...streamInit(id) } as never);
      const err = await failure(collect(stream));
      expect(err).toBeInstanceOf(IncompleteStreamError);
      expect(err.operationId).toBe(id);
      expect(stream.eventCount).toBe(Math.max(0, before.length - 1));
    });

    if (endsWithBody) {
      it(`${id}: has no end marker, so a body that ends is a complete stream`, async () => {
        server.script(sse(before, "end"));
        const stream = await elk.stream(id, { ...streamInit(id) } as never);
        expect(await stream.final()).toEqual(payloads(ex.text, info.sse).at(-2));
      });
    } else {
      it(`${id}: ends without its end marker → IncompleteStreamError`, async () => {
        server.script(sse(before, "end"));
        const stream = await elk.stream(id, { ...streamInit(id) } as never);
        expect(await failure(stream.final())).toBeInstanceOf(IncompleteStreamError);
      });
    }

    it(`${id}: an error event after the first event → StreamEventError with its code, type and message`, async () => {
      const errorEvent = `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "api_error", message: "upstream exploded", code: "bad_response" } })}\n\n`;
      server.script(sse([...first, errorEvent], "hang"));
      const stream = await elk.stream(id, { ...streamInit(id) } as never);
      const err = await failure(collect(stream));
      expect(err).toBeInstanceOf(StreamEventError);
      expect(err).toMatchObject({ type: "api_error", code: "bad_response", status: 200 });
      expect(err.message).toContain("upstream exploded");
      expect(stream.eventCount).toBe(first.length);
    });

    it(`${id}: silence longer than idleTimeoutMs → APIConnectionTimeoutError`, async () => {
      server.script(sse(first, "hang"));
      const stream = await elk.stream(id, { ...streamInit(id) } as never);
      expect(await failure(stream.final())).toBeInstanceOf(APIConnectionTimeoutError);
    });

    it(`${id}: the caller's signal aborts the stream → APIUserAbortError`, async () => {
      server.script(sse(first, "hang"));
      const ac = new AbortController();
      const stream = await elk.stream(id, { ...streamInit(id), signal: ac.signal } as never);
      setTimeout(() => ac.abort(), 50);
      expect(await failure(collect(stream))).toBeInstanceOf(APIUserAbortError);
    });
  }
});
