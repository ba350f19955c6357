import { afterEach, describe, expect, it } from "vitest";
import { streams } from "../../rules/streams.js";
import { frontOnStub, postJson, stubSpec } from "../fixtures.js";

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
afterEach(() => stub?.close());
const on = async () => (stub = await frontOnStub([streams(stubSpec, {})]));
const accept = () => stub!.last().headers.accept ?? "";

describe("rule streams: the request's stream flag decides, not Accept", () => {
  it("stream: true in a JSON body asks for SSE whatever the client's Accept", async () => {
    await on();
    await postJson(stub!.baseUrl, "/v1/chat", { stream: true }, { accept: "application/json" });
    expect(accept()).toMatch(/^text\/event-stream/);
    await postJson(stub!.baseUrl, "/v1/chat", { stream: true });
    expect(accept()).toMatch(/^text\/event-stream/);
  });

  it("without the flag, Accept: text/event-stream gets the plain answer", async () => {
    await on();
    await postJson(stub!.baseUrl, "/v1/chat", { stream: false }, { accept: "text/event-stream" });
    expect(accept()).toMatch(/^application\/json/);
    expect(accept()).not.toContain("text/event-stream");
  });

  it("without the flag and no SSE asked for, the client's Accept goes on unchanged", async () => {
    await on();
    await postJson(stub!.baseUrl, "/v1/chat", {}, { accept: "application/json" });
    expect(accept()).toBe("application/json");
  });

  it("reads stream=true from a multipart form, keeping the client's other choices without it", async () => {
    await on();
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array([1, 2])]), "a.mp3");
    form.set("stream", "true");
    await fetch(`${stub!.baseUrl}/v1/transcribe`, { method: "POST", body: form });
    expect(accept()).toMatch(/^text\/event-stream/);
    form.set("stream", "false");
    await fetch(`${stub!.baseUrl}/v1/transcribe`, { method: "POST", body: form, headers: { accept: "text/event-stream, text/plain" } });
    expect(accept()).toMatch(/^text\/plain/);
  });

  it("uses the spec's x-elkapi-sse.flag: a body field value, or a query parameter (alt=sse)", async () => {
    await on();
    await postJson(stub!.baseUrl, "/v1/speak", { stream_format: "sse" });
    expect(accept()).toMatch(/^text\/event-stream/);
    await postJson(stub!.baseUrl, "/v1/speak", { stream: true }, { accept: "text/event-stream" });
    expect(accept()).toMatch(/^audio\/mpeg/);
    await postJson(stub!.baseUrl, "/v1beta/models/g:streamGenerateContent?alt=sse", { contents: [] });
    expect(accept()).toMatch(/^text\/event-stream/);
    await postJson(stub!.baseUrl, "/v1beta/models/g:streamGenerateContent", { contents: [] }, { accept: "text/event-stream" });
    expect(accept()).toMatch(/^application\/json/);
  });

  it("a client's Prefer: example=<name> picks the media type that holds it", async () => {
    await on();
    await postJson(stub!.baseUrl, "/v1/chat", {}, { prefer: "example=stream" });
    expect(accept()).toMatch(/^text\/event-stream/);
    await postJson(stub!.baseUrl, "/v1/chat", { stream: true }, { prefer: "example=plain", accept: "text/event-stream" });
    expect(accept()).toMatch(/^application\/json/);
  });

  it("off: the flag is ignored and Accept goes on as sent", async () => {
    stub = await frontOnStub([]);
    await postJson(stub.baseUrl, "/v1/chat", { stream: true }, { accept: "application/json" });
    expect(accept()).toBe("application/json");
  });
});
