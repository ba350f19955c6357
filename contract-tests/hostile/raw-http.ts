/**
 * Raw HTTP/1.1 over a TCP socket, for requests no HTTP client would send: broken framing, malformed bodies, slow
 * or vanishing senders. Each exchange opens its own connection (`Connection: close`) and reads until the server
 * closes it or the deadline passes.
 */
import net from "node:net";

/** What came back on one connection. */
export interface RawAnswer {
  /** HTTP status of the first answer, or undefined when the server closed without one. */
  status?: number;
  headers: Record<string, string>;
  body: string;
  /** True when the server closed the connection (cleanly or by reset) before the deadline. */
  closed: boolean;
  /** True when the connection was reset or errored rather than closed. */
  reset: boolean;
  /** Milliseconds from connecting to the close (or the deadline). */
  ms: number;
}

/** How to send the request bytes. */
export interface SendPlan {
  /** Pieces written one after another, `gapMs` apart (a slow sender). Default: one piece. */
  pieces?: (string | Buffer)[];
  gapMs?: number;
  /** Destroy the socket right after the last piece (a client that vanishes mid-body). */
  abortAfterWrite?: boolean;
  /** Give up waiting after this long; the answer then has `closed: false`. Default 15 s. */
  deadlineMs?: number;
}

/** Sends raw bytes to `baseUrl`'s host and port and collects the answer. */
export function rawExchange(baseUrl: string, plan: SendPlan): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let reset = false;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve({ ...parse(Buffer.concat(chunks)), closed, reset, ms: Date.now() - started });
    };
    const deadline = setTimeout(() => finish(false), plan.deadlineMs ?? 15_000);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", () => {
      reset = true;
      finish(true);
    });
    socket.on("close", () => finish(true));
    socket.on("connect", () => {
      void (async () => {
        for (const [i, piece] of (plan.pieces ?? []).entries()) {
          if (socket.destroyed) return;
          if (i > 0 && plan.gapMs) await new Promise((r) => setTimeout(r, plan.gapMs));
          socket.write(piece);
        }
        if (plan.abortAfterWrite) {
          // Give the bytes a moment to leave, then vanish without finishing the body.
          await new Promise((r) => setTimeout(r, 50));
          socket.destroy();
          resolve({ headers: {}, body: "", closed: true, reset: false, ms: Date.now() - started });
          done = true;
          clearTimeout(deadline);
        }
      })();
    });
  });
}

function parse(raw: Buffer): Pick<RawAnswer, "status" | "headers" | "body"> {
  const text = raw.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  if (!text.startsWith("HTTP/") || end < 0) return { headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers["transfer-encoding"]?.includes("chunked")) body = unchunk(body);
  return { status: Number(statusLine!.split(" ")[1]), headers, body: Buffer.from(body, "latin1").toString("utf8") };
}

function unchunk(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const eol = s.indexOf("\r\n", i);
    if (eol < 0) break;
    const size = parseInt(s.slice(i, eol), 16);
    if (!size) break;
    out += s.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
  return out;
}

/** An HTTP/1.1 request as text: request line, headers (Host and Connection: close added), blank line, body. */
export function request(method: string, path: string, headers: Record<string, string | number>, body: string | Buffer = ""): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join("\r\n");
  return Buffer.concat([Buffer.from(head + "\r\n\r\n", "latin1"), typeof body === "string" ? Buffer.from(body, "utf8") : body]);
}
