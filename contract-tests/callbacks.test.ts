/**
 * Callbacks end to end, through the mock's front (lifecycle and callbacks rules) and the run's Prism: every submit
 * with a callback is sent with a loopback receiver's URL in its callback field; the receiver gets each state the
 * vendor reports, in order, as declared (media type, headers), and parseCallback reads each typed, with the task
 * id the submit answered and the state a poll of the same task gives. A host that is not loopback gets nothing; a
 * receiver that fails or hangs does not take the mock down.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Front, startMockFront } from "../mock/index.js";
import { callbackRules } from "../scripts/lib/generate/callbacks.js";
import { setPointer } from "../mock/json.js";
import { getPointer } from "../src/internal/pointer.js";
import { type CallbackSubmitId, type ElkClient, type ParsedCallback, TaskFailedError, callbackInfo, parseCallback, submitTask, waitForTask } from "../src/index.js";
import type { TaskSubmitId } from "../src/index.js";
import { mockLifecycles } from "../generated/lifecycles.js";
import { operations } from "../generated/operations.js";
import { taskQueries } from "../generated/tasks.js";
import { paramsOf, prismBaseUrl, requestExamples, testClient, toBody } from "./lib/calls.js";
import { bundle, operation } from "./lib/spec.js";

const { rules } = callbackRules(bundle);
const submits = Object.keys(rules) as CallbackSubmitId[];

interface Arrival {
  path: string;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A loopback receiver: one handler for every callback, as a user would write it, answering by path. */
const arrivals: Arrival[] = [];
let mode: "ok" | "fail" | "hang" = "ok";
const receiver = http.createServer((req, res) => {
  let text = "";
  req.on("data", (c: Buffer) => (text += c.toString()));
  req.on("end", () => {
    arrivals.push({ path: req.url ?? "", headers: req.headers, text });
    if (mode === "hang") return;
    if (mode === "fail") return void res.writeHead(500).end("receiver down");
    try {
      const submit = decodeURIComponent((req.url ?? "").split("/")[2] ?? "") as CallbackSubmitId;
      const cb = parseCallback(submit, text);
      if (cb.kind === "challenge") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(cb.reply));
      res.writeHead(204).end();
    } catch (e) {
      res.writeHead(400).end((e as Error).message);
    }
  });
});
let hookBase = "";
let front: Front;
let failing: Front;
let elk: ElkClient;
let elkFailing: ElkClient;
const lines: string[] = [];

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const callbacks = { intervalMs: 15, backoffMs: 20, retries: 2, timeoutMs: 300, log: (l: string) => lines.push(l) };
  front = await startMockFront({ upstream: prismBaseUrl(), rules: { lifecycle: true, callbacks } });
  failing = await startMockFront({ upstream: prismBaseUrl(), rules: { lifecycle: { outcome: "failed" }, callbacks } });
  elk = testClient({ baseUrl: front.baseUrl });
  elkFailing = testClient({ baseUrl: failing.baseUrl });
});
afterAll(async () => {
  await front.close();
  await failing.close();
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const until = async (cond: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
};

/** Submits `submit`'s first request example with the callback URL `url` in its callback field. */
async function submitWithHook(client: ElkClient, submit: CallbackSubmitId, url: string) {
  const entry = operation(submit);
  const body = structuredClone(requestExamples(entry)[0]!.value);
  const field = callbackInfo(submit).field;
  if (field.split("/").length > 2 && getPointer(body, field.slice(0, field.lastIndexOf("/"))) === undefined) setPointer(body, field.slice(0, field.lastIndexOf("/")), {});
  setPointer(body, field, url);
  return submitTask(client, submit as TaskSubmitId, { params: paramsOf(entry), body: toBody(entry, body) } as never);
}

describe("callbacks through the lifecycle mock", () => {
  it("covers every submit with a callback, in every family that has one", () => {
    expect(submits).toHaveLength(34);
    expect(new Set(submits.map((s) => operations[s as keyof typeof operations].tag))).toEqual(
      new Set(["openai", "midjourney", "flux", "replicate", "suno", "runway", "kling", "luma", "minimax", "pika"]),
    );
  });

  for (const submit of submits) {
    const rule = rules[submit]!;
    for (const outcome of ["succeeded", "failed"] as const) {
      // Every submit's success; the failure once per callback (the submits sharing one behave alike).
      if (outcome === "failed" && submits.find((s) => rules[s]!.operationId === rule.operationId) !== submit) continue;
      it(`${operations[submit as keyof typeof operations].tag}: ${submit} (${rule.operationId}) ${outcome}: every state in order, typed, as a poll reads it`, async () => {
        const client = outcome === "failed" ? elkFailing : elk;
        const path = `/hooks/${encodeURIComponent(submit)}/${outcome}?token=t`;
        const { handle } = await submitWithHook(client, submit, hookBase + path);
        const expected = [...(rule.challenge ? ["challenge"] : []), ...rule.lifecycle[outcome]];
        await until(() => arrivals.filter((a) => a.path === path).length === expected.length);
        await new Promise((r) => setTimeout(r, 40)); // nothing more arrives
        const got = arrivals.filter((a) => a.path === path);
        expect(got).toHaveLength(expected.length);
        for (const a of got) {
          expect(a.headers["content-type"]).toBe(rule.mediaType);
          for (const [name, value] of Object.entries(rule.headers)) expect(a.headers[name.toLowerCase()], name).toBe(value);
        }
        const parsed: ParsedCallback[] = got.map((a) => parseCallback(submit, a.text));
        expect(parsed.map((p) => (p.kind === "challenge" ? "challenge" : p.state.phase))).toEqual([
          ...(rule.challenge ? ["challenge"] : []),
          ...rule.lifecycle[outcome].map((_, i, all) => (i === all.length - 1 ? outcome : "pending")),
        ]);
        const tasks = parsed.filter((p) => p.kind === "task");
        // The id the submit answered (the lifecycle's fresh one), where the body carries it.
        for (const t of tasks) expect(t.taskId).toBe(rule.taskId.length ? handle.taskId : undefined);
        // Polling the same task ends the same way the callbacks do.
        const last = tasks.at(-1)!.state;
        const polled = await waitForTask(client, handle, { intervalMs: 1 }).then(
          (r) => ({ phase: r.phase as string, status: r.status, results: r.results }),
          (e: unknown) => {
            expect(e).toBeInstanceOf(TaskFailedError);
            return { phase: "failed", status: (e as TaskFailedError).taskStatus, results: [] as string[] };
          },
        );
        expect(last.phase).toBe(polled.phase);
        // Where the callback reads the poll's own rule and ends on the poll's own final step, the status is the same too.
        const poll = taskQueries[rule.poll as keyof typeof taskQueries] as { succeeded: readonly unknown[]; failed: readonly unknown[] };
        const sameRule = JSON.stringify([rule.status.succeeded, rule.status.failed]) === JSON.stringify([poll.succeeded, poll.failed]);
        const sameEnd = (mockLifecycles as Record<string, Record<string, readonly string[]>>)[rule.poll]![outcome]!.at(-1) === rule.lifecycle[outcome].at(-1);
        if (sameRule && sameEnd) expect(last.status).toBe(polled.status);
      });
    }
  }
});

describe("callbacks the mock must not make, and receivers it must survive", () => {
  it("sends nothing to a host that is not loopback, and logs the refusal", async () => {
    const port = (receiver.address() as AddressInfo).port;
    const before = arrivals.length;
    // 0.0.0.0 would reach the receiver on this machine: only the refusal keeps the request out.
    await submitWithHook(elk, "createLumaGeneration", `http://0.0.0.0:${port}/hooks/createLumaGeneration/refused`);
    await until(() => lines.some((l) => l.includes("/hooks/createLumaGeneration/refused") && l.includes("refused")));
    await new Promise((r) => setTimeout(r, 100));
    expect(arrivals.length).toBe(before);
    expect(lines.filter((l) => l.includes("/refused"))).toEqual([expect.stringMatching(/refused: host 0\.0\.0\.0:\d+ is neither loopback nor allowed/)]);
    // Control: the same address does reach the receiver (so the check above could fail).
    await fetch(`http://0.0.0.0:${port}/hooks/createLumaGeneration/control`, { method: "POST", body: "{}" }).catch(() => undefined);
    expect(arrivals.length).toBe(before + 1);
  });

  it("leaves no callback to Prism: a submit sent to Prism itself gets no request at the receiver", async () => {
    const path = "/hooks/createKlingText2Video/prism";
    const prismClient = testClient({ baseUrl: prismBaseUrl() });
    await submitWithHook(prismClient, "createKlingText2Video", hookBase + path);
    await new Promise((r) => setTimeout(r, 300));
    expect(arrivals.filter((a) => a.path === path)).toEqual([]);
  });

  it.each(["fail", "hang"] as const)("keeps answering while a receiver that %ss is retried, then reports it", async (how) => {
    mode = how;
    try {
      const path = `/hooks/createPikaProGeneration/survive-${how}`;
      await submitWithHook(elk, "createPikaProGeneration", hookBase + path);
      // While the deliveries are retried, the mock answers as usual.
      const { response } = await elk.GET("/v1/models");
      expect(response.status).toBe(200);
      await until(() => lines.some((l) => l.includes(path) && l.includes("gave up")));
      expect(arrivals.filter((a) => a.path === path)).toHaveLength(3); // 1 + 2 retries
      expect(lines.filter((l) => l.includes(path))).toEqual([
        expect.stringMatching(/attempt 1 failed .*retrying in 20 ms/),
        expect.stringMatching(/attempt 2 failed .*retrying in 40 ms/),
        expect.stringMatching(how === "fail" ? /gave up after 3 attempts \(answered 500\)/ : /gave up after 3 attempts \(no answer within 300 ms\)/),
      ]);
      expect(lines.join("\n")).not.toContain("token=");
    } finally {
      mode = "ok";
    }
    // And it still delivers to a receiver that answers.
    const path = `/hooks/createPikaProGeneration/after-${how}`;
    await submitWithHook(elk, "createPikaProGeneration", hookBase + path);
    await until(() => arrivals.some((a) => a.path === path));
    expect(parseCallback("createPikaProGeneration", arrivals.find((a) => a.path === path)!.text)).toMatchObject({ kind: "task", state: { phase: "succeeded" } });
  });
});
