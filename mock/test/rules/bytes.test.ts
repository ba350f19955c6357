import { afterEach, describe, expect, it } from "vitest";
import { bytes } from "../../rules/bytes.js";
import { frontOnStub, postJson, stubSpec } from "../fixtures.js";

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
afterEach(() => stub?.close());
const wav = Buffer.from("RIFF\x00\x01WAVE", "latin1");

describe("rule bytes: x-elkapi-mock bytes base64", () => {
  it("decodes a 2xx answer of a marked media type into its bytes", async () => {
    stub = await frontOnStub([bytes(stubSpec, {})], () => ({ headers: { "content-type": "audio/wav" }, body: wav.toString("base64") }));
    const res = await postJson(stub.baseUrl, "/v1/speak", {});
    expect(Buffer.from(await res.arrayBuffer()).equals(wav)).toBe(true);
    expect(res.headers.get("content-length")).toBe(String(wav.length));
  });

  it("leaves errors, other media types and other operations as they are", async () => {
    const base64 = wav.toString("base64");
    stub = await frontOnStub([bytes(stubSpec, {})], (a) => ({ status: Number(a.headers["x-status"] ?? 200), headers: { "content-type": String(a.headers["x-type"]) }, body: base64 }));
    for (const [path, type, status] of [["/v1/speak", "audio/wav", "400"], ["/v1/speak", "text/event-stream", "200"], ["/v1/chat", "audio/wav", "200"]] as const) {
      const res = await postJson(stub.baseUrl, path, {}, { "x-type": type, "x-status": status });
      expect(await res.text(), `${path} ${type} ${status}`).toBe(base64);
    }
  });

  it("off: the base64 text", async () => {
    stub = await frontOnStub([], () => ({ headers: { "content-type": "audio/wav" }, body: wav.toString("base64") }));
    expect(await (await postJson(stub.baseUrl, "/v1/speak", {})).text()).toBe(wav.toString("base64"));
  });
});
