import { describe, expect, it } from "vitest";
import { BadRequestError, createElkClient } from "../src/index.js";
import { handshake, testClient } from "./lib/calls.js";
import { operation } from "./lib/spec.js";
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
