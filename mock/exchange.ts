/**
 * One request through the front, as rules see it: what the client sent (read-only), what goes upstream (rules
 * may edit the path, query and headers; the body is forwarded as received, except a form the guard rule writes
 * out again for Prism), the operation it reached, and the
 * upstream's answer (rules may edit status, headers and body).
 */
import Busboy from "busboy";
import type { Route } from "./routes.js";

/**
 * Where a request value lives: a top-level body field (JSON, urlencoded or multipart form), a query parameter, or
 * a header (as the client sent it).
 */
export interface RequestValue {
  in: "body" | "query" | "header";
  name: string;
}

/** An answer: from the upstream, or made by a rule. Header names are lower-case. */
export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** `Prefer` as Prism reads it: `code=429`, `example=failed`, or both (`code=200, example=failed`). */
export interface Prefer {
  code?: string;
  example?: string;
}

/** Parses a `Prefer` header into Prism's two preferences; other tokens are ignored. */
export function parsePrefer(header: string | undefined): Prefer {
  const out: Prefer = {};
  for (const token of (header ?? "").split(/[,;]/)) {
    const [k, v] = token.split("=").map((s) => s.trim());
    if ((k === "code" || k === "example") && v) out[k] = v.replace(/^"|"$/g, "");
  }
  return out;
}

/** Top-level fields of a multipart form (files are skipped); a repeated field becomes an array. */
function multipartFields(body: Buffer, headers: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    const bb = Busboy({ headers: { "content-type": headers["content-type"] } });
    bb.on("field", (name, value) => {
      const had = fields[name];
      fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    });
    bb.on("file", (_name, stream) => stream.resume());
    bb.on("close", () => resolve(fields));
    bb.on("error", reject);
    bb.end(body);
  });
}

/** One request/answer pair through the front. */
export class Exchange {
  /** Upstream path (starts as the client's; the bases rule strips a server prefix). */
  path: string;
  /** The query as the client sent it, `?a=1` or "" (forwarded as is unless a rule edits `query`). */
  readonly search: string;
  /** Upstream request headers, lower-case names, hop-by-hop headers removed. */
  headers: Record<string, string>;
  /** The client's connection headers (`connection`, `upgrade`, `host`), which `headers` leaves out. */
  readonly connection: Record<string, string> = {};
  /** The answer, once the upstream (or a rule) gave one. */
  response: MockResponse | undefined;
  private parsed: Promise<Record<string, unknown> | undefined> | undefined;
  private params: URLSearchParams | undefined;

  /**
   * @param method upper-case method as the client sent it
   * @param target the client's request target, path and query (`/v1/x?a=1`)
   * @param clientHeaders the client's headers, lower-case names, repeated values joined with ", "
   * @param body the client's body, read once (the guard rule may replace a form with its re-encoding)
   * @param route the operation the path reached, or undefined
   */
  constructor(
    readonly method: string,
    target: string,
    readonly clientHeaders: Readonly<Record<string, string>>,
    public body: Buffer,
    readonly route: Route | undefined,
  ) {
    const q = target.indexOf("?");
    this.path = q < 0 ? target : target.slice(0, q);
    this.search = q < 0 ? "" : target.slice(q);
    this.headers = { ...clientHeaders };
  }

  /** The upstream query, parsed on first use; rules may edit it. */
  get query(): URLSearchParams {
    this.params ??= new URLSearchParams(this.search);
    return this.params;
  }

  /** Path and query as they go upstream. */
  get target(): string {
    if (!this.params) return this.path + this.search;
    const q = this.params.toString();
    return this.path + (q ? `?${q}` : "");
  }

  /** The client's own `Prefer`; rules that pick answers step aside for what it names. */
  get clientPrefer(): Prefer {
    return parsePrefer(this.clientHeaders.prefer);
  }

  /**
   * The body's top-level fields: a JSON object, a urlencoded form or a multipart form (field values as strings,
   * files skipped); undefined for any other body or one that does not parse. Parsed once, on first use.
   */
  fields(): Promise<Record<string, unknown> | undefined> {
    this.parsed ??= this.parseFields();
    return this.parsed;
  }

  /** A request value (body field, query parameter or header), or undefined when absent. */
  async value(where: RequestValue): Promise<unknown> {
    if (where.in === "query") return this.query.getAll(where.name).at(-1) ?? undefined;
    if (where.in === "header") return this.clientHeaders[where.name.toLowerCase()];
    return (await this.fields())?.[where.name];
  }

  /**
   * True when the request carries `where` with `value` (compared as text, so a form's "true" equals true), or
   * with any value when `value` is not given.
   */
  async has(where: RequestValue & { value?: unknown }): Promise<boolean> {
    const v = await this.value(where);
    return v !== undefined && (where.value === undefined || String(v) === String(where.value));
  }

  private async parseFields(): Promise<Record<string, unknown> | undefined> {
    if (this.body.length === 0) return undefined;
    const type = (this.clientHeaders["content-type"] ?? "").toLowerCase();
    try {
      if (type.includes("json")) {
        const v: unknown = JSON.parse(this.body.toString("utf8"));
        return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
      }
      if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(this.body.toString("utf8")));
      if (type.startsWith("multipart/form-data")) return await multipartFields(this.body, this.clientHeaders);
    } catch {
      // A body that does not parse has no fields; Prism answers it with its validation error.
    }
    return undefined;
  }
}
