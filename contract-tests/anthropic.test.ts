import { describe, expect, it } from "vitest";
import { BadRequestError, InternalServerError, RateLimitError, createElkClient } from "../src/index.js";
import { TEST_KEY, mockBaseUrl, testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation, operationForUrl, schemaErrors } from "./lib/spec.js";
import { parseSse } from "./lib/sse.js";

contractSuite("anthropic");

const version = { "anthropic-version": "2023-06-01" };
const hello = { model: "claude-sonnet-4-6", max_tokens: 64, messages: [{ role: "user" as const, content: "Hello" }] };

function streamExamples() {
  const op = operation("createAnthropicMessage").op;
  return examplesOf(deref(bundle, op.responses["200"]!).content!["text/event-stream"]);
}

describe("anthropic: behaviour users rely on", () => {
  it("accepts the key as x-api-key or as Bearer, and refuses neither", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${mockBaseUrl()}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...version, ...headers },
        body: JSON.stringify(hello),
      });
    expect((await post({ "x-api-key": TEST_KEY })).status).toBe(200);
    expect((await post({ authorization: `Bearer ${TEST_KEY}` })).status).toBe(200);
    expect((await post({})).status).toBe(401);
  });

  it("requires anthropic-version and names it when missing", async () => {
    const elk = testClient();
    const { data } = await elk.POST("/v1/messages", { params: { header: version }, body: hello });
    expect(data.type).toBe("message");
    const err = await elk.POST("/v1/messages", { params: { header: {} } as never, body: hello }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain("anthropic-version");
  });

  it("rejects a role outside user/assistant and an unknown tool_choice type, naming the field", async () => {
    const elk = testClient();
    const badRole = await elk
      .POST("/v1/messages", { params: { header: version }, body: { ...hello, messages: [{ role: "system", content: "x" }] } as never })
      .catch((e: unknown) => e);
    expect(badRole).toBeInstanceOf(BadRequestError);
    expect((badRole as BadRequestError).validation.some((v) => v.location.join(".") === "body.messages.0.role")).toBe(true);
    expect((badRole as BadRequestError).message).toContain("role");
    const badChoice = await elk
      .POST("/v1/messages", { params: { header: version }, body: { ...hello, tool_choice: { type: "sometimes" } } as never })
      .catch((e: unknown) => e);
    expect(badChoice).toBeInstanceOf(BadRequestError);
    expect((badChoice as BadRequestError).message).toContain("tool_choice");
  });

  it("streams events whose event: line repeats the data type, and the blocks reassemble", async () => {
    const { data } = await testClient().POST("/v1/messages", {
      params: { header: version },
      body: { ...hello, stream: true },
      headers: { Accept: "text/event-stream", Prefer: "example=stream_thinking_tool_use" },
      parseAs: "text",
    });
    const events = parseSse(data as unknown as string).map((e) => ({ event: e.event, data: JSON.parse(e.data) as Record<string, any> }));
    for (const e of events) expect(e.event).toBe(e.data.type);
    const partial = events.filter((e) => e.data.delta?.type === "input_json_delta").map((e) => e.data.delta.partial_json as string);
    expect(JSON.parse(partial.join(""))).toEqual({ city: "Lisbon" });
    expect(events.at(-2)?.data).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });
    for (const ex of streamExamples()) {
      const names = parseSse(ex.value as string).map((e) => e.event);
      expect(names[0], ex.name).toBe("message_start");
      expect(["message_stop", "error"], ex.name).toContain(names.at(-1));
    }
  });

  it("reads Anthropic-envelope errors (429, 529) into typed errors with type and request id", async () => {
    const elk = testClient();
    const limited = await elk.POST("/v1/messages", { params: { header: version }, body: hello, headers: { Prefer: "code=429" } }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ status: 429, type: "rate_limit_error", operationId: "createAnthropicMessage" });
    expect((limited as RateLimitError).requestId).toBe("20250611093015482913004Qm7TzK2a");
    const overloaded = await elk.POST("/v1/messages", { params: { header: version }, body: hello, headers: { Prefer: "code=529" } }).catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(InternalServerError);
    expect(overloaded).toMatchObject({ status: 529, type: "overloaded_error" });
  });

  it("accepts both error envelopes where middleware or the handler may answer", () => {
    const openAiShaped = { error: { message: "您已达到请求数限制：1分钟内最多请求10次", type: "new_api_error" } };
    const anthropicShaped = { type: "error", error: { type: "rate_limit_error", message: "slow down" } };
    for (const status of ["400", "429", "500"]) {
      const ref = (operation("createAnthropicMessage").op.responses[status] as { $ref: string }).$ref;
      const pointer = `${ref.slice(1)}/content/application~1json/schema`;
      expect(schemaErrors(pointer, openAiShaped), status).toEqual([]);
      expect(schemaErrors(pointer, anthropicShaped), status).toEqual([]);
    }
  });

  it("serves both bases: the bare host and /anthropic (current text guide), chosen per call", async () => {
    const servers = (operation("createAnthropicMessage").op as { servers?: { url: string }[] }).servers?.map((s) => s.url);
    expect(servers).toEqual(["https://api.elkapi.com", "https://api.elkapi.com/anthropic"]);
    const seen: Request[] = [];
    const elk = createElkClient({
      apiKey: TEST_KEY,
      fetch: async (url, init) => (seen.push(new Request(url, init)), Response.json({ id: "msg_1", type: "message", role: "assistant", model: "m", content: [], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } })),
    });
    await elk.POST("/v1/messages", { params: { header: version }, body: hello });
    await elk.POST("/v1/messages", { baseUrl: "https://api.elkapi.com/anthropic", params: { header: version }, body: hello });
    expect(seen.map((r) => r.url)).toEqual(["https://api.elkapi.com/v1/messages", "https://api.elkapi.com/anthropic/v1/messages"]);
    expect(seen[1]!.headers.get("anthropic-version")).toBe("2023-06-01");
  });

  it("does not invent /v1/messages/count_tokens (stock new-api answers 404)", () => {
    expect(operationForUrl("POST", "/v1/messages/count_tokens")).toBeUndefined();
  });
});
