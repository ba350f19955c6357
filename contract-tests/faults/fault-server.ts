/**
 * A scripted HTTP server on 127.0.0.1 for fault tests: each incoming request takes the next step of the script
 * (the last step repeats), so a test says "429, then 429, then 200" and drives the real client against it.
 * It records when each request arrived, its method, path, headers and body, and tracks the sockets whose exchange
 * is unfinished (a request in, its answer not complete, the client still connected), so a test can prove the
 * client released every connection. Every answer it completes carries `Connection: close`, and a connection
 * that carries no request within 300 ms is closed (undici may open a spare connection after an abort).
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One scripted answer: gets the request, its body and the raw socket. */
export type Step = (req: http.IncomingMessage, res: http.ServerResponse, ctx: { body: Buffer; socket: Socket }) => void;

/** What the server saw of one request. */
export interface Arrival {
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A running fault server. */
export interface FaultServer {
  baseUrl: string;
  arrivals: Arrival[];
  /** Replaces the script (counting requests from now on); the last step repeats for any further request. */
  script(...steps: Step[]): void;
  /** Connections whose exchange is unfinished: a request arrived, its answer is not complete, the client is still there. */
  busySockets(): number;
  /** Closes every socket and the listener. */
  close(): Promise<void>;
}

/** Starts a fault server on a free 127.0.0.1 port. */
export async function startFaultServer(): Promise<FaultServer> {
  let steps: Step[] = [];
  let offset = 0;
  const arrivals: Arrival[] = [];
  const sockets = new Set<Socket>();
  const busy = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const socket = req.socket;
    busy.add(socket);
    res.on("finish", () => busy.delete(socket));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      arrivals.push({ at: performance.now(), method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const step = steps[Math.min(arrivals.length - 1 - offset, steps.length - 1)];
      if (!step) {
        res.writeHead(500, { connection: "close" }).end("no script");
        return;
      }
      res.setHeader("connection", "close");
      step(req, res, { body, socket: req.socket });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    // Drop a connection that sends nothing for 1 s. Node's fetch opens a spare connection after a stream is
    // aborted and may send the next request on it, so the limit must outlast the gap between two tests on a
    // loaded machine, yet stay inside the leak checks' 3 s wait. A socket is busy from its first byte; the check
    // waits one setImmediate so request bytes already in the kernel are read first.
    s.once("data", () => busy.add(s));
    const idle = setTimeout(() => {
      setImmediate(() => {
        if (!busy.has(s)) s.destroy();
      });
    }, 1000);
    idle.unref();
    const gone = () => {
      clearTimeout(idle);
      busy.delete(s);
      sockets.delete(s);
    };
    s.on("close", gone);
    // The client closed its side: the exchange is over whatever the handler does; close ours too.
    s.on("end", () => {
      busy.delete(s);
      s.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    arrivals,
    script: (...s) => {
      steps = s;
      offset = arrivals.length;
    },
    busySockets: () => busy.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- Steps -------------------------------------------------------------------------------------------------------

/** A JSON answer. */
export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };

/** A text answer of any media type. */
export const text =
  (status: number, body: string, contentType = "text/plain", headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { "content-type": contentType, ...headers }).end(body);
  };

/** Closes the connection with a TCP reset before answering. */
export const reset: Step = (_req, _res, { socket }) => {
  socket.resetAndDestroy();
};

/** Never answers (headers later than any timeout); the socket stays open until the client gives up. */
export const silent: Step = () => undefined;

/** Sends headers and the first part of a body, then stalls forever. */
export const stallBody =
  (status: number, firstPart: string, contentType = "application/json"): Step =>
  (_req, res) => {
    res.writeHead(status, { "content-type": contentType });
    res.write(firstPart);
  };

/** Declares `Content-Length` for the whole body, sends only `part` of it, then destroys the socket. */
export const truncated =
  (status: number, whole: string, part: string, contentType = "application/json"): Step =>
  (_req, res, { socket }) => {
    res.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(whole)) });
    res.write(part, () => setTimeout(() => socket.destroy(), 20));
  };

/**
 * An SSE answer written in pieces: strings are written, numbers wait that many ms; `end` says how it stops:
 * `"end"` ends the body cleanly, `"destroy"` cuts the socket, `"hang"` keeps it open.
 */
export const sse =
  (pieces: (string | number)[], end: "end" | "destroy" | "hang" = "end"): Step =>
  (_req, res, { socket }) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    void (async () => {
      for (const p of pieces) {
        if (typeof p === "number") await new Promise((r) => setTimeout(r, p));
        else if (!res.writableEnded && !socket.destroyed) res.write(p);
      }
      if (end === "end") res.end();
      else if (end === "destroy") setTimeout(() => socket.destroy(), 20);
    })();
  };
