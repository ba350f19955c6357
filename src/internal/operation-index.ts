/**
 * What a call needs to know about its operation, by method and spec path (`POST`, `/v1/embeddings`). A
 * successful call reads only the small generated/routes.ts (multipart and errors-inside-200 operations); the
 * operationId and retry safety of every route (generated/route-ids.ts) load when a call fails, debug logging is
 * on, or a task helper calls by operationId.
 */
import type { ErrorIn200Rule } from "../../generated/operations.js";
import { callRoutes, errorRules } from "../../generated/routes.js";

/** What a successful call needs. */
export interface CallFacts {
  /** `METHOD /path` as the spec writes it (the key of the other route tables). */
  route: string;
  /** Takes multipart/form-data (its file fields are in generated/file-specs.ts). */
  multipart: boolean;
  /** Takes JSON as well as multipart: a body without a file goes as JSON. */
  jsonToo: boolean;
  errorIn200: readonly ErrorIn200Rule[] | null;
}

/** The facts for a method and schema path; defaults (JSON, no rules) for routes the table does not list. */
export function findOperation(method: string, schemaPath: string): CallFacts {
  const route = `${method.toUpperCase()} ${schemaPath}`;
  const row = callRoutes[route];
  return {
    route,
    multipart: ((row?.[0] ?? 0) & 1) !== 0,
    jsonToo: ((row?.[0] ?? 0) & 2) !== 0,
    errorIn200: row?.[1] !== undefined ? errorRules[row[1]]! : null,
  };
}
