/**
 * What the mock's unit tests run on: a small spec whose operations each exercise one rule, and a stub upstream
 * (an HTTP server on 127.0.0.1 and a free port) that records what reaches it and answers as a test scripts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Bundle } from "../../scripts/lib/spec.js";
import { type Front, startFront } from "../front.js";
import { compileRoutes } from "../routes.js";
import type { Rule } from "../rule.js";
import { type MockSpec, mockSpec } from "../spec.js";

const ok = (content: Record<string, unknown>) => ({ "200": { description: "ok", content } });
const json = (examples: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  schema: { type: "object" },
  examples: Object.fromEntries(Object.entries(examples).map(([k, value]) => [k, { value }])),
  ...extra,
});
const sse = (extra: Record<string, unknown> = {}) => ({
  schema: { type: "string" },
  examples: { stream: { value: "data: {}\n\n" } },
  "x-elkapi-sse": { done: "[DONE]", ...extra },
});
const body = (properties: Record<string, unknown>, media = "application/json") => ({ content: { [media]: { schema: { type: "object", properties } } } });

/** The unit tests' spec: one operation per behaviour a rule reads from the spec. */
export const stubBundle = {
  openapi: "3.1.0",
  info: { title: "stub", version: "1" },
  servers: [{ url: "https://api.example.com" }],
  paths: {
    "/v1/chat": { post: { operationId: "chat", requestBody: body({ stream: { type: "boolean" } }), responses: ok({ "application/json": json({ plain: {} }), "text/event-stream": sse() }) } },
    "/v1/transcribe": {
      post: {
        operationId: "transcribe",
        requestBody: body({ stream: { type: "boolean" }, response_format: { type: "string" } }, "multipart/form-data"),
        responses: ok({
          "application/json": json({ json: { text: "hi" } }),
          "text/plain": { schema: { type: "string" }, examples: { srt: { value: "1" } }, "x-elkapi-mock": { select: [{ in: "body", name: "response_format", value: "srt", example: "srt" }] } },
          "text/event-stream": sse(),
        }),
      },
    },
    "/v1/speak": {
      post: {
        operationId: "speak",
        requestBody: body({ stream_format: { type: "string" }, response_format: { type: "string" } }),
        responses: ok({
          "audio/mpeg": { schema: { type: "string", format: "binary" }, examples: { mp3: { value: "//sYwA==" } }, "x-elkapi-mock": { select: [{ in: "body", name: "response_format", value: "mp3" }], bytes: "base64" } },
          "audio/wav": { schema: { type: "string", format: "binary" }, examples: { wav: { value: "UklGRg==" } }, "x-elkapi-mock": { select: [{ in: "body", name: "response_format", value: "wav" }], bytes: "base64" } },
          "text/event-stream": sse({ done: undefined, endEvents: ["done"], flag: { in: "body", name: "stream_format", value: "sse" } }),
        }),
      },
    },
    "/v1beta/models/{model}:streamGenerateContent": {
      post: {
        operationId: "generateStream",
        parameters: [{ name: "model", in: "path", required: true, schema: { type: "string" } }, { name: "alt", in: "query", schema: { type: "string" } }],
        requestBody: body({ contents: { type: "array" } }),
        responses: ok({ "application/json": json({ chunks: [] }), "text/event-stream": sse({ done: undefined, endEvents: ["x"], flag: { in: "query", name: "alt", value: "sse" } }) }),
      },
    },
    "/v1/embed": {
      post: {
        operationId: "embed",
        requestBody: body({ input: {}, encoding_format: { type: "string" } }),
        responses: ok({
          "application/json": json(
            { seed: { data: [{ index: 0, v: "seed" }] }, batch: { data: [{ index: 0, v: "a" }, { index: 1, v: "b" }] }, base64: { data: [{ index: 0, v: "QQ==" }] } },
            {
              "x-elkapi-mock": {
                default: "batch",
                select: [{ in: "body", name: "encoding_format", value: "base64", example: "base64" }],
                repeat: { at: "/data", per: { in: "body", name: "input" }, index: "/index" },
              },
            },
          ),
        }),
      },
    },
    "/mj/submit": {
      servers: [{ url: "https://api.example.com" }, { url: "https://api.example.com/{mode}", variables: { mode: { default: "fast", enum: ["fast", "relax"] } } }],
      post: {
        operationId: "submit",
        requestBody: body({ prompt: { type: "string" }, hook: { type: "string" } }),
        "x-elkapi-task": { poll: "getTask", taskId: ["/result"], param: "id" },
        // The vendor POSTs the task to `hook` at each state, signed.
        callbacks: {
          taskUpdate: {
            "{$request.body#/hook}": {
              post: {
                operationId: "taskCallback",
                "x-elkapi-callback": { taskId: ["/id"] },
                parameters: [{ name: "x-signature", in: "header", schema: { type: "string" }, example: "sig-1" }],
                requestBody: {
                  content: {
                    "application/json": {
                      schema: { $ref: "#/components/schemas/Task" },
                      examples: Object.fromEntries(["queued", "running", "done", "failed"].map((s) => [s, { value: { id: "t0", status: s } }])),
                    },
                  },
                },
                responses: { "200": { description: "ok" } },
              },
            },
          },
        },
        responses: ok({ "application/json": json({ done: { result: "t1" } }) }),
      },
    },
    "/mj/task/{id}": {
      servers: [{ url: "https://api.example.com" }, { url: "https://api.example.com/{mode}", variables: { mode: { default: "fast", enum: ["fast", "relax"] } } }],
      get: {
        operationId: "getTask",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        "x-elkapi-task-status": { status: ["/status"], pending: ["queued", "running"], succeeded: ["done"], failed: ["failed"] },
        responses: ok({ "application/json": json({ queued: { status: "queued" }, running: { status: "running" }, done: { status: "done" }, failed: { status: "failed" } }) }),
      },
    },
    "/mj/task/list": { get: { operationId: "listTasks", responses: ok({ "application/json": json({ list: [] }) }) } },
    "/v1/messages": {
      post: {
        operationId: "messages",
        servers: [{ url: "https://api.example.com" }, { url: "https://api.example.com/anthropic" }],
        requestBody: body({ stream: { type: "boolean" } }),
        responses: ok({ "application/json": json({ message: {} }) }),
      },
    },
    "/v1/models": {
      get: {
        operationId: "models",
        responses: ok({
          "application/json": json(
            { openai: { data: [] }, anthropic: { data: [], has_more: false } },
            { "x-elkapi-mock": { select: [{ in: "header", name: "anthropic-version", example: "anthropic", all: [{ in: "header", name: "x-api-key" }] }] } },
          ),
        }),
      },
    },
    "/dashboard/usage": { servers: [{ url: "https://api.example.com/v1" }, { url: "https://api.example.com" }], get: { operationId: "usage", responses: ok({ "application/json": json({ usage: {} }) }) } },
  },
  components: { schemas: { Task: { type: "object", required: ["id", "status"] } } },
} as unknown as Bundle;

export const stubSpec: MockSpec = mockSpec(stubBundle);

/** A request as it reached the stub upstream. */
export interface Arrival {
  method: string;
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** What the stub answers; by default 200 JSON echoing the request's `accept` and `prefer`. */
export type Script = (arrival: Arrival) => { status?: number; headers?: Record<string, string>; body?: string | Buffer };

const echo: Script = (a) => ({ body: JSON.stringify({ accept: a.headers.accept ?? null, prefer: a.headers.prefer ?? null }) });

/** A front with `rules` on `spec` before a stub upstream; `arrivals` lists what reached the upstream. */
export async function frontOnStub(rules: Rule[], script: Script = echo, spec: MockSpec = stubSpec) {
  const arrivals: Arrival[] = [];
  const upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const arrival = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      arrivals.push(arrival);
      const answer = script(arrival);
      res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", () => resolve()));
  const front: Front = await startFront({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, routes: compileRoutes(spec), rules });
  return {
    baseUrl: front.baseUrl,
    arrivals,
    /** The last request the upstream saw. */
    last: () => arrivals.at(-1)!,
    close: async () => {
      await front.close();
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    },
  };
}

/** POSTs JSON to the front. */
export function postJson(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(baseUrl + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
