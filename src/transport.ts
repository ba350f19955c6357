/**
 * The fetch that openapi-fetch calls: adds a per-attempt timeout to the caller's signal and turns network
 * failures into typed errors. The caller's abort always wins over the timeout.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "./errors.js";

/** A fetch as openapi-fetch calls it. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  /** Time allowed for an attempt to answer with headers, in ms. */
  timeoutMs: number;
  /** The API key, redacted from error text. */
  secret: string;
}

/** Wraps `fetch` with the timeout and error mapping described above. */
export function createTransport({ fetch, timeoutMs, secret }: TransportOptions): FetchLike {
  return async (request) => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = AbortSignal.any([request.signal, timeout.signal]);
    const common = { method: request.method, url: request.url, secret };
    try {
      return await fetch(request, { signal });
    } catch (cause) {
      if (request.signal.aborted) {
        throw new APIUserAbortError({ ...common, message: `Request aborted by the caller (${request.method} ${request.url})`, cause });
      }
      if (timeout.signal.aborted) {
        throw new APIConnectionTimeoutError({
          ...common,
          message: `No answer within ${timeoutMs} ms (${request.method} ${request.url})`,
          cause,
        });
      }
      const reason = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
      throw new APIConnectionError({ ...common, message: `Connection failed: ${reason} (${request.method} ${request.url})`, cause });
    } finally {
      clearTimeout(timer);
    }
  };
}
