/**
 * The official `@anthropic-ai/sdk` against the mock, on both documented bases (the bare host, as Anthropic SDKs
 * and Claude Code use it, and `/anthropic`, ElkAPI's current guide), as its README uses it:
 * `new Anthropic({ apiKey, baseURL })`, so it sends `x-api-key` and `anthropic-version` and no Authorization.
 */
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { TEST_KEY, mockBaseUrl } from "../lib/calls.js";

const request = { model: "claude-haiku-4-5", max_tokens: 256, messages: [{ role: "user" as const, content: "Say hello" }] };

for (const base of ["", "/anthropic"]) {
  const client = () => new Anthropic({ apiKey: TEST_KEY, baseURL: mockBaseUrl() + base });

  describe(`@anthropic-ai/sdk on base "${base || "/"}"`, () => {
    it("messages.create: the text of the answer", async () => {
      const message = await client().messages.create(request);
      const text = message.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
      expect(text).toMatch(/\S/);
    });

    it("messages.create with stream: true: text assembled from text deltas", async () => {
      const stream = await client().messages.create({ ...request, stream: true });
      let text = "";
      for await (const event of stream) if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
      expect(text).toMatch(/\S/);
    });

    it("messages.stream() helper: finalText() equals the text events", async () => {
      let deltas = "";
      const stream = client().messages.stream(request).on("text", (d) => (deltas += d));
      const text = await stream.finalText();
      expect(text).toMatch(/\S/);
      expect(deltas).toBe(text);
    });
  });
}

describe("@anthropic-ai/sdk: models on the bare host", () => {
  // This SDK sends its key as `Authorization: Bearer`, not `x-api-key`; the gateway answers Anthropic's list only
  // to x-api-key with anthropic-version (new-api router/relay-router.go), so the SDK gets the OpenAI list, whose
  // ids it still reads. The mock answers the same.
  it("models.list: the ids of the gateway's (OpenAI-format) list", async () => {
    const client = new Anthropic({ apiKey: TEST_KEY, baseURL: mockBaseUrl() });
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => /\S/.test(id))).toBe(true);
  });

  it("a client sending x-api-key with anthropic-version gets Anthropic's list", async () => {
    const res = await fetch(`${mockBaseUrl()}/v1/models`, { headers: { "x-api-key": TEST_KEY, "anthropic-version": "2023-06-01" } });
    const body = (await res.json()) as { data: { id: string; type: string }[]; has_more: boolean };
    expect(res.status).toBe(200);
    expect(body.data.length).toBeGreaterThan(0);
    for (const m of body.data) expect(m).toMatchObject({ id: expect.stringMatching(/\S/), type: "model" });
    expect(body.has_more).toBe(false);
  });
});
