/** Logging (src/internal/log.ts) and redaction (src/internal/secrets.ts) through the client, against a scripted server. */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { APIConnectionError, type ElkLogger, InternalServerError, createElkClient } from "../../src/index.js";
import { type FaultServer, json, startFaultServer } from "../../contract-tests/faults/fault-server.js";

const KEY = "sk-elk-runtime-abcdef0123456789";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

describe("logging and redaction", () => {
  function recorder() {
    const lines: { level: string; message: string; details?: Record<string, unknown> }[] = [];
    const logger: ElkLogger = {
      debug: (message, details) => lines.push({ level: "debug", message, details }),
      info: (message, details) => lines.push({ level: "info", message, details }),
      warn: (message, details) => lines.push({ level: "warn", message, details }),
      error: (message, details) => lines.push({ level: "error", message, details }),
    };
    return { lines, logger };
  }

  it("logs attempts, retries and the failure at their levels, never with the key", async () => {
    server.script((req, res) => {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `bad key ${req.headers.authorization}` } }));
    });
    const { lines, logger } = recorder();
    const elk = createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger, logLevel: "debug", sleep: async () => undefined });
    const err = await elk.GET("/v1/models").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(lines.filter((l) => l.level === "debug" && l.message.startsWith("→"))).toHaveLength(3);
    expect(lines.filter((l) => l.level === "info" && l.message.includes("retrying in"))).toHaveLength(2);
    const warn = lines.find((l) => l.level === "warn")!;
    expect(warn.message).toContain("InternalServerError 500 after 3 attempt(s)");
    expect(warn.message).toContain("[redacted]");
    for (const l of lines) expect(inspect(l, { depth: 10 })).not.toContain(KEY);
  });

  it("a logger alone logs from info up; logLevel off silences it", async () => {
    server.script(json(200, { object: "list", data: [] }));
    const a = recorder();
    await createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger: a.logger }).GET("/v1/models");
    expect(a.lines).toEqual([]);
    server.script(json(503, { error: { message: "x" } }), json(200, { object: "list", data: [] }));
    await createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger: a.logger, sleep: async () => undefined }).GET("/v1/models");
    expect(a.lines.map((l) => l.level)).toEqual(["info"]);
    const b = recorder();
    server.script(json(503, { error: { message: "x" } }), json(200, { object: "list", data: [] }));
    await createElkClient({ apiKey: KEY, baseUrl: server.baseUrl, logger: b.logger, logLevel: "off", sleep: async () => undefined }).GET("/v1/models");
    expect(b.lines).toEqual([]);
  });

  it("ELKAPI_LOG turns on the console logger, redacted", async () => {
    const saved = process.env.ELKAPI_LOG;
    process.env.ELKAPI_LOG = "debug";
    const spy = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    try {
      server.script(json(200, { object: "list", data: [] }));
      await createElkClient({ apiKey: KEY, baseUrl: `${server.baseUrl}/?key=${KEY}` }).GET("/v1/models");
      expect(spy).toHaveBeenCalled();
      const text = inspect(spy.mock.calls, { depth: 10 });
      expect(text).toContain("[elkapi] →");
      expect(text).not.toContain(KEY);
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.ELKAPI_LOG;
      else process.env.ELKAPI_LOG = saved;
    }
  });

  it("util.inspect of the client shows no key", async () => {
    const elk = createElkClient({ apiKey: KEY, baseUrl: server.baseUrl });
    expect(inspect(elk, { depth: 10, showHidden: true })).not.toContain(KEY);
  });

  it("rejects an unknown logLevel", () => {
    expect(() => createElkClient({ apiKey: KEY, logLevel: "loud" as never })).toThrow(/logLevel must be one of/);
    expect(() => createElkClient({ apiKey: KEY, maxRetries: -1 })).toThrow(/maxRetries must be an integer/);
    expect(() => createElkClient({ apiKey: KEY, idleTimeoutMs: 0 })).toThrow(/idleTimeoutMs must be a positive/);
  });

  it("redacts the key from a network error's cause chain too", async () => {
    const elk = createElkClient({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      maxRetries: 0,
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error(`proxy refused Bearer ${KEY}`), { code: "ECONNRESET" }) });
      },
    });
    const err = (await elk.GET("/v1/models").catch((e: unknown) => e)) as APIConnectionError;
    expect(err).toBeInstanceOf(APIConnectionError);
    for (const t of [err.message, err.stack ?? "", JSON.stringify(err), inspect(err, { depth: 10 })]) expect(t).not.toContain(KEY);
    expect(inspect(err, { depth: 10 })).toContain("proxy refused Bearer [redacted]");
  });
});
