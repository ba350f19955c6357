/** createElkClient's own behaviour: options, auth, error normalisation, redaction, timeouts and aborts. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../mock/prism.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
  createElkClient,
} from "../src/index.js";

const KEY = "sk-elk-secret-abcdef123456";

/** A client whose fetch answers with `respond` and records the requests it saw. */
function stubbed(respond: (req: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const elk = createElkClient({
    apiKey: KEY,
    baseUrl: "https://api.elkapi.com",
    sleep: async () => undefined,
    fetch: async (url, init) => {
      const req = new Request(url, init);
      seen.push(req);
      return respond(req);
    },
  });
  return { elk, seen };
}

const embed = { model: "text-embedding-3-small", input: "hi" };

describe("createElkClient options", () => {
  const saved = process.env.ELKAPI_API_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.ELKAPI_API_KEY;
    else process.env.ELKAPI_API_KEY = saved;
  });

  it("refuses to start without a key, naming the option and the environment variable", () => {
    delete process.env.ELKAPI_API_KEY;
    expect(() => createElkClient()).toThrow(/apiKey.*ELKAPI_API_KEY/);
    expect(() => createElkClient({ apiKey: "  " })).toThrow(TypeError);
  });

  it("takes the key from ELKAPI_API_KEY", async () => {
    process.env.ELKAPI_API_KEY = "sk-from-env-0001";
    const seen: Request[] = [];
    const elk = createElkClient({ fetch: async (url, init) => (seen.push(new Request(url, init)), Response.json({ object: "list", data: [] })) });
    await elk.GET("/v1/models");
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer sk-from-env-0001");
  });

  it("rejects a bad baseUrl or timeoutMs with the option and rule in the message", () => {
    expect(() => createElkClient({ apiKey: KEY, baseUrl: "api.elkapi.com" })).toThrow(/baseUrl must be an absolute http\(s\) URL/);
    expect(() => createElkClient({ apiKey: KEY, baseUrl: "ftp://x.org" })).toThrow(/baseUrl must use http or https/);
    expect(() => createElkClient({ apiKey: KEY, timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
  });

  it("sends the Bearer key, the extra headers and JSON to the base URL", async () => {
    const seen: Request[] = [];
    const elk = createElkClient({
      apiKey: KEY,
      baseUrl: "https://gw.example.org/",
      headers: { "anthropic-version": "2023-06-01" },
      fetch: async (url, init) => (seen.push(new Request(url, init)), Response.json({ object: "list", data: [] })),
    });
    await elk.POST("/v1/embeddings", { body: embed });
    const req = seen[0]!;
    expect(req.url).toBe("https://gw.example.org/v1/embeddings");
    expect(req.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(req.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(await req.json()).toEqual(embed);
  });
});

describe("typed errors", () => {
  it("keeps status, code, type, param, request id and body of an OpenAI-style error", async () => {
    const { elk } = stubbed(() =>
      Response.json(
        { error: { message: "user quota is not enough (request id: 20250611093015482913004Qm7TzK2a)", type: "new_api_error", param: "", code: "insufficient_user_quota" } },
        { status: 403 },
      ),
    );
    const err = (await elk.POST("/v1/embeddings", { body: embed }).catch((e: unknown) => e)) as PermissionDeniedError;
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err).toMatchObject({ status: 403, code: "insufficient_user_quota", type: "new_api_error", operationId: "createEmbedding" });
    expect(err.requestId).toBe("20250611093015482913004Qm7TzK2a");
    expect(err.body).toMatchObject({ error: { code: "insufficient_user_quota" } });
  });

  it("reads the Anthropic envelope and the request id header", async () => {
    const { elk } = stubbed(() =>
      Response.json({ type: "error", error: { type: "rate_limit_error", message: "slow down" } }, { status: 429, headers: { "x-oneapi-request-id": "req-42" } }),
    );
    const err = (await elk.POST("/v1/embeddings", { body: embed }).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ type: "rate_limit_error", requestId: "req-42" });
    expect(err.message).toContain("slow down");
  });

  it("turns an HTML 502 page into InternalServerError and keeps the raw text", async () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>";
    const { elk } = stubbed(() => new Response(html, { status: 502, headers: { "content-type": "text/html" } }));
    const err = (await elk.GET("/v1/models").catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.status).toBe(502);
    expect(err.message).toContain("502 Bad Gateway");
    expect(err.rawBody).toBe(html);
  });

  it("still gives a typed error for an empty error body", async () => {
    const { elk } = stubbed(() => new Response("", { status: 400 }));
    const err = await elk.POST("/v1/embeddings", { body: embed }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain("(empty body)");
  });

  it("never shows the key, even when the server echoes it", async () => {
    const { elk } = stubbed((req) =>
      Response.json({ error: { message: `Invalid token ${KEY}`, type: "new_api_error", code: KEY } }, { status: 400, headers: { "x-echo": req.headers.get("authorization") ?? "" } }),
    );
    const err = (await elk.POST("/v1/embeddings", { body: embed }).catch((e: unknown) => e)) as BadRequestError;
    expect(err).toBeInstanceOf(BadRequestError);
    for (const text of [err.message, err.stack ?? "", JSON.stringify(err), inspect(err, { depth: 10 }), err.rawBody ?? "", String(err.code)]) {
      expect(text).not.toContain(KEY);
    }
    expect(err.message).toContain("[redacted]");
  });
});

describe("transport", () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it("reports a refused connection as APIConnectionError", async () => {
    const port = await freePort();
    const elk = createElkClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const err = await elk.GET("/v1/models").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(String((err as Error).message)).not.toContain(KEY);
  });

  it("gives up after timeoutMs with APIConnectionTimeoutError", async () => {
    server = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const elk = createElkClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 150, maxRetries: 0 });
    const started = Date.now();
    const err = await elk.GET("/v1/models").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports the caller's abort as APIUserAbortError, not a timeout", async () => {
    server = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const elk = createElkClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 60_000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await elk.GET("/v1/models", { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
  });
});
