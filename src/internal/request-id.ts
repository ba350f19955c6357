/** The gateway's request id of an answer: every ElkStream reads it, so it sits apart from the failure-only error-body.ts. */

/** The request id from headers or from a message's ` (request id: ...)` suffix. */
export function requestIdFrom(headers: Headers | undefined, message: string | undefined): string | null {
  const h = headers?.get("x-oneapi-request-id") ?? headers?.get("x-request-id") ?? headers?.get("request-id");
  if (h) return h;
  const m = message?.match(/\(request id: ([^)\s]+)\)/);
  return m?.[1] ?? null;
}
