import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";

contractSuite("veo");

describe("veo: task lifecycle in the spec", () => {
  it("hands the submitted id to getVeoVideoTask as the id query parameter, which answers every state by name", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/v1/video/create", { body: { model: "veo3-fast", prompt: "a kite" } });
    expect(taskSubmits.createVeoVideoTask).toMatchObject({ poll: "getVeoVideoTask", param: "id" });
    const seen: string[] = [];
    for (const state of ["pending", "processing", "completed", "failed"]) {
      const { data } = await elk.GET("/v1/video/query", { params: { query: { id: created.id } }, headers: { Prefer: `example=${state}` } });
      seen.push(data.status);
    }
    expect(seen).toEqual(["pending", "processing", "completed", "failed"]);
    expect(taskQueries.getVeoVideoTask.succeeded).toEqual(["completed"]);
  });
});

describe("veo: request rules", () => {
  it("takes aspect ratios beyond the known two (the route serves other models) but at most 3 images", async () => {
    const elk = testClient();
    const { response } = await elk.POST("/v1/video/create", { body: { model: "veo3.1-fast", prompt: "a kite", aspect_ratio: "1:1" } });
    expect(response.status).toBe(200);
    const images = ["a", "b", "c", "d"].map((n) => `https://cdn.example.org/${n}.png`);
    const err = await elk.POST("/v1/video/create", { body: { model: "veo3.1-components", prompt: "a kite", images } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/images/);
  });
});
