import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";

contractSuite("luma");

describe("luma: task lifecycle in the spec", () => {
  it("hands the submitted id to getLumaGeneration, which answers every state by name", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/dream-machine/v1/generations", { body: { prompt: "a lantern" } });
    expect(taskSubmits.createLumaGeneration.poll).toBe("getLumaGeneration");
    const rule = taskQueries.getLumaGeneration;
    const seen: string[] = [];
    for (const state of ["queued", "dreaming", "completed", "failed", "pending"]) {
      const { data } = await elk.GET("/dream-machine/v1/generations/{task_id}", {
        params: { path: { task_id: created.id } },
        headers: { Prefer: `example=${state}` },
      });
      seen.push(data.state);
    }
    expect(seen).toEqual(["queued", "dreaming", "completed", "failed", "pending"]);
    expect(seen.filter((s) => (rule.succeeded as readonly string[]).includes(s))).toEqual(["completed"]);
    expect(seen.filter((s) => (rule.failed as readonly string[]).includes(s))).toEqual(["failed"]);
  });

  it("takes a keyframe without a prompt, and refuses a body with neither or a prompt under 3 characters", async () => {
    const elk = testClient();
    const frame0 = { type: "image" as const, url: "https://cdn.example.com/frames/start.jpg" };
    const { data: created } = await elk.POST("/dream-machine/v1/generations", { body: { model: "ray-2", keyframes: { frame0 } } });
    expect(created.id).toBeTruthy();
    const neither = await elk.POST("/dream-machine/v1/generations", { body: { model: "ray-2" } as never }).catch((e: unknown) => e);
    expect((neither as Error).name).toBe("BadRequestError");
    expect((neither as Error).message).toMatch(/prompt|keyframes/);
    const short = await elk.POST("/dream-machine/v1/generations", { body: { prompt: "ab" } }).catch((e: unknown) => e);
    expect((short as Error).message).toContain("prompt");
  });

  it("answers a body Luma rejects with Luma's own detail shape, typed as BadRequestError", async () => {
    const err = await testClient()
      .POST("/dream-machine/v1/generations", { body: { prompt: "a lantern" }, headers: { Prefer: "code=400, example=luma" } })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe("BadRequestError");
    expect((err as Error).message).toContain("Invalid aspect ratio");
  });
});
