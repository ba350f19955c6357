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
