/**
 * Running openapi-fetch middleware around a call (loaded only when a client or call has middleware): a Request
 * for the onRequest hooks (in order; one may answer instead), the transport for the Request they leave, onError
 * hooks (in reverse) when it throws, and onResponse hooks (in reverse) over a Response of the answer read.
 */
import { type Middleware, type ParseAs, defaultPathSerializer } from "openapi-fetch";
import type { ResolvedOptions } from "./options.js";
import type { CallInit } from "./request.js";
import { type Answer, type CallContext, type Outgoing, send } from "./transport.js";

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * The call with middleware: a Request for the onRequest hooks (in order; one may answer instead), the transport
 * for the Request they leave, and the onResponse hooks (in reverse) over a Response of the answer read.
 */
export async function withMiddleware(
  list: Middleware[],
  c: { ctx: CallContext; out: Outgoing; path: string; params: NonNullable<CallInit["params"]>; parseAs: ParseAs; query: unknown; o: ResolvedOptions },
): Promise<Answer> {
  const id = Math.random().toString(36).slice(2, 11);
  const options = Object.freeze({ baseUrl: c.o.baseUrl, parseAs: c.parseAs, querySerializer: c.query, bodySerializer: (b: unknown) => b, pathSerializer: defaultPathSerializer, fetch: c.ctx.fetch });
  const base = { schemaPath: c.path, params: c.params, id, options } as unknown as Parameters<NonNullable<Middleware["onRequest"]>>[0];
  let request = new Request(c.out.url, { method: c.out.method, headers: c.out.headers, body: c.out.body ?? null, ...(c.out.signal ? { signal: c.out.signal } : {}) });
  let answer: Answer | undefined;
  for (const m of list) {
    const result = await m.onRequest?.({ ...base, request });
    if (result instanceof Request) request = result;
    else if (result instanceof Response) {
      answer = { response: result, text: await result.text(), attempts: 0 };
      break;
    } else if (result !== undefined) throw new Error("onRequest: must return new Request() or Response() when modifying the request");
  }
  if (!answer) {
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    try {
      answer = await send(c.ctx, { url: request.url, method: request.method, headers, body, signal: c.out.signal });
    } catch (error) {
      let failure: unknown = error;
      for (const m of [...list].reverse()) {
        const result = await m.onError?.({ ...base, request, error: failure });
        if (result instanceof Response) {
          answer = { response: result, text: await result.text(), attempts: 1 };
          break;
        }
        if (result instanceof Error) failure = result;
      }
      if (!answer) throw failure;
    }
  }
  for (const m of [...list].reverse()) {
    if (!m.onResponse) continue;
    const { response } = answer;
    const body = NULL_BODY_STATUS.has(response.status) ? null : (answer.stream ?? answer.bytes ?? answer.text ?? null);
    const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    const result = await m.onResponse({ ...base, request, response: copy });
    if (result === undefined) continue;
    if (!(result instanceof Response)) throw new Error("onResponse: must return new Response() when modifying the response");
    answer = c.ctx.read === "stream" && result.ok ? { response: result, stream: result.body, attempts: answer.attempts } : { response: result, text: await result.text(), attempts: answer.attempts };
  }
  return answer;
}
