import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startFront } from "../front.js";
import { freePort } from "../prism.js";
import { compileRoutes } from "../routes.js";
import type { Rule } from "../rule.js";
import { frontOnStub, postJson, stubSpec } from "./fixtures.js";

type Stub = Awaited<ReturnType<typeof frontOnStub>>;
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** A rule that logs its hooks into `log`; `answer` makes its request hook answer itself. */
const logging = (name: string, log: string[], answer?: boolean): Rule => ({
  name,
  onRequest: (ex) => {
    log.push(`request ${name} ${ex.route?.operation.id ?? "-"}`);
    if (answer) return { status: 299, headers: { "content-type": "text/plain" }, body: Buffer.from(name) };
  },
  onResponse: (ex) => {
    log.push(`response ${name} ${ex.response.status}`);
  },
});

describe("front", () => {
  it("runs request hooks in order and response hooks in reverse, around one upstream call", async () => {
    const log: string[] = [];
    stub = await frontOnStub([logging("a", log), logging("b", log), logging("c", log)]);
    const res = await postJson(stub.baseUrl, "/v1/chat", { hi: 1 });
    expect(res.status).toBe(200);
    expect(log).toEqual(["request a chat", "request b chat", "request c chat", "response c 200", "response b 200", "response a 200"]);
    expect(stub.arrivals).toHaveLength(1);
  });

  it("a request hook that answers skips the upstream and the rules after it", async () => {
    const log: string[] = [];
    stub = await frontOnStub([logging("a", log), logging("b", log, true), logging("c", log)]);
    const res = await postJson(stub.baseUrl, "/v1/chat", {});
    expect(res.status).toBe(299);
    expect(await res.text()).toBe("b");
    expect(log).toEqual(["request a chat", "request b chat", "response b 299", "response a 299"]);
    expect(stub.arrivals).toHaveLength(0);
  });

  it("forwards method, path, query, headers and the body byte for byte; answers status, headers and body", async () => {
    stub = await frontOnStub([], () => ({ status: 418, headers: { "x-answer": "yes", "sl-violations": "[]" }, body: "teapot" }));
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const res = await fetch(`${stub.baseUrl}/any/path?a=1&b=two`, { method: "PUT", headers: { "x-mine": "m", "content-type": "application/octet-stream" }, body: bytes });
    expect(res.status).toBe(418);
    expect(res.headers.get("x-answer")).toBe("yes");
    expect(res.headers.get("sl-violations")).toBe("[]");
    expect(await res.text()).toBe("teapot");
    const got = stub.last();
    expect(got.method).toBe("PUT");
    expect(got.url).toBe("/any/path?a=1&b=two");
    expect(got.headers["x-mine"]).toBe("m");
    expect(got.body.equals(bytes)).toBe(true);
  });

  it("answers 502 with a mock_error body when the upstream is down or a rule throws", async () => {
    const down = await startFront({ upstream: `http://127.0.0.1:${await freePort()}`, routes: compileRoutes(stubSpec), rules: [] });
    try {
      const res = await fetch(`${down.baseUrl}/v1/chat`);
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ error: { type: "mock_error" } });
    } finally {
      await down.close();
    }
    stub = await frontOnStub([{ name: "broken", onRequest: () => { throw new Error("boom"); } }]);
    const res = await fetch(`${stub.baseUrl}/v1/chat`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("boom");
  });

  it("tunnels a WebSocket upgrade to the upstream after the request hooks", async () => {
    const seen: string[] = [];
    const upstream = http.createServer();
    upstream.on("upgrade", (req, socket) => {
      seen.push(`${req.url} ${req.headers.upgrade}`);
      socket.end("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\r\n");
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", () => r()));
    const port = (upstream.address() as { port: number }).port;
    const front = await startFront({ upstream: `http://127.0.0.1:${port}`, routes: compileRoutes(stubSpec), rules: [{ name: "rewrite", onRequest: (ex) => void (ex.path = "/rewritten") }] });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${front.baseUrl}/ws?x=1`, { headers: { connection: "Upgrade", upgrade: "websocket" } });
        req.on("upgrade", (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(101);
      expect(seen).toEqual(["/rewritten?x=1 websocket"]);
    } finally {
      await front.close();
      upstream.close();
    }
  });
});
