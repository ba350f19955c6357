/**
 * The facts a call needs about its operation, found by method and spec path (`POST`, `/v1/embeddings`) in the
 * compact generated/routes.ts table (not the full `operations` table, which would weigh on every bundle).
 */
import type { ErrorIn200Rule } from "../../generated/operations.js";
import { type RouteFacts, routes } from "../../generated/routes.js";

/** What the client knows about one operation at call time. */
export interface CallFacts {
  operationId: string;
  /** Safe to send again after the server may have acted on it (GET, or x-elkapi-idempotent). */
  idempotent: boolean;
  /** Multipart file fields → [media type, ...its file extensions] the spec's `encoding` allows; null when none. */
  files: { readonly [field: string]: readonly (readonly string[])[] } | null;
  /** The operation also takes JSON: a body without a file goes as JSON, not multipart. */
  jsonToo: boolean;
  errorIn200: readonly ErrorIn200Rule[] | null;
}

const cache = new Map<string, CallFacts | null>();

/** The facts for a method and schema path (e.g. `POST`, `/v1/embeddings`), or null when the spec lacks it. */
export function findOperation(method: string, schemaPath: string): CallFacts | null {
  const key = `${method.toUpperCase()} ${schemaPath}`;
  let facts = cache.get(key);
  if (facts === undefined) {
    const row: RouteFacts | undefined = routes[key];
    facts = row ? { operationId: row[0], idempotent: (row[1] & 1) === 1, files: row[2] || null, jsonToo: (row[1] & 2) === 2, errorIn200: row[3] ?? null } : null;
    cache.set(key, facts);
  }
  return facts;
}

/** Method and spec path of an operation (for helpers that call by operationId), or undefined. */
export function routeOf(operationId: string): { method: string; path: string } | undefined {
  for (const [key, row] of Object.entries(routes)) {
    if (row[0] !== operationId) continue;
    const space = key.indexOf(" ");
    return { method: key.slice(0, space), path: key.slice(space + 1) };
  }
  return undefined;
}
