import { describe, expect, it } from "vitest";
import { operations } from "../generated/operations.js";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { getPointer } from "../src/internal/pointer.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";

/** The task id a user would poll, read from a submit answer with the spec's own rule. */
const taskIdOf = (submit: keyof typeof taskSubmits, data: unknown) => taskSubmits[submit].taskId.map((p) => getPointer(data, p)).find((v) => v !== undefined && v !== "");

contractSuite("kling");

/** Each Kling create and the query that polls it (one query per task type, under the create's own path). */
const pairs = [
  ["createKlingText2Video", "getKlingText2Video"],
  ["createKlingImage2Video", "getKlingImage2Video"],
  ["createKlingImageExpansion", "getKlingImageExpansion"],
  ["createKlingImageGeneration", "getKlingImageGeneration"],
  ["createKlingVideoExtend", "getKlingVideoExtend"],
  ["createKlingVirtualTryOn", "getKlingVirtualTryOn"],
  ["createKlingLipSync", "getKlingLipSync"],
  ["createKlingVideoEffects", "getKlingVideoEffects"],
] as const;

describe("kling: task pairs", () => {
  for (const [submit, query] of pairs) {
    it(`${submit} is polled by ${query} under its own path, which names an example per state`, () => {
      expect(taskSubmits[submit]).toMatchObject({ poll: query, param: "task_id" });
      expect(operations[query].path).toBe(`${operations[submit].path}/{task_id}`);
    });
  }

  it("reads the task id from Kling's envelope and from the flat answer of the current docs", async () => {
    const elk = testClient();
    const rule = taskSubmits.createKlingText2Video;
    const ids: unknown[] = [];
    for (const example of ["submitted", "current_docs"]) {
      const { data } = await elk.POST("/kling/v1/videos/text2video", { body: { prompt: "a lantern" }, headers: { Prefer: `example=${example}` } });
      ids.push(rule.taskId.map((p) => getPointer(data, p)).find((v) => v !== undefined));
    }
    expect(ids).toEqual(["862318890115530805", "task_Qm81"]);
  });

  it("serves the three bodies of the text-to-video query by name (Kling's, the flat one, new-api's wrapper), none thrown", async () => {
    const elk = testClient();
    const rule = taskQueries.getKlingText2Video;
    const states: unknown[] = [];
    const names = ["submitted", "processing", "succeed", "failed", "queued", "in_progress", "completed", "current_failed"];
    for (const example of [...names, "gateway_submitted", "gateway_in_progress", "gateway_success", "gateway_failure"]) {
      const { data } = await elk.GET("/kling/v1/videos/text2video/{task_id}", {
        params: { path: { task_id: "862318890115530805" } },
        headers: { Prefer: `example=${example}` },
      });
      states.push(rule.status.map((p) => getPointer(data, p)).find((v) => v !== undefined));
    }
    expect(states).toEqual(["submitted", "processing", "succeed", "failed", "queued", "in_progress", "completed", "failed", "SUBMITTED", "IN_PROGRESS", "SUCCESS", "FAILURE"]);
    expect(rule.results).toContain("/data/result_url");
    expect(rule.failureReason).toContain("/data/fail_reason");
  });
});

describe("kling: request rules the standard suite cannot derive", () => {
  const expectRefused = async (call: Promise<unknown>, field: RegExp) => {
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(field);
  };

  it("image-to-video needs image or image_tail, non-empty; the other may be empty or null", async () => {
    const elk = testClient();
    await expectRefused(elk.POST("/kling/v1/videos/image2video", { body: { prompt: "move" } }), /image/);
    await expectRefused(elk.POST("/kling/v1/videos/image2video", { body: { prompt: "move", image: "", image_tail: null } }), /image/);
    const { response, data } = await elk.POST("/kling/v1/videos/image2video", { body: { image: "https://cdn.example.org/a.png", image_tail: null, callback_url: "" } });
    expect(response.status).toBe(200);
    expect(taskIdOf("createKlingImage2Video", data)).toBeTruthy();
  });

  it("text-to-video keeps mode closed (new-api refuses others) but takes new ratios and kling-v3 durations", async () => {
    const elk = testClient();
    await expectRefused(elk.POST("/kling/v1/videos/text2video", { body: { prompt: "a lantern", mode: "turbo" as "std" } }), /mode/);
    const { response, data } = await elk.POST("/kling/v1/videos/text2video", { body: { prompt: "a lantern", model_name: "kling-v3", aspect_ratio: "4:3", duration: "15", camera_control: { type: "crane_up" } } });
    expect(response.status).toBe(200);
    expect(taskIdOf("createKlingText2Video", data)).toBeTruthy();
  });

  it("lip-sync needs a video (video_id or video_url) in input; nulls for the unused fields do not count as one", async () => {
    const elk = testClient();
    await expectRefused(elk.POST("/kling/v1/videos/lip-sync", { body: { input: { mode: "text2video", text: "hi", voice_id: "uk_boy1" } } as never }), /video_id|video_url/);
    await expectRefused(
      elk.POST("/kling/v1/videos/lip-sync", { body: { input: { mode: "audio2video", video_id: null, video_url: "", audio_type: "url", audio_url: "https://cdn.example.org/a.mp3" } } }),
      /video_id|video_url/,
    );
    const { response, data } = await elk.POST("/kling/v1/videos/lip-sync", {
      body: { input: { mode: "audio2video", video_id: "v-1", video_url: null, text: null, voice_id: null, audio_type: "url", audio_url: "https://cdn.example.org/a.mp3" } },
    });
    expect(response.status).toBe(200);
    expect(taskIdOf("createKlingLipSync", data)).toBeTruthy();
  });

  it("lip-sync needs the speech (text + voice_id, or audio_type) and keeps Kling's closed mode", async () => {
    const elk = testClient();
    await expectRefused(elk.POST("/kling/v1/videos/lip-sync", { body: { input: { mode: "text2video", video_id: "v-1", text: "hi", voice_id: null } } as never }), /voice_id|audio_type/);
    await expectRefused(elk.POST("/kling/v1/videos/lip-sync", { body: { input: { mode: "audio" as "audio2video", video_id: "v-1", audio_type: "url" } } }), /mode/);
  });

  it("video effects need input.image or input.images", async () => {
    await expectRefused(
      testClient().POST("/kling/v1/videos/effects", { body: { effect_scene: "squish", input: { model_name: "kling-v1-6", duration: "5" } } }),
      /image/,
    );
  });

  it("video effects take scenes beyond the known list, without model_name for single-image scenes", async () => {
    const { response, data } = await testClient().POST("/kling/v1/videos/effects", { body: { effect_scene: "pet_lion", input: { image: "https://cdn.example.org/cat.jpg", duration: "5" } } });
    expect(response.status).toBe(200);
    expect(taskIdOf("createKlingVideoEffects", data)).toBeTruthy();
  });

  it("image expansion ratios stay within 0..2", async () => {
    const body = { image: "https://cdn.example.org/a.png", up_expansion_ratio: 3, down_expansion_ratio: 0, left_expansion_ratio: 0, right_expansion_ratio: 0 };
    await expectRefused(testClient().POST("/kling/v1/images/editing/expand", { body }), /up_expansion_ratio/);
  });

  it("video extension cfg_scale stays within 0..1", async () => {
    await expectRefused(testClient().POST("/kling/v1/videos/video-extend", { body: { video_id: "v1", cfg_scale: 2 } }), /cfg_scale/);
  });
});
