import { afterEach, describe, expect, it } from "vitest";
import { accept } from "../../rules/accept.js";
import { frontOnStub, postJson, stubSpec } from "../fixtures.js";

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
afterEach(() => stub?.close());
const sent = () => stub!.last().headers.accept;

describe("rule accept: never 406, as the gateway", () => {
  it("an Accept that allows none of the operation's types becomes the operation's own types, SSE last", async () => {
    stub = await frontOnStub([accept(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/speak", {}, { accept: "application/octet-stream" });
    expect(sent()).toBe("audio/mpeg, audio/wav, text/event-stream, */*;q=0.1");
  });

  it("an Accept that allows one of them is kept, and also takes anything else at a low weight (error bodies)", async () => {
    stub = await frontOnStub([accept(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/speak", {}, { accept: "audio/wav" });
    expect(sent()).toBe("audio/wav, */*;q=0.1");
    await postJson(stub.baseUrl, "/v1/speak", {}, { accept: "*/*" });
    expect(sent()).toBe("*/*");
  });

  it("no Accept, or a path of no operation: nothing changes", async () => {
    stub = await frontOnStub([accept(stubSpec, {})]);
    await fetch(`${stub.baseUrl}/v1/speak`, { method: "POST", headers: { accept: "" } });
    expect(sent()).toBe("");
    await fetch(`${stub.baseUrl}/elsewhere`, { headers: { accept: "application/octet-stream" } });
    expect(sent()).toBe("application/octet-stream");
  });

  it("off: the client's Accept reaches the upstream as sent", async () => {
    stub = await frontOnStub([]);
    await postJson(stub.baseUrl, "/v1/speak", {}, { accept: "application/octet-stream" });
    expect(sent()).toBe("application/octet-stream");
  });
});
