/**
 * Hostile input to the mock, over raw HTTP (no client would send these): broken JSON, malformed and enormous
 * multipart bodies, wrong content types, huge headers, slow senders, a connection closed mid-body, unknown paths
 * and methods, CORS preflights. Each gets a 4xx (or a clean close where HTTP has no answer to give), and the mock
 * answers a normal request right after. The suite runs its own mock, so a crash here cannot take the run's
 * shared mock down with it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_KEY } from "../lib/calls.js";
import { type MockUnderTest, startMockUnderTest } from "./mock-under-test.js";
import { type RawAnswer, type SendPlan, rawExchange, request } from "./raw-http.js";

let mock: MockUnderTest;
beforeAll(async () => {
  mock = await startMockUnderTest();
}, 90_000);
afterAll(async () => {
  await mock?.stop();
});

const auth = { Authorization: `Bearer ${TEST_KEY}` };
const CHAT = "/v1/chat/completions";
const EDITS = "/v1/images/edits"; // a multipart operation
const json = (body: string, headers: Record<string, string | number> = {}) =>
  request("POST", CHAT, { ...auth, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), ...headers }, body);
const form = (boundary: string, body: string | Buffer, extra: Record<string, string | number> = {}) =>
  request("POST", EDITS, { ...auth, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": Buffer.byteLength(body), ...extra }, body);
const part = (b: string, headerLines: string[], content: string) => `--${b}\r\n${headerLines.join("\r\n")}\r\n\r\n${content}\r\n`;
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex").toString("latin1");

/** A normal call the mock must still answer after each hostile one. */
async function expectHealthy(): Promise<void> {
  const res = await fetch(`${mock.baseUrl}${CHAT}`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] }),
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
  expect(body.choices?.[0]?.message?.content).toBeTruthy();
}

/** A 4xx whose body is the gateway's JSON error (any of its shapes carries a message). */
function expectClientError(a: RawAnswer, status?: number): void {
  expect(a.status, `no HTTP answer (closed: ${a.closed}, reset: ${a.reset}): ${a.body.slice(0, 200)}`).toBeDefined();
  if (status) expect(a.status).toBe(status);
  expect(a.status).toBeGreaterThanOrEqual(400);
  expect(a.status).toBeLessThan(500);
}

interface Case {
  name: string;
  plan: () => SendPlan;
  /**
   * `4xx`: an HTTP error answer (optionally this status); `close`: a 4xx or the connection closed, no 5xx;
   * `answer`: any answer below 500 (input the gateway also reads).
   */
  expect: { kind: "4xx"; status?: number; json?: boolean } | { kind: "close" } | { kind: "answer" };
}

const b = "elkFuzzBoundary7MA4YWxk";
const cases: Case[] = [
  { name: "truncated JSON", plan: () => ({ pieces: [json('{"model":"gpt-4o-mini","messages":[{"role":"user","con')] }), expect: { kind: "4xx", status: 400, json: true } },
  { name: "invalid JSON (unquoted keys)", plan: () => ({ pieces: [json("{model: gpt-4o-mini, messages: []}")] }), expect: { kind: "4xx", status: 400, json: true } },
  { name: "JSON that is not an object", plan: () => ({ pieces: [json('"just a string"')] }), expect: { kind: "4xx", status: 400, json: true } },
  { name: "JSON nested 100 000 levels deep", plan: () => ({ pieces: [json("[".repeat(100_000) + "]".repeat(100_000))] }), expect: { kind: "4xx", json: true } },
  {
    // Go's encoding/json (the gateway) and JSON.parse both read invalid UTF-8 as U+FFFD: an answer, not a crash.
    name: "invalid UTF-8 inside a JSON string",
    plan: () => {
      const body = Buffer.concat([Buffer.from('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')]);
      return { pieces: [request("POST", CHAT, { ...auth, "Content-Type": "application/json", "Content-Length": body.length }, body)] };
    },
    expect: { kind: "answer" },
  },
  {
    name: "multipart part header without its colon (Content-Disposition form-data name=prompt)",
    plan: () => ({ pieces: [form(b, part(b, ["Content-Disposition form-data name=prompt"], "a cat") + part(b, ['Content-Disposition: form-data; name="image"; filename="a.png"', "Content-Type: image/png"], PNG) + `--${b}--\r\n`)] }),
    expect: { kind: "4xx", status: 400, json: true },
  },
  {
    name: "multipart part with no Content-Disposition at all",
    plan: () => ({ pieces: [form(b, part(b, ["Content-Type: text/plain"], "a cat") + `--${b}--\r\n`)] }),
    expect: { kind: "4xx", status: 400, json: true },
  },
  {
    name: "multipart body that never closes its boundary",
    plan: () => ({ pieces: [form(b, part(b, ['Content-Disposition: form-data; name="prompt"'], "a cat"))] }),
    expect: { kind: "4xx", status: 400, json: true },
  },
  {
    name: "multipart content type without a boundary",
    plan: () => ({ pieces: [request("POST", EDITS, { ...auth, "Content-Type": "multipart/form-data", "Content-Length": 9 }, "prompt=hi")] }),
    expect: { kind: "4xx", json: true },
  },
  {
    name: "multipart body that is not multipart",
    plan: () => ({ pieces: [form(b, '{"prompt":"a cat"}')] }),
    expect: { kind: "4xx", status: 400, json: true },
  },
  {
    name: "multipart with a 40 MB file part",
    plan: () => {
      const big = Buffer.alloc(40 * 1024 * 1024, 0x61);
      const head = Buffer.from(part(b, ['Content-Disposition: form-data; name="prompt"'], "a cat") + `--${b}\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`, "latin1");
      const body = Buffer.concat([head, big, Buffer.from(`\r\n--${b}--\r\n`, "latin1")]);
      return { pieces: [form(b, body)] };
    },
    expect: { kind: "4xx", status: 413, json: true },
  },
  {
    name: "multipart with 20 000 parts",
    plan: () => ({ pieces: [form(b, Array.from({ length: 20_000 }, (_, i) => part(b, [`Content-Disposition: form-data; name="f${i}"`], "x")).join("") + `--${b}--\r\n`)] }),
    expect: { kind: "4xx", json: true },
  },
  { name: "JSON sent as text/plain", plan: () => ({ pieces: [json('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}', { "Content-Type": "text/plain" })] }), expect: { kind: "4xx", json: true } },
  { name: "JSON sent as application/xml", plan: () => ({ pieces: [json("<chat><model>gpt</model></chat>", { "Content-Type": "application/xml" })] }), expect: { kind: "4xx", json: true } },
  {
    name: "JSON to a multipart-only operation",
    plan: () => ({ pieces: [request("POST", EDITS, { ...auth, "Content-Type": "application/json", "Content-Length": 17 }, '{"prompt":"a cat"}'.slice(0, 17))] }),
    expect: { kind: "4xx", json: true },
  },
  { name: "a 64 KB header", plan: () => ({ pieces: [request("GET", "/v1/models", { ...auth, "X-Huge": "a".repeat(64 * 1024) })] }), expect: { kind: "4xx", status: 431 } },
  { name: "a 64 KB URL", plan: () => ({ pieces: [request("GET", `/v1/models?q=${"a".repeat(64 * 1024)}`, auth)] }), expect: { kind: "4xx" } },
  // 2000 short headers fit in the size limits of Node (16 KB) and of the gateway's Go server (1 MB): an answer.
  { name: "2000 headers", plan: () => ({ pieces: [request("GET", "/v1/models", { ...auth, ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`X-H${i}`, "v"])) })] }), expect: { kind: "answer" } },
  {
    name: "Content-Length and Transfer-Encoding together",
    plan: () => ({ pieces: [request("POST", CHAT, { ...auth, "Content-Type": "application/json", "Content-Length": 4, "Transfer-Encoding": "chunked" }, "0\r\n\r\n")] }),
    expect: { kind: "4xx", status: 400 },
  },
  {
    name: "a chunked body with a bad chunk size",
    plan: () => ({ pieces: [request("POST", CHAT, { ...auth, "Content-Type": "application/json", "Transfer-Encoding": "chunked" }, "zz\r\n{}\r\n0\r\n\r\n")] }),
    expect: { kind: "4xx", status: 400 },
  },
  {
    name: "a body promised longer than sent, then the connection closed mid-body",
    plan: () => ({ pieces: [request("POST", CHAT, { ...auth, "Content-Type": "application/json", "Content-Length": 10_000 }, '{"model":"gpt-4o-mini","mess')], abortAfterWrite: true }),
    expect: { kind: "close" },
  },
  {
    name: "a multipart upload closed mid-file",
    plan: () => ({ pieces: [request("POST", EDITS, { ...auth, "Content-Type": `multipart/form-data; boundary=${b}`, "Content-Length": 1_000_000 }, part(b, ['Content-Disposition: form-data; name="image"; filename="a.png"', "Content-Type: image/png"], PNG).slice(0, 120))], abortAfterWrite: true }),
    expect: { kind: "close" },
  },
  { name: "an unknown path", plan: () => ({ pieces: [request("GET", "/v1/no-such-endpoint", auth)] }), expect: { kind: "4xx", status: 404, json: true } },
  { name: "an unknown method on a known path", plan: () => ({ pieces: [request("PATCH", CHAT, { ...auth, "Content-Length": 0 })] }), expect: { kind: "4xx", json: true } },
  { name: "a method HTTP does not define", plan: () => ({ pieces: [request("BREW", CHAT, { ...auth, "Content-Length": 0 })] }), expect: { kind: "4xx" } },
  { name: "a path with an encoded NUL and traversal", plan: () => ({ pieces: [request("GET", "/v1/models/%00/..%2F..%2Fetc%2Fpasswd", auth)] }), expect: { kind: "4xx" } },
  { name: "a request line that is not HTTP", plan: () => ({ pieces: ["HELLO THERE\r\n\r\n"] }), expect: { kind: "close" } },
];

describe("hostile input: each gets a 4xx or a clean close, and the mock answers a normal request right after", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const a = await rawExchange(mock.baseUrl, c.plan());
      expect(a.status ?? 0, `answered 5xx: ${a.body.slice(0, 300)}`).toBeLessThan(500);
      if (c.expect.kind === "4xx") {
        expectClientError(a, c.expect.status);
        if (c.expect.json) expect(() => JSON.parse(a.body), `not a JSON error body: ${a.body.slice(0, 200)}`).not.toThrow();
      } else if (c.expect.kind === "answer") {
        expect(a.status, "no HTTP answer").toBeDefined();
      } else {
        expect(a.closed || a.status !== undefined, "the connection hung").toBe(true);
      }
      await expectHealthy();
      expect(mock.restarts(), "the server process had to be restarted").toBe(0);
    }, 60_000);
  }

  it("a slow sender (the body dripped over 3 s) is answered normally, and other calls are served meanwhile", async () => {
    const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] });
    const bytes = json(body);
    const pieces = Array.from({ length: 30 }, (_, i) => bytes.subarray(Math.floor((i * bytes.length) / 30), Math.floor(((i + 1) * bytes.length) / 30)));
    const slow = rawExchange(mock.baseUrl, { pieces, gapMs: 100 });
    const t0 = Date.now();
    await expectHealthy();
    expect(Date.now() - t0, "a normal call waited for the slow one").toBeLessThan(2_500);
    const a = await slow;
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toMatchObject({ object: "chat.completion" });
  }, 60_000);

  it("when the server process dies anyway, the mock reports it and restarts it on the same port within seconds", async () => {
    const before = mock.restarts();
    const pid = mock.serverPid();
    expect(pid).toBeTruthy();
    process.kill(pid!, "SIGKILL"); // this suite's own child process
    const t0 = Date.now();
    let healthy = false;
    while (!healthy && Date.now() - t0 < 45_000) {
      await new Promise((r) => setTimeout(r, 250));
      healthy = await expectHealthy().then(
        () => true,
        () => false,
      );
    }
    expect(healthy, "the mock did not answer again within 45 s").toBe(true);
    expect(mock.restarts()).toBe(before + 1);
    expect(mock.events.some((e) => e.includes("server-exited"))).toBe(true);
    expect(mock.events.some((e) => e.includes("server-restarted"))).toBe(true);
    console.log(`hostile: the mock back after ${Date.now() - t0} ms (${mock.events.filter((e) => e.includes("restarted")).at(-1)})`);
  }, 60_000);

  it("a CORS preflight is answered with the allowed origin, methods and headers", async () => {
    const a = await rawExchange(mock.baseUrl, {
      pieces: [request("OPTIONS", CHAT, { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" })],
    });
    expect(a.status).toBeGreaterThanOrEqual(200);
    expect(a.status).toBeLessThan(300);
    expect(a.headers["access-control-allow-origin"]).toMatch(/^(\*|http:\/\/localhost:5173)$/);
    expect((a.headers["access-control-allow-headers"] ?? "").toLowerCase()).toMatch(/\*|authorization/);
    await expectHealthy();
  });
});
