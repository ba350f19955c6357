import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { ErrorInBodyError } from "../src/index.js";
import { testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";
import { stateOf } from "./lib/task-states.js";

contractSuite("minimax");


describe("minimax: three-step flow", () => {
  it("submits, polls by task_id until Success, then turns the file_id into a download URL", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/minimax/v1/video_generation", { body: { model: "T2V-01", prompt: "a kite" } });
    expect(taskSubmits.createMinimaxVideoGeneration).toMatchObject({ poll: "getMinimaxVideoGeneration", param: "task_id" });
    const { data: task } = await elk.GET("/minimax/v1/query/video_generation", {
      params: { query: { task_id: created.task_id! } },
      headers: { Prefer: "example=success" },
    });
    expect(stateOf("getMinimaxVideoGeneration", task)).toBe("Success");
    const fileId = (task as { file_id: string }).file_id;
    const { data: file } = await elk.GET("/minimax/v1/files/retrieve", { params: { query: { file_id: fileId } } });
    expect(file.file?.download_url).toMatch(/^https:/);
  });
});

describe("minimax: errors inside a 200", () => {
  it("throws a non-zero base_resp.status_code as ErrorInBodyError with MiniMax's code and message", async () => {
    const err = await testClient()
      .POST("/minimax/v1/video_generation", { body: { model: "T2V-01", prompt: "a kite" }, headers: { Prefer: "example=insufficient_balance" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    expect((err as ErrorInBodyError).code).toBe(1008);
    expect((err as ErrorInBodyError).message).toContain("insufficient balance");
  });

  it("classifies an error body of the query as a failed task, should a poller read it", () => {
    const op = operation("getMinimaxVideoGeneration").op;
    const invalid = examplesOf(deref(bundle, op.responses["200"]!).content!["application/json"]).find((e) => e.name === "invalid_task")!;
    const state = stateOf("getMinimaxVideoGeneration", invalid.value);
    expect(state).toBe(2013);
    expect(taskQueries.getMinimaxVideoGeneration.failed).toContain(state);
  });

  it("throws the query's and the file download's errors too", async () => {
    const elk = testClient();
    const query = await elk
      .GET("/minimax/v1/query/video_generation", { params: { query: { task_id: "1" } }, headers: { Prefer: "example=invalid_task" } })
      .catch((e: unknown) => e);
    expect(query).toBeInstanceOf(ErrorInBodyError);
    const file = await elk
      .GET("/minimax/v1/files/retrieve", { params: { query: { file_id: "1" } }, headers: { Prefer: "example=not_found" } })
      .catch((e: unknown) => e);
    expect(file).toBeInstanceOf(ErrorInBodyError);
    expect((file as ErrorInBodyError).code).toBe(2013);
  });
});
