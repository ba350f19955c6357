import { operationDocs } from "../generated/operation-docs.js";
import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { ErrorInBodyError, UnprocessableEntityError } from "../src/index.js";
import { TEST_KEY, testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";

contractSuite("flux");

const getResultExamples = () => {
  const op = operation("getFluxResult").op;
  return examplesOf(deref(bundle, op.responses["200"]!).content!["application/json"]);
};

describe("flux: task lifecycle in the spec", () => {
  it("hands the submitted id to getFluxResult, which answers every BFL state by name", async () => {
    const elk = testClient();
    const { data: created } = await elk.POST("/flux/v1/{model}", {
      params: { path: { model: "flux-pro-1.1" } },
      body: { prompt: "a lantern in the fog" },
    });
    expect(taskSubmits.createFluxTask).toMatchObject({ poll: "getFluxResult", param: "id" });
    const rule = taskQueries.getFluxResult;
    const seen: string[] = [];
    for (const name of ["pending", "ready", "request_moderated", "content_moderated", "error"]) {
      const { data } = await elk.GET("/flux/v1/get_result", {
        params: { query: { id: created.id } },
        headers: { Prefer: `example=${name}` },
      });
      seen.push(data.status);
    }
    expect(seen).toEqual(["Pending", "Ready", "Request Moderated", "Content Moderated", "Error"]);
    const has = (list: readonly (string | number | boolean)[], s: string) => list.includes(s);
    expect(seen.filter((s) => has(rule.pending, s))).toEqual(["Pending"]);
    expect(seen.filter((s) => has(rule.succeeded, s))).toEqual(["Ready"]);
    expect(seen.filter((s) => has(rule.failed, s))).toEqual(["Request Moderated", "Content Moderated", "Error"]);
    expect(rule.results).toContain("/result/sample");
    expect(rule.progress).toEqual({ pointer: ["/progress"], scale: "fraction" });
  });

  it("treats every failure BFL reports inside a 200 as a terminal failure", () => {
    const rule = taskQueries.getFluxResult;
    for (const s of ["Request Moderated", "Content Moderated", "Error", "Task not found"]) {
      expect(rule.failed as readonly string[]).toContain(s);
      expect(rule.pending as readonly string[]).not.toContain(s);
    }
  });

  it("throws `Task not found` (HTTP 200) as ErrorInBodyError, with the body kept", async () => {
    const err = await testClient()
      .GET("/flux/v1/get_result", {
        params: { query: { id: "00000000-0000-0000-0000-000000000000" } },
        headers: { Prefer: "example=task_not_found" },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    const e = err as ErrorInBodyError;
    expect(e.status).toBe(200);
    expect(e.message).toContain("Task not found");
    expect(e.operationId).toBe("getFluxResult");
    expect(e.body).toMatchObject({ status: "Task not found" });
    expect(JSON.stringify(e)).not.toContain(TEST_KEY);
  });

  it("returns moderated tasks as data with the filter named in details", async () => {
    const { data } = await testClient().GET("/flux/v1/get_result", {
      params: { query: { id: "5a9d3e71-2b4c-4f08-8e6a-1c7b9d2f4e30" } },
      headers: { Prefer: "example=request_moderated" },
    });
    expect(data.status).toBe("Request Moderated");
    expect(taskQueries.getFluxResult.failureReason).toContain("/details/Moderation Reasons/0");
    expect((data as { details?: Record<string, unknown> }).details?.["Moderation Reasons"]).toEqual(["Derivative Works Filter"]);
  });

  it("names one example per state the status rule knows, BFL and Replicate alike", () => {
    const states = new Set(getResultExamples().map((e) => (e.value as { status: string }).status));
    const rule = taskQueries.getFluxResult;
    for (const s of [...rule.pending, ...rule.succeeded, ...rule.failed]) expect(states).toContain(s);
  });

  it("polls finetunes with getFluxResult too, and marks the finetune route unavailable", () => {
    expect(taskSubmits.createFluxFinetune).toMatchObject({ poll: "getFluxResult", taskId: ["/finetune_id", "/id"] });
    expect(operationDocs.createFluxFinetune.deprecated).toBe(true);
    expect(operationDocs.createFluxFinetune.docs).toEqual(["API Reference/Image Generation/Flux(images)/Fine tuning (temporarily unavailable)"]);
    expect(operation("createFluxFinetune").op.summary).toMatch(/temporarily unavailable/i);
  });
});

describe("flux: BFL's own answers", () => {
  it("answers an invalid body with BFL's 422 {detail}, typed and naming the field", async () => {
    const err = await testClient()
      .POST("/flux/v1/{model}", {
        params: { path: { model: "flux-pro-1.1" } },
        body: { prompt: "a lantern", width: 32 },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    const e = err as UnprocessableEntityError;
    expect(e.status).toBe(422);
    expect(e.body).toMatchObject({ detail: [{ loc: ["body", "width"] }] });
    expect(e.validation.some((v) => v.location.includes("width"))).toBe(true);
  });

  it("accepts both submit answers: polling_url, or webhook_url when a webhook was given", async () => {
    const elk = testClient();
    const plain = await elk.POST("/flux/v1/{model}", {
      params: { path: { model: "flux-pro-1.1" } },
      body: { prompt: "a lantern" },
      headers: { Prefer: "example=submitted" },
    });
    expect(plain.data).toHaveProperty("polling_url");
    const hooked = await elk.POST("/flux/v1/{model}", {
      params: { path: { model: "flux-pro-1.1-ultra" } },
      body: { prompt: "a lantern", webhook_url: "https://hooks.example.com/bfl/done" },
      headers: { Prefer: "example=submitted_webhook" },
    });
    expect(hooked.data).toMatchObject({ webhook_url: "https://hooks.example.com/bfl/done" });
    expect(hooked.data.id).toBeTruthy();
  });

  it("routes /flux/v1/finetune to the finetune operation, not the {model} template", async () => {
    const err = await testClient()
      .POST("/flux/v1/finetune", { body: { file_data: "UEsDBA==", finetune_comment: "x", mode: "general" } })
      .then((r) => r.data);
    expect(err).toHaveProperty("finetune_id");
  });
});
