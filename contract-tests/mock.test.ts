/**
 * The mock's front on the real spec, through Prism: what mock/README.md promises a frontend (bases, streams by
 * the request's flag, Accept, request-dependent answers, bytes), and that Prism's own behaviour still shows
 * through it (Prefer, CORS, sl-violations, 401).
 */
import { describe, expect, it } from "vitest";
import { TEST_KEY, mockBaseUrl } from "./lib/calls.js";
import { audioFormat } from "./lib/media-bytes.js";

const auth = { Authorization: `Bearer ${TEST_KEY}` };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(mockBaseUrl() + path, { method: "POST", headers: { ...auth, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
const type = (res: Response) => res.headers.get("content-type") ?? "";

describe("mock front on the spec", () => {
  it("serves the Anthropic base and every Midjourney speed mode; an unknown mode is 404", async () => {
    // As the Anthropic SDK sends it: x-api-key, no Authorization.
    const anthropic = await fetch(`${mockBaseUrl()}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": TEST_KEY, "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(anthropic.status).toBe(200);
    expect(await anthropic.json()).toMatchObject({ type: "message" });
    for (const mode of ["mj-fast", "mj-relax", "mj-turbo"]) {
      const res = await post(`/${mode}/mj/submit/imagine`, { prompt: "lighthouse" });
      expect(res.status, mode).toBe(200);
      expect(((await res.json()) as { code: number }).code).toBe(1);
    }
    const slow = await post("/mj-slow/mj/submit/imagine", { prompt: "lighthouse" });
    expect(slow.status).toBe(404);
    await slow.body?.cancel();
  });

  it("streams by the body's flag: SSE for stream: true with Accept: application/json, JSON for Accept: text/event-stream without it", async () => {
    const streamed = await post("/v1/chat/completions", { ...chat, stream: true }, { Accept: "application/json" });
    expect(type(streamed)).toContain("text/event-stream");
    expect(await streamed.text()).toContain("data: [DONE]");
    const plain = await post("/v1/chat/completions", chat, { Accept: "text/event-stream" });
    expect(type(plain)).toContain("application/json");
    expect(await plain.json()).toMatchObject({ object: "chat.completion" });
  });

  it("streams by the spec's other flags: ?stream=true, stream_format: sse, a form's stream=true", async () => {
    const replay = await fetch(`${mockBaseUrl()}/v1/responses/resp_1?stream=true`, { headers: auth });
    expect(type(replay)).toContain("text/event-stream");
    await replay.body?.cancel();
    const speech = await post("/v1/audio/speech", { model: "gpt-4o-mini-tts", input: "hi", voice: "alloy", stream_format: "sse" });
    expect(type(speech)).toContain("text/event-stream");
    await speech.body?.cancel();
    const form = new FormData();
    form.set("file", new File([new Uint8Array([0x49, 0x44, 0x33])], "a.mp3", { type: "audio/mpeg" }));
    form.set("model", "gpt-4o-mini-transcribe");
    form.set("stream", "true");
    const transcript = await fetch(`${mockBaseUrl()}/v1/audio/transcriptions`, { method: "POST", headers: auth, body: form });
    expect(type(transcript)).toContain("text/event-stream");
    await transcript.body?.cancel();
  });

  it("answers speech for Accept: application/octet-stream with MP3 bytes, and WAV for response_format wav", async () => {
    const mp3 = await post("/v1/audio/speech", { model: "tts-1", input: "hi", voice: "alloy" }, { Accept: "application/octet-stream" });
    expect(mp3.status).toBe(200);
    expect(audioFormat(new Uint8Array(await mp3.arrayBuffer()))).toBe("mp3");
    const wav = await post("/v1/audio/speech", { model: "tts-1", input: "hi", voice: "alloy", response_format: "wav" }, { Accept: "application/octet-stream" });
    expect(type(wav)).toContain("audio/wav");
    expect(audioFormat(new Uint8Array(await wav.arrayBuffer()))).toBe("wav");
  });

  it("gives one embedding per input and the base64 example for encoding_format base64", async () => {
    const res = await post("/v1/embeddings", { model: "text-embedding-3-small", input: ["a", "b", "c", "d"], encoding_format: "base64" });
    const { data } = (await res.json()) as { data: { index: number; embedding: unknown }[] };
    expect(data.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    expect(data.every((d) => typeof d.embedding === "string")).toBe(true);
  });

  it("keeps Prism's behaviour: Prefer picks examples and statuses, errors stay JSON, 401 without a key, sl-violations, CORS", async () => {
    const tool = await post("/v1/chat/completions", { ...chat, stream: true }, { Prefer: "example=tool_calls" });
    expect(type(tool)).toContain("application/json");
    expect(JSON.stringify(await tool.json())).toContain("tool_calls");
    const limited = await post("/v1/audio/speech", { model: "tts-1", input: "hi", voice: "alloy" }, { Accept: "application/octet-stream", Prefer: "code=429" });
    expect(limited.status).toBe(429);
    expect(type(limited)).toContain("application/json");
    await limited.body?.cancel();
    const anonymous = await fetch(`${mockBaseUrl()}/anthropic/v1/messages`, { method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    const invalid = await post("/v1/embeddings", { model: "text-embedding-3-small" });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("sl-violations")).toContain("input");
    await invalid.body?.cancel();
    const preflight = await fetch(`${mockBaseUrl()}/anthropic/v1/messages`, { method: "OPTIONS", headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "POST" } });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBeTruthy();
  });
});
