import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { BadRequestError, ErrorInBodyError, InternalServerError, RateLimitError } from "../src/index.js";
import { TEST_KEY, mockBaseUrl, testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { allOperations, bundle, deref, examplesOf, operation, pointerOf, schemaErrors } from "./lib/spec.js";

contractSuite("midjourney");

const SUBMITS = [
  "submitMidjourneyImagine",
  "submitMidjourneyVideo",
  "submitMidjourneyEdits",
  "submitMidjourneyAction",
  "submitMidjourneyBlend",
  "submitMidjourneyDescribe",
  "submitMidjourneyModal",
  "submitMidjourneyChange",
] as const;

type Task = { id: string; status: string; progress: string; buttons: { customId: string }[] | null };

const statusEnum = () =>
  (deref(bundle, { $ref: "#/components/schemas/MidjourneyTaskStatus" }) as unknown as { enum: string[] }).enum;

describe("midjourney: the imagine → fetch → action → modal flow", () => {
  it("hands the submitted id to getMidjourneyTask and continues through buttons and the modal", async () => {
    const elk = testClient();
    const { data: submitted } = await elk.POST("/mj/submit/imagine", { body: { prompt: "isometric tea house --ar 3:2" } });
    expect(submitted.code).toBe(1);
    expect(taskSubmits.submitMidjourneyImagine).toEqual({ poll: "getMidjourneyTask", taskId: ["/result"], param: "id" });

    const id = String(submitted.result);
    const { data: done } = await elk.GET("/mj/task/{id}/fetch", { params: { path: { id } }, headers: { Prefer: "example=SUCCESS" } });
    expect(done.status).toBe("SUCCESS");
    const labels = (done.buttons ?? []).map((b) => b.label || b.emoji);
    expect(labels).toEqual(["U1", "U2", "U3", "U4", "🔄", "V1", "V2", "V3", "V4"]);

    // Press a button read from the fetch (never hard-coded), then continue a MODAL task.
    const customId = done.buttons![2]!.customId;
    const { data: action } = await elk.POST("/mj/submit/action", {
      body: { customId, taskId: done.id },
      headers: { Prefer: "example=modal_opened" },
    });
    expect(action.code).toBe(21); // passed through for Vary (Region): not an error
    const { data: waiting } = await elk.GET("/mj/task/{id}/fetch", {
      params: { path: { id: String(action.result) } },
      headers: { Prefer: "example=MODAL" },
    });
    expect(waiting.status).toBe("MODAL");
    const { data: modal } = await elk.POST("/mj/submit/modal", {
      body: { taskId: waiting.id, prompt: "a red umbrella", maskBase64: "data:image/png;base64,iVBORw0KGgo=" },
    });
    expect(modal.code).toBe(1);
  });

  it("serves one named example per task status, each classified by the status rule", async () => {
    const elk = testClient();
    const rule = taskQueries.getMidjourneyTask;
    const examples = examplesOf(deref(bundle, operation("getMidjourneyTask").op.responses["200"]!).content!["application/json"]);
    const seen = new Set(examples.map((e) => (e.value as unknown as Task).status));
    for (const status of statusEnum()) expect(seen, `an example with status "${status}"`).toContain(status);
    for (const name of ["NOT_START", "SUBMITTED", "IN_PROGRESS", "MODAL", "SUCCESS", "FAILURE", "CANCEL"]) {
      const { data } = await elk.GET("/mj/task/{id}/fetch", { params: { path: { id: "1748392017465320" } }, headers: { Prefer: `example=${name}` } });
      expect(data.status).toBe(name);
    }
    const known = [...rule.pending, ...rule.succeeded, ...rule.failed, ...rule.actionRequired] as string[];
    expect(new Set(known)).toEqual(new Set(statusEnum()));
    expect(rule.actionRequired).toEqual(["MODAL"]); // waits for submitMidjourneyModal: polling stops, not a success
    expect(rule.pending).toContain(""); // the transient empty status right after submit
    expect(rule.failed).toEqual(["FAILURE", "CANCEL"]);
    expect(rule.progress).toEqual({ pointer: ["/progress"], scale: "percent-string" });
  });

  it("reports progress as a percent string", async () => {
    const { data } = await testClient().GET("/mj/task/{id}/fetch", {
      params: { path: { id: "1748392017465320" } },
      headers: { Prefer: "example=IN_PROGRESS" },
    });
    expect(data.progress).toMatch(/^\d{1,3}%$/);
    expect(Number.parseFloat(data.progress ?? "")).toBe(45);
  });

  it("lists tasks by id as a plain array", async () => {
    const { data } = await testClient().POST("/mj/task/list-by-condition", { body: { ids: ["1748392017465320"] } });
    expect(Array.isArray(data)).toBe(true);
    expect(data[0]?.status).toBe("SUCCESS");
  });
});

describe("midjourney: submit codes", () => {
  it("every submit polls getMidjourneyTask and throws codes other than 1, 21 and 22", () => {
    for (const id of SUBMITS) {
      expect(taskSubmits[id], id).toEqual({ poll: "getMidjourneyTask", taskId: ["/result"], param: "id" });
      expect(operation(id).op["x-elkapi-error-in-200"], id).toEqual([{ pointer: "/code", notIn: [1, 21, 22], message: "/description", code: "/code" }]);
    }
  });

  it.each([
    ["queue_full", 23, "队列已满"],
    ["banned_word", 24, "可能包含敏感词"],
    ["validation_error", 4, "must not be blank"],
  ])("throws the %s answer (code %i) as ErrorInBodyError", async (example, code, text) => {
    const err = await testClient()
      .POST("/mj/submit/imagine", { body: { prompt: "x" }, headers: { Prefer: `example=${example}` } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    const e = err as ErrorInBodyError;
    expect(e.status).toBe(200);
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
    expect(e.operationId).toBe("submitMidjourneyImagine");
    expect(JSON.stringify(e)).not.toContain(TEST_KEY);
  });

  it.each(["queued", "already_exists"])("accepts the %s answer (codes 21/22 carry a valid task id)", async (example) => {
    const { data } = await testClient().POST("/mj/submit/imagine", { body: { prompt: "x" }, headers: { Prefer: `example=${example}` } });
    expect([21, 22]).toContain(data.code);
    expect(data.result).toBe("1748392017465320");
  });

  it("accepts a numeric task id", async () => {
    const { data } = await testClient().POST("/mj/submit/imagine", { body: { prompt: "x" }, headers: { Prefer: "example=numeric_result" } });
    expect(typeof data.result).toBe("number");
  });
});

describe("midjourney: the /mj error body", () => {
  it("turns a 400 {description, type, code} into BadRequestError with its code and text", async () => {
    const err = await testClient()
      .GET("/mj/task/{id}/fetch", { params: { path: { id: "nope" } }, headers: { Prefer: "code=400, example=task_not_found" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    expect(e.code).toBe(4);
    expect(e.type).toBe("upstream_error");
    expect(e.message).toContain("task_no_found");
  });

  it("turns the saturated group (code 30) into RateLimitError and a relay failure into InternalServerError", async () => {
    const busy = await testClient()
      .POST("/mj/submit/blend", { body: { base64Array: ["a", "b"] }, headers: { Prefer: "code=429, example=group_saturated" } })
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RateLimitError);
    expect((busy as RateLimitError).code).toBe(30);
    const broken = await testClient()
      .POST("/mj/submit/blend", { body: { base64Array: ["a", "b"] }, headers: { Prefer: "code=500" } })
      .catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(InternalServerError);
    expect((broken as InternalServerError).message).toContain("failed to generate relay info");
  });

  it("describes every /mj error response with the Midjourney shape or the default envelope", () => {
    for (const name of ["MidjourneyBadRequest", "MidjourneyTooManyRequests", "MidjourneyInternalServerError"]) {
      const pointer = pointerOf("components", "responses", name, "content", "application/json", "schema");
      expect(schemaErrors(pointer, { description: "task_no_found ", type: "upstream_error", code: 4 })).toEqual([]);
      expect(schemaErrors(pointer, { error: { message: "Invalid token", type: "new_api_error" } })).toEqual([]);
      expect(schemaErrors(pointer, { description: 4 })).not.toEqual([]);
    }
  });

  // Edits and Action have no top-level enum, so the standard suite derives no enum test: check the nested one.
  it.each([
    ["/mj/submit/edits", { prompt: "aurora sky", image: "https://cdn.example.com/v.png" }],
    ["/mj/submit/action", { customId: "MJ::JOB::upsample::1::h", taskId: "1748392017465320" }],
  ] as const)("names accountFilter.modes outside its enum on %s", async (path, body) => {
    const err = await testClient()
      .POST(path, { body: { ...body, accountFilter: { modes: ["SLOW"] } } as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    expect(e.validation.some((v) => v.location.includes("modes"))).toBe(true);
    expect(e.message).toContain("modes");
  });

  it("names the missing image of a Describe (base64 or link, either is enough)", async () => {
    const err = await testClient()
      .POST("/mj/submit/describe", { body: { botType: "MID_JOURNEY" } as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toMatch(/base64|link/);
  });
});

describe("midjourney: what real clients send and proxies answer", () => {
  it("accepts the other bot spellings, rixapi's task_id and an empty list condition", async () => {
    const elk = testClient();
    const { data: niji } = await elk.POST("/mj/submit/imagine", { body: { prompt: "cat cafe --niji 6", botType: "niji" } });
    expect(niji.code).toBe(1);
    const { data: modal } = await elk.POST("/mj/submit/modal", { body: { task_id: "17381923542354", prompt: "" } });
    expect(modal.code).toBe(1);
    const { data: list } = await elk.POST("/mj/task/list-by-condition", { body: {} });
    expect(Array.isArray(list)).toBe(true);
  });

  it("still refuses what the gateway or the proxy refuses: numeric ids, a text index, an unknown blend shape", () => {
    const body = (id: string) => pointerOf("paths", operation(id).path, "post", "requestBody", "content", "application/json", "schema");
    expect(schemaErrors(body("listMidjourneyTasksByCondition"), { ids: ["1748392017465320"] })).toEqual([]);
    expect(schemaErrors(body("listMidjourneyTasksByCondition"), { ids: [1748392017465320] })).not.toEqual([]);
    expect(schemaErrors(body("submitMidjourneyChange"), { taskId: "1", action: "UPSCALE", index: 1 })).toEqual([]);
    expect(schemaErrors(body("submitMidjourneyChange"), { taskId: "1", action: "UPSCALE", index: "1" })).not.toEqual([]);
    expect(schemaErrors(body("submitMidjourneyVideo"), { motion: "low", action: "extend", index: "0", taskId: "1" })).not.toEqual([]);
    expect(schemaErrors(body("submitMidjourneyBlend"), { base64Array: ["a", "b"], dimensions: "WIDE" })).not.toEqual([]);
    expect(schemaErrors(body("submitMidjourneyModal"), { prompt: "no id" })).not.toEqual([]);
  });

  it("takes a proxy-style task without buttons, customId or video fields, with nulls where the proxy writes them", () => {
    const minimal = { id: "1689231405853400", action: "IMAGINE", status: "NOT_START", state: null, startTime: null, progress: null, imageUrl: null };
    expect(schemaErrors("/components/schemas/MidjourneyTask", minimal)).toEqual([]);
    expect(schemaErrors("/components/schemas/MidjourneyTask", { action: "IMAGINE", status: "SUCCESS" })).not.toEqual([]);
  });
});

describe("midjourney: speed modes and callbacks", () => {
  it("models /mj-fast, /mj-relax and /mj-turbo once, as a server variable on every /mj path", () => {
    const mjPaths = Object.entries(bundle.paths).filter(([p]) => p.startsWith("/mj/"));
    expect(mjPaths.length).toBe(10);
    for (const [p, item] of mjPaths) {
      const servers = (item as { servers?: { url: string; variables?: { mode?: { enum: string[] } } }[] }).servers;
      expect(servers?.map((s) => s.url), p).toEqual(["https://api.elkapi.com", "https://api.elkapi.com/{mode}"]);
      expect(servers?.[1]?.variables?.mode?.enum, p).toEqual(["mj-fast", "mj-relax", "mj-turbo"]);
    }
    expect(Object.keys(bundle.paths).some((p) => /^\/mj-|\{mode\}/.test(p))).toBe(false);
  });

  it("lets the mock check a speed-mode server (Prism's __server) and refuses an unknown mode", async () => {
    const call = (server: string) =>
      fetch(`${mockBaseUrl()}/mj/submit/imagine?__server=${encodeURIComponent(server)}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ prompt: "lighthouse" }),
      });
    for (const server of ["https://api.elkapi.com", "https://api.elkapi.com/mj-relax", "https://api.elkapi.com/mj-turbo"]) {
      const res = await call(server);
      expect(res.status, server).toBe(200);
      expect(((await res.json()) as { code: number }).code).toBe(1);
    }
    const slow = await call("https://api.elkapi.com/mj-slow");
    expect(slow.status).toBe(404);
    await slow.body?.cancel();
  });

  it("declares the notifyHook callback on every submit, with the task object as its body", () => {
    for (const id of SUBMITS) {
      const callbacks = operation(id).op.callbacks as Record<string, { $ref?: string }>;
      const cb = deref(bundle, callbacks.midjourneyTaskUpdate!) as Record<string, { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>;
      expect(Object.keys(cb), id).toEqual(["{$request.body#/notifyHook}"]);
      expect(cb["{$request.body#/notifyHook}"]!.post.requestBody.content["application/json"]!.schema.$ref).toBe("#/components/schemas/MidjourneyTaskInfo");
    }
    const cb = bundle.components!.callbacks!.MidjourneyTaskUpdate as Record<string, { post: { requestBody: { content: Record<string, unknown> } } }>;
    const media = cb["{$request.body#/notifyHook}"]!.post.requestBody.content["application/json"] as { examples: Record<string, unknown> };
    for (const ex of examplesOf(media as never)) {
      expect(schemaErrors("/components/schemas/MidjourneyTaskInfo", ex.value), ex.name).toEqual([]);
    }
    // Every task the fetch returns is also a valid callback body.
    for (const ex of examplesOf(deref(bundle, operation("getMidjourneyTask").op.responses["200"]!).content!["application/json"])) {
      expect(schemaErrors("/components/schemas/MidjourneyTaskInfo", ex.value), ex.name).toEqual([]);
    }
  });

  it("tags every /mj operation midjourney", () => {
    for (const o of allOperations.filter((o) => o.path.startsWith("/mj/"))) expect(o.op.tags).toEqual(["midjourney"]);
  });
});
