import { operationDocs } from "../generated/operation-docs.js";
import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { TEST_KEY, mockBaseUrl, testClient } from "./lib/calls.js";
import { contractSuite, expectTypedFieldError } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";

contractSuite("replicate");

const CREATES = [
  "createReplicateModelPrediction",
  "createReplicateFluxKontextProPrediction",
  "createReplicateFluxKontextMaxPrediction",
  "createReplicateFlux11ProPrediction",
  "createReplicateFlux11ProUltraPrediction",
  "createReplicatePrediction",
] as const;

describe("replicate: prediction lifecycle in the spec", () => {
  it("every create hands its id to getReplicatePrediction", () => {
    for (const id of CREATES) expect(taskSubmits[id], id).toEqual({ poll: "getReplicatePrediction", taskId: ["/id"], param: "id" });
  });

  it("serves every prediction status by name and classifies it", async () => {
    const elk = testClient();
    const rule = taskQueries.getReplicatePrediction;
    const seen: string[] = [];
    for (const name of ["starting", "processing", "succeeded", "failed", "canceled", "aborted"]) {
      const { data } = await elk.GET("/replicate/v1/predictions/{id}", {
        params: { path: { id: "h5r0x7m2c9rmc0cw3v8k1n6t4j" } },
        headers: { Prefer: `example=${name}` },
      });
      expect(data.status).toBe(name);
      seen.push(data.status);
    }
    expect(seen.filter((s) => (rule.pending as readonly string[]).includes(s))).toEqual(["starting", "processing"]);
    expect(seen.filter((s) => (rule.succeeded as readonly string[]).includes(s))).toEqual(["succeeded"]);
    expect(seen.filter((s) => (rule.failed as readonly string[]).includes(s))).toEqual(["failed", "canceled", "aborted"]);
    expect(rule.failureReason).toEqual(["/error"]);
    expect(rule.progress).toBeNull();
  });

  it("names one example per status, and every example carries urls.get and urls.cancel", () => {
    const op = operation("getReplicatePrediction").op;
    const examples = examplesOf(deref(bundle, op.responses["200"]!).content!["application/json"]);
    const statuses = new Set(examples.map((e) => (e.value as { status: string }).status));
    const rule = taskQueries.getReplicatePrediction;
    for (const s of [...rule.pending, ...rule.succeeded, ...rule.failed]) expect(statuses).toContain(s);
    for (const e of examples) {
      const urls = (e.value as { urls: { get: string; cancel: string } }).urls;
      expect(urls.get, e.name).toMatch(/^https:\/\/api\.replicate\.com\/v1\/predictions\//);
      expect(urls.cancel, e.name).toMatch(/\/cancel$/);
    }
  });

  it("gives output as one URL or as a list, the reason of a failure in error, and metrics once finished", async () => {
    const elk = testClient();
    const get = (example: string) =>
      elk.GET("/replicate/v1/predictions/{id}", { params: { path: { id: "x" } }, headers: { Prefer: `example=${example}` } }).then((r) => r.data);
    const one = await get("succeeded");
    expect(typeof one.output).toBe("string");
    expect(one.metrics?.predict_time).toBeGreaterThan(0);
    const many = await get("succeeded_many");
    expect(Array.isArray(many.output) && many.output.length).toBe(2);
    const failed = await get("failed");
    expect(failed.error).toMatch(/flagged as sensitive/);
  });
});

describe("replicate: Prefer wait (sync mode) and the mock's own Prefer", () => {
  const body = { input: { prompt: "neon koi pond seen from above", num_outputs: 2 } };
  const path = { owner: "black-forest-labs", name: "flux-schnell" };

  it("accepts Prefer: wait=N and wait alone", async () => {
    const elk = testClient();
    for (const prefer of ["wait=10", "wait", "wait=60"]) {
      const { data, response } = await elk.POST("/replicate/v1/models/{owner}/{name}/predictions", {
        params: { path, header: { Prefer: prefer } },
        body,
      });
      expect(response.status).toBe(200);
      expect(data.status).toBe("starting");
    }
  });

  it("still lets the mock pick an example when wait is combined with example=", async () => {
    const { data } = await testClient().POST("/replicate/v1/models/{owner}/{name}/predictions", {
      params: { path },
      body,
      headers: { Prefer: "wait=10, example=succeeded_sync" },
    });
    expect(data.status).toBe("succeeded");
    expect(data.output).toHaveLength(2);
  });

  it("documents the header on every create", () => {
    for (const id of CREATES) {
      const params = (operation(id).op.parameters ?? []).map((p) => deref(bundle, p) as { name?: string; in?: string });
      expect(params.some((p) => p.name === "Prefer" && p.in === "header"), id).toBe(true);
    }
  });
});

describe("replicate: fixed model routes beside the general template", () => {
  it("routes the fixed flux-1.1-pro path to its own typed operation", async () => {
    const elk = testClient();
    const { data } = await elk.POST("/replicate/v1/models/black-forest-labs/flux-1.1-pro/predictions", {
      body: { input: { prompt: "macro dew", aspect_ratio: "4:5" } },
    });
    expect(data.model).toBe("black-forest-labs/flux-1.1-pro");
    // safety_tolerance 0 is a Kontext value: the general template would take it, the typed 1.1-pro route (1-6) does not.
    await expectTypedFieldError(
      elk.POST("/replicate/v1/models/black-forest-labs/flux-1.1-pro/predictions", {
        body: { input: { prompt: "macro dew", safety_tolerance: 0 } },
      }),
      "safety_tolerance",
    );
    const general = await fetch(`${mockBaseUrl()}/replicate/v1/models/black-forest-labs/flux-kontext-dev/predictions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ input: { prompt: "x", aspect_ratio: "match_input_image", safety_tolerance: 0 } }),
    });
    expect(general.status).toBe(200);
  });

  it("keeps the fixed routes' choices open: a ratio or format newer than the known list is accepted", async () => {
    const elk = testClient();
    const pro = await elk.POST("/replicate/v1/models/black-forest-labs/flux-1.1-pro/predictions", {
      body: { input: { prompt: "macro dew", aspect_ratio: "21:9", output_format: "avif", image_prompt: "" } },
    });
    expect(pro.response.status).toBe(200);
    const kontext = await elk.POST("/replicate/v1/models/black-forest-labs/flux-kontext-max/predictions", {
      body: { input: { prompt: "red collar", aspect_ratio: "3:7", output_format: "webp" } },
    });
    expect(kontext.response.status).toBe(200);
  });

  it("routes each fixed path to the operation that names its model", async () => {
    const elk = testClient();
    const pro = await elk.POST("/replicate/v1/models/black-forest-labs/flux-kontext-pro/predictions", { body: { input: { prompt: "red collar" } } });
    expect(pro.data.model).toBe("black-forest-labs/flux-kontext-pro");
    const max = await elk.POST("/replicate/v1/models/black-forest-labs/flux-kontext-max/predictions", { body: { input: { prompt: "red collar" } } });
    expect(max.data.model).toBe("black-forest-labs/flux-kontext-max");
    const ultra = await elk.POST("/replicate/v1/models/black-forest-labs/flux-1.1-pro-ultra/predictions", { body: { input: { prompt: "rice fields", raw: true } } });
    expect(ultra.data.model).toBe("black-forest-labs/flux-1.1-pro-ultra");
  });

  it("lists each nav item once, shared calls on one operation", () => {
    const docs = Object.values(operationDocs).flatMap((o) => o.docs as readonly string[]);
    expect(operationDocs.createReplicateModelPrediction.docs).toEqual([
      "API Reference/Image Generation/Flux(images)/Create Task - General",
      "API Reference/Image Generation/Replicate(image)/Create Task - General",
    ]);
    expect(operationDocs.createReplicatePrediction.docs).toEqual([
      "API Reference/Image Generation/Flux(images)/Generate image (replica format)",
      "API Reference/Image Generation/Replicate(image)/Create task",
    ]);
    // The Kontext nav item covers two paths (pro and max); every other nav item names exactly one operation.
    const kontext = "API Reference/Image Generation/Replicate(image)/Create task - float kontext pro, max";
    expect(docs.filter((d) => d === kontext)).toHaveLength(2);
    const others = docs.filter((d) => /Flux\(images\)|Replicate\(image\)/.test(d) && d !== kontext);
    expect(new Set(others).size).toBe(others.length);
  });
});

describe("replicate: request checks the standard suite cannot derive", () => {
  it("rejects a webhook event outside the enum, naming webhook_events_filter", async () => {
    const elk = testClient();
    await expectTypedFieldError(
      elk.POST("/replicate/v1/models/{owner}/{name}/predictions", {
        params: { path: { owner: "black-forest-labs", name: "flux-schnell" } },
        // @ts-expect-error not a webhook event
        body: { input: { prompt: "x" }, webhook: "https://hooks.example.com/r", webhook_events_filter: ["never"] },
      }),
      "webhook_events_filter",
    );
    await expectTypedFieldError(
      elk.POST("/replicate/v1/predictions", {
        // @ts-expect-error not a webhook event
        body: { version: "black-forest-labs/flux-schnell", input: { prompt: "x" }, webhook_events_filter: ["never"] },
      }),
      "webhook_events_filter",
    );
  });

  it("rejects a body-named create that names no model (neither version nor model)", async () => {
    await expectTypedFieldError(
      // @ts-expect-error names no model
      testClient().POST("/replicate/v1/predictions", { body: { input: { prompt: "x" } } }),
      "version",
    );
  });

  it("rejects a Kontext create whose input has no prompt, naming it; the general routes take any input", async () => {
    await expectTypedFieldError(
      testClient().POST("/replicate/v1/models/black-forest-labs/flux-kontext-pro/predictions", {
        // @ts-expect-error prompt is required
        body: { input: { input_image: "https://example.com/a.png" } },
      }),
      "prompt",
    );
    const { response } = await testClient().POST("/replicate/v1/predictions", {
      body: { version: "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa", input: { text: "Alice" } },
    });
    expect(response.status).toBe(200);
  });
});
