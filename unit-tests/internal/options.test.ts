/** resolveOptions (src/internal/options.ts): createElkClient's option rules, alone. */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, resolveOptions } from "../../src/internal/options.js";

const KEY = "sk-unit-options-0123456789";
const saved = { key: process.env.ELKAPI_API_KEY, base: process.env.ELKAPI_BASE_URL, log: process.env.ELKAPI_LOG };
afterEach(() => {
  for (const [name, value] of [["ELKAPI_API_KEY", saved.key], ["ELKAPI_BASE_URL", saved.base], ["ELKAPI_LOG", saved.log]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("resolveOptions", () => {
  it("fills the defaults: base URL, 10-minute timeout, idle limit left to the timeout, 2 retries, logging off", () => {
    delete process.env.ELKAPI_BASE_URL;
    delete process.env.ELKAPI_LOG;
    const o = resolveOptions({ apiKey: KEY });
    expect(o).toMatchObject({ apiKey: KEY, baseUrl: DEFAULT_BASE_URL, timeoutMs: DEFAULT_TIMEOUT_MS, idleTimeoutMs: undefined, maxRetries: 2 });
    expect(o.log.level).toBe("off");
  });

  it("reads the key, base URL and log level from the environment when the options do not give them", () => {
    process.env.ELKAPI_API_KEY = "sk-from-env-0001";
    process.env.ELKAPI_BASE_URL = "http://127.0.0.1:4010/";
    process.env.ELKAPI_LOG = "debug";
    const o = resolveOptions({});
    expect(o).toMatchObject({ apiKey: "sk-from-env-0001", baseUrl: "http://127.0.0.1:4010" });
    expect(o.log.level).toBe("debug");
  });

  it("keeps a base path and drops trailing slashes (the /anthropic and /mj-relax bases)", () => {
    expect(resolveOptions({ apiKey: KEY, baseUrl: "https://api.elkapi.com/anthropic//" }).baseUrl).toBe("https://api.elkapi.com/anthropic");
  });

  it("logs from info up when a logger is given without a level", () => {
    delete process.env.ELKAPI_LOG;
    expect(resolveOptions({ apiKey: KEY, logger: console }).log.level).toBe("info");
  });

  it.each([
    [{}, /no API key: pass \{ apiKey \} or set the ELKAPI_API_KEY/],
    [{ apiKey: KEY, baseUrl: "api.elkapi.com" }, /baseUrl must be an absolute http\(s\) URL, got "api.elkapi.com"/],
    [{ apiKey: KEY, baseUrl: "ftp://x.org" }, /baseUrl must use http or https, got "ftp:"/],
    [{ apiKey: KEY, timeoutMs: 0 }, /timeoutMs must be a positive number of milliseconds, got 0/],
    [{ apiKey: KEY, idleTimeoutMs: Number.NaN }, /idleTimeoutMs must be a positive number/],
    [{ apiKey: KEY, maxRetries: 1.5 }, /maxRetries must be an integer >= 0, got 1.5/],
    [{ apiKey: KEY, fetch: "fetch" }, /fetch must be a function/],
    [{ apiKey: KEY, logLevel: "loud" }, /logLevel must be one of debug, info, warn, error, off, got loud/],
  ])("refuses %o with a TypeError naming the option and its rule", (options, message) => {
    delete process.env.ELKAPI_API_KEY;
    expect(() => resolveOptions(options as never)).toThrow(TypeError);
    expect(() => resolveOptions(options as never)).toThrow(message);
  });

  it("never puts the key in an error message", () => {
    let message = "";
    try {
      resolveOptions({ apiKey: KEY, timeoutMs: -1 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("timeoutMs");
    expect(message).not.toContain(KEY);
  });
});
