/**
 * Section 1: per-call overhead. The same JSON POST (/v1/chat/completions, small body, fixed answer) through
 * a bare fetch, bare openapi-fetch, createElkClient (all middleware and debug logging on, and with defaults),
 * and the openai SDK; first against a stub fetch (a function returning a fresh Response), then against a
 * node:http server on 127.0.0.1. Measured with tinybench: warm-up, then several rounds, task order rotated
 * each round; ops/s per round = 1000 / mean latency (ms).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import OpenAI from "openai";
import { Bench } from "tinybench";
import type { paths } from "../generated/schema.js";
import { createElkClient } from "../src/index.js";
import { API_KEY, CHAT_ANSWER, CHAT_BODY, CHAT_PATH, stubFetch } from "./fixtures.js";
import type { OverheadRow, OverheadSection } from "./lib/results.js";
import type { BenchSection, RunOptions } from "./lib/section.js";
import { median, num, ratio, round, showSpread, spread, table } from "./lib/stats.js";

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One client under test: an id, a label, and a factory making its call function for a base URL and fetch. */
interface Contender {
  id: string;
  label: string;
  make(baseUrl: string, fetch: Fetch | undefined): () => Promise<string | null | undefined>;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The clients, in table order; the first two are the baselines every ratio refers to. */
export const CONTENDERS: Contender[] = [
  {
    id: "bare-fetch",
    label: "bare fetch + JSON.parse",
    make: (baseUrl, fetch = globalThis.fetch) => async () => {
      const res = await fetch(baseUrl + CHAT_PATH, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(CHAT_BODY),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const data = (await res.json()) as { choices: { message: { content: string } }[] };
      return data.choices[0]?.message.content;
    },
  },
  {
    id: "openapi-fetch",
    label: "bare openapi-fetch (createClient<paths, json>)",
    make: (baseUrl, fetch) => {
      const client = createClient<paths, "application/json">({ baseUrl, headers: { Authorization: `Bearer ${API_KEY}` }, ...(fetch ? { fetch } : {}) });
      return async () => {
        const { data, error } = await client.POST(CHAT_PATH, { body: CHAT_BODY });
        if (error !== undefined || !data) throw new Error("openapi-fetch: error answer");
        return data.choices[0]?.message.content;
      };
    },
  },
  {
    id: "elk-all",
    label: "createElkClient, all middleware + debug logging",
    make: (baseUrl, fetch) => {
      const elk = createElkClient({ apiKey: API_KEY, baseUrl, logger: silent, logLevel: "debug", ...(fetch ? { fetch } : {}) });
      return async () => (await elk.POST(CHAT_PATH, { body: CHAT_BODY })).data.choices[0]?.message.content;
    },
  },
  {
    id: "elk-default",
    label: "createElkClient, defaults (logging off)",
    make: (baseUrl, fetch) => {
      const elk = createElkClient({ apiKey: API_KEY, baseUrl, logLevel: "off", ...(fetch ? { fetch } : {}) });
      return async () => (await elk.POST(CHAT_PATH, { body: CHAT_BODY })).data.choices[0]?.message.content;
    },
  },
  {
    id: "openai",
    label: "openai SDK chat.completions.create",
    make: (baseUrl, fetch) => {
      const openai = new OpenAI({ apiKey: API_KEY, baseURL: `${baseUrl}/v1`, ...(fetch ? { fetch } : {}) });
      return async () => (await openai.chat.completions.create(CHAT_BODY)).choices[0]?.message.content;
    },
  },
];

/** A node:http server on 127.0.0.1 (free port) answering every request with CHAT_ANSWER after reading the body. */
export async function startLoopback(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(CHAT_ANSWER) });
      res.end(CHAT_ANSWER);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const EXPECTED = (JSON.parse(CHAT_ANSWER) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;

/** Runs every contender for `rounds` rounds against one transport; each contender's rows. */
async function measure(
  baseUrl: string,
  fetch: Fetch | undefined,
  settings: OverheadSection["settings"],
  progress: (m: string) => void,
): Promise<OverheadRow[]> {
  const calls = CONTENDERS.map((c) => ({ c, call: c.make(baseUrl, fetch) }));
  for (const { c, call } of calls) {
    const got = await call();
    if (got !== EXPECTED) throw new Error(`${c.id}: unexpected answer ${JSON.stringify(got)}`);
  }
  const ops = new Map<string, number[]>(calls.map(({ c }) => [c.id, []]));
  const p50 = new Map<string, number[]>(calls.map(({ c }) => [c.id, []]));
  for (let r = 0; r < settings.rounds; r++) {
    progress(`round ${r + 1}/${settings.rounds}`);
    const bench = new Bench({ time: settings.timeMsPerTask, warmupTime: settings.warmupMsPerTask, throws: true });
    // Rotate the order each round so no client always runs first (or right after a GC-heavy one).
    const order = calls.map((_, i) => calls[(i + r) % calls.length]!);
    for (const { c, call } of order) bench.add(c.id, call);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed") throw new Error(`${task.name}: ${result.state}${"error" in result ? `: ${result.error.message}` : ""}`);
      ops.get(task.name)!.push(round(1000 / result.latency.mean, 1));
      p50.get(task.name)!.push(result.latency.p50 * 1000);
    }
  }
  const base = median(ops.get("openapi-fetch")!);
  const bare = median(ops.get("bare-fetch")!);
  return CONTENDERS.map((c) => {
    const opsPerSec = spread(ops.get(c.id)!);
    return {
      id: c.id,
      label: c.label,
      opsPerSec,
      p50Us: round(median(p50.get(c.id)!), 1),
      vsOpenapiFetch: round(opsPerSec.median / base, 3),
      vsBareFetch: round(opsPerSec.median / bare, 3),
      extraUsVsOpenapiFetch: round(1e6 / opsPerSec.median - 1e6 / base, 1),
    };
  });
}

async function run(opts: RunOptions): Promise<OverheadSection> {
  const settings = opts.quick
    ? { rounds: 1, timeMsPerTask: 50, warmupMsPerTask: 20, operation: `POST ${CHAT_PATH}` }
    : { rounds: 5, timeMsPerTask: 1000, warmupMsPerTask: 250, operation: `POST ${CHAT_PATH}` };
  opts.progress("overhead: stub fetch");
  const stub = await measure("http://bench.invalid", stubFetch, settings, (m) => opts.progress(`overhead: stub fetch, ${m}`));
  const server = await startLoopback();
  try {
    opts.progress(`overhead: loopback ${server.baseUrl}`);
    const loopback = await measure(server.baseUrl, undefined, settings, (m) => opts.progress(`overhead: loopback, ${m}`));
    return { settings, stub, loopback };
  } finally {
    await server.close();
  }
}

function rowsTable(rows: OverheadRow[]): string {
  return table(
    ["client", "ops/s median (min-max)", "p50 µs", "vs openapi-fetch", "vs bare fetch", "extra µs/call vs openapi-fetch"],
    rows.map((r) => [r.label, showSpread(r.opsPerSec, 0), num(r.p50Us, 1), ratio(r.vsOpenapiFetch), ratio(r.vsBareFetch), num(r.extraUsVsOpenapiFetch, 1)]),
  );
}

/** Section 1 of `npm run bench`. */
export const overhead: BenchSection<OverheadSection> = {
  title: "1. Per-call overhead",
  run,
  print: (s) =>
    [
      `${s.settings.operation}; ${s.settings.rounds} round(s) of ${s.settings.timeMsPerTask} ms per client after ${s.settings.warmupMsPerTask} ms warm-up (tinybench)`,
      "",
      "Stub fetch (a function returning a fresh Response; no network):",
      rowsTable(s.stub),
      "",
      "Loopback HTTP (node:http on 127.0.0.1 in this process; undici fetch, keep-alive):",
      rowsTable(s.loopback),
    ].join("\n"),
};
