import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { callbacks } from "../../rules/callbacks.js";
import { lifecycle } from "../../rules/lifecycle.js";
import { type Script, frontOnStub, postJson, stubSpec } from "../fixtures.js";

let stub: Awaited<ReturnType<typeof frontOnStub>> | undefined;
let hook: http.Server | undefined;
afterEach(async () => {
  await stub?.close();
  hook?.closeAllConnections();
  await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
  stub = hook = undefined;
});

// The stub answers a submit with task id t1, like Prism with the spec's example; a refusal with 400.
const script: Script = (a) => (a.url.includes("bad") ? { status: 400, body: "{}" } : { body: JSON.stringify({ result: "t1" }) });

/** A receiver on 127.0.0.1 recording each POST's body and headers. */
async function receiver() {
  const got: { body: { id: string; status: string }; headers: http.IncomingHttpHeaders }[] = [];
  hook = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      got.push({ body: JSON.parse(text) as { id: string; status: string }, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook!.listen(0, "127.0.0.1", r));
  return { got, url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` };
}

const quiet = { intervalMs: 5, backoffMs: 5, log: () => {} };
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("rule callbacks", () => {
  it("with lifecycles: every state, in order, with the fresh id the submit answered and the declared headers", async () => {
    const r = await receiver();
    stub = await frontOnStub([callbacks(stubSpec, { ...quiet, lifecycle: true }), lifecycle(stubSpec, {})], script);
    const answer = (await (await postJson(stub.baseUrl, "/mj/submit", { prompt: "p", hook: r.url })).json()) as { result: string };
    expect(answer.result).toBe("t1-1");
    await until(() => r.got.length === 3);
    expect(r.got.map((g) => [g.body.id, g.body.status])).toEqual([
      ["t1-1", "queued"],
      ["t1-1", "running"],
      ["t1-1", "done"],
    ]);
    expect(r.got[0]!.headers).toMatchObject({ "content-type": "application/json", "x-signature": "sig-1" });
    // A submit marked to fail gets the failed ending.
    await postJson(stub.baseUrl, "/relax/mj/submit", { prompt: "p", hook: r.url }, { "x-elkapi-mock-lifecycle": "failed" });
    await until(() => r.got.length === 6);
    expect(r.got.slice(3).map((g) => [g.body.id, g.body.status])).toEqual([
      ["t1-2-fail", "queued"],
      ["t1-2-fail", "running"],
      ["t1-2-fail", "failed"],
    ]);
  });

  it("without lifecycles: one delivery of the final state, with the answered id", async () => {
    const r = await receiver();
    stub = await frontOnStub([callbacks(stubSpec, quiet)], script);
    await postJson(stub.baseUrl, "/mj/submit", { prompt: "p", hook: r.url });
    await until(() => r.got.length === 1);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.got.map((g) => [g.body.id, g.body.status])).toEqual([["t1", "done"]]);
  });

  it("sends nothing for a submit without the field, a refused submit, or when off", async () => {
    const r = await receiver();
    const lines: string[] = [];
    stub = await frontOnStub([callbacks(stubSpec, { ...quiet, log: (l) => lines.push(l) })], script);
    await postJson(stub.baseUrl, "/mj/submit", { prompt: "p" });
    await postJson(stub.baseUrl, "/mj/submit?bad=1", { prompt: "p", hook: r.url });
    await stub.close();
    stub = await frontOnStub([], script);
    await postJson(stub.baseUrl, "/mj/submit", { prompt: "p", hook: r.url });
    await new Promise((res) => setTimeout(res, 100));
    expect(r.got).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("refuses a host that is not loopback nor allowed, with a log line", async () => {
    const lines: string[] = [];
    stub = await frontOnStub([callbacks(stubSpec, { ...quiet, log: (l) => lines.push(l) })], script);
    await postJson(stub.baseUrl, "/mj/submit", { prompt: "p", hook: "http://169.254.169.254/latest/meta-data?x=1" });
    await until(() => lines.length === 1);
    expect(lines).toEqual(["callback: submit t1 → http://169.254.169.254/latest/meta-data?… refused: host 169.254.169.254 is neither loopback nor allowed (--callback-allow 169.254.169.254)"]);
  });
});
