/**
 * The one place that maps a concrete method and path to an operation of the spec.
 *
 * A path matches an operation's path template segment by segment; a parameter may fill a whole segment
 * (`/v1/videos/{task_id}`) or part of one (`/v1beta/models/{model}:generateContent`). The path may also carry a
 * prefix from one of the operation's `servers` (OpenAPI 3.1 §4.8.5: the operation's, else its path item's, else
 * the document's): the path part of the server URL, with server variables filled by their `enum` values (any one
 * segment without an enum). So `https://api.elkapi.com/anthropic` serves `/anthropic/v1/messages`, and
 * `https://api.elkapi.com/{mode}` with `mode: {enum: [mj-fast, mj-relax, mj-turbo]}` serves `/mj-relax/mj/...`.
 *
 * When several operations match, the path without a prefix wins over a prefixed reading, then the template
 * with more literal segments (`/v1/models/list` before `/v1/models/{id}`).
 */
import type { MockOperation, MockSpec } from "./spec.js";

/** A request path resolved to an operation. */
export interface Route {
  operation: MockOperation;
  /** The server prefix the request used, e.g. `/anthropic`; "" for the spec's own path. */
  prefix: string;
  /** The concrete path without the prefix, as the spec's template spells it (what Prism matches). */
  path: string;
  /** Path parameters by name, percent-decoded. */
  params: Record<string, string>;
}

/** Resolves concrete requests to routes. */
export interface Routes {
  /**
   * The operation `method` (any case) and `pathname` (no query; trailing slashes ignored) reach, or undefined.
   * An `OPTIONS` preflight resolves by the method it announces in `Access-Control-Request-Method` (`preflight`).
   */
  resolve(method: string, pathname: string, preflight?: string): Route | undefined;
}

interface Compiled {
  operation: MockOperation;
  /** The template's text before its first parameter: a cheap test before the regex. */
  head: string;
  template: RegExp;
  names: string[];
  literals: number;
  prefixes: RegExp[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `/v1beta/models/{model}:generateContent` → a regex with one group per parameter, and their names. */
function compileTemplate(template: string): { template: RegExp; names: string[]; literals: number } {
  const names: string[] = [];
  let literals = 0;
  const source = template
    .split("/")
    .map((segment) => {
      if (!segment.includes("{")) literals++;
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = part.match(/^\{([^}]+)\}$/)?.[1];
          if (name === undefined) return escape(part);
          names.push(name);
          return "([^/]+?)";
        })
        .join("");
    })
    .join("/");
  return { template: new RegExp(`^${source}$`), names, literals };
}

/** The path part of a server URL as a prefix regex (anchored at the start, ending at a segment boundary). */
function compilePrefix(server: MockOperation["servers"][number]): RegExp | undefined {
  const pathPart = server.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "").replace(/\/+$/, "");
  if (pathPart === "") return undefined;
  const source = pathPart
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = part.match(/^\{([^}]+)\}$/)?.[1];
      if (name === undefined) return escape(part);
      const values = server.variables?.[name]?.enum;
      return values?.length ? `(?:${values.map(escape).join("|")})` : "[^/]+";
    })
    .join("");
  return new RegExp(`^${source}(?=/)`);
}

/** Compiles every operation of `spec` once; resolving a path then tests the templates that share its first segment. */
export function compileRoutes(spec: MockSpec): Routes {
  const compiled: Compiled[] = [...spec.operations.values()].map((operation) => ({
    operation,
    head: operation.path.split("{")[0]!,
    ...compileTemplate(operation.path),
    prefixes: operation.servers.map(compilePrefix).filter((p): p is RegExp => p !== undefined),
  }));
  // Candidates by method and first path segment (a template whose first segment holds a parameter is kept under
  // "*"), so a request tests a handful of regexes instead of every operation's.
  const index = new Map<string, Compiled[]>();
  const add = (key: string, c: Compiled) => index.set(key, [...(index.get(key) ?? []), c]);
  for (const c of compiled) {
    const first = c.operation.path.split("/")[1] ?? "";
    add(`${c.operation.method} ${first.includes("{") ? "*" : first}`, c);
    if (c.prefixes.length) add(`${c.operation.method} prefixed`, c);
  }
  const firstSegment = (path: string) => path.slice(1, (path.indexOf("/", 1) + 1 || path.length + 1) - 1);
  const direct = (verb: string, path: string) => [...(index.get(`${verb} ${firstSegment(path)}`) ?? []), ...(index.get(`${verb} *`) ?? [])];

  const matchOne = (c: Compiled, path: string, prefix: string): Route | undefined => {
    if (!path.startsWith(c.head)) return undefined;
    const m = c.template.exec(path);
    if (!m) return undefined;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      const raw = m[i + 1]!;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return { operation: c.operation, prefix, path, params };
  };

  return {
    resolve(method, pathname, preflight) {
      const verb = (method.toUpperCase() === "OPTIONS" && preflight ? preflight : method).toUpperCase();
      const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
      const best = (routes: (Route & { literals: number })[]) => routes.sort((a, b) => b.literals - a.literals)[0];
      const unprefixed = direct(verb, path).flatMap((c) => {
        const r = matchOne(c, path, "");
        return r ? [{ ...r, literals: c.literals }] : [];
      });
      const pick = best(unprefixed) ?? best(
        (index.get(`${verb} prefixed`) ?? []).flatMap((c) =>
          c.prefixes.flatMap((p) => {
            const prefix = p.exec(path)?.[0];
            const r = prefix === undefined ? undefined : matchOne(c, path.slice(prefix.length), prefix);
            return r ? [{ ...r, literals: c.literals }] : [];
          }),
        ),
      );
      if (!pick) return undefined;
      const { literals: _literals, ...route } = pick;
      return route;
    },
  };
}
