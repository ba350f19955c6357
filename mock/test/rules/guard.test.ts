import { afterEach, describe, expect, it } from "vitest";
import type { Bundle } from "../../../scripts/lib/spec.js";
import { MAX_BODY_BYTES, guard } from "../../rules/guard.js";
import { mockSpec } from "../../spec.js";
import { frontOnStub, postJson } from "../fixtures.js";

const error = (message: string) => ({ description: "e", content: { "application/json": { schema: { type: "object" }, example: { error: { message, type: "new_api_error", param: "", code: "" } } } } });
const spec = mockSpec({
  openapi: "3.1.0",
  info: { title: "guard", version: "1" },
  paths: {
    "/v1/chat": { post: { operationId: "chat", requestBody: { content: { "application/json": { schema: { type: "object" } } } }, responses: { "200": { description: "ok" } } } },
    "/v1/edit": {
      post: {
        operationId: "edit",
        requestBody: {
          content: {
            "multipart/form-data": {
              schema: { type: "object", properties: { prompt: { type: "string" }, image: { oneOf: [{ type: "string", format: "binary" }, { type: "array", maxItems: 2, items: { type: "string", format: "binary" } }] } } },
            },
          },
        },
        responses: { "200": { description: "ok" } },
      },
    },
  },
  components: { responses: { BadRequest: error("invalid request body"), PayloadTooLarge: error("request body too large") } },
} as unknown as Bundle);

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
afterEach(() => stub?.close());
const B = "b0undary";
const formPost = (baseUrl: string, body: string, boundary = B) =>
  fetch(`${baseUrl}/v1/edit`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body });
const part = (headers: string, content: string) => `--${B}\r\n${headers}\r\n\r\n${content}\r\n`;

describe("rule guard: what would crash Prism is turned away as the gateway does, the rest reaches Prism readable", () => {
  it("a part header without its colon: the gateway's 400, and nothing reaches Prism", async () => {
    stub = await frontOnStub([guard(spec, {})], undefined, spec);
    const res = await formPost(stub.baseUrl, part("Content-Disposition form-data name=prompt", "a cat") + `--${B}--\r\n`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string; message: string } }).error).toMatchObject({ type: "new_api_error", message: expect.stringContaining("multipart") });
    expect(stub.arrivals).toHaveLength(0);
  });

  it("a well-formed form with a filename Prism's parser chokes on reaches Prism re-encoded, bytes intact", async () => {
    stub = await frontOnStub([guard(spec, {})], undefined, spec);
    const bytes = "\u0000\u00ff;=\"/,";
    const body = part("Content-Disposition: form-data; name=\"prompt\"", "a cat") + part('Content-Disposition: form-data; name="image"; filename="a=b;c.png"\r\nContent-Type: image/png', bytes) + `--${B}--\r\n`;
    const res = await fetch(`${stub.baseUrl}/v1/edit`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${B}` }, body: Buffer.from(body, "latin1") });
    expect(res.status).toBe(200);
    const got = stub.last();
    const text = got.body.toString("latin1");
    expect(text).toContain('Content-Disposition: form-data; name="image"; filename="a_b_c.png"\r\nContent-Type: image/png\r\n\r\n' + bytes + "\r\n");
    expect(text).toContain('name="prompt"\r\n\r\na cat\r\n');
    expect(String(got.headers["content-type"])).toBe(`multipart/form-data; boundary=${B}`);
  });

  it("repeated parts over a field's maxItems: 400 naming the field; up to it they pass", async () => {
    stub = await frontOnStub([guard(spec, {})], undefined, spec);
    const img = part('Content-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png', "x");
    const over = await formPost(stub.baseUrl, img + img + img + `--${B}--\r\n`);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: { message: string } }).error.message).toContain("image: 3 parts, at most 2");
    expect((await formPost(stub.baseUrl, img + img + `--${B}--\r\n`)).status).toBe(200);
  });

  it("JSON that does not parse, or nests too deep: 400; a body over the limit: 413", async () => {
    stub = await frontOnStub([guard(spec, {})], undefined, spec);
    const bad = await fetch(`${stub.baseUrl}/v1/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"model": ' });
    expect(bad.status).toBe(400);
    expect((await postJson(stub.baseUrl, "/v1/chat", JSON.parse("[".repeat(600) + "]".repeat(600)) as unknown)).status).toBe(400);
    const big = await fetch(`${stub.baseUrl}/v1/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: `"${"a".repeat(MAX_BODY_BYTES)}"` });
    expect(big.status).toBe(413);
    expect(stub.arrivals).toHaveLength(0);
    expect((await postJson(stub.baseUrl, "/v1/chat", { model: "m" })).status).toBe(200);
  });

  it("off: the form reaches the upstream as sent", async () => {
    stub = await frontOnStub([], undefined, spec);
    const body = part("Content-Disposition form-data name=prompt", "a cat") + `--${B}--\r\n`;
    await formPost(stub.baseUrl, body);
    expect(stub.last().body.toString()).toBe(body);
  });
});
