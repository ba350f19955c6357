/** streamRequestInit (src/internal/stream-open.ts): where elk.stream() puts the stream flag and the Accept header. */
import { describe, expect, it } from "vitest";
import { streamRequestInit } from "../../src/internal/stream-open.js";

describe("streamRequestInit", () => {
  it("sets stream: true in a JSON body and asks for text/event-stream over the caller's Accept", () => {
    const { method, path, init, rule } = streamRequestInit("createChatCompletion", { body: { model: "m", messages: [] }, headers: { Accept: "application/json", "x-trace": "1" } });
    expect([method, path]).toEqual(["POST", "/v1/chat/completions"]);
    expect(init.body).toEqual({ model: "m", messages: [], stream: true });
    const headers = init.headers as Headers;
    expect(headers.get("accept")).toBe("text/event-stream");
    expect(headers.get("x-trace")).toBe("1");
    expect(init.parseAs).toBe("stream");
    expect(rule.done).toBe("[DONE]");
  });

  it("puts a query flag in the query (getResponse ?stream=true), keeping the caller's parameters", () => {
    const { init } = streamRequestInit("getResponse", { params: { path: { response_id: "resp_1" }, query: { include: ["x"] } } });
    expect(init.params).toEqual({ path: { response_id: "resp_1" }, query: { include: ["x"], stream: true } });
  });

  it("uses the operation's own flag when it is not `stream` (speech stream_format: sse)", () => {
    const { init } = streamRequestInit("createSpeech", { body: { model: "gpt-4o-mini-tts", input: "hi", voice: "alloy" } });
    expect(init.body).toMatchObject({ stream_format: "sse" });
  });

  it("leaves a FormData body alone (the caller sets the flag in a form)", () => {
    const form = new FormData();
    form.append("model", "whisper-1");
    expect(streamRequestInit("createTranscription", { body: form }).init.body).toBe(form);
  });

  it("refuses an operation without an SSE answer, naming it", () => {
    expect(() => streamRequestInit("createEmbedding", {})).toThrow(/createEmbedding has no SSE answer with x-elkapi-sse/);
  });
});
