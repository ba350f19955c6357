import { describe, expect, it } from "vitest";
import { taskSubmits } from "../generated/tasks.js";
import { ErrorInBodyError } from "../src/index.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { stateOf } from "./lib/task-states.js";

contractSuite("pika");

describe("pika: Universal version", () => {
  it("hands the created id to getPikaVideoTask, whose state and progress are the first video's", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/pika/generate", {
      body: { promptText: "a bunny", options: { parameters: {}, extend: false } },
    });
    expect(taskSubmits.createPikaVideo).toMatchObject({ poll: "getPikaVideoTask", param: "task_id" });
    const { data } = await elk.GET("/pika/feed/{task_id}", { params: { path: { task_id: created.id } }, headers: { Prefer: "example=pending" } });
    expect(stateOf("getPikaVideoTask", data)).toBe("pending");
    expect(data.videos[0]?.progress).toBe(40);
  });
});

describe("pika: pro relay", () => {
  it("polls the feed with the submitted data.task_id as the task_id query parameter", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/pika/pro/generate", { body: { prompt: "a whale", ratio: "16:9" } });
    expect(taskSubmits.createPikaProGeneration).toMatchObject({ poll: "getPikaProFeed", param: "task_id" });
    const { data } = await elk.GET("/pika/feed", { params: { query: { task_id: created.data!.task_id! } }, headers: { Prefer: "example=succeeded" } });
    expect(stateOf("getPikaProFeed", data)).toBe("3");
  });

  it("throws a non-200 code inside a 200 as ErrorInBodyError", async () => {
    const err = await testClient()
      .GET("/pika/feed", { params: { query: { task_id: "x" } }, headers: { Prefer: "example=not_found" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    expect((err as ErrorInBodyError).message).toContain("task_not_exist");
  });

  it("refuses a non-boolean sfx with a typed error naming it (the body has no enum)", async () => {
    const err = await testClient()
      .POST("/pika/pro/generate", { body: { prompt: "a whale", sfx: "yes" as never } })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain("sfx");
  });
});
