/** Keeping the API key out of everything the client shows: error messages, bodies, URLs and logs. */

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
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [redactText(k, secret), redactValue(v, secret)]),
    ) as T;
  }
  return value;
}
