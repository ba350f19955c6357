/**
 * A task followed by its callbacks: starts a receiver (node:http, no framework), submits a Kling text-to-video
 * task whose `callback_url` points at it, and prints each state as it arrives; on the final one, the video URLs.
 * One handler (`onState`) takes every state, so the polling fallback below feeds it the same way.
 * Run against the mock (callbacks go to loopback): npm run mock -- --lifecycle, then
 *   ELKAPI_BASE_URL=http://127.0.0.1:4010 npx tsx examples/callback-receiver.ts "a lantern over a river"
 * Against the gateway the vendor must reach the receiver: expose it (a tunnel, a public host) and give that URL as
 * CALLBACK_URL, e.g. CALLBACK_URL=https://hooks.example.com/kling PORT=8080 npx tsx examples/callback-receiver.ts.
 * Exit codes: 0 succeeded, 3 the task failed.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CallbackError, type TaskState, TaskFailedError, createElkClient, parseCallback, submitTask, waitForTask } from "elkapi";

const SUBMIT = "createKlingText2Video";
const prompt = process.argv[2] ?? "a paper lantern floats up over a night river, soft bokeh";
// If no callback has come by then (the gateway may not forward callback_url for every vendor), poll instead.
const fallbackMs = Number(process.env.FALLBACK_MS ?? 120_000);

let done: (code: number) => void;
const finished = new Promise<number>((resolve) => (done = resolve));
let heard = false;

/** Every state, from a callback or a poll: print it; at the end, the results or the reason. */
function onState(taskId: string, state: Pick<TaskState, "status" | "phase" | "progress"> & Partial<TaskState>): void {
  heard = true;
  const progress = state.progress === undefined ? "" : ` ${Math.round(state.progress * 100)}%`;
  console.log(`task ${taskId}: ${String(state.status)} (${state.phase})${progress}`);
  if (state.phase === "succeeded") {
    for (const url of state.results ?? []) console.log(url);
    done(0);
  } else if (state.phase === "failed") {
    console.error(`the task failed: ${state.failureReason ?? String(state.status)}`);
    done(3);
  }
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      const cb = parseCallback(SUBMIT, Buffer.concat(chunks));
      if (cb.kind === "challenge") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(cb.reply));
      res.writeHead(204).end(); // answer at once; the work happens after
      onState(cb.taskId ?? "(no id)", cb.state);
    } catch (e) {
      if (!(e instanceof CallbackError)) throw e;
      console.error(`refused a callback: ${e.message}`);
      res.writeHead(400).end();
    }
  });
});
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), process.env.PORT ? "0.0.0.0" : "127.0.0.1", resolve));
const callbackUrl = process.env.CALLBACK_URL ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}/kling`;

const elk = createElkClient();
const { handle } = await submitTask(elk, SUBMIT, { body: { model_name: "kling-v1-6", prompt, duration: "5", callback_url: callbackUrl } });
console.log(`submitted task ${handle.taskId}; callbacks go to ${callbackUrl}`);

const fallback = setTimeout(() => {
  if (heard) return;
  console.log(`no callback in ${fallbackMs} ms; polling instead`);
  waitForTask(elk, handle, { onProgress: (p) => p.phase === "pending" && onState(handle.taskId, p) })
    .then((r) => onState(handle.taskId, { status: r.status, phase: r.phase, progress: 1, results: r.results }))
    .catch((e: unknown) => {
      if (!(e instanceof TaskFailedError)) throw e;
      onState(handle.taskId, { status: e.taskStatus, phase: "failed", progress: undefined, failureReason: e.reason ?? e.message });
    });
}, fallbackMs);

process.exitCode = await finished;
clearTimeout(fallback);
server.closeAllConnections();
server.close();
