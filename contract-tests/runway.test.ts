import { describe, expect, it } from "vitest";
import { taskSubmits } from "../generated/tasks.js";
import { ErrorInBodyError } from "../src/index.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { exampleStates } from "./lib/task-states.js";

contractSuite("runway");

const version = { "X-Runway-Version": "2024-11-06" } as const;

describe("runway: official format", () => {
  it("hands the created id to getRunwayTask, which serves both Runway's and the gateway's bodies by name", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/runwayml/v1/image_to_video", {
      params: { header: version },
      body: { promptImage: "https://cdn.example.org/a.jpg", model: "gen4_turbo", ratio: "1280:720" },
    });
    expect(taskSubmits.createRunwayImageToVideo).toMatchObject({ poll: "getRunwayTask", param: "id" });
    const { data: running } = await elk.GET("/runwayml/v1/tasks/{id}", {
      params: { path: { id: created.id }, header: version },
      headers: { Prefer: "example=running" },
    });
    expect(running).toMatchObject({ status: "RUNNING", progress: 0.42 });
    const { data: wrapped } = await elk.GET("/runwayml/v1/tasks/{id}", {
      params: { path: { id: created.id }, header: version },
      headers: { Prefer: "example=gateway_success" },
    });
    expect(wrapped).toMatchObject({ code: "success", data: { status: "SUCCESS" } });
  });

  it("names one example per task state, in both vocabularies", () => {
    expect(exampleStates("getRunwayTask").map((e) => e.state)).toEqual(
      expect.arrayContaining(["PENDING", "THROTTLED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "QUEUED", "SUCCESS", "FAILURE"]),
    );
  });

  it("accepts a ratio and a duration newer than the known lists, and refuses a ratio of the wrong type naming it", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/runwayml/v1/image_to_video", {
      body: { promptImage: "https://cdn.example.org/a.jpg", model: "seedance2", ratio: "992:432", duration: 12 },
    });
    expect(created.id).toBeTruthy();
    const err = await elk
      .POST("/runwayml/v1/image_to_video", {
        params: { header: version },
        body: { promptImage: "https://cdn.example.org/a.jpg", model: "gen4_turbo", ratio: 16 as never },
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain("ratio");
  });
});

describe("runway: reverse format", () => {
  it("polls the feed with the submitted task_id in the body, and serves every feed state by name", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/runway/pro/generate", {
      body: { callback_url: "https://hooks.example.org/runway", prompt: "a kite", model: "gen3" },
    });
    expect(taskSubmits.createRunwayReverseGeneration).toMatchObject({ poll: "getRunwayReverseFeedTask", body: "/task_id" });
    const taskId = created.data!.task_id!;
    const seen: unknown[] = [];
    for (const name of ["queued", "generating", "succeeded", "failed", "gateway_queued", "gateway_success"]) {
      const { data } = await elk.POST("/runway/feed", { body: { task_id: taskId }, headers: { Prefer: `example=${name}` } });
      seen.push((data.data as { status: string }).status);
    }
    expect(seen).toEqual(["0", "1", "3", "2", "QUEUED", "SUCCESS"]);
  });

  it("throws a refusal sent inside a 200 as ErrorInBodyError with the upstream's msg and code", async () => {
    const err = await testClient()
      .POST("/runway/pro/generate", {
        body: { callback_url: "https://hooks.example.org/runway", prompt: "a kite", model: "gen3" },
        headers: { Prefer: "example=rejected" },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    expect((err as ErrorInBodyError).code).toBe(400);
    expect((err as ErrorInBodyError).message).toContain("prompt contains sensitive words");
  });

  it("refuses act_one without a character (image or character_video) and an out-of-range motion_multiplier", async () => {
    const elk = testClient();
    const base = { video: "https://cdn.example.org/a.mp4", callback_url: "https://hooks.example.org/runway" };
    const noCharacter = await elk.POST("/runway/pro/act_one", { body: base as never }).catch((e: unknown) => e);
    expect((noCharacter as Error).message).toMatch(/image|character_video/);
    const tooStrong = await elk
      .POST("/runway/pro/act_one", { body: { ...base, image: "https://cdn.example.org/fox.png", options: { motion_multiplier: 9 } } })
      .catch((e: unknown) => e);
    expect((tooStrong as Error).message).toContain("motion_multiplier");
  });
});
