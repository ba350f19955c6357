/**
 * The mock's task lifecycle mode: an HTTP proxy in front of Prism. Repeated polls of one task id move through
 * the query's named state examples (generated/lifecycles.ts) instead of always answering the first; each submit
 * answers a fresh task id so every task starts at the beginning. Everything else passes to Prism unchanged.
 *
 * A task ends failed instead of succeeded when its id contains "fail", or when its submit carried the header
 * `x-elkapi-mock-lifecycle: failed` (its fresh id then ends in "-fail"). A request that sends its own `Prefer`
 * header keeps it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mockLifecycles } from "../../generated/lifecycles.js";
import { operations } from "../../generated/operations.js";
import { type TaskStatusRule, type TaskSubmitRule, taskQueries, taskSubmits } from "../../generated/tasks.js";
import { getPointer } from "../../src/internal/pointer.js";

/** A running lifecycle proxy. */
export interface LifecycleProxy {
  baseUrl: string;
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade"]);

type Match = { id: string; path: string; params: Record<string, string> };

function match(method: string, pathname: string): Match | undefined {
  const want = pathname.replace(/\/+$/, "").split("/");
  for (const [id, op] of Object.entries(operations)) {
    if (op.method !== method) continue;
    const have = op.path.split("/");
    if (have.length !== want.length) continue;
    const params: Record<string, string> = {};
    const ok = have.every((seg, i) => {
      const name = seg.match(/^\{(.+)\}$/)?.[1];
      if (name) params[name] = decodeURIComponent(want[i]!);
      return name !== undefined || seg === want[i];
    });
    if (ok) return { id, path: op.path, params };
  }
  return undefined;
}

function submitRuleFor(poll: string): TaskSubmitRule | undefined {
  return Object.values(taskSubmits as Record<string, TaskSubmitRule>).find((r) => r.poll === poll);
}

function taskIdOf(m: Match, url: URL, body: Buffer): string | undefined {
  const rule = submitRuleFor(m.id);
  const bodyPointer = rule?.body ?? (taskQueries as Record<string, TaskStatusRule>)[m.id]?.body;
  if (bodyPointer) {
    try {
      const v = getPointer(JSON.parse(body.toString()), bodyPointer);
      return v === undefined ? undefined : String(v);
    } catch {
      return undefined;
    }
  }
  const param = rule?.param ?? Object.keys(m.params)[0];
  if (!param) return undefined;
  return m.params[param] ?? url.searchParams.get(param) ?? undefined;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Sets the first present task id pointer of a submit answer to a fresh id; returns the new body. */
function freshId(body: Buffer, rule: TaskSubmitRule, seq: number, fail: boolean): Buffer {
  let data: unknown;
  try {
    data = JSON.parse(body.toString());
  } catch {
    return body;
  }
  for (const pointer of rule.taskId) {
    const cut = pointer.lastIndexOf("/");
    const holder = getPointer(data, pointer.slice(0, cut)) as Record<string, unknown> | undefined;
    const last = pointer.slice(cut + 1).replace(/~1/g, "/").replace(/~0/g, "~");
    if (holder && typeof holder === "object" && (typeof holder[last] === "string" || typeof holder[last] === "number")) {
      holder[last] = `${String(holder[last])}-${seq}${fail ? "-fail" : ""}`;
      return Buffer.from(JSON.stringify(data));
    }
  }
  return body;
}

/**
 * Starts the proxy on 127.0.0.1:`port` in front of Prism at `upstream` (e.g. `http://127.0.0.1:4011`).
 * `outcome` forces how every task ends; by default the task id decides (ids containing "fail" fail).
 */
export async function startLifecycleProxy(opts: { upstream: string; port: number; outcome?: "succeeded" | "failed" }): Promise<LifecycleProxy> {
  const polls = new Map<string, number>();
  let seq = 0;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://mock");
      const method = (req.method ?? "GET").toUpperCase();
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const m = match(method, url.pathname);
      const lifecycle = m ? (mockLifecycles as Record<string, { succeeded: readonly string[]; failed: readonly string[] }>)[m.id] : undefined;
      if (m && lifecycle && !headers.prefer) {
        const id = taskIdOf(m, url, body) ?? "";
        const key = `${m.id} ${id}`;
        const n = polls.get(key) ?? 0;
        polls.set(key, n + 1);
        const fails = opts.outcome ? opts.outcome === "failed" : /fail/i.test(id);
        const steps = fails && lifecycle.failed.length ? lifecycle.failed : lifecycle.succeeded;
        headers.prefer = `example=${steps[Math.min(n, steps.length - 1)]}`;
      }
      const upstream = await fetch(opts.upstream + url.pathname + url.search, {
        method,
        headers,
        body: body.length && method !== "GET" && method !== "HEAD" ? new Uint8Array(body) : undefined,
      });
      let out: Buffer = Buffer.from(await upstream.arrayBuffer());
      const submit = m ? (taskSubmits as Record<string, TaskSubmitRule>)[m.id] : undefined;
      if (submit && upstream.ok && upstream.headers.get("content-type")?.includes("json")) {
        out = freshId(out, submit, ++seq, headers["x-elkapi-mock-lifecycle"] === "failed");
      }
      const outHeaders: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!HOP_BY_HOP.has(k) && k !== "content-encoding") outHeaders[k] = v;
      });
      outHeaders["content-length"] = String(out.length);
      res.writeHead(upstream.status, outHeaders);
      res.end(out);
    })().catch((e: unknown) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `lifecycle proxy: ${(e as Error).message}`, type: "mock_error" } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
