/**
 * Section 4: the spec pipeline. Wall time of lint (`tsx scripts/lint.ts`), bundle (`redocly bundle` of
 * openapi/openapi.yaml) and generate (`tsx scripts/generate.ts --out <temp>`, so generated/ is not touched)
 * on the full spec; Prism's start time (spawn until "listening") on the full spec and on a one-operation spec
 * (POST /v1/chat/completions with only the components it reaches), and the mock's (`startMock`: the front before
 * Prism's engine, in its server process) on the full spec; and throughput on that operation with autocannon at 1
 * and 10 requests in flight: Prism alone next to `npm run mock` (the front's cost, as ratios), and the full spec
 * next to the one-operation spec.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import autocannon from "autocannon";
import { startMock } from "../mock/index.js";
import { freePort, startPrism, type MockServer } from "../mock/prism.js";
import { API_KEY, CHAT_BODY, CHAT_PATH } from "./fixtures.js";
import { bin, childEnv, ok, root, timed } from "./lib/proc.js";
import type { PipelineSection, ThroughputRow } from "./lib/results.js";
import type { BenchSection, RunOptions } from "./lib/section.js";
import { ms, num, ratio, round, showSpread, spread, table } from "./lib/stats.js";

const WORK_DIR = path.join(root, "bench/.tmp/pipeline");
const FULL_SPEC = path.join(root, "generated/openapi.json");
const ONE_OP_SPEC = path.join(WORK_DIR, "one-operation.json");

type Json = Record<string, unknown>;

/** Every `#/components/...` ref reachable from `value`, following refs transitively through `doc`. */
function reachableRefs(doc: Json, value: unknown, seen = new Set<string>()): Set<string> {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v)) {
      if (k === "$ref" && typeof child === "string" && child.startsWith("#/components/") && !seen.has(child)) {
        seen.add(child);
        walk(child.slice(2).split("/").reduce<unknown>((o, key) => (o as Json | undefined)?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc));
      } else walk(child);
    }
  };
  walk(value);
  return seen;
}

/** The full spec cut down to one operation (method, path) and the components it reaches (security schemes kept). */
export function oneOperationSpec(doc: Json, pathKey: string, method: string): Json {
  const paths = doc.paths as Record<string, Json>;
  const operation = paths[pathKey]?.[method];
  if (!operation) throw new Error(`oneOperationSpec: no ${method.toUpperCase()} ${pathKey} in the spec`);
  const components = doc.components as Record<string, Record<string, unknown>>;
  const kept: Record<string, Record<string, unknown>> = { securitySchemes: components.securitySchemes ?? {} };
  for (const ref of reachableRefs(doc, operation)) {
    const [, , kind, name] = ref.split("/") as [string, string, string, string];
    kept[kind] ??= {};
    kept[kind]![name] = components[kind]![name];
  }
  const { paths: _paths, components: _components, webhooks: _webhooks, ...rest } = doc;
  return { ...rest, paths: { [pathKey]: { [method]: operation } }, components: kept };
}

function operationCount(doc: Json): number {
  return Object.values(doc.paths as Record<string, Json>).reduce(
    (n, item) => n + Object.keys(item).filter((k) => ["get", "put", "post", "delete", "patch", "head", "options", "trace"].includes(k)).length,
    0,
  );
}

async function timeRounds(rounds: number, what: string, progress: (m: string) => void, once: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    progress(`pipeline: ${what}, round ${r + 1}/${rounds}`);
    out.push(Math.round(await once()));
  }
  return out;
}

/** Starts Prism on `spec`, resolving with the server and the time until it said it listens. */
async function timedPrism(spec: string): Promise<{ server: MockServer; startMs: number }> {
  const port = await freePort();
  const t = performance.now();
  const server = await startPrism({ port, spec, timeoutMs: 120_000 });
  return { server, startMs: performance.now() - t };
}

const REQUEST = {
  method: "POST" as const,
  headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
  body: JSON.stringify(CHAT_BODY),
};

/** `npm run mock` as a user runs it (tsx mock/main.ts on a free port); resolves with its front's URL. */
async function spawnMock(): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const child = spawn(bin("tsx"), ["mock/main.ts", "--port", String(await freePort())], { cwd: root, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const urls = await new Promise<{ baseUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run mock did not start in 120 s:\n${out}`)), 120_000);
    const check = () => {
      const baseUrl = out.match(/listening on (\S+)/)?.[1];
      if (baseUrl) {
        clearTimeout(timer);
        resolve({ baseUrl });
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run mock exited with ${code}:\n${out}`));
    });
  });
  return {
    ...urls,
    stop: async () => {
      child.kill("SIGINT");
      await exited;
    },
  };
}

/** One check call before the load: the chat request must answer 200 at `baseUrl`. */
async function check(baseUrl: string, what: string): Promise<void> {
  const res = await fetch(baseUrl + CHAT_PATH, REQUEST);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`the mock (${what}, ${baseUrl}) answered ${res.status} to the load request`);
}

/** Two load runs of one target as one row: requests and errors summed, rates and latencies averaged. */
function joined(a: Omit<ThroughputRow, "spec">, b: Omit<ThroughputRow, "spec">): Omit<ThroughputRow, "spec"> {
  const avg = (x: number, y: number) => round((x + y) / 2, 2);
  return {
    connections: a.connections,
    requestsPerSec: round((a.requestsPerSec + b.requestsPerSec) / 2, 1),
    latencyMs: { p50: avg(a.latencyMs.p50, b.latencyMs.p50), p99: Math.max(a.latencyMs.p99, b.latencyMs.p99), mean: avg(a.latencyMs.mean, b.latencyMs.mean) },
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    non2xx: a.non2xx + b.non2xx,
  };
}

/** autocannon against the mock's chat operation with `connections` requests in flight. */
async function load(baseUrl: string, connections: number, durationSec: number): Promise<Omit<ThroughputRow, "spec">> {
  const r = await autocannon({ url: baseUrl + CHAT_PATH, ...REQUEST, connections, pipelining: 1, duration: durationSec });
  return {
    connections,
    requestsPerSec: round(r.requests.total / r.duration, 1),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: round(r.latency.mean, 2) },
    requests: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

async function run(opts: RunOptions): Promise<PipelineSection> {
  const rounds = opts.quick ? 1 : 3;
  const durationSec = opts.quick ? 1 : 10;
  const p = opts.progress;
  await rm(WORK_DIR, { recursive: true, force: true });
  await mkdir(WORK_DIR, { recursive: true });
  const full = JSON.parse(await readFile(FULL_SPEC, "utf8")) as Json;
  const one = oneOperationSpec(full, CHAT_PATH, "post");
  await writeFile(ONE_OP_SPEC, JSON.stringify(one, null, 2));

  const lint = await timeRounds(rounds, "lint", p, async () => ok(await timed(bin("tsx"), ["scripts/lint.ts"]), "lint").wallMs);
  const bundle = await timeRounds(rounds, "bundle", p, async () => {
    const res = await timed(bin("redocly"), ["bundle", "openapi/openapi.yaml", "-o", path.join(WORK_DIR, "bundled.json"), "--ext", "json"], {
      env: childEnv({ REDOCLY_TELEMETRY: "off" }),
    });
    return ok(res, "redocly bundle").wallMs;
  });
  const generate = await timeRounds(rounds, "generate", p, async () =>
    ok(await timed(bin("tsx"), ["scripts/generate.ts", "--out", path.join(WORK_DIR, "generated")]), "generate").wallMs,
  );

  // Full spec. Start: Prism alone (`prism mock`) and the mock (`startMock`: its server process, the front before
  // Prism's engine) in alternating rounds. Throughput: the mock as `npm run mock` runs it (its own processes, not
  // this one, which runs autocannon) against Prism alone on the same spec; they take the load in turns (ABBA
  // halves), so both are measured in the same minutes.
  const startFull: number[] = [];
  const startMockFull: number[] = [];
  const startOne: number[] = [];
  const throughput: ThroughputRow[] = [];
  for (let r = 0; r < rounds; r++) {
    p(`pipeline: Prism start (full spec), round ${r + 1}/${rounds}`);
    const alone = await timedPrism(FULL_SPEC);
    startFull.push(Math.round(alone.startMs));
    await alone.server.stop();
    p(`pipeline: mock start, the front and Prism's engine (full spec), round ${r + 1}/${rounds}`);
    const t = performance.now();
    const mock = await startMock({ timeoutMs: 120_000 });
    startMockFull.push(Math.round(performance.now() - t));
    await mock.stop();
  }
  const mock = await spawnMock();
  const alone = await startPrism({ port: await freePort(), spec: FULL_SPEC, timeoutMs: 120_000 }).catch(async (e: unknown) => {
    await mock.stop();
    throw e;
  });
  try {
    for (const url of [alone.baseUrl, mock.baseUrl]) await check(url, "full spec");
    if (!opts.quick) for (const url of [alone.baseUrl, mock.baseUrl]) await load(url, 10, 2); // warm-up, not recorded
    for (const connections of [1, 10]) {
      p(`pipeline: autocannon ${durationSec} s, ${connections} in flight (full spec, Prism alone and through the front in turns)`);
      const half = durationSec / 2;
      const [a1, b1] = [await load(alone.baseUrl, connections, half), await load(mock.baseUrl, connections, half)];
      const [b2, a2] = [await load(mock.baseUrl, connections, half), await load(alone.baseUrl, connections, half)];
      throughput.push({ spec: "full", ...joined(a1, a2) }, { spec: "full+front", ...joined(b1, b2) });
    }
  } finally {
    await mock.stop();
    await alone.stop();
  }
  let server: MockServer | undefined;
  try {
    for (let r = 0; r < rounds; r++) {
      p(`pipeline: Prism start (one-operation spec), round ${r + 1}/${rounds}`);
      const started = await timedPrism(ONE_OP_SPEC);
      startOne.push(Math.round(started.startMs));
      if (r < rounds - 1) await started.server.stop();
      else server = started.server;
    }
    await check(server!.baseUrl, "one-operation spec");
    if (!opts.quick) await load(server!.baseUrl, 10, 2);
    for (const connections of [1, 10]) {
      p(`pipeline: autocannon ${durationSec} s, ${connections} in flight (one-operation spec)`);
      throughput.push({ spec: "one-operation", ...(await load(server!.baseUrl, connections, durationSec)) });
    }
  } finally {
    await server?.stop();
  }
  const rps = (spec: ThroughputRow["spec"], connections: number) => throughput.find((t) => t.spec === spec && t.connections === connections)!.requestsPerSec;
  const fullVsOneOperation = [1, 10].map((connections) => ({ connections, ratio: round(rps("full", connections) / rps("one-operation", connections), 2) }));
  const front = {
    startRatio: round(spread(startMockFull).median / spread(startFull).median, 2),
    throughput: [1, 10].map((connections) => ({ connections, ratio: round(rps("full+front", connections) / rps("full", connections), 2) })),
  };
  await rm(WORK_DIR, { recursive: true, force: true });
  return {
    settings: { rounds, durationSec, operations: { full: operationCount(full), oneOperation: operationCount(one) } },
    lintMs: spread(lint),
    bundleMs: spread(bundle),
    generateMs: spread(generate),
    mockStartMs: { full: spread(startFull), fullWithFront: spread(startMockFull), oneOperation: spread(startOne) },
    throughput,
    fullVsOneOperation,
    front,
  };
}

/** Section 4 of `npm run bench`. */
export const pipeline: BenchSection<PipelineSection> = {
  title: "4. Pipeline and mock",
  run,
  print: (s) =>
    [
      `${s.settings.rounds} round(s); median (min-max); full spec ${s.settings.operations.full} operations`,
      "",
      table(
        ["step", "wall ms"],
        [
          ["lint (tsx scripts/lint.ts: Redocly lint)", showSpread(s.lintMs, 0)],
          ["bundle (redocly bundle to JSON)", showSpread(s.bundleMs, 0)],
          ["generate (bundle + openapi-typescript + tables)", showSpread(s.generateMs, 0)],
          [`Prism start, full spec (${s.settings.operations.full} operations)`, showSpread(s.mockStartMs.full, 0)],
          ["mock start (the front before Prism's engine), full spec", showSpread(s.mockStartMs.fullWithFront, 0)],
          ["Prism start, one-operation spec", showSpread(s.mockStartMs.oneOperation, 0)],
        ],
      ),
      "",
      `Throughput, POST ${CHAT_PATH}, autocannon ${s.settings.durationSec} s per row (full and full+front: two halves each, in turns):`,
      table(
        ["spec", "in flight", "req/s", "p50 ms", "p99 ms", "requests", "errors", "non-2xx"],
        s.throughput.map((t) => [t.spec, String(t.connections), num(t.requestsPerSec, 0), num(t.latencyMs.p50, 0), num(t.latencyMs.p99, 0), String(t.requests), String(t.errors), String(t.non2xx)]),
      ),
      `full spec vs one-operation spec: ${s.fullVsOneOperation.map((f) => `${ratio(f.ratio)} the req/s at ${f.connections} in flight`).join(", ")}` +
        `; start ${ms(s.mockStartMs.full.median)} vs ${ms(s.mockStartMs.oneOperation.median)}`,
      `the front's cost (mock vs Prism alone, full spec): start ${ratio(s.front.startRatio)}; ` +
        s.front.throughput.map((f) => `${ratio(f.ratio)} the req/s at ${f.connections} in flight`).join(", "),
    ].join("\n"),
};
