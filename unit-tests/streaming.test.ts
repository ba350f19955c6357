/** ElkStream (src/streaming.ts) over fixed SSE texts: accumulation for the Anthropic and Responses protocols, errors, one iteration. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { StreamEventError } from "../src/index.js";
import { ElkStream } from "../src/streaming.js";

const KEY = "sk-elk-runtime-abcdef0123456789";

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

  it("util.inspect of a stream shows no key", () => {
    const stream = streamOf(ev("message_stop", {}), { endEvents: ["message_stop"] });
    expect(inspect(stream, { depth: 10, showHidden: true })).not.toContain(KEY);
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
