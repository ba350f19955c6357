import { operationDocs } from "../generated/operation-docs.js";
import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { ErrorInBodyError } from "../src/index.js";
import { getPointer } from "../src/internal/pointer.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";

contractSuite("udio");

const TASK = "4c6e8a0b-2d4f-4a6b-9c8d-0e1f2a3b4c5d";

/** Result URLs the task rule finds in a body (`*` = every array item). */
function results(body: unknown): unknown[] {
  return taskQueries.getUdioTask.results.flatMap((p) => {
    const [head, tail] = p.split("/*");
    const list = getPointer(body, head!);
    return Array.isArray(list) ? list.map((item) => getPointer(item, tail!)) : [];
  });
}

describe("udio: documented, not available yet", () => {
  it("marks both operations deprecated, so types and docs flag them", () => {
    expect(operationDocs.submitUdioMusic.deprecated).toBe(true);
    expect(operationDocs.getUdioTask.deprecated).toBe(true);
    expect(operationDocs.submitUdioMusic.docs).toEqual(["API Reference/Music Generation/Udio (not available yet)/Generate music"]);
  });

  it("hands the submitted id to getUdioTask, which serves every state by name", async () => {
    expect(taskSubmits.submitUdioMusic).toEqual({ poll: "getUdioTask", taskId: ["/data"], param: "task_id" });
    const elk = testClient();
    const { data: created } = await elk.POST("/udio/submit/music", {
      body: { gen_params: { prompt: "lo-fi piano", lyrics_type: "instrumental" } },
    });
    expect(created.data).toBe(TASK);
    const rule = taskQueries.getUdioTask;
    const seen: unknown[] = [];
    for (const name of ["not_start", "submitted", "queued", "in_progress", "success", "failure", "unknown"]) {
      const { data } = await elk.GET("/udio/fetch/{task_id}", { params: { path: { task_id: TASK } }, headers: { Prefer: `example=${name}` } });
      seen.push(getPointer(data, rule.status[0]!));
    }
    expect(seen).toEqual(["NOT_START", "SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS", "FAILURE", "UNKNOWN"]);
    for (const s of seen) expect([...rule.pending, ...rule.succeeded, ...rule.failed]).toContain(s);
  });

  it("finds the songs in both observed places", async () => {
    const elk = testClient();
    const nested = await elk.GET("/udio/fetch/{task_id}", { params: { path: { task_id: TASK } }, headers: { Prefer: "example=success" } });
    const flat = await elk.GET("/udio/fetch/{task_id}", { params: { path: { task_id: TASK } }, headers: { Prefer: "example=success_flat" } });
    expect(results(nested.data).filter(Boolean)).toHaveLength(1);
    expect(results(flat.data).filter(Boolean)).toHaveLength(2);
    expect(flat.data.data?.songs?.[0]?.finished).toBe(true);
  });

  it("accepts a lyrics_type it never heard of (gen_params go to Udio unchecked)", async () => {
    const { data } = await testClient().POST("/udio/submit/music", {
      body: { gen_params: { prompt: "lo-fi piano", lyrics_type: "remix" } },
    });
    expect(data.code).toBe("success");
  });

  it("throws a non-success code inside a 200 as ErrorInBodyError", async () => {
    const err = await testClient()
      .GET("/udio/fetch/{task_id}", { params: { path: { task_id: "nope" } }, headers: { Prefer: "example=error" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    expect((err as ErrorInBodyError).code).toBe("error");
  });
});
