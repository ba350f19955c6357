import { afterEach, describe, expect, it } from "vitest";
import { countOf, examples, repeated } from "../../rules/examples.js";
import { frontOnStub, postJson, stubSpec } from "../fixtures.js";

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
afterEach(() => stub?.close());
const sent = () => stub!.last().headers;

describe("rule examples: x-elkapi-mock select and default", () => {
  it("a request value picks the named example (and its media type)", async () => {
    stub = await frontOnStub([examples(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/embed", { input: "a", encoding_format: "base64" });
    expect(sent().prefer).toBe("example=base64");
    expect(sent().accept).toBe("application/json, */*;q=0.1");
  });

  it("a select without an example picks the media type (speech response_format)", async () => {
    stub = await frontOnStub([examples(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/speak", { response_format: "wav" });
    expect(sent().accept).toBe("audio/wav, */*;q=0.1");
    expect(sent().prefer).toBeUndefined();
  });

  it("reads form fields too (transcription response_format=srt → text/plain srt)", async () => {
    stub = await frontOnStub([examples(stubSpec, {})]);
    const form = new FormData();
    form.set("response_format", "srt");
    await fetch(`${stub.baseUrl}/v1/transcribe`, { method: "POST", body: form });
    expect(sent().accept).toBe("text/plain, */*;q=0.1");
    expect(sent().prefer).toBe("example=srt");
  });

  it("a header select picks only when every header it names is sent (x-api-key with anthropic-version)", async () => {
    stub = await frontOnStub([examples(stubSpec, {})]);
    await fetch(`${stub.baseUrl}/v1/models`, { headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" } });
    expect(sent().prefer).toBe("example=anthropic");
    await fetch(`${stub.baseUrl}/v1/models`, { headers: { authorization: "Bearer k", "anthropic-version": "2023-06-01" } });
    expect(sent().prefer).toBeUndefined();
  });

  it("nothing picked: the default example instead of the first", async () => {
    stub = await frontOnStub([examples(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/embed", { input: "a" });
    expect(sent().prefer).toBe("example=batch");
  });

  it("a select whose media type the outgoing Accept excludes (a stream) does not apply", async () => {
    stub = await frontOnStub([examples(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/speak", { response_format: "wav" }, { accept: "text/event-stream" });
    expect(sent().accept).toBe("text/event-stream");
  });

  it("the client's Prefer wins: a named example is left alone, a code keeps Prism's example choice", async () => {
    stub = await frontOnStub([examples(stubSpec, {})]);
    await postJson(stub.baseUrl, "/v1/embed", { input: "a", encoding_format: "base64" }, { prefer: "example=seed" });
    expect(sent().prefer).toBe("example=seed");
    await postJson(stub.baseUrl, "/v1/embed", { input: "a", encoding_format: "base64" }, { prefer: "code=429" });
    expect(sent().prefer).toBe("code=429");
  });
});

describe("rule examples: x-elkapi-mock repeat", () => {
  const items = (body: unknown) => (body as { data: { index: number; v: string }[] }).data;
  const answer = JSON.stringify({ data: [{ index: 0, v: "a" }, { index: 7, v: "b" }] });

  it("one item per input, cycling through the example's items, index set", async () => {
    stub = await frontOnStub([examples(stubSpec, {})], () => ({ body: answer }));
    const res = await postJson(stub.baseUrl, "/v1/embed", { input: ["x", "y", "z"] });
    expect(items(await res.json())).toEqual([{ index: 0, v: "a" }, { index: 1, v: "b" }, { index: 2, v: "a" }]);
    const one = await postJson(stub.baseUrl, "/v1/embed", { input: "x" });
    expect(items(await one.json())).toEqual([{ index: 0, v: "a" }]);
  });

  it("not for a client's named example, nor an error", async () => {
    stub = await frontOnStub([examples(stubSpec, {})], (a) => ({ status: a.headers["x-status"] ? 400 : 200, body: answer }));
    const named = await postJson(stub.baseUrl, "/v1/embed", { input: ["x", "y", "z"] }, { prefer: "example=batch" });
    expect(items(await named.json())).toHaveLength(2);
    const error = await postJson(stub.baseUrl, "/v1/embed", { input: ["x", "y", "z"] }, { "x-status": "400" });
    expect(items(await error.json())).toHaveLength(2);
  });

  it("counts: a number is the count, an array its length, a token list (numbers) one, anything else one", () => {
    expect([countOf(3), countOf("2"), countOf(["a", "b"]), countOf([1, 2, 3]), countOf([[1], [2]]), countOf("x"), countOf(undefined), countOf(0)]).toEqual([3, 2, 2, 1, 2, 1, 1, 1]);
    expect(repeated([{ i: 9 }], 2, "/i")).toEqual([{ i: 0 }, { i: 1 }]);
    expect(repeated([], 3, "/i")).toEqual([]);
  });

  it("off: the upstream's answer and choice as they are", async () => {
    stub = await frontOnStub([], () => ({ body: answer }));
    const res = await postJson(stub.baseUrl, "/v1/embed", { input: ["x", "y", "z"], encoding_format: "base64" });
    expect(items(await res.json())).toHaveLength(2);
    expect(sent().prefer).toBeUndefined();
  });
});
