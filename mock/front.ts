/**
 * The mock's front: an HTTP server on 127.0.0.1 in front of Prism. For each request it reads the body once,
 * resolves the operation (routes.ts), runs the rules' request hooks in order, forwards to the upstream (one
 * keep-alive connection pool), runs the response hooks in reverse order and sends the answer. A WebSocket
 * upgrade runs the request hooks, then is tunnelled to the upstream as is.
 *
 * Failures of the front itself (the upstream refused, a rule threw) answer 502 with an OpenAI-style error body
 * whose type is `mock_error`, so they cannot pass for an answer of the gateway.
 */
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Engine } from "./engine.js";
import { Exchange, type MockResponse } from "./exchange.js";
import type { Rule } from "./rule.js";
import type { Routes } from "./routes.js";

/** A running front. */
export interface Front {
  /** e.g. `http://127.0.0.1:4010` */
  baseUrl: string;
  port: number;
  /** Stops listening, drops open connections and the upstream pool. */
  close(): Promise<void>;
}

/** Options of {@link startFront}. */
export interface FrontOptions {
  /**
   * What answers after the request hooks: Prism's engine in this process (engine.ts), or the base URL of a
   * Prism (or another mock) to forward to over HTTP, e.g. `http://127.0.0.1:4011`.
   */
  upstream: Engine | string;
  /** Port on 127.0.0.1; 0 (default) takes a free one. */
  port?: number;
  routes: Routes;
  /** The rules in order (see mock/rules/index.ts). */
  rules: readonly Rule[];
}

// Connection-level headers (RFC 9110 §7.6.1) and the ones the front recomputes.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade", "proxy-connection", "te", "trailer"]);

// What the engine is also shown of the client's connection headers (a forward sends its own).
const CONNECTION = ["connection", "upgrade", "host"] as const;

function headersOf(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function forward(agent: http.Agent, upstream: URL, ex: Exchange): Promise<MockResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        method: ex.method,
        path: ex.target,
        // Identity bodies from the upstream: response rules read and rewrite them.
        headers: { ...ex.headers, "accept-encoding": "identity", ...(ex.body.length ? { "content-length": String(ex.body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: headersOf(res.headers), body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(ex.body.length ? ex.body : undefined);
  });
}

function mockError(message: string): MockResponse {
  const body = Buffer.from(JSON.stringify({ error: { message: `mock front: ${message}`, type: "mock_error" } }));
  return { status: 502, headers: { "content-type": "application/json", "access-control-allow-origin": "*" }, body };
}

/** Runs the request hooks, the upstream (unless a hook answered) and the response hooks of one exchange. */
async function run(ex: Exchange, rules: readonly Rule[], call: () => Promise<MockResponse>): Promise<MockResponse> {
  let ran = 0;
  let answered: MockResponse | undefined;
  for (const rule of rules) {
    ran++;
    const r = await rule.onRequest?.(ex);
    if (r) {
      answered = r;
      break;
    }
  }
  ex.response = answered ?? (await call());
  for (const rule of rules.slice(0, ran).reverse()) await rule.onResponse?.(ex as Exchange & { response: MockResponse });
  return ex.response;
}

/** Starts the front on 127.0.0.1; resolves once it listens. Rejects when the port is taken. */
export async function startFront(opts: FrontOptions): Promise<Front> {
  const remote = typeof opts.upstream === "string" ? new URL(opts.upstream) : undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const upstream = typeof opts.upstream === "string" ? (ex: Exchange) => forward(agent, remote!, ex) : opts.upstream;
  const exchangeOf = (req: http.IncomingMessage, body: Buffer) => {
    const target = req.url ?? "/";
    const method = (req.method ?? "GET").toUpperCase();
    const headers = headersOf(req.headers);
    const q = target.indexOf("?");
    const route = opts.routes.resolve(method, q < 0 ? target : target.slice(0, q), headers["access-control-request-method"]);
    const ex = new Exchange(method, target, headers, body, route);
    for (const k of CONNECTION) if (typeof req.headers[k] === "string") ex.connection[k] = req.headers[k];
    return ex;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const ex = exchangeOf(req, await readBody(req));
      const answer = await run(ex, opts.rules, () => upstream(ex)).catch((e: unknown) => mockError((e as Error).message));
      res.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
      res.end(answer.body);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502).end((e as Error).message);
    });
  });

  // WebSocket handshakes. Before a remote upstream: the request hooks (e.g. the base prefix), then a byte tunnel.
  // Before the engine: the whole exchange, its answer written on the socket (a 101 leaves the socket open, silent:
  // the mock speaks no WebSocket frames).
  const tunnels = new Set<net.Socket>();
  server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.once("close", () => tunnels.delete(socket));
    socket.on("error", () => socket.destroy());
    void (async () => {
      const ex = exchangeOf(req, Buffer.alloc(0));
      if (!remote) {
        const a = await run(ex, opts.rules, () => upstream(ex)).catch((e: unknown) => mockError((e as Error).message));
        const lines = [`HTTP/1.1 ${a.status} ${http.STATUS_CODES[a.status] ?? ""}`];
        const headers = a.status === 101 ? a.headers : { ...a.headers, "content-length": String(a.body.length), connection: "close" };
        for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
        socket.write(lines.join("\r\n") + "\r\n\r\n");
        if (a.status !== 101) socket.end(a.body);
        return;
      }
      for (const rule of opts.rules) if (await rule.onRequest?.(ex)) break;
      const lines = [`${ex.method} ${ex.target} HTTP/1.1`, `host: ${remote.host}`];
      for (const [k, v] of Object.entries(ex.headers)) lines.push(`${k}: ${v}`);
      lines.push(`connection: ${req.headers.connection ?? "Upgrade"}`, `upgrade: ${req.headers.upgrade ?? "websocket"}`);
      const up = net.connect(Number(remote.port), remote.hostname, () => {
        up.write(lines.join("\r\n") + "\r\n\r\n");
        if (head.length) up.write(head);
        up.pipe(socket).pipe(up);
      });
      up.on("error", () => socket.destroy());
      socket.on("error", () => up.destroy());
    })().catch(() => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const rule of opts.rules) rule.close?.();
        server.closeAllConnections();
        for (const s of tunnels) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
