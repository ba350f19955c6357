/** The retry policy's pure parts (src/retry.ts): reading the server's wait, the backoff. */
import { describe, expect, it } from "vitest";
import { backoffMs, serverRetryAfterMs } from "../src/index.js";

describe("retry policy", () => {
  it("reads retry-after-ms, then retry-after in seconds or as an HTTP date, within 0-60 s", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(serverRetryAfterMs(h({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(serverRetryAfterMs(h({ "retry-after": "1.5" }))).toBe(1500);
    expect(serverRetryAfterMs(h({ "retry-after": "0" }))).toBe(0);
    expect(serverRetryAfterMs(h({ "retry-after": "61" }))).toBeUndefined();
    expect(serverRetryAfterMs(h({ "retry-after-ms": "-5" }))).toBeUndefined();
    expect(serverRetryAfterMs(h({ "retry-after": "soon" }))).toBeUndefined();
    const now = Date.parse("2025-06-11T09:30:00Z");
    expect(serverRetryAfterMs(h({ "retry-after": "Wed, 11 Jun 2025 09:30:05 GMT" }), now)).toBe(5000);
    expect(serverRetryAfterMs(h({ "retry-after": "Wed, 11 Jun 2025 09:29:00 GMT" }), now)).toBe(0);
  });

  it("backs off 0.5 s doubling to 8 s, jitter taking off at most 25%", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(0, () => 0.999999)).toBeCloseTo(375, 0);
  });
});
