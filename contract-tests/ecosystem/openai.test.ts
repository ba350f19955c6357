/**
 * The official `openai` SDK against the mock, as its README uses it: `new OpenAI({ apiKey, baseURL })` and nothing
 * else (default headers, default encodings, default Accept). Each check reads what a user would use.
 */
import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { TEST_KEY, mockBaseUrl } from "../lib/calls.js";
import { audioFormat, pngSize } from "../lib/media-bytes.js";

const client = () => new OpenAI({ apiKey: TEST_KEY, baseURL: `${mockBaseUrl()}/v1` });
const messages = [{ role: "user" as const, content: "Say hello" }];

describe("openai SDK: chat completions", () => {
  it("create: the answer's text", async () => {
    const completion = await client().chat.completions.create({ model: "gpt-4o-mini", messages });
    expect(completion.choices[0]?.message.content).toMatch(/\S/);
  });

  it("create with stream: true: text assembled from the chunks", async () => {
    const stream = await client().chat.completions.create({ model: "gpt-4o-mini", messages, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toMatch(/\S/);
  });

  it(".stream() helper: finalContent() and the content events agree", async () => {
    let deltas = "";
    const runner = client().chat.completions.stream({ model: "gpt-4o-mini", messages }).on("content", (d) => (deltas += d));
    const text = await runner.finalContent();
    expect(text).toMatch(/\S/);
    expect(deltas).toBe(text);
  });
});

describe("openai SDK: responses", () => {
  it("create: output_text", async () => {
    const response = await client().responses.create({ model: "gpt-4o-mini", input: "Say hello" });
    expect(response.output_text).toMatch(/\S/);
  });

  it("create with stream: true: text assembled from output_text.delta events", async () => {
    const stream = await client().responses.create({ model: "gpt-4o-mini", input: "Say hello", stream: true });
    let text = "";
    for await (const event of stream) if (event.type === "response.output_text.delta") text += event.delta;
    expect(text).toMatch(/\S/);
  });

  it(".stream() helper: finalResponse().output_text equals the streamed deltas", async () => {
    let deltas = "";
    const stream = client().responses.stream({ model: "gpt-4o-mini", input: "Say hello" }).on("response.output_text.delta", (e) => (deltas += e.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toMatch(/\S/);
    expect(deltas).toBe(final.output_text);
  });
});

describe("openai SDK: embeddings (the SDK asks for base64 and decodes it)", () => {
  it("one input: one vector of non-zero numbers", async () => {
    const { data } = await client().embeddings.create({ model: "text-embedding-3-small", input: "blue whale" });
    expect(data).toHaveLength(1);
    expect(data[0]!.embedding.length).toBeGreaterThan(0);
    expect(data[0]!.embedding.every((v) => Number.isFinite(v) && v !== 0)).toBe(true);
  });

  it("a batch: one vector per input, in order", async () => {
    const { data } = await client().embeddings.create({ model: "text-embedding-3-small", input: ["a", "b", "c"] });
    expect(data.map((d) => d.index)).toEqual([0, 1, 2]);
    const length = data[0]!.embedding.length;
    for (const d of data) {
      expect(d.embedding).toHaveLength(length);
      expect(d.embedding.some((v) => v !== 0)).toBe(true);
    }
  });
});

describe("openai SDK: images", () => {
  it("gpt-image-1 (base64 by default): b64_json decodes to a PNG", async () => {
    const { data } = await client().images.generate({ model: "gpt-image-1", prompt: "a lighthouse" });
    expect(pngSize(Buffer.from(data![0]!.b64_json!, "base64"))).toEqual({ width: 1, height: 1 });
  });

  it("response_format b64_json with n: 2: two PNGs", async () => {
    const { data } = await client().images.generate({ model: "dall-e-2", prompt: "a lighthouse", n: 2, response_format: "b64_json" });
    expect(data).toHaveLength(2);
    for (const image of data!) expect(pngSize(Buffer.from(image.b64_json!, "base64"))).not.toBeInstanceOf(Error);
  });
});

describe("openai SDK: audio", () => {
  it("speech: the bytes are MP3 by default, WAV when asked", async () => {
    const mp3 = await client().audio.speech.create({ model: "gpt-4o-mini-tts", voice: "alloy", input: "Hello" });
    expect(audioFormat(new Uint8Array(await mp3.arrayBuffer()))).toBe("mp3");
    const wav = await client().audio.speech.create({ model: "tts-1", voice: "alloy", input: "Hello", response_format: "wav" });
    expect(audioFormat(new Uint8Array(await wav.arrayBuffer()))).toBe("wav");
  });

  it("transcription: the text", async () => {
    const file = await toFile(Buffer.from([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0]), "meeting.mp3", { type: "audio/mpeg" });
    const transcription = await client().audio.transcriptions.create({ model: "whisper-1", file });
    expect(transcription.text).toMatch(/\S/);
  });
});

/** A 1x1 PNG, as a user's image file would be. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

describe("openai SDK: the other routes it covers", () => {
  it("models.list and models.retrieve: model ids", async () => {
    const ids: string[] = [];
    for await (const m of client().models.list()) ids.push(m.id);
    expect(ids.length).toBeGreaterThan(0);
    expect((await client().models.retrieve(ids[0]!)).id).toMatch(/\S/);
  });

  it("moderations.create: one result with its flag", async () => {
    const { results } = await client().moderations.create({ model: "omni-moderation-latest", input: "some text" });
    expect(results.length).toBeGreaterThan(0);
    expect(typeof results[0]!.flagged).toBe("boolean");
  });

  it("images.edit with a PNG file: an image back", async () => {
    const { data } = await client().images.edit({ model: "gpt-image-1", image: await toFile(PNG, "room.png", { type: "image/png" }), prompt: "add a lamp" });
    const image = data![0]!;
    expect(image.b64_json ? pngSize(Buffer.from(image.b64_json, "base64")) : image.url).toBeTruthy();
  });

  it("audio.translations.create: the English text", async () => {
    const file = await toFile(Buffer.from([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0]), "talk.mp3", { type: "audio/mpeg" });
    expect((await client().audio.translations.create({ model: "whisper-1", file })).text).toMatch(/\S/);
  });

  it("responses.retrieve: the stored response's status, and its text once completed", async () => {
    const response = await client().responses.retrieve("resp_123");
    expect(["queued", "in_progress", "completed", "incomplete", "failed", "cancelled"]).toContain(response.status);
    expect(response.id).toMatch(/\S/);
    if (response.status === "completed") expect(response.output_text).toMatch(/\S/);
    else expect(response.output_text).toBe("");
  });

  it("videos.create, retrieve and downloadContent: a job id, its status, the MP4 bytes", async () => {
    const job = await client().videos.create({ model: "sora-2", prompt: "a paper boat" });
    expect(job.id).toMatch(/\S/);
    expect((await client().videos.retrieve(job.id)).status).toMatch(/\S/);
    const content = await client().videos.downloadContent(job.id);
    const bytes = new Uint8Array(await content.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(0);
  });
});
