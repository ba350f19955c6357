import { describe, expect, it } from "vitest";
import { RULE_NAMES, makeRules } from "../../rules/index.js";
import { stubSpec } from "../fixtures.js";

describe("the rule list", () => {
  it("runs guard, bases, streams, accept, examples, bytes, callbacks, and lifecycle only when asked", () => {
    expect(makeRules(stubSpec).map((r) => r.name)).toEqual(["guard", "bases", "streams", "accept", "examples", "bytes", "callbacks"]);
    expect(makeRules(stubSpec, { lifecycle: true }).map((r) => r.name)).toEqual([...RULE_NAMES]);
  });

  it("turns each rule off with false", () => {
    for (const name of RULE_NAMES.filter((n) => n !== "lifecycle")) {
      expect(makeRules(stubSpec, { [name]: false }).map((r) => r.name)).not.toContain(name);
    }
  });
});
