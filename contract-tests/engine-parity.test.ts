/**
 * The mock runs Prism's engine in its own process (mock/engine.ts) instead of forwarding to `prism mock`. This
 * checks that, without the front's rules, the engine answers exactly as `prism mock` does on the same copy of the
 * spec: status, media type, body, `sl-violations` and CORS headers, over each path of Prism's server (valid and
 * refused bodies, security, `Prefer`, routing errors, preflights, unparseable JSON, forms, SSE, headers).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, freePort, startPrism } from "../mock/prism.js";
import { TEST_KEY, prismBaseUrl } from "./lib/calls.js";

let prism: MockServer;
beforeAll(async () => {
  prism = await startPrism({ port: await freePort() });
}, 90_000);
afterAll(() => prism?.stop());

const auth = { authorization: `Bearer ${TEST_KEY}` };
const json = { ...auth, "content-type": "application/json" };
const chat = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] });

function form(): FormData {
  const f = new FormData();
  f.set("model", "whisper-1");
  f.set("file", new Blob([new Uint8Array([82, 73, 70, 70, 0, 0, 0, 0])], { type: "audio/wav" }), "a.wav");
  return f;
}

// `status`: what `prism mock` answers, so each case is known to reach the branch it names.
const cases: { name: string; status: number; path: string; init: RequestInit }[] = [
  { name: "a valid JSON body", status: 200, path: "/v1/chat/completions", init: { method: "POST", headers: json, body: chat } },
  { name: "no API key", status: 401, path: "/v1/chat/completions", init: { method: "POST", headers: { "content-type": "application/json" }, body: chat } },
  { name: "a body the schema refuses", status: 400, path: "/v1/chat/completions", init: { method: "POST", headers: json, body: "{}" } },
  { name: "JSON that does not parse", status: 400, path: "/v1/chat/completions", init: { method: "POST", headers: json, body: '{"model":' } },
  { name: "Prefer: code=429", status: 429, path: "/v1/chat/completions", init: { method: "POST", headers: { ...json, prefer: "code=429" }, body: chat } },
  { name: "Prefer: example=tool_calls", status: 200, path: "/v1/chat/completions", init: { method: "POST", headers: { ...json, prefer: "example=tool_calls" }, body: chat } },
  { name: "Prefer with a status that is not one", status: 422, path: "/v1/chat/completions", init: { method: "POST", headers: { ...json, prefer: "code=abc" }, body: chat } },
  {
    name: "an SSE answer asked for by Accept",
    status: 200,
    path: "/v1/chat/completions",
    init: { method: "POST", headers: { ...json, accept: "text/event-stream" }, body: JSON.stringify({ ...JSON.parse(chat), stream: true }) },
  },
  { name: "a GET with a query", status: 200, path: "/v1/models?limit=2", init: { headers: auth } },
  { name: "a path parameter", status: 200, path: "/mj/task/1730000000000001/fetch", init: { headers: auth } },
  { name: "an unknown path", status: 404, path: "/v1/nothing-here", init: { headers: auth } },
  { name: "a method the path does not have", status: 405, path: "/v1/chat/completions", init: { method: "DELETE", headers: auth } },
  { name: "a required header missing", status: 400, path: "/v1/realtime?model=gpt-4o-realtime-preview", init: { headers: auth } },
  { name: "a multipart form", status: 200, path: "/v1/audio/transcriptions", init: { method: "POST", headers: auth, body: form() } },
  {
    name: "a CORS preflight",
    status: 204,
    path: "/v1/chat/completions",
    init: { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "authorization" } },
  },
  { name: "a request with an Origin", status: 200, path: "/v1/models", init: { headers: { ...auth, origin: "http://localhost:5173" } } },
];

/** What must match: status, the headers Prism sets, and the body. */
async function answer(base: string, c: (typeof cases)[number]) {
  const res = await fetch(base + c.path, { ...c.init, ...(c.init.body instanceof FormData ? { body: form() } : {}) });
  const pick = (prefix: string) => Object.fromEntries([...res.headers].filter(([k]) => k.startsWith(prefix)));
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    violations: res.headers.get("sl-violations"),
    cors: pick("access-control-"),
    body: await res.text(),
  };
}

describe("Prism's engine in the mock answers as `prism mock` does", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const [cli, engine] = [await answer(prism.baseUrl, c), await answer(prismBaseUrl(), c)];
      expect(cli.status).toBe(c.status);
      expect(engine).toEqual(cli);
    });
  }
});
