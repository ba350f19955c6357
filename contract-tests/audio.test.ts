import { describe, expect, it } from "vitest";
import { BadRequestError } from "../src/index.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";

contractSuite("audio");

const speechMedia: Record<string, string> = {
  mp3: "audio/mpeg",
  opus: "audio/opus",
  aac: "audio/aac",
  flac: "audio/flac",
  wav: "audio/wav",
  pcm: "audio/pcm",
};

const audioFile = (name: string) => new File([new Uint8Array([0x49, 0x44, 0x33, 0x04])], name, { type: "audio/mpeg" });

function okContent(id: string) {
  return deref(bundle, operation(id).op.responses["200"]!).content!;
}

describe("audio: behaviour users rely on", () => {
  it("declares one binary media type per speech response_format and serves each as a Blob", async () => {
    const content = okContent("createSpeech");
    const request = deref(bundle, { $ref: "#/components/schemas/AudioCreateSpeechRequest" }) as unknown as { properties: { response_format: { anyOf: { enum?: string[] }[] } } };
    // Open (anyOf: known values, or any string): the known formats are the first member's enum.
    const formats = request.properties.response_format.anyOf[0]!.enum!;
    expect(Object.keys(speechMedia).sort()).toEqual([...formats].sort());
    const elk = testClient();
    for (const [format, media] of Object.entries(speechMedia)) {
      expect((content[media]!.schema as { format?: string }).format, media).toBe("binary");
      const { data, response } = await elk.POST("/v1/audio/speech", {
        body: { model: "tts-1", input: "Hello", voice: "alloy", response_format: format as "mp3" },
        headers: { Accept: media },
        parseAs: "blob",
      });
      expect(response.headers.get("content-type")).toContain(media);
      expect(data).toBeInstanceOf(Blob);
    }
  });

  it("throws a JSON error instead of handing it over as audio", async () => {
    const err = await testClient()
      .POST("/v1/audio/speech", { body: { model: "tts-1", input: "Hello", voice: "alloy" }, headers: { Prefer: "code=400" }, parseAs: "blob" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
  });

  it("names an example for every answer form of transcriptions and translations", () => {
    for (const id of ["createTranscription", "createTranslation"]) {
      const content = okContent(id);
      const json = examplesOf(content["application/json"]).map((e) => e.value as Record<string, unknown>);
      const text = examplesOf(content["text/plain"]).map((e) => e.name);
      expect(json.some((v) => !("duration" in v)), `${id} json`).toBe(true);
      expect(json.some((v) => "duration" in v && "language" in v), `${id} verbose_json`).toBe(true);
      expect(text.sort(), id).toEqual(["srt", "text", "vtt"]);
    }
  });

  it("uploads a file with repeated timestamp_granularities[] parts, or a single one", async () => {
    const elk = testClient();
    const both = await elk.POST("/v1/audio/transcriptions", {
      body: { file: audioFile("meeting.mp3"), model: "whisper-1", response_format: "verbose_json", "timestamp_granularities[]": ["word", "segment"] },
      headers: { Prefer: "example=verbose_json_words" },
    });
    expect(both.data).toMatchObject({ words: expect.any(Array) });
    const one = await elk.POST("/v1/audio/transcriptions", {
      body: { file: audioFile("meeting.mp3"), model: "whisper-1", response_format: "verbose_json", "timestamp_granularities[]": "segment" },
    });
    expect(one.response.ok).toBe(true);
    expect(((one.data as { text?: string }).text ?? "").length).toBeGreaterThan(0);
    // The values are open (new-api forwards the form unchanged; the upstream decides): a new one is accepted.
    const other = await elk.POST("/v1/audio/transcriptions", { body: { file: audioFile("meeting.mp3"), model: "whisper-1", "timestamp_granularities[]": "sentence" } });
    expect(other.response.ok).toBe(true);
    expect(((other.data as { text?: string }).text ?? "").length).toBeGreaterThan(0);
    // A field that is still checked: the file is required, and its absence is named.
    const missing = await elk
      .POST("/v1/audio/transcriptions", { body: { model: "whisper-1" } as never })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BadRequestError);
    expect((missing as BadRequestError).message).toContain("file");
  });

  it("accepts voices and formats of other TTS channels, and refuses OpenAI's custom-voice object", async () => {
    const elk = testClient();
    // MiniMax through new-api: its own voice id, `hex` output and vendor settings in `metadata`.
    const minimax = await elk.POST("/v1/audio/speech", {
      body: { model: "speech-02-hd", input: "你好", voice: "male-qn-qingse", response_format: "hex", metadata: { voice_setting: { emotion: "happy" } } },
      parseAs: "blob",
    });
    expect(minimax.response.ok).toBe(true);
    expect(minimax.data.size).toBeGreaterThan(0);
    const object = await elk
      .POST("/v1/audio/speech", { body: { model: "gpt-4o-mini-tts", input: "Hello", voice: { id: "voice_1234" } as never }, parseAs: "blob" })
      .catch((e: unknown) => e);
    expect(object).toBeInstanceOf(BadRequestError);
    expect((object as BadRequestError).message).toContain("voice");
  });

  it("returns srt and vtt as text/plain strings", async () => {
    const elk = testClient();
    const srt = await elk.POST("/v1/audio/transcriptions", {
      body: { file: audioFile("meeting.mp3"), model: "whisper-1", response_format: "srt" },
      headers: { Accept: "text/plain", Prefer: "example=srt" },
      parseAs: "text",
    });
    expect(srt.response.headers.get("content-type")).toContain("text/plain");
    expect(srt.data as unknown as string).toMatch(/^1\n00:00:00,000 --> /);
    const vtt = await elk.POST("/v1/audio/translations", {
      body: { file: audioFile("interview-de.mp3"), model: "whisper-1", response_format: "vtt" },
      headers: { Accept: "text/plain", Prefer: "example=vtt" },
      parseAs: "text",
    });
    expect(vtt.data as unknown as string).toMatch(/^WEBVTT\n/);
  });
});
