/**
 * createElkClient: a client typed by the generated `paths`, in openapi-fetch's shape: options first, one
 * per-call function (internal/request.ts: URL, headers, body, middleware, the retrying transport, typed errors),
 * then one line per verb. No per-endpoint wrappers: call any operation by its path, e.g.
 * `elk.POST("/v1/embeddings", { body })`. Helpers exist only where the protocol needs them: `elk.stream()` for
 * SSE, `toFile` for uploads, `waitForTask` for tasks.
 */
import type { Middleware } from "openapi-fetch";
import { resolveOptions } from "./internal/options.js";
import { type CallInit, createRequester } from "./internal/request.js";
import type { ElkClient, ElkClientOptions } from "./types.js";

export { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from "./internal/options.js";

/**
 * Creates a typed ElkAPI client.
 * @throws TypeError when no key is given (option or `ELKAPI_API_KEY`), or an option breaks its rule.
 * Calls throw `ElkApiError` subclasses (see errors.ts) for non-2xx answers, errors inside 200s, timeouts,
 * aborts and connection failures, after the retries the policy allows (retry.ts).
 */
export function createElkClient(options: ElkClientOptions = {}): ElkClient {
  const o = resolveOptions(options);
  const request = createRequester(o);
  const verb = (method: string) => async (path: string, init?: CallInit) => {
    const { data, response } = await request(method, path, init);
    return { data, response };
  };
  const client = {
    GET: verb("GET"),
    POST: verb("POST"),
    PUT: verb("PUT"),
    DELETE: verb("DELETE"),
    PATCH: verb("PATCH"),
    // Loaded on first use, so bundlers split SSE parsing and accumulation out of pages that never stream.
    stream: async (operationId: string, init: CallInit) =>
      (await import("./internal/stream-open.js")).openStream(request, operationId, { baseUrl: o.baseUrl, ...init }, o.apiKey),
    use: (...m: Middleware[]) => {
      for (const x of m) {
        if (!x || typeof x !== "object" || !("onRequest" in x || "onResponse" in x || "onError" in x)) {
          throw new TypeError("use: middleware must be an object with onRequest(), onResponse() or onError()");
        }
        request.middleware.push(x);
      }
    },
    eject: (...m: Middleware[]) => {
      for (const x of m) {
        const i = request.middleware.indexOf(x);
        if (i !== -1) request.middleware.splice(i, 1);
      }
    },
    baseUrl: o.baseUrl,
  };
  return client as unknown as ElkClient;
}
