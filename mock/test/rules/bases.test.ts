import { afterEach, describe, expect, it } from "vitest";
import { bases } from "../../rules/bases.js";
import { frontOnStub, postJson, stubSpec } from "../fixtures.js";

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
afterEach(() => stub?.close());

describe("rule bases", () => {
  it("sends a path under a server prefix upstream without it, query kept", async () => {
    stub = await frontOnStub([bases(stubSpec, {})]);
    await postJson(stub.baseUrl, "/anthropic/v1/messages?beta=true", {});
    expect(stub.last().url).toBe("/v1/messages?beta=true");
    await postJson(stub.baseUrl, "/relax/mj/submit", {});
    expect(stub.last().url).toBe("/mj/submit");
    await fetch(`${stub.baseUrl}/v1/dashboard/usage`);
    expect(stub.last().url).toBe("/dashboard/usage");
  });

  it("leaves the spec's own paths and unknown paths alone", async () => {
    stub = await frontOnStub([bases(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/messages", {});
    expect(stub.last().url).toBe("/v1/messages");
    await postJson(stub.baseUrl, "/turbo/mj/submit", {});
    expect(stub.last().url).toBe("/turbo/mj/submit");
  });

  it("off: the prefixed path reaches the upstream as sent", async () => {
    stub = await frontOnStub([]);
    await postJson(stub.baseUrl, "/anthropic/v1/messages", {});
    expect(stub.last().url).toBe("/anthropic/v1/messages");
  });
});
