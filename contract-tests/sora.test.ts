import { describe, expect, it } from "vitest";
import { taskSubmits } from "../generated/tasks.js";
import { getPointer } from "../src/internal/pointer.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { stateOf } from "./lib/task-states.js";

contractSuite("sora");

describe("sora: reverse format", () => {
  it("reads the task id whether the relay answers it as data, data.task_id, task_id or id", () => {
    const pick = (body: unknown) => taskSubmits.createSoraVideo.taskId.map((p) => getPointer(body, p)).find((v) => v !== undefined);
    expect(pick({ code: "success", message: "", data: "task_a" })).toBe("task_a");
    expect(pick({ code: "success", data: { task_id: "task_b" } })).toBe("task_b");
    expect(pick({ task_id: "task_c" })).toBe("task_c");
    expect(pick({ id: "task_d" })).toBe("task_d");
  });

  it("hands the task id to getSoraVideoTask, which serves every state by name", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/sora/v1/videos", { body: { prompt: "a lighthouse" } });
    const taskId = created.data as string;
    const seen: unknown[] = [];
    for (const name of ["not_start", "submitted", "queued", "in_progress", "success", "failure"]) {
      const { data } = await elk.GET("/sora/v1/videos/{task_id}", { params: { path: { task_id: taskId } }, headers: { Prefer: `example=${name}` } });
      seen.push(stateOf("getSoraVideoTask", data));
    }
    expect(seen).toEqual(["NOT_START", "SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS", "FAILURE"]);
  });

  it("refuses a storyboard action without a description (the body has no required field of its own)", async () => {
    const err = await testClient()
      .POST("/sora/v1/videos", { body: { prompt: "a plane", actions: [{ time: 0 } as never] } })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain("description");
  });
});
