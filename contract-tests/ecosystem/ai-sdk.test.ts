/**
 * The Vercel AI SDK (`ai`) with its OpenAI, OpenAI-compatible and Anthropic providers against the mock, each made
 * as its README shows (`createOpenAI({ baseURL, apiKey })` ...), called with the SDK's own functions at their
 * defaults. `openai(model)` is the Responses API, `openai.chat(model)` chat completions.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embed, embedMany, experimental_generateSpeech as generateSpeech, experimental_transcribe as transcribe, generateImage, generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { TEST_KEY, mockBaseUrl } from "../lib/calls.js";
import { audioFormat, pngSize } from "../lib/media-bytes.js";

const openai = () => createOpenAI({ baseURL: `${mockBaseUrl()}/v1`, apiKey: TEST_KEY });
const compatible = () => createOpenAICompatible({ name: "elkapi", baseURL: `${mockBaseUrl()}/v1`, apiKey: TEST_KEY });
const prompt = "Say hello";

async function streamed(result: { textStream: AsyncIterable<string> }): Promise<string> {
  let text = "";
  for await (const part of result.textStream) text += part;
  return text;
}

describe("AI SDK, @ai-sdk/openai", () => {
  it("generateText on the Responses API (the provider's default)", async () => {
    const { text } = await generateText({ model: openai()("gpt-4o-mini"), prompt });
    expect(text).toMatch(/\S/);
  });

  it("streamText on the Responses API", async () => {
    expect(await streamed(streamText({ model: openai()("gpt-4o-mini"), prompt }))).toMatch(/\S/);
  });

  it("generateText and streamText on chat completions", async () => {
    const { text } = await generateText({ model: openai().chat("gpt-4o-mini"), prompt });
    expect(text).toMatch(/\S/);
    expect(await streamed(streamText({ model: openai().chat("gpt-4o-mini"), prompt }))).toMatch(/\S/);
  });

  it("embed and embedMany: vectors of non-zero numbers, one per value", async () => {
    const model = openai().embedding("text-embedding-3-small");
    const { embedding } = await embed({ model, value: "blue whale" });
    expect(embedding.length).toBeGreaterThan(0);
    expect(embedding.every((v) => v !== 0)).toBe(true);
    const { embeddings } = await embedMany({ model, values: ["a", "b", "c"] });
    expect(embeddings).toHaveLength(3);
    for (const e of embeddings) expect(e).toHaveLength(embedding.length);
  });

  it("generateImage: a PNG", async () => {
    const { image } = await generateImage({ model: openai().image("gpt-image-1"), prompt: "a lighthouse" });
    expect(pngSize(image.uint8Array)).toEqual({ width: 1, height: 1 });
  });

  it("generateSpeech: audio bytes", async () => {
    const { audio } = await generateSpeech({ model: openai().speech("tts-1"), text: "Hello" });
    expect(audioFormat(audio.uint8Array)).toBe("mp3");
  });

  it("transcribe: the text", async () => {
    const { text } = await transcribe({ model: openai().transcription("whisper-1"), audio: new Uint8Array([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0]) });
    expect(text).toMatch(/\S/);
  });
});

describe("AI SDK, @ai-sdk/openai-compatible", () => {
  it("generateText and streamText", async () => {
    const { text } = await generateText({ model: compatible()("gpt-4o-mini"), prompt });
    expect(text).toMatch(/\S/);
    expect(await streamed(streamText({ model: compatible()("gpt-4o-mini"), prompt }))).toMatch(/\S/);
  });

  it("embedMany: one non-zero vector per value", async () => {
    const { embeddings } = await embedMany({ model: compatible().embeddingModel("text-embedding-3-small"), values: ["a", "b"] });
    expect(embeddings).toHaveLength(2);
    for (const e of embeddings) expect(e.some((v) => v !== 0)).toBe(true);
  });

  it("generateImage: a PNG", async () => {
    const { image } = await generateImage({ model: compatible().imageModel("gpt-image-1"), prompt: "a lighthouse" });
    expect(pngSize(image.uint8Array)).toEqual({ width: 1, height: 1 });
  });
});

for (const base of ["/v1", "/anthropic/v1"]) {
  describe(`AI SDK, @ai-sdk/anthropic with baseURL ".../${base.slice(1)}"`, () => {
    const anthropic = () => createAnthropic({ baseURL: mockBaseUrl() + base, apiKey: TEST_KEY });

    it("generateText", async () => {
      const { text } = await generateText({ model: anthropic()("claude-haiku-4-5"), prompt });
      expect(text).toMatch(/\S/);
    });

    it("streamText", async () => {
      expect(await streamed(streamText({ model: anthropic()("claude-haiku-4-5"), prompt }))).toMatch(/\S/);
    });
  });
}
