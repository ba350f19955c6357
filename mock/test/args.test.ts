import { describe, expect, it } from "vitest";
import { parseMockArgs } from "../args.js";

const on = { guard: true, bases: true, streams: true, accept: true, examples: true, bytes: true, callbacks: true };

describe("npm run mock arguments", () => {
  it("defaults: port 4010 (or PORT), every rule on but lifecycle", () => {
    expect(parseMockArgs([], {})).toEqual({ port: 4010, rules: on });
    expect(parseMockArgs([], { PORT: "5000" }).port).toBe(5000);
    expect(parseMockArgs(["--port", "6000"], { PORT: "5000" }).port).toBe(6000);
  });

  it("--lifecycle or MOCK_LIFECYCLE=1 turns lifecycles on; --fail-tasks makes every task fail", () => {
    expect(parseMockArgs(["--lifecycle"], {}).rules.lifecycle).toBe(true);
    expect(parseMockArgs([], { MOCK_LIFECYCLE: "1" }).rules.lifecycle).toBe(true);
    expect(parseMockArgs(["--fail-tasks"], {}).rules.lifecycle).toEqual({ outcome: "failed" });
  });

  it("--no-<rule> turns that rule off", () => {
    expect(parseMockArgs(["--no-streams", "--no-bytes"], {}).rules).toEqual({ ...on, streams: false, bytes: false });
  });

  it("--callback-allow names hosts (repeatable) the callbacks rule may call besides loopback", () => {
    expect(parseMockArgs(["--callback-allow", "hooks.example.com", "--callback-allow", "10.0.0.5:8080"], {}).rules.callbacks).toEqual({
      allow: ["hooks.example.com", "10.0.0.5:8080"],
    });
    expect(parseMockArgs(["--callback-allow", "h.example", "--no-callbacks"], {}).rules.callbacks).toBe(false);
    expect(() => parseMockArgs(["--callback-allow", "http://hooks.example.com/x"], {})).toThrow(/--callback-allow takes a host name or host:port/);
  });

  it("refuses a bad port and an unknown flag", () => {
    expect(() => parseMockArgs(["--port", "0"], {})).toThrow(TypeError);
    expect(() => parseMockArgs([], { PORT: "http" })).toThrow(/PORT/);
    expect(() => parseMockArgs(["--no-lifecycle"], {})).toThrow();
  });
});
