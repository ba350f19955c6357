import type { Middleware } from "openapi-fetch";

/**
 * Adds `Authorization: Bearer <key>` to every request that does not already carry one.
 * (The gateway accepts Bearer on every route, `/v1/messages` included.)
 */
export function authMiddleware(apiKey: string): Middleware {
  return {
    onRequest({ request }) {
      if (!request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${apiKey}`);
      return request;
    },
  };
}
