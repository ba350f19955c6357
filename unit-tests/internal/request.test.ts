/** createRequester (src/internal/request.ts): the per-call function alone, against a recording stub fetch. */
import { describe, expect, it } from "vitest";
import { resolveOptions } from "../../src/internal/options.js";
import { type CallInit, createRequester } from "../../src/internal/request.js";
import { AuthenticationError, ErrorInBodyError, InvalidResponseError } from "../../src/index.js";

const KEY = "sk-unit-request-0123456789";

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/** A requester whose fetch records each call and answers with `respond`. */
function stub(respond: () => Response = () => Response.json({ ok: true }), options: Parameters<typeof resolveOptions>[0] = {}) {
  const seen: Seen[] = [];
  const o = resolveOptions({
    apiKey: KEY,
    baseUrl: "https://gw.example.org",
    maxRetries: 0,
    ...options,
    fetch: async (url, init) => {
      seen.push({ url, method: String(init.method), headers: init.headers as Record<string, string>, body: init.body as never });
      return respond();
    },
  });
  return { request: createRequester(o), seen };
}

describe("createRequester: the request", () => {
  it("builds the URL with openapi-fetch's serializers: path parameters, form-exploded query arrays", async () => {
    const { request, seen } = stub();
    await request("GET", "/kling/v1/videos/text2video/{task_id}", { params: { path: { task_id: "a b" }, query: { ids: ["1", "2"], skip: undefined } } });
    expect(seen[0]!.url).toBe("https://gw.example.org/kling/v1/videos/text2video/a%20b?ids=1&ids=2");
  });

  it("merges client, call and header-parameter headers (later wins, null removes), sets the key unless given", async () => {
    const { request, seen } = stub(undefined, { headers: { "x-a": "client", "x-b": "client" } });
    await request("POST", "/v1/messages", { body: {}, headers: { "X-B": "call", "x-a": null }, params: { header: { "anthropic-version": "2023-06-01" } } });
    expect(seen[0]!.headers).toEqual({ "content-type": "application/json", "x-b": "call", "anthropic-version": "2023-06-01", authorization: `Bearer ${KEY}` });
    await request("GET", "/v1/models", { headers: { Authorization: "Bearer other" } });
    expect(seen[1]!.headers.authorization).toBe("Bearer other");
  });

  it("sends JSON text, a multipart-only operation's object as a form, and a JSON-or-form operation's object as JSON", async () => {
    const { request, seen } = stub();
    await request("POST", "/v1/embeddings", { body: { model: "m", input: "hi" } });
    expect(seen[0]!.body).toBe('{"model":"m","input":"hi"}');
    await request("POST", "/v1/audio/transcriptions", { body: { file: new Blob([new Uint8Array([1, 2])]), model: "whisper-1" } });
    expect(seen[1]!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const text = new TextDecoder().decode(seen[1]!.body as Uint8Array);
    expect(text).toContain('name="model"\r\n\r\nwhisper-1');
    expect(text).toMatch(/name="file"; filename="file\.\w+"/);
    await request("POST", "/v1/videos", { body: { model: "sora-2", prompt: "a boat" } });
    expect(seen[2]!.headers["content-type"]).toBe("application/json");
  });

  it("takes a per-call baseUrl (the /anthropic base) and a custom bodySerializer", async () => {
    const { request, seen } = stub();
    await request("POST", "/v1/messages", { baseUrl: "https://api.elkapi.com/anthropic/", body: { a: 1 }, bodySerializer: (b: unknown) => `<${JSON.stringify(b)}>` });
    expect(seen[0]!.url).toBe("https://api.elkapi.com/anthropic/v1/messages");
    expect(seen[0]!.body).toBe('<{"a":1}>');
  });

  it("refuses a bad per-call limit naming the verb and the option", async () => {
    const { request } = stub();
    await expect(request("GET", "/v1/models", { timeoutMs: -5 } as CallInit)).rejects.toThrow(/GET: timeoutMs must be a positive number/);
    await expect(request("GET", "/v1/models", { maxRetries: -1 } as CallInit)).rejects.toThrow(/GET: maxRetries must be an integer/);
  });
});

describe("createRequester: the answer", () => {
  it("parses JSON once, and gives text, bytes, a Blob or the stream as parseAs asks", async () => {
    const answer = () => new Response('{"n":1}', { headers: { "content-type": "application/json" } });
    const { request } = stub(answer);
    expect((await request("GET", "/v1/models")).data).toEqual({ n: 1 });
    expect((await request("GET", "/v1/models", { parseAs: "text" })).data).toBe('{"n":1}');
    expect(new Uint8Array((await request("GET", "/v1/models", { parseAs: "arrayBuffer" })).data as ArrayBuffer)).toEqual(new TextEncoder().encode('{"n":1}'));
    const blob = (await request("GET", "/v1/models", { parseAs: "blob" })).data as Blob;
    expect([blob.type, await blob.text()]).toEqual(["application/json", '{"n":1}']);
    const stream = (await request("GET", "/v1/models", { parseAs: "stream" })).data as ReadableStream;
    expect(await new Response(stream).text()).toBe('{"n":1}');
  });

  it("gives undefined data for 204 and an empty body, as openapi-fetch does", async () => {
    const { request } = stub(() => new Response(null, { status: 204 }));
    expect((await request("GET", "/v1/models")).data).toBeUndefined();
  });

  it("throws the typed error of a non-2xx answer, with the operationId looked up from the route", async () => {
    const { request } = stub(() => Response.json({ error: { message: "Invalid token", type: "new_api_error" } }, { status: 401 }));
    const err = await request("POST", "/v1/embeddings", { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, operationId: "createEmbedding", type: "new_api_error", attempts: 1 });
    expect((err as Error).message).toContain("Invalid token");
  });

  it("throws ErrorInBodyError for a 200 the spec marks as an error, InvalidResponseError for JSON that does not parse", async () => {
    const inBody = stub(() => Response.json({ success: false, message: "no models" }));
    expect(await inBody.request("GET", "/v1/models").catch((e: unknown) => e)).toBeInstanceOf(ErrorInBodyError);
    const broken = stub(() => new Response("{not json", { headers: { "content-type": "application/json" } }));
    const err = await broken.request("GET", "/v1/models").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as InvalidResponseError).rawBody).toBe("{not json");
  });
});

describe("createRequester: middleware", () => {
  it("runs onRequest hooks in order after the key is set, onResponse hooks in reverse, each once", async () => {
    const { request, seen } = stub(() => Response.json({ v: 1 }));
    const order: string[] = [];
    request.middleware.push(
      {
        onRequest: ({ request: r }) => {
          order.push(`a:req:${r.headers.get("authorization")?.slice(0, 9)}`);
          const next = new Request(r, { headers: new Headers(r.headers) });
          next.headers.set("x-mw", "a");
          return next;
        },
        onResponse: () => void order.push("a:res"),
      },
      { onRequest: () => void order.push("b:req"), onResponse: async ({ response }) => (order.push("b:res"), Response.json({ ...(await response.json()), b: true })) },
    );
    const { data } = await request("POST", "/v1/embeddings", { body: { input: "x" } });
    expect(order).toEqual(["a:req:Bearer sk", "b:req", "b:res", "a:res"]);
    expect(seen[0]!.headers["x-mw"]).toBe("a");
    expect(new TextDecoder().decode(seen[0]!.body as Uint8Array)).toBe('{"input":"x"}');
    expect(data).toEqual({ v: 1, b: true });
  });

  it("lets an onRequest hook answer instead of the network", async () => {
    const { request, seen } = stub();
    const { data } = await request("GET", "/v1/models", { middleware: [{ onRequest: () => Response.json({ cached: true }) }] });
    expect(data).toEqual({ cached: true });
    expect(seen).toHaveLength(0);
  });
});
