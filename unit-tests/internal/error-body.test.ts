/** Error bodies (src/internal/error-body.ts): every shape the gateway uses becomes the same typed error fields. */
import { describe, expect, it } from "vitest";
import { violationsFromHeader } from "../../src/internal/error-body.js";
import {
  AuthenticationError,
  BadRequestError,
  ElkApiError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  createElkClient,
} from "../../src/index.js";

const KEY = "sk-elk-runtime-abcdef0123456789";

describe("error bodies: every shape the gateway uses becomes the same typed fields", () => {
  const cases: { name: string; status: number; body: unknown; cls: typeof ElkApiError; want: Partial<Record<"code" | "type" | "param" | "requestId", unknown>>; message: string }[] = [
    { name: "A, OpenAI envelope", status: 403, body: { error: { message: "user quota is not enough (request id: 2025061109301548)", type: "new_api_error", param: "", code: "insufficient_user_quota" } }, cls: PermissionDeniedError, want: { code: "insufficient_user_quota", type: "new_api_error", requestId: "2025061109301548" }, message: "user quota is not enough" },
    { name: "B, Anthropic envelope", status: 429, body: { type: "error", error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" }, request_id: "req_011" }, cls: RateLimitError, want: { type: "rate_limit_error", requestId: "req_011" }, message: "exceeded your rate limit" },
    { name: "C, /mj", status: 400, body: { description: "task_no_found ", type: "upstream_error", code: 4 }, cls: BadRequestError, want: { code: 4, type: "upstream_error" }, message: "400 task_no_found (" },
    { name: "D, task routes", status: 400, body: { code: "task_not_exist", message: "task_not_exist", data: null }, cls: BadRequestError, want: { code: "task_not_exist" }, message: "task_not_exist" },
    { name: "D, Suno error", status: 500, body: { code: "error", message: "upstream refused the prompt" }, cls: InternalServerError, want: { code: "error" }, message: "upstream refused the prompt" },
    { name: "MiniMax base_resp", status: 400, body: { task_id: "", base_resp: { status_code: 1008, status_msg: "insufficient balance" } }, cls: BadRequestError, want: { code: 1008 }, message: "insufficient balance" },
    { name: "Kling service code", status: 401, body: { code: 1002, message: "Authorization is invalid", request_id: "kling-req-9" }, cls: AuthenticationError, want: { code: 1002, requestId: "kling-req-9" }, message: "Authorization is invalid" },
    { name: "Tencent Hunyuan3D", status: 400, body: { Response: { Error: { Code: "ResourceInsufficient", Message: "service not enabled" }, RequestId: "6f1d2c3b" } }, cls: BadRequestError, want: { code: "ResourceInsufficient", requestId: "6f1d2c3b" }, message: "service not enabled" },
    { name: "BFL / FastAPI detail list", status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "field required", type: "value_error.missing" }] }, cls: UnprocessableEntityError, want: {}, message: "body.prompt: field required" },
    { name: "Replicate problem", status: 404, body: { title: "Not found", detail: "The requested resource could not be found.", status: 404 }, cls: NotFoundError, want: {}, message: "Not found: The requested resource" },
    { name: "success: false", status: 400, body: { success: false, message: "invalid token" }, cls: BadRequestError, want: {}, message: "invalid token" },
    { name: "plain text", status: 500, body: "upstream error: EOF", cls: InternalServerError, want: {}, message: "upstream error: EOF" },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const elk = createElkClient({
        apiKey: KEY,
        maxRetries: 0,
        fetch: async () =>
          typeof c.body === "string" ? new Response(c.body, { status: c.status, headers: { "content-type": "text/plain" } }) : Response.json(c.body, { status: c.status }),
      });
      const err = (await elk.GET("/v1/models").catch((e: unknown) => e)) as ElkApiError;
      expect(err).toBeInstanceOf(c.cls);
      expect(err.status).toBe(c.status);
      expect(err.message).toContain(c.message);
      expect(err).toMatchObject(c.want);
      expect(err.body).toEqual(c.body);
    });
  }
});

describe("violationsFromHeader", () => {
  const entry = (field: string) => ({ location: ["request", "body", field], severity: "Error", code: "required", message: `Request body must have required property '${field}'` });
  it("reads Prism's list, and keeps the whole entries of a list Prism cut at about 8 KB (after 'Too many violations! ')", () => {
    const full = JSON.stringify([entry("model"), entry("messages"), entry("file")]);
    expect(violationsFromHeader(full).map((v) => v.location)).toEqual([["body", "model"], ["body", "messages"], ["body", "file"]]);
    const cut = `Too many violations! ${full.slice(0, full.length - 30)}`;
    expect(violationsFromHeader(cut).map((v) => v.location)).toEqual([["body", "model"], ["body", "messages"]]);
    expect(violationsFromHeader('{"not": "a list"')).toEqual([]);
  });
});
