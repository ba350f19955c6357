/** Keeping the API key out of everything the client shows: error messages, bodies, URLs and logs. */
import { isPlainObject } from "./values.js";

const MASK = "[redacted]";

/** Replaces every occurrence of `secret` in `text` with `[redacted]`. Empty or short secrets are left alone. */
export function redactText(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join(MASK);
}

/** Deep copy of a JSON-like value with `secret` redacted from every string (keys included). */
export function redactValue<T>(value: T, secret: string | undefined): T {
  if (!secret) return value;
  if (typeof value === "string") return redactText(value, secret) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secret)) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [redactText(k, secret), redactValue(v, secret)]),
    ) as T;
  }
  return value;
}

/** True when `secret` appears in any string of an error: message, stack, own fields, or its `cause` chain. */
function errorMentions(err: unknown, secret: string, depth: number): boolean {
  if (depth > 5 || err === null || err === undefined) return false;
  if (typeof err === "string") return err.includes(secret);
  if (typeof err !== "object") return String(err).includes(secret);
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown; cause?: unknown };
  if ([e.message, e.stack].some((v) => typeof v === "string" && v.includes(secret))) return true;
  for (const [k, v] of Object.entries(e)) {
    if (k === "cause") continue;
    if (typeof v === "string" && (v.includes(secret) || k.includes(secret))) return true;
  }
  return errorMentions(e.cause, secret, depth + 1);
}

/**
 * An error safe to keep as a `cause`: the error itself when `secret` appears nowhere in it, else a plain `Error`
 * copy (same name, message, code and stack, each redacted; cause chain redacted the same way).
 */
export function redactError(err: unknown, secret: string | undefined, depth = 0): unknown {
  if (!secret || secret.length < 4 || !errorMentions(err, secret, 0)) return err;
  if (depth > 5) return undefined;
  if (!(err instanceof Error)) return typeof err === "string" ? redactText(err, secret) : redactValue(err, secret);
  const copy = new Error(redactText(err.message, secret), err.cause === undefined ? undefined : { cause: redactError(err.cause, secret, depth + 1) });
  copy.name = err.name;
  copy.stack = err.stack === undefined ? undefined : redactText(err.stack, secret);
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") (copy as { code?: unknown }).code = typeof code === "string" ? redactText(code, secret) : code;
  return copy;
}
