/**
 * mock/deliveries.ts alone: what a submit's callback sends (from the spec), and the deliverer
 * against stub receivers on 127.0.0.1 (order, headers, refusals, retries with backoff, timeouts, redirects,
 * MiniMax's challenge).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { callbackRules } from "../../scripts/lib/generate/callbacks.js";
import { type Delivery, createDeliverer, plannedDeliveries, refusalOf, shownUrl } from "../deliveries.js";
import { generatedDir } from "../../scripts/lib/paths.js";
import type { Bundle } from "../../scripts/lib/spec.js";
import { parseCallback } from "../../src/callbacks.js";

const bundle = JSON.parse(readFileSync(path.join(generatedDir, "openapi.json"), "utf8")) as Bundle;
const { rules } = callbackRules(bundle);

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver on 127.0.0.1 that records requests and answers with `answer` (status, or a handler). */
async function receiver(answer: number | ((req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) = 200) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      got.push({ url: req.url ?? "", headers: req.headers, body, at: Date.now() });
      if (typeof answer === "number") res.writeHead(answer).end();
      else answer(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const stop = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  servers.push(stop);
  return { got, port, url: `http://127.0.0.1:${port}/hooks/task?token=s3cret` };
}
const servers: (() => Promise<void>)[] = [];
const deliverers: { close(): void }[] = [];
afterEach(async () => {
  for (const d of deliverers.splice(0)) d.close();
  for (const s of servers.splice(0)) await s();
});

function deliverer(opts: Parameters<typeof createDeliverer>[0] = {}) {
  const lines: string[] = [];
  const d = createDeliverer({ intervalMs: 10, backoffMs: 20, timeoutMs: 300, log: (l) => lines.push(l), ...opts });
  deliverers.push(d);
  return { d, lines };
}

describe("plannedDeliveries", () => {
  it("sends every state the vendor reports, in order, with the answered task id, in lifecycle mode", () => {
    const plan = plannedDeliveries(rules.createKlingText2Video!, "862-7", { lifecycle: true, outcome: "succeeded" });
    expect(plan.map((d) => d.state)).toEqual(["submitted", "processing", "succeed"]);
    expect(plan.map((d) => (d.body as { task_id: string }).task_id)).toEqual(["862-7", "862-7", "862-7"]);
    expect(plan[0]!.headers).toEqual({ "content-type": "application/json" });
    const failed = plannedDeliveries(rules.submitMidjourneyImagine!, "17-fail", { lifecycle: true, outcome: "failed" });
    expect(failed.map((d) => d.state)).toEqual(["SUBMITTED", "IN_PROGRESS", "FAILURE"]);
    expect(failed.every((d) => (d.body as { id: string }).id === "17-fail")).toBe(true);
    // The spec's example itself is left as it was.
    expect((rules.createKlingText2Video!.examples.succeed as { task_id: string }).task_id).toBe("862318890115530805");
  });

  it("sends one delivery of the final state without lifecycles", () => {
    const plan = plannedDeliveries(rules.createLumaGeneration!, "abc", { lifecycle: false, outcome: "failed" });
    expect(plan.map((d) => [d.state, (d.body as { id: string }).id])).toEqual([["completed", "abc"]]);
  });

  it("puts MiniMax's challenge first, declared headers on Replicate's, and leaves Seedance's upstream id alone", () => {
    expect(plannedDeliveries(rules.createMinimaxVideoGeneration!, "9", { lifecycle: true, outcome: "succeeded" }).map((d) => [d.state, d.echo])).toEqual([
      ["challenge", "/challenge"],
      ["processing", undefined],
      ["success", undefined],
    ]);
    const replicate = plannedDeliveries(rules.createReplicatePrediction!, "p1", { lifecycle: true, outcome: "succeeded" });
    expect(Object.keys(replicate[0]!.headers)).toEqual(["content-type", "webhook-id", "webhook-timestamp", "webhook-signature"]);
    const seedance = plannedDeliveries(rules.createVideoGeneration!, "task_1", { lifecycle: true, outcome: "succeeded" });
    expect(seedance.map((d) => (d.body as { id: string }).id)).toEqual(Array(3).fill("cgt-20250628101500-n6k56"));
  });
});

describe("refusalOf", () => {
  it("lets loopback through and refuses other hosts unless allowed", () => {
    for (const ok of ["http://127.0.0.1:9/x", "http://localhost/x", "https://[::1]:8443/x", "http://127.8.9.10/"]) expect(refusalOf(ok, []), ok).toBeUndefined();
    for (const bad of ["http://0.0.0.0:80/", "http://10.0.0.5/", "http://169.254.169.254/latest/meta-data", "http://hooks.example.com/x", "http://localhost.evil.com/"]) {
      expect(refusalOf(bad, []), bad).toMatch(/neither loopback nor allowed/);
    }
    expect(refusalOf("file:///etc/passwd", [])).toMatch(/file: is not http or https/);
    expect(refusalOf("not a url", [])).toBe("it is not a URL");
    expect(refusalOf("http://hooks.example.com/x", ["Hooks.Example.com"])).toBeUndefined();
    expect(refusalOf("http://hooks.example.com:8080/x", ["hooks.example.com:8080"])).toBeUndefined();
    expect(refusalOf("http://hooks.example.com:9090/x", ["hooks.example.com:8080"])).toMatch(/neither loopback nor allowed/);
  });

  it("shows URLs without credentials or query", () => {
    expect(shownUrl("http://user:pw@127.0.0.1:5/h?token=s3cret#f")).toBe("http://127.0.0.1:5/h?…");
  });
});

describe("createDeliverer", () => {
  it("POSTs each state in order, with the media type and declared headers, and the receiver parses them typed", async () => {
    const r = await receiver();
    const { d, lines } = deliverer();
    d.send(r.url, plannedDeliveries(rules.createReplicatePrediction!, "pred-42", { lifecycle: true, outcome: "succeeded" }), "createReplicatePrediction pred-42");
    await d.idle();
    expect(r.got.map((g) => g.url)).toEqual(Array(3).fill("/hooks/task?token=s3cret"));
    const parsed = r.got.map((g) => parseCallback("createReplicatePrediction", g.body));
    expect(parsed.map((p) => (p.kind === "task" ? [p.taskId, p.state.phase] : []))).toEqual([
      ["pred-42", "pending"],
      ["pred-42", "pending"],
      ["pred-42", "succeeded"],
    ]);
    expect(r.got[0]!.headers).toMatchObject({ "content-type": "application/json", "webhook-id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W" });
    expect(r.got[1]!.at - r.got[0]!.at).toBeGreaterThanOrEqual(8);
    expect(lines).toHaveLength(3);
    expect(lines.join("\n")).not.toContain("s3cret");
    expect(lines[0]).toMatch(/^callback: createReplicatePrediction pred-42 starting → http:\/\/127\.0\.0\.1:\d+\/hooks\/task\?…: 200 in \d+ ms$/);
  });

  it("sends nothing to a host that is not loopback nor allowed, and says so", async () => {
    const r = await receiver();
    const { d, lines } = deliverer();
    // 0.0.0.0 reaches this machine's 127.0.0.1 listeners on Linux: the refusal, not the address, keeps it out.
    const sneaky = `http://0.0.0.0:${r.port}/hook`;
    d.send(sneaky, plannedDeliveries(rules.createLumaGeneration!, "g1", { lifecycle: true, outcome: "succeeded" }), "createLumaGeneration g1");
    await d.idle();
    await new Promise((res) => setTimeout(res, 50));
    expect(r.got).toEqual([]);
    expect(lines).toEqual([expect.stringMatching(/refused: host 0\.0\.0\.0:\d+ is neither loopback nor allowed \(--callback-allow 0\.0\.0\.0\)/)]);
    // Control: the same URL does reach the receiver when the host is allowed.
    const allowed = deliverer({ allow: ["0.0.0.0"] });
    allowed.d.send(sneaky, plannedDeliveries(rules.createLumaGeneration!, "g1", { lifecycle: true, outcome: "succeeded" }), "createLumaGeneration g1");
    await allowed.d.idle();
    expect(r.got).toHaveLength(2);
  });

  it("retries a receiver that answers 500 with doubling waits, reports it, and goes on to the next state", async () => {
    const r = await receiver(500);
    const { d, lines } = deliverer({ retries: 2, backoffMs: 40 });
    const plan = plannedDeliveries(rules.createLumaGeneration!, "g2", { lifecycle: true, outcome: "failed" });
    d.send(r.url, plan, "createLumaGeneration g2");
    await d.idle();
    expect(r.got).toHaveLength(6); // 2 states × (1 + 2 retries)
    const gaps = [r.got[1]!.at - r.got[0]!.at, r.got[2]!.at - r.got[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(75);
    expect(lines.filter((l) => l.includes("retrying in"))).toHaveLength(4);
    expect(lines.filter((l) => /gave up after 3 attempts \(answered 500\)/.test(l))).toHaveLength(2);
  });

  it("gives up on a receiver that never answers, per attempt, and close() ends everything at once", async () => {
    const r = await receiver(() => {}); // reads the request, never answers
    const { d, lines } = deliverer({ retries: 1, timeoutMs: 100, backoffMs: 10 });
    d.send(r.url, plannedDeliveries(rules.createPikaProGeneration!, "k", { lifecycle: true, outcome: "succeeded" }), "createPikaProGeneration k");
    await d.idle();
    expect(r.got).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/gave up after 2 attempts \(no answer within 100 ms\)/);

    const slow = deliverer({ timeoutMs: 60_000 });
    slow.d.send(r.url, plannedDeliveries(rules.createLumaGeneration!, "z", { lifecycle: true, outcome: "succeeded" }), "z");
    await new Promise((res) => setTimeout(res, 50));
    const started = Date.now();
    slow.d.close();
    await slow.d.idle();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("does not follow a redirect to another host", async () => {
    const target = await receiver();
    const r = await receiver((_req, res) => res.writeHead(307, { location: target.url }).end());
    const { d, lines } = deliverer({ retries: 0 });
    d.send(r.url, plannedDeliveries(rules.createPikaProGeneration!, "k", { lifecycle: false, outcome: "succeeded" }), "pika");
    await d.idle();
    expect(target.got).toEqual([]);
    expect(lines[0]).toMatch(/gave up after 1 attempt \(answered 307\)/);
  });

  it("stops after MiniMax's challenge when the receiver does not echo it, and goes on when it does", async () => {
    const plan: Delivery[] = plannedDeliveries(rules.createMinimaxVideoGeneration!, "mm1", { lifecycle: true, outcome: "succeeded" });
    const rude = await receiver(200);
    const first = deliverer();
    first.d.send(rude.url, plan, "minimax");
    await first.d.idle();
    expect(rude.got).toHaveLength(1);
    expect(first.lines[0]).toMatch(/did not answer 200 with \/challenge echoed/);

    const polite = await receiver((_req, res, body) => {
      const cb = parseCallback("createMinimaxVideoGeneration", body);
      res.writeHead(200, { "content-type": "application/json" }).end(cb.kind === "challenge" ? JSON.stringify(cb.reply) : "");
    });
    const second = deliverer();
    second.d.send(polite.url, plan, "minimax");
    await second.d.idle();
    expect(polite.got.map((g) => JSON.parse(g.body).status ?? "challenge")).toEqual(["challenge", "processing", "success"]);
  });
});
