import { describe, expect, it } from "vitest";
import { BadRequestError } from "../src/index.js";
import { TEST_KEY, mockBaseUrl, testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";
import { parseSse } from "./lib/sse.js";

contractSuite("gemini");

const model = { model: "gemini-2.5-flash" };
const hello = { contents: [{ role: "user", parts: [{ text: "Hello" }] }] };

function okExamples(id: string, media = "application/json") {
  return examplesOf(deref(bundle, operation(id).op.responses["200"]!).content![media]);
}

describe("gemini: behaviour users rely on", () => {
  it("takes the key as x-goog-api-key (the Google SDKs' default), as ?key= or as Bearer, and refuses none", async () => {
    const url = `${mockBaseUrl()}/v1beta/models/gemini-2.5-flash:generateContent`;
    const post = (headers: Record<string, string>, query = "") =>
      fetch(url + query, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(hello) });
    expect((await post({ "x-goog-api-key": TEST_KEY })).status).toBe(200);
    expect((await post({}, `?key=${TEST_KEY}`)).status).toBe(200);
    expect((await post({ authorization: `Bearer ${TEST_KEY}` })).status).toBe(200);
    expect((await post({})).status).toBe(401);
  });

  it("streams with ?alt=sse: JSON chunks without an end marker, the stream ending with the body", async () => {
    const elk = testClient();
    const stream = await elk.stream("streamGenerateGeminiContent", { params: { path: model }, body: hello, headers: { Prefer: "example=stream_text" } });
    expect(stream.response.url).toContain("alt=sse");
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(3);
    const text = chunks.map((c) => (c as { candidates: { content: { parts: { text: string }[] } }[] }).candidates[0]!.content.parts[0]!.text).join("");
    expect(text).toContain("opposite the sun");
    expect((chunks.at(-1) as { candidates: { finishReason: string }[] }).candidates[0]!.finishReason).toBe("STOP");
    for (const ex of okExamples("streamGenerateGeminiContent", "text/event-stream")) {
      const events = parseSse(ex.value as string);
      expect(events.every((e) => e.data !== "[DONE]" && e.event === undefined), ex.name).toBe(true);
    }
  });

  it("answers a blocked prompt with promptFeedback and no candidates, and the gateway-built answer with every count", async () => {
    const { data: blocked } = await testClient().POST("/v1beta/models/{model}:generateContent", { params: { path: model }, body: hello, headers: { Prefer: "example=blocked" } });
    expect(blocked.candidates).toBeUndefined();
    expect(blocked.promptFeedback?.blockReason).toBe("SAFETY");
    const { data: converted } = await testClient().POST("/v1beta/models/{model}:generateContent", { params: { path: model }, body: hello, headers: { Prefer: "example=converted" } });
    expect(converted.usageMetadata?.promptTokensDetails).toBeNull();
    expect(converted.candidates?.[0]?.safetyRatings).toEqual([]);
  });

  it("accepts the snake_case spellings new-api reads, and a single tool object instead of a list", async () => {
    const { response, data } = await testClient().POST("/v1beta/models/{model}:generateContent", {
      params: { path: model },
      body: {
        system_instruction: { parts: [{ text: "Answer briefly." }] },
        contents: [{ role: "user", parts: [{ inline_data: { mime_type: "image/png", data: "iVBORw0KGgo=" } }, { text: "What is this?" }] }],
        tools: { googleSearch: {} },
      },
    });
    expect(response.ok).toBe(true);
    expect(data.candidates?.[0]?.content?.parts?.some((p) => typeof p.text === "string" && p.text !== "")).toBe(true);
  });

  it("refuses a body without contents, naming it (new-api answers 400 \"contents is required\")", async () => {
    const err = await testClient()
      .POST("/v1beta/models/{model}:generateContent", { params: { path: model }, body: { generationConfig: { temperature: 0 } } as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain("contents");
  });

  it("embeds one text or a batch, one vector per request in order", async () => {
    const elk = testClient();
    const one = await elk.POST("/v1beta/models/{model}:embedContent", { params: { path: { model: "gemini-embedding-001" } }, body: { content: { parts: [{ text: "hi" }] } } });
    expect(one.data.embedding.values.length).toBeGreaterThan(0);
    const batch = await elk.POST("/v1beta/models/{model}:batchEmbedContents", {
      params: { path: { model: "gemini-embedding-001" } },
      body: { requests: [{ model: "models/gemini-embedding-001", content: { parts: [{ text: "a" }] } }, { content: { parts: [{ text: "b" }] } }] },
    });
    expect(batch.data.embeddings).toHaveLength(2);
  });

  it("lists models in Google's shape, as the gateway fills it (plain ids, null details, one page)", async () => {
    const { data } = await testClient().GET("/v1beta/models", { params: { query: { pageSize: 50 } } });
    expect(data.nextPageToken).toBeNull();
    expect(data.models.every((m) => !m.name.startsWith("models/") && m.displayName === m.name)).toBe(true);
  });

  it("does not invent the Gemini routes new-api does not serve natively (countTokens, predict, GET one model)", () => {
    const paths = Object.keys(bundle.paths).filter((p) => p.startsWith("/v1beta/"));
    expect(paths.sort()).toEqual([
      "/v1beta/models",
      "/v1beta/models/{model}:batchEmbedContents",
      "/v1beta/models/{model}:embedContent",
      "/v1beta/models/{model}:generateContent",
      "/v1beta/models/{model}:streamGenerateContent",
    ]);
  });
});
