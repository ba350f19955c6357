/**
 * Section 6: the soak. `npm run mock -- --lifecycle` runs as its own processes (as a frontend team leaves it
 * running), autocannon keeps `connections` requests in flight over a mix a frontend sends (a JSON chat, a
 * multipart image edit, a streamed chat, a Luma task submitted and polled through its lifecycle), first for a
 * warm-up, then for `durationSec`. Every answer must be a 200; the resident memory of the mock's processes (the
 * mock and the Prism it starts, summed) is read after the warm-up, every few seconds, and at the end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import autocannon from "autocannon";
import { freePort } from "../mock/prism.js";
import { API_KEY, CHAT_BODY, CHAT_PATH } from "./fixtures.js";
import { bin, childEnv, root } from "./lib/proc.js";
import type { SoakSection } from "./lib/results.js";
import type { BenchSection, RunOptions } from "./lib/section.js";
import { num, round, table } from "./lib/stats.js";

const AUTH = { authorization: `Bearer ${API_KEY}` };
const BOUNDARY = "elkSoakBoundary5c9d";
const PNG_1x1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const EDIT_FORM = Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt-image-1\r\n`),
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nAdd a red hat\r\n`),
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="cat.png"\r\nContent-Type: image/png\r\n\r\n`),
  PNG_1x1,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);
const LUMA = "/dream-machine/v1/generations";

type Ctx = { lumaId?: string };

/** The mix, one pass per connection in this order (so shares are per pass). */
const MIX: (autocannon.Request & { id: string })[] = [
  { id: "chat-json", method: "POST", path: CHAT_PATH, headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify(CHAT_BODY) },
  { id: "image-edit-multipart", method: "POST", path: "/v1/images/edits", headers: { ...AUTH, "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, body: EDIT_FORM },
  {
    id: "chat-sse",
    method: "POST",
    path: CHAT_PATH,
    headers: { ...AUTH, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ ...CHAT_BODY, stream: true }),
  },
  {
    id: "luma-submit",
    method: "POST",
    path: LUMA,
    headers: { ...AUTH, "content-type": "application/json" },
    body: JSON.stringify({ prompt: "A paper lantern drifting over a night market", model: "ray-2" }),
    onResponse: (_status, body, context) => {
      try {
        (context as Ctx).lumaId = (JSON.parse(body) as { id?: string }).id;
      } catch {
        (context as Ctx).lumaId = undefined;
      }
    },
  },
  ...[1, 2, 3].map((n) => ({
    id: `luma-poll-${n}`,
    method: "GET" as const,
    path: LUMA,
    headers: AUTH,
    // Polls the task this connection submitted; without an id (a failed submit) the pass starts over.
    setupRequest: (req: autocannon.Request, context: object) => {
      const id = (context as Ctx).lumaId;
      return (id ? { ...req, path: `${LUMA}/${encodeURIComponent(id)}` } : undefined) as autocannon.Request;
    },
  })),
];

/** Resident memory (MiB) of `pid` and all its descendants, from /proc (Linux). */
export function treeRssMiB(pid: number): { rssMiB: number; processes: number } {
  const out = listProcesses();
  const children = new Map<number, number[]>();
  for (const p of out) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const tree: number[] = [];
  const walk = (p: number) => {
    tree.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  let kib = 0;
  for (const p of tree) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      kib += Number(m?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return { rssMiB: round(kib / 1024, 1), processes: tree.length };
}

function listProcesses(): { pid: number; ppid: number }[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return [{ pid: Number(d), ppid }];
      } catch {
        return [];
      }
    });
}

/** The `npm run mock` script (its path moves with the project), started as a child on `port`. */
function startMockProcess(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const script = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { scripts: Record<string, string> }).scripts.mock!;
  const file = script.replace(/^tsx\s+/, "").trim();
  const child = spawn(bin("tsx"), [file, "--lifecycle", "--port", String(port)], { cwd: root, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock did not start in 90 s:\n${text}`)), 90_000);
    const onData = (d: Buffer) => {
      text += d.toString();
      if (/listening on http/i.test(text)) {
        clearTimeout(timer);
        resolve({ child, output: () => text });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited (${code}) before listening:\n${text}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** One autocannon run of the mix (its instance is a thenable, not a Promise). */
function cannon(url: string, connections: number, durationSec: number): Promise<autocannon.Result> {
  return Promise.resolve(autocannon({ url, connections, duration: durationSec, requests: MIX, timeout: 10 }));
}

async function run(opts: RunOptions): Promise<SoakSection> {
  const connections = 50;
  const warmupSec = opts.quick ? 2 : 10;
  const durationSec = opts.quick ? 3 : 60;
  const port = await freePort();
  opts.progress(`soak: starting the mock (npm run mock -- --lifecycle) on ${port}`);
  const { child, output } = await startMockProcess(port);
  const url = `http://127.0.0.1:${port}`;
  try {
    opts.progress(`soak: warm-up ${warmupSec} s at ${connections} connections`);
    await cannon(url, connections, warmupSec);
    const warm = treeRssMiB(child.pid!);
    const samples: { atSec: number; rssMiB: number }[] = [{ atSec: 0, rssMiB: warm.rssMiB }];
    const t0 = Date.now();
    const sampler = setInterval(() => samples.push({ atSec: round((Date.now() - t0) / 1000), rssMiB: treeRssMiB(child.pid!).rssMiB }), 5000);
    opts.progress(`soak: ${durationSec} s at ${connections} connections over ${MIX.length} requests per pass`);
    const r = await cannon(url, connections, durationSec).finally(() => clearInterval(sampler));
    const end = treeRssMiB(child.pid!);
    samples.push({ atSec: round((Date.now() - t0) / 1000), rssMiB: end.rssMiB });
    const statusCodes: Record<string, number> = {};
    for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = s.count ?? 0;
    const restarts = (output().match(/restart/gi) ?? []).length;
    return {
      settings: { durationSec, warmupSec, connections, mix: MIX.map((m) => `${m.method} ${m.id}`), mock: "npm run mock -- --lifecycle" },
      requests: r.requests.total,
      requestsPerSec: round(r.requests.total / r.duration, 1),
      latencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: round(r.latency.mean, 2) },
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      statusCodes,
      processes: end.processes,
      rssMiB: { afterWarmup: warm.rssMiB, end: end.rssMiB, samples },
      rssEndVsWarmup: round(end.rssMiB / warm.rssMiB, 3),
      prismRestarts: restarts,
      passed: r.errors === 0 && r.timeouts === 0 && r.non2xx === 0 && end.rssMiB <= warm.rssMiB * 1.2,
    };
  } finally {
    await stop(child);
  }
}

export const soak: BenchSection<SoakSection> = {
  title: "6. Soak: the mock under load",
  run,
  print: (s) =>
    [
      table(
        ["figure", "value"],
        [
          ["duration, connections", `${s.settings.durationSec} s after a ${s.settings.warmupSec} s warm-up, ${s.settings.connections} in flight`],
          ["requests (per second)", `${num(s.requests)} (${num(s.requestsPerSec, 1)}/s)`],
          ["latency p50 / p99 / mean", `${s.latencyMs.p50} / ${s.latencyMs.p99} / ${s.latencyMs.mean} ms`],
          ["errors / timeouts / non-2xx", `${s.errors} / ${s.timeouts} / ${s.non2xx}`],
          ["status codes", Object.entries(s.statusCodes).map(([c, n]) => `${c}: ${num(n)}`).join(", ")],
          ["RSS of the mock's processes", `${s.rssMiB.afterWarmup} MiB after warm-up, ${s.rssMiB.end} MiB at the end (${s.processes} processes)`],
          ["RSS end / after warm-up", `${s.rssEndVsWarmup}x (limit 1.2x)`],
          ["restarts of the server process", String(s.prismRestarts)],
        ],
      ),
      "",
      `RSS samples: ${s.rssMiB.samples.map((x) => `${x.atSec}s ${x.rssMiB}`).join(", ")} (MiB)`,
      s.passed ? "soak: passed" : "soak: FAILED (errors, unexpected statuses or memory growth over 20%)",
    ].join("\n"),
};
