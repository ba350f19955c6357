import { afterEach, describe, expect, it } from "vitest";
import { lifecycle } from "../../rules/lifecycle.js";
import { type Script, frontOnStub, postJson, stubSpec } from "../fixtures.js";

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
afterEach(() => stub?.close());

// The stub answers a submit with task id t1, and a poll with the example name the front asked for.
const script: Script = (a) =>
  a.method === "POST" ? { body: JSON.stringify({ result: "t1" }) } : { body: JSON.stringify({ asked: a.headers.prefer ?? null }) };
const poll = async (id: string, headers: Record<string, string> = {}) =>
  ((await (await fetch(`${stub!.baseUrl}/mj/task/${id}`, { headers })).json()) as { asked: string | null }).asked;

describe("rule lifecycle", () => {
  it("repeated polls of one id move through the states, then stay at the end", async () => {
    stub = await frontOnStub([lifecycle(stubSpec, {})], script);
    expect([await poll("a"), await poll("a"), await poll("a"), await poll("a")]).toEqual(["example=queued", "example=running", "example=done", "example=done"]);
    expect(await poll("b")).toBe("example=queued");
  });

  it("ids containing fail end failed; outcome forces every ending", async () => {
    stub = await frontOnStub([lifecycle(stubSpec, {})], script);
    expect([await poll("x-fail"), await poll("x-fail"), await poll("x-fail")]).toEqual(["example=queued", "example=running", "example=failed"]);
    await stub.close();
    stub = await frontOnStub([lifecycle(stubSpec, { outcome: "failed" })], script);
    expect([await poll("ok"), await poll("ok"), await poll("ok")]).toEqual(["example=queued", "example=running", "example=failed"]);
  });

  it("each submit answers a fresh id; x-elkapi-mock-lifecycle: failed marks it to fail", async () => {
    stub = await frontOnStub([lifecycle(stubSpec, {})], script);
    const first = (await (await postJson(stub.baseUrl, "/mj/submit", { prompt: "p" })).json()) as { result: string };
    const second = (await (await postJson(stub.baseUrl, "/relax/mj/submit", { prompt: "p" }, { "x-elkapi-mock-lifecycle": "failed" })).json()) as { result: string };
    expect(first.result).toBe("t1-1");
    expect(second.result).toBe("t1-2-fail");
  });

  it("a client's own Prefer is kept", async () => {
    stub = await frontOnStub([lifecycle(stubSpec, {})], script);
    expect(await poll("a", { prefer: "example=done" })).toBe("example=done");
  });

  it("off: polls go on without a Prefer, submits keep their id", async () => {
    stub = await frontOnStub([], script);
    expect(await poll("a")).toBeNull();
    expect(((await (await postJson(stub.baseUrl, "/mj/submit", {})).json()) as { result: string }).result).toBe("t1");
  });
});
