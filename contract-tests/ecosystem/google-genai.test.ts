/**
 * The official `@google/genai` SDK against the mock, as ElkAPI's text guide configures it: the key as the SDK's
 * API key, the gateway's host as the base URL, the SDK's own `v1beta` API version (so it calls
 * `/v1beta/models/{model}:generateContent` and, with `?alt=sse`, `:streamGenerateContent`). Defaults otherwise;
 * each check reads what a user would use.
 */
import { GoogleGenAI } from "@google/genai";
import { describe, expect, it } from "vitest";
import { TEST_KEY, mockBaseUrl } from "../lib/calls.js";

const ai = () => new GoogleGenAI({ apiKey: TEST_KEY, httpOptions: { baseUrl: mockBaseUrl() } });
const model = "gemini-2.5-flash";

describe("@google/genai: models", () => {
  it("generateContent: the answer's text", async () => {
    const response = await ai().models.generateContent({ model, contents: "Say hello" });
    expect(response.text).toMatch(/\S/);
  });

  it("generateContentStream: text assembled from the streamed chunks", async () => {
    const stream = await ai().models.generateContentStream({ model, contents: "Say hello" });
    let text = "";
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.text ?? "";
    }
    expect(chunks).toBeGreaterThan(0);
    expect(text).toMatch(/\S/);
  });

  it("embedContent: one vector of non-zero numbers per content", async () => {
    const response = await ai().models.embedContent({ model: "gemini-embedding-001", contents: ["blue whale", "krill"] });
    const vectors = (response.embeddings ?? []).map((e) => e.values ?? []);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v.length).toBeGreaterThan(0);
      expect(v.some((x) => x !== 0)).toBe(true);
    }
  });

  it("list: the models the key can call", async () => {
    const names: string[] = [];
    for await (const m of await ai().models.list()) names.push(m.name ?? "");
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n !== "")).toBe(true);
  });
});
