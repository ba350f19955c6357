/**
 * The operationId and retry safety of every route (generated/route-ids.ts). Imported only by failures.ts, which
 * loads lazily (on a failure, or with debug logging), so a page whose calls succeed does not carry the table.
 */
import { routeIds } from "../../generated/route-ids.js";

/** The spec operationId of `METHOD /path`, or null for a route the spec lacks. */
export function operationIdOf(route: string): string | null {
  return routeIds[route]?.[0] ?? null;
}

/** Whether `METHOD /path` is safe to send again after the server may have acted (GET, or x-elkapi-idempotent). */
export function idempotentOf(route: string): boolean {
  const row = routeIds[route];
  return row ? row[1] === 1 : route.startsWith("GET ") || route.startsWith("HEAD ");
}
