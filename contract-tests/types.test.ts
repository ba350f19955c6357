/**
 * The generated types as a caller meets them: checked by `tsc` (npm run check) and run against the mock.
 * Each case was a real gap once: parseAs not narrowing `data`, union bodies not accepted, item types lost.
 */
import { describe, expect, it } from "vitest";
import type { components } from "../src/index.js";
import { testClient } from "./lib/calls.js";

describe("types a caller relies on", () => {
  it("parseAs narrows data: Blob for speech audio, string for text transcripts", async () => {
    const elk = testClient();
    const speech = await elk.POST("/v1/audio/speech", {
      body: { model: "tts-1", input: "Your parcel arrives tomorrow.", voice: "nova" },
      parseAs: "blob",
      headers: { Accept: "audio/mpeg" },
    });
    const audio: Blob = speech.data;
    expect(audio.size).toBeGreaterThan(0);
    const srt = await elk.POST("/v1/audio/transcriptions", {
      body: { file: new File([new Uint8Array([1, 2, 3])], "call.m4a", { type: "audio/mp4" }), model: "whisper-1", response_format: "srt" },
      parseAs: "text",
      headers: { Accept: "text/plain" },
    });
    const transcript: string = srt.data;
    expect(typeof transcript).toBe("string");
  });

  it("image items keep their fields (b64_json, url)", async () => {
    const { data } = await testClient().POST("/v1/images/generations", { body: { prompt: "a lighthouse" } });
    const item = data.data[0];
    const b64: string | undefined = item?.b64_json;
    const url: string | undefined = item?.url;
    expect(b64 ?? url).toBeTruthy();
  });

  it("bodies with one-of-these-fields rules stay typed (not unknown)", async () => {
    type Describe = components["schemas"]["MidjourneyDescribeRequest"];
    const body: Describe = { base64: "data:image/png;base64,iVBORw0KGgo=" };
    // @ts-expect-error base64 is a string
    const wrong: Describe = { base64: 42 };
    expect(wrong).toBeDefined();
    const { data } = await testClient().POST("/mj/submit/describe", { body });
    expect(data.code).toBeDefined();
  });

  it("a required body stays required, an optional init stays optional", async () => {
    const elk = testClient();
    if (Date.now() < 0) {
      // @ts-expect-error createImage needs its body
      await elk.POST("/v1/images/generations");
    }
    const { data } = await elk.GET("/v1/models");
    expect(data).toBeDefined();
  });
});
