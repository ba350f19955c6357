/**
 * Resolving `createElkClient`'s options into what every call uses: the key and base URL (options, else the
 * environment, else the defaults), the limits, the fetch, the log. All rules are checked here, at creation.
 */
import { DEFAULT_MAX_RETRIES } from "../retry.js";
import type { ElkClientOptions, FetchLike, Sleep } from "../types.js";
import { readEnv } from "./env.js";
import { LOG_LEVELS, type Log, createLog, parseLogLevel } from "./log.js";
import { realSleep } from "./sleep.js";
import { checkMs, checkRetries } from "./values.js";

/** Default base URL of the gateway. */
export const DEFAULT_BASE_URL = "https://api.elkapi.com";
/** Default per-attempt timeout: 10 minutes, in ms (long generations can take minutes). */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** The client's settings once resolved and checked. */
export interface ResolvedOptions {
  apiKey: string;
  /** Without a trailing slash, e.g. `https://api.elkapi.com` or `https://api.elkapi.com/anthropic`. */
  baseUrl: string;
  timeoutMs: number;
  /** Undefined when neither the client nor a call set it: a call's `timeoutMs` then applies to streams too. */
  idleTimeoutMs: number | undefined;
  maxRetries: number;
  headers: Record<string, string> | undefined;
  fetch: FetchLike;
  log: Log;
  sleep: Sleep;
  random: () => number;
}

const WHERE = "createElkClient";

/**
 * Reads and checks the options.
 * @throws TypeError when no key is given (option or `ELKAPI_API_KEY`), the base URL is not an absolute http(s)
 *   URL, or a limit, the fetch or the log level breaks its rule; the message names the option.
 */
export function resolveOptions(options: ElkClientOptions): ResolvedOptions {
  const apiKey = options.apiKey ?? readEnv("ELKAPI_API_KEY");
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new TypeError(`${WHERE}: no API key: pass { apiKey } or set the ELKAPI_API_KEY environment variable`);
  }
  const baseUrl = options.baseUrl ?? readEnv("ELKAPI_BASE_URL") ?? DEFAULT_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(`${WHERE}: baseUrl must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`${WHERE}: baseUrl must use http or https, got "${parsed.protocol}"`);
  }
  checkMs("timeoutMs", options.timeoutMs, WHERE);
  checkMs("idleTimeoutMs", options.idleTimeoutMs, WHERE);
  checkRetries(options.maxRetries, WHERE);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${WHERE}: fetch must be a function`);
  if (options.logLevel !== undefined && !LOG_LEVELS.includes(options.logLevel)) {
    throw new TypeError(`${WHERE}: logLevel must be one of ${LOG_LEVELS.join(", ")}, got ${String(options.logLevel)}`);
  }
  const level = options.logLevel ?? parseLogLevel(readEnv("ELKAPI_LOG")) ?? (options.logger ? "info" : "off");
  return {
    apiKey,
    baseUrl: parsed.origin + parsed.pathname.replace(/\/+$/, ""),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    idleTimeoutMs: options.idleTimeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    headers: options.headers,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    log: createLog({ logger: options.logger, level, secret: apiKey }),
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
  };
}
