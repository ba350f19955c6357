/**
 * Optional logging. Off unless a level is chosen (option `logLevel`, or the `ELKAPI_LOG` environment variable),
 * or a `logger` is passed (then `info` by default). Every line goes through the redactor first: the API key never
 * reaches the logger, whatever a message, URL, header or body holds.
 *
 * What is logged, by level:
 * - `debug`: each attempt (`→ POST /v1/embeddings attempt 1/3`) and each answer (`← 200 ... in 312 ms`).
 * - `info`: each retry, with its reason and wait (`retrying in 500 ms`).
 * - `warn`: a call that failed, with the error class, status and attempts.
 * - `error`: not used by the client itself (kept for loggers that forward every level).
 */
import type { ElkLogger, LogLevel } from "../types.js";
import { redactText, redactValue } from "./secrets.js";
import { isPlainObject } from "./values.js";

/** Every level, in order. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "off"];

const rank = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

/** The client's internal log: writes at or above `level`, redacting `secret` from every message and detail. */
export interface Log {
  readonly level: LogLevel;
  enabled(level: Exclude<LogLevel, "off">): boolean;
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** Plain, redacted copy of a log detail (Errors become `{ name, message, status, code }`). */
function plain(value: unknown, secret: string): unknown {
  if (value instanceof Error) {
    const e = value as Error & { status?: unknown; code?: unknown; attempts?: unknown };
    return redactValue({ name: e.name, message: e.message, status: e.status, code: e.code, attempts: e.attempts }, secret);
  }
  if (typeof Headers !== "undefined" && value instanceof Headers) {
    const out: Record<string, string> = {};
    value.forEach((v, k) => (out[k] = k === "authorization" || k === "x-api-key" ? "[redacted]" : redactText(v, secret)));
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => plain(v, secret));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k, secret), plain(v, secret)]));
  }
  return typeof value === "string" ? redactText(value, secret) : value;
}

/** Parses a level name (case-insensitive); undefined when it is not one. `1`/`true` mean `info`, `0`/`false` `off`. */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === "1" || v === "true") return "info";
  if (v === "0" || v === "false" || v === "") return "off";
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : undefined;
}

const consoleLogger: ElkLogger = {
  debug: (m, d) => (d ? console.debug(`[elkapi] ${m}`, d) : console.debug(`[elkapi] ${m}`)),
  info: (m, d) => (d ? console.info(`[elkapi] ${m}`, d) : console.info(`[elkapi] ${m}`)),
  warn: (m, d) => (d ? console.warn(`[elkapi] ${m}`, d) : console.warn(`[elkapi] ${m}`)),
  error: (m, d) => (d ? console.error(`[elkapi] ${m}`, d) : console.error(`[elkapi] ${m}`)),
};

/**
 * Builds the client's log.
 * @param opts.logger where lines go (default `console`, prefixed `[elkapi]`).
 * @param opts.level the least severe level written (default: see the module comment).
 * @param opts.secret the API key, redacted from every line.
 */
export function createLog(opts: { logger?: ElkLogger | undefined; level: LogLevel; secret: string }): Log {
  const sink = opts.logger ?? consoleLogger;
  const min = rank(opts.level);
  const write = (level: Exclude<LogLevel, "off">) => (message: string, details?: Record<string, unknown>) => {
    if (rank(level) < min || opts.level === "off") return;
    const m = redactText(message, opts.secret);
    try {
      if (details === undefined) sink[level](m);
      else sink[level](m, plain(details, opts.secret) as Record<string, unknown>);
    } catch {
      // A logger that throws must not break the call.
    }
  };
  return {
    level: opts.level,
    enabled: (level) => opts.level !== "off" && rank(level) >= min,
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
  };
}
