/** Small value checks shared by the client, the stream reader and the tasks helper (one copy of each). */

/** A plain object literal (`{}` or `Object.create(Object.prototype)`), not an array, class instance or null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

/** Any non-null, non-array object, read as a record (parsed JSON objects). */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A non-empty string, else undefined. */
export function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * Throws a TypeError naming `name` unless `value` is undefined or a finite number of milliseconds above 0 (or
 * at least 0 with `allowZero`).
 * @param where who checks (`createElkClient`, `POST`, `waitForTask`), for the message.
 */
export function checkMs(name: string, value: unknown, where: string, allowZero = false): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0))) {
    throw new TypeError(`${where}: ${name} must be a ${allowZero ? "non-negative" : "positive"} number of milliseconds, got ${String(value)}`);
  }
}

/** Throws a TypeError unless `value` is undefined or an integer >= 0 (a retry count). */
export function checkRetries(value: unknown, where: string): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
    throw new TypeError(`${where}: maxRetries must be an integer >= 0, got ${String(value)}`);
  }
}
