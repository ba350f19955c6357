/**
 * `elk.stream(operationId, init)`: sends an SSE operation's request with its stream flag set where the
 * operation takes it (body field, or query parameter; generated/routes.ts `sseRoutes`) and `Accept:
 * text/event-stream`, waits for the headers (retries and timeouts apply up to then), and wraps the body in an
 * ElkStream that yields typed events.
 */
import { sseRoutes } from "../../generated/sse-routes.js";
import { ElkStream } from "../streaming.js";
import { requestIdFrom } from "./request-id.js";
import type { CallInit, Requester } from "./request.js";
import { isPlainObject } from "./values.js";

/** The init with the stream flag set and `Accept: text/event-stream` (replacing any Accept the caller gave). */
export function streamRequestInit(operationId: string, init: CallInit): { method: string; path: string; init: CallInit; rule: (typeof sseRoutes)[string][2] } {
  const route = sseRoutes[operationId];
  if (!route) throw new TypeError(`elk.stream: ${String(operationId)} has no SSE answer with x-elkapi-sse in the spec`);
  const [method, path, rule, flag] = route;
  const body = flag?.in === "body" && isPlainObject(init.body) ? { ...init.body, [flag.name]: flag.value } : init.body;
  const params = flag?.in === "query" ? { ...init.params, query: { ...init.params?.query, [flag.name]: flag.value } } : init.params;
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  headers.set("accept", "text/event-stream");
  return { method, path, rule, init: { ...init, ...(params ? { params } : {}), ...(body !== undefined ? { body } : {}), headers, parseAs: "stream" } };
}

/**
 * Opens the stream.
 * @throws the typed HTTP errors as any call; InvalidResponseError when the answer is not `text/event-stream`;
 *   TypeError when the operation has no SSE answer.
 */
export async function openStream(request: Requester, operationId: string, init: CallInit, secret: string): Promise<ElkStream<unknown, unknown>> {
  const controller = new AbortController();
  const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
  const { method, path, rule, init: streamInit } = streamRequestInit(operationId, { ...init, signal });
  const { data, response, attempts } = await request(method, path, streamInit);
  const url = response.url || `${init.baseUrl ?? ""}${path}`;
  const contentType = (response.headers.get("content-type") ?? "").toLowerCase();
  const body = data as ReadableStream<Uint8Array> | null;
  if (!contentType.includes("text/event-stream")) {
    const rawBody = body ? await new Response(body).text().catch(() => "") : "";
    const common = { message: "", status: response.status, operationId, method, url, requestId: requestIdFrom(response.headers, undefined), attempts, secret };
    throw (await import("./stream-errors.js")).notEventStream(common, contentType, rawBody, `${method} ${path}`);
  }
  const streamed = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(streamed, "url", { value: response.url });
  return new ElkStream({ response: streamed, operationId, rule, controller, method, url, attempts, secret });
}
