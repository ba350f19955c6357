/** Minimal typed view of a bundled OpenAPI 3.1 document, as the pipeline reads it. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface MediaTypeObject {
  schema?: Json;
  example?: Json;
  examples?: Record<string, { $ref?: string; value?: Json; summary?: string }>;
  [ext: `x-${string}`]: Json | undefined;
}

export interface OperationObject {
  operationId: string;
  tags?: string[];
  summary?: string;
  deprecated?: boolean;
  externalDocs?: { url: string };
  parameters?: ({ $ref?: string; name?: string; in?: string; required?: boolean; example?: Json; schema?: Json })[];
  requestBody?: { $ref?: string; required?: boolean; content?: Record<string, MediaTypeObject> };
  responses: Record<string, { $ref?: string; content?: Record<string, MediaTypeObject> }>;
  callbacks?: Json;
  [ext: `x-${string}`]: Json | undefined;
}

export interface Bundle {
  openapi: string;
  paths: Record<string, Record<string, OperationObject | Json>>;
  components?: Record<string, Record<string, Json>>;
  [k: string]: unknown;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of the bundle with where it lives. */
export interface OperationEntry {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  op: OperationObject;
}

/** Every operation under `paths` (callbacks excluded), in document order. */
export function operationsOf(bundle: Bundle): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [p, item] of Object.entries(bundle.paths)) {
    for (const m of HTTP_METHODS) {
      const op = item[m] as OperationObject | undefined;
      if (op) out.push({ method: m, path: p, op });
    }
  }
  return out;
}

/** Follows a local `#/...` $ref inside the bundle (one or more hops). */
export function deref<T>(bundle: Bundle, node: T): T {
  let cur: unknown = node;
  for (let i = 0; i < 20 && cur && typeof cur === "object" && "$ref" in cur; i++) {
    const ref = (cur as { $ref: string }).$ref;
    if (!ref.startsWith("#/")) throw new Error(`external $ref left in bundle: ${ref}`);
    cur = ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], bundle);
  }
  return cur as T;
}
