import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { getPointer } from "../src/internal/pointer.js";
import { BadRequestError, ErrorInBodyError, createElkClient } from "../src/index.js";
import { handshake, testClient } from "./lib/calls.js";
import { parseSse } from "./lib/sse.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";
import { contractSuite } from "./lib/contract.js";

contractSuite("openai");

describe("openai: behaviour users rely on", () => {
  it("returns base64 embeddings as a string and float embeddings as numbers", async () => {
    const elk = testClient();
    const b64 = await elk.POST("/v1/embeddings", {
      body: { model: "text-embedding-3-small", input: "blue whale", encoding_format: "base64" },
      headers: { Prefer: "example=base64" },
    });
    expect(typeof b64.data.data[0]?.embedding).toBe("string");
    const floats = await elk.POST("/v1/embeddings", {
      body: { model: "text-embedding-3-small", input: ["a", "b"] },
      headers: { Prefer: "example=batch" },
    });
    expect(floats.data.data.map((d) => Array.isArray(d.embedding))).toEqual([true, true]);
  });

  it("keeps defaulted request fields optional and required ones required in the types", async () => {
    const elk = testClient();
    // n, size, background, quality ... have defaults: leaving them out must type-check.
    const { data } = await elk.POST("/v1/images/generations", { body: { prompt: "a lighthouse" } });
    expect(data.data.length).toBeGreaterThan(0);
    if (Date.now() < 0) {
      // Compile-time only: `prompt` is required.
      // @ts-expect-error prompt is missing
      await elk.POST("/v1/images/generations", { body: { model: "gpt-image-1" } });
    }
  });

  it("does not type the SSE chunk into JSON answers", async () => {
    const elk = testClient();
    const { data } = await elk.POST("/v1/chat/completions", {
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
    });
    // `object` is the literal "chat.completion", not a union with "chat.completion.chunk".
    const object: "chat.completion" = data.object;
    expect(object).toBe("chat.completion");
  });

  it("uploads several images as repeated multipart parts", async () => {
    const elk = createElkClient({ apiKey: "sk-elk-test-upload", baseUrl: testClient().baseUrl });
    const png = (name: string) => new File([new Uint8Array([137, 80, 78, 71])], name, { type: "image/png" });
    const { data } = await elk.POST("/v1/images/edits", {
      body: { image: [png("a.png"), png("b.png")], prompt: "Put on glasses", n: 2 },
    });
    expect(data.data.length).toBeGreaterThan(0);
  });
});

describe("openai: tolerance (values newer than the spec's lists pass, what the gateway refuses still fails)", () => {
  it("accepts reasoning_effort xhigh, an image_url given as a string and a video_url part", async () => {
    const elk = testClient();
    const { response, data } = await elk.POST("/v1/chat/completions", {
      body: {
        model: "qwen3-vl-plus",
        reasoning_effort: "xhigh",
        messages: [
          {
            role: "user",
            content: [
              { type: "image_url", image_url: "https://example.com/a.png" },
              { type: "video_url", video_url: "https://example.com/a.mp4" },
              { type: "text", text: "compare" },
            ],
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(data.choices[0]?.message.content).toBeTruthy();
  });

  it("accepts an image size and a Seedance ratio the known lists do not name", async () => {
    const elk = testClient();
    const img = await elk.POST("/v1/images/generations", { body: { model: "doubao-seedream-4-0-250828", prompt: "a fox", size: "2048x2048" } });
    expect(img.response.status).toBe(200);
    expect(img.data.data?.[0]?.url ?? img.data.data?.[0]?.b64_json).toBeTruthy();
    const video = await elk.POST("/v1/video/generations", { body: { model: "doubao-seedance-2-0-260128", prompt: "a kite", metadata: { ratio: "2:1" } } });
    expect(video.response.status).toBe(200);
    expect(taskSubmits.createVideoGeneration.taskId.map((p) => getPointer(video.data, p)).find((v) => v)).toBeTruthy();
  });

  it("takes Seedance's content[] body instead of prompt, and refuses a body with neither", async () => {
    const elk = testClient();
    const ok = await elk.POST("/v1/video/generations", {
      body: { model: "doubao-seedance-2-0-260128", content: [{ type: "text", text: "a kite" }], ratio: "16:9" } as never,
    });
    expect(ok.response.status).toBe(200);
    expect(taskSubmits.createVideoGeneration.taskId.map((p) => getPointer(ok.data, p)).find((v) => v)).toBeTruthy();
    const err = await elk.POST("/v1/video/generations", { body: { model: "doubao-seedance-2-0-260128" } as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
  });

  it("takes an engine-path embedding without a body model, but still refuses a chat call without one", async () => {
    const elk = testClient();
    const { response, data } = await elk.POST("/v1/engines/{model}/embeddings", {
      params: { path: { model: "text-embedding-ada-002" } },
      body: { input: "hello" },
    });
    expect(response.status).toBe(200);
    expect(data.data[0]?.embedding.length).toBeGreaterThan(0);
    const err = await elk.POST("/v1/chat/completions", { body: { messages: [{ role: "user", content: "hi" }] } as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
  });

  it("keeps the textual boolean of image stream closed: only 'true' and 'false'", async () => {
    const elk = testClient();
    const err = await elk.POST("/v1/images/generations", { body: { prompt: "a fox", stream: "yes" } as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
  });
});

describe("openai: Realtime is a WebSocket upgrade", () => {
  it("answers a WebSocket handshake with 101 Switching Protocols", async () => {
    const res = await handshake(operation("connectRealtime"));
    expect(res.status).toBe(101);
    expect(res.headers.upgrade).toBe("websocket");
    expect(res.headers["sec-websocket-accept"]).toBeTruthy();
  });

  it("refuses a plain HTTP GET (no upgrade headers) with a typed 400 naming them", async () => {
    const elk = testClient();
    const err = await elk
      .GET("/v1/realtime", { params: { query: { model: "gpt-4o-realtime-preview" } } as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message.toLowerCase()).toContain("upgrade");
  });
});

/** The named 200 JSON examples of a query operation. */
function stateExamples(id: string) {
  return examplesOf(deref(bundle, operation(id).op.responses["200"]!).content!["application/json"]);
}

/** Where a task rule puts a body: pending, succeeded or failed (the first status pointer present wins). */
function classify(id: keyof typeof taskQueries, body: unknown): "pending" | "succeeded" | "failed" {
  const rule = taskQueries[id];
  const status = rule.status.map((p) => getPointer(body, p)).find((v) => v !== undefined);
  if ((rule.succeeded as readonly unknown[]).includes(status)) return "succeeded";
  if ((rule.failed as readonly unknown[]).includes(status)) return "failed";
  return "pending";
}

describe("openai: task rules read every observed form", () => {
  const expected: Record<string, Record<string, "pending" | "succeeded" | "failed">> = {
    getVideoGeneration: {
      queued: "pending", in_progress: "pending", completed: "succeeded", failed: "failed",
      processing: "pending", succeeded: "succeeded", failed_newapi_docs: "failed",
      video_queued: "pending", video_in_progress: "pending", video_completed: "succeeded", video_failed: "failed",
      task_not_start: "pending", task_submitted: "pending", task_queued: "pending", task_in_progress: "pending",
      task_success: "succeeded", task_failure: "failed",
      live_queued: "pending", live_processing: "pending", live_succeeded: "succeeded", live_failed: "failed",
    },
    getResponse: { queued: "pending", in_progress: "pending", completed: "succeeded", completed_image: "succeeded", failed: "failed", incomplete: "failed", cancelled: "failed" },
    getVideo: { queued: "pending", in_progress: "pending", completed: "succeeded", completed_with_url: "succeeded", failed: "failed" },
    getUnifiedTask: { queued: "pending", in_progress: "pending", completed: "succeeded", completed_music: "succeeded", failed: "failed" },
    queryHunyuan3dJob: { wait: "pending", run: "pending", done: "succeeded", fail: "failed", done_flat: "succeeded" },
  };
  for (const [id, states] of Object.entries(expected)) {
    it(`${id}: each named example lands in the state its name says, and every state has an example`, () => {
      const examples = stateExamples(id);
      expect(examples.map((e) => e.name).sort()).toEqual(Object.keys(states).sort());
      for (const ex of examples) expect(classify(id as keyof typeof taskQueries, ex.value), ex.name).toBe(states[ex.name]);
      const rule = taskQueries[id as keyof typeof taskQueries];
      const seen = new Set(examples.map((e) => rule.status.map((p) => getPointer(e.value, p)).find((v) => v !== undefined)));
      for (const s of [...rule.succeeded, ...rule.failed]) expect(seen, `${id} has an example with status ${String(s)}`).toContain(s);
    });
  }

  it("getVideoGeneration: results and failure reasons are found in every form", () => {
    const rule = taskQueries.getVideoGeneration;
    for (const ex of stateExamples("getVideoGeneration")) {
      const state = classify("getVideoGeneration", ex.value);
      const url = rule.results.map((p) => getPointer(ex.value, p)).find((v) => typeof v === "string" && v !== "");
      if (state === "succeeded") expect(url, ex.name).toMatch(/^https:\/\//);
      const reason = rule.failureReason.map((p) => getPointer(ex.value, p)).find((v) => typeof v === "string" && v !== "");
      if (state === "failed" && ex.name !== "live_failed") expect(reason, ex.name).toBeTruthy();
    }
  });

  it("hands each submit's id to its poll", async () => {
    const elk = testClient();
    const { data: video } = await elk.POST("/v1/video/generations", {
      body: { model: "doubao-seedance-2-0-fast-260128", prompt: "a kite", metadata: { ratio: "9:16" } },
    });
    expect(taskSubmits.createVideoGeneration.poll).toBe("getVideoGeneration");
    const id = taskSubmits.createVideoGeneration.taskId.map((p) => getPointer(video, p)).find(Boolean) as string;
    const { data: polled } = await elk.GET("/v1/video/generations/{task_id}", { params: { path: { task_id: id } }, headers: { Prefer: "example=task_success" } });
    expect(classify("getVideoGeneration", polled)).toBe("succeeded");

    const { data: job } = await elk.POST("/v1/ai3d/submit", { body: { Prompt: "a pumpkin teapot" } });
    const jobId = taskSubmits.submitHunyuan3dJob.taskId.map((p) => getPointer(job, p)).find(Boolean) as string;
    expect(taskSubmits.submitHunyuan3dJob.body).toBe("/JobId");
    const { data: state } = await elk.POST("/v1/ai3d/query", { body: { JobId: jobId }, headers: { Prefer: "example=done" } });
    expect(classify("queryHunyuan3dJob", state)).toBe("succeeded");

    const { data: response } = await elk.POST("/v1/responses", {
      body: { model: "gpt-5.5", input: "write a report", background: true },
      headers: { Prefer: "example=background_queued" },
    });
    expect(response.status).toBe("queued");
    const { data: later } = await elk.GET("/v1/responses/{response_id}", {
      params: { path: { response_id: response.id } },
      headers: { Prefer: "example=completed" },
    });
    expect(classify("getResponse", later)).toBe("succeeded");

    const { data: task } = await elk.POST("/v1/task/submit", { body: { model: "kling-v3/text-to-video", input: { prompt: "a fox" } } });
    const { data: done } = await elk.GET("/v1/task/{task_id}", { params: { path: { task_id: task.id } }, headers: { Prefer: "example=completed" } });
    expect(done.outputs?.[0]).toMatch(/\.mp4$/);
  });

  it("declares the unified task callback with the task object as its body", () => {
    const cb = (operation("submitUnifiedTask").op as { callbacks?: Record<string, Record<string, unknown>> }).callbacks;
    expect(Object.keys(deref(bundle, cb?.unifiedTaskStatus ?? {}))).toEqual(["{$request.body#/callback_url}"]);
  });
});

describe("openai: Hunyuan 3D", () => {
  it("reports a job without any input as missing Prompt", async () => {
    const elk = testClient();
    const err = await elk.POST("/v1/ai3d/submit", { body: { Model: "3.0", EnablePBR: true } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain("Prompt");
  });

  it("throws Tencent's refusal inside a 200 as ErrorInBodyError with its code", async () => {
    const elk = testClient();
    const err = await elk
      .POST("/v1/ai3d/submit", { body: { Prompt: "a chair" }, headers: { Prefer: "example=resource_insufficient" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    expect((err as ErrorInBodyError).code).toBe("ResourceInsufficient");
  });
});

describe("openai: streams", () => {
  it("Veo through chat streams progress text whose final links include the .mp4, then [DONE]", async () => {
    const elk = testClient();
    const { data } = await elk.POST("/v1/chat/completions", {
      body: { model: "veo3-fast-frames", stream: true, messages: [{ role: "user", content: "a paper boat" }] },
      headers: { Accept: "text/event-stream", Prefer: "example=stream_veo" },
      parseAs: "text",
    });
    const events = parseSse(data as unknown as string);
    expect(events.at(-1)?.data).toBe("[DONE]");
    const text = events
      .slice(0, -1)
      .map((e) => (JSON.parse(e.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? "")
      .join("");
    expect(text).toContain("asyncdata.net/web/veo3-fast:");
    expect(text.match(/https:\/\/\S+?\.mp4/)?.[0]).toBeTruthy();
  });

  it("Responses stream: event names match each data type, sequence numbers increase, no [DONE]", async () => {
    const elk = testClient();
    const { data } = await elk.POST("/v1/responses", {
      body: { model: "gpt-5.5", input: "Hamlet in two lines", stream: true },
      headers: { Accept: "text/event-stream" },
      parseAs: "text",
    });
    const events = parseSse(data as unknown as string);
    const payloads = events.map((e) => JSON.parse(e.data) as { type: string; sequence_number: number; delta?: string });
    expect(events.every((e, i) => e.event === payloads[i]!.type)).toBe(true);
    expect(payloads.map((p) => p.sequence_number)).toEqual(payloads.map((_, i) => i));
    expect(events.some((e) => e.data === "[DONE]")).toBe(false);
    expect(payloads.at(-1)?.type).toBe("response.completed");
    expect(payloads.filter((p) => p.type === "response.output_text.delta").map((p) => p.delta).join("")).toBe(
      "A prince avenges his father. Nearly everyone dies.",
    );
  });
});

describe("openai: OpenAI video format", () => {
  it("uploads a first-frame image as multipart and downloads the finished file as a Blob", async () => {
    const elk = testClient();
    const frame = new File([new Uint8Array([255, 216, 255, 224])], "fox.jpg", { type: "image/jpeg" });
    const { data } = await elk.POST("/v1/videos", {
      body: { model: "sora-2", prompt: "The fox blinks", seconds: "4", input_reference: frame } as never,
      headers: { Prefer: "example=queued" },
    });
    expect(data.status).toBe("queued");
    const { data: file, response } = await elk.GET("/v1/videos/{task_id}/content", {
      params: { path: { task_id: data.id } },
      parseAs: "blob",
    });
    expect(response.headers.get("content-type")).toContain("video/mp4");
    expect((file as Blob).size).toBeGreaterThan(0);
  });
});
