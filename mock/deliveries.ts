/**
 * Delivering a mocked task's callbacks: which bodies a submit's callback sends (the spec's examples for the states
 * its lifecycle passes through, with the task's own id), and a deliverer that POSTs them, in order, to the URL the
 * submit named, with the declared media type and headers.
 *
 * Rules (a mock must not be a way to reach arbitrary hosts, and must not fall over when a receiver does):
 * - only http(s) URLs on loopback (`localhost`, 127.0.0.0/8, [::1]) or on a host named in `allow` are called;
 *   any other is refused with a log line and gets no request (0.0.0.0 and private ranges included);
 * - redirects are not followed (a 3xx is the receiver's answer);
 * - a failed attempt (no answer within `timeoutMs`, or a status that is not 2xx) is retried `retries` times,
 *   waiting `backoffMs`, then twice as long each time, then reported; nothing a receiver does throws;
 * - states go out one after another, `intervalMs` apart, each after the previous one's attempts are over;
 * - a verification call (MiniMax's challenge) goes first; a receiver that does not echo it gets nothing more,
 *   as MiniMax stops using such a URL;
 * - log lines name the URL without its query (where receivers often put a secret).
 */
import type { CallbackRule } from "../scripts/lib/generate/callbacks.js";
import type { Json } from "../scripts/lib/spec.js";
import { getPointer } from "../src/internal/pointer.js";
import { setPointer } from "./json.js";

/** One POST to send. */
export interface Delivery {
  /** The example's name (the state, or `challenge`). */
  state: string;
  body: Json;
  /** Request headers: the media type and the callback's declared headers. */
  headers: Record<string, string>;
  /** JSON pointer the receiver must echo back (a verification call), else undefined. */
  echo?: string;
}

/**
 * The POSTs a submit's callback makes: with `lifecycle`, every state the vendor reports on the way to `outcome`
 * (x-elkapi-callback.lifecycle, after a verification call when there is one); without, one delivery of the
 * succeeded state. `taskId` replaces the id at the callback's task id pointers (when the body carries that id).
 */
export function plannedDeliveries(rule: CallbackRule, taskId: string | undefined, opts: { lifecycle: boolean; outcome: "succeeded" | "failed" }): Delivery[] {
  const names = opts.lifecycle ? rule.lifecycle[opts.outcome] : rule.lifecycle.succeeded.slice(-1);
  const headers = { "content-type": rule.mediaType, ...rule.headers };
  const out: Delivery[] = [];
  if (rule.challenge) {
    const [name, body] = Object.entries(rule.examples).find(([, v]) => getPointer(v, rule.challenge!) !== undefined)!;
    out.push({ state: name, body, headers, echo: rule.challenge });
  }
  for (const name of names) {
    const body = structuredClone(rule.examples[name]!);
    if (taskId !== undefined) for (const p of rule.taskId) if (getPointer(body, p) !== undefined) setPointer(body, p, taskId);
    out.push({ state: name, body, headers });
  }
  return out;
}

/** Why a callback URL may not be called, or undefined when it may. */
export function refusalOf(url: string, allow: readonly string[]): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "it is not a URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `${u.protocol} is not http or https`;
  const host = u.hostname.toLowerCase();
  const loopback = host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
  if (loopback) return undefined;
  const allowed = allow.some((a) => a.toLowerCase() === host || a.toLowerCase() === u.host.toLowerCase());
  return allowed ? undefined : `host ${u.host} is neither loopback nor allowed (--callback-allow ${u.hostname})`;
}

/** A URL as log lines show it: no credentials, no query, no fragment. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? "?…" : ""}`;
  } catch {
    return "(not a URL)";
  }
}

/** Options of a deliverer. */
export interface DelivererOptions {
  /** Hosts (`name` or `name:port`) callable besides loopback. */
  allow?: readonly string[];
  /** Wait between two states of a task, in ms. Default 1000. */
  intervalMs?: number;
  /** Retries after a failed attempt. Default 3. */
  retries?: number;
  /** Wait before the first retry, in ms; doubles each time. Default 500. */
  backoffMs?: number;
  /** Time one attempt may take, in ms. Default 5000. */
  timeoutMs?: number;
  /** Where log lines go. Default console.log. */
  log?: (line: string) => void;
}

/** Sends planned deliveries; see the module comment for the rules. */
export interface Deliverer {
  /** Starts delivering `deliveries` to `url` in the background; `label` names them in log lines. */
  send(url: string, deliveries: Delivery[], label: string): void;
  /** Resolves when every delivery sent so far has finished (delivered, given up or refused). */
  idle(): Promise<void>;
  /** Stops: pending waits end, attempts in flight are aborted, nothing more is sent. */
  close(): void;
}

export function createDeliverer(options: DelivererOptions = {}): Deliverer {
  const { allow = [], intervalMs = 1000, retries = 3, backoffMs = 500, timeoutMs = 5000, log = console.log } = options;
  const stop = new AbortController();
  const running = new Set<Promise<void>>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stop.signal.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      timer.unref?.();
      stop.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  /** One attempt; the receiver's status and body text, or the reason it failed. */
  const attempt = async (url: string, d: Delivery): Promise<{ status: number; text: string } | { error: string }> => {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: d.headers,
        body: JSON.stringify(d.body),
        redirect: "manual",
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(timeoutMs)]),
      });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      const err = e as Error;
      return { error: err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : err.message };
    }
  };

  /** All attempts of one delivery: true when the receiver took it (2xx, and the echo when one is asked). */
  const deliver = async (url: string, d: Delivery, label: string): Promise<boolean> => {
    const where = `${label} ${d.state} → ${shownUrl(url)}`;
    for (let n = 1; n <= retries + 1 && !stop.signal.aborted; n++) {
      const started = Date.now();
      const r = await attempt(url, d);
      const ok = "status" in r && r.status >= 200 && r.status < 300;
      if (ok) {
        log(`callback: ${where}: ${r.status} in ${Date.now() - started} ms`);
        return true;
      }
      const why = "error" in r ? r.error : `answered ${r.status}`;
      if (n > retries) {
        log(`callback: ${where}: gave up after ${n} attempt${n === 1 ? "" : "s"} (${why})`);
        return false;
      }
      const delay = backoffMs * 2 ** (n - 1);
      log(`callback: ${where}: attempt ${n} failed (${why}); retrying in ${delay} ms`);
      await wait(delay);
    }
    return false;
  };

  const run = async (url: string, deliveries: Delivery[], label: string) => {
    const refused = refusalOf(url, allow);
    if (refused) return log(`callback: ${label} → ${shownUrl(url)} refused: ${refused}`);
    for (const [i, d] of deliveries.entries()) {
      if (stop.signal.aborted) return;
      if (i > 0) await wait(intervalMs);
      if (d.echo) {
        const r = await attempt(url, d);
        const want = getPointer(d.body, d.echo);
        let echoed: unknown;
        try {
          echoed = "text" in r ? getPointer(JSON.parse(r.text), d.echo) : undefined;
        } catch {
          echoed = undefined;
        }
        if (!("status" in r) || r.status !== 200 || echoed !== want) {
          log(`callback: ${label} ${d.state} → ${shownUrl(url)}: the receiver did not answer 200 with ${d.echo} echoed; the vendor stops here`);
          return;
        }
        log(`callback: ${label} ${d.state} → ${shownUrl(url)}: echoed`);
        continue;
      }
      await deliver(url, d, label);
    }
  };

  return {
    send(url, deliveries, label) {
      const p: Promise<void> = run(url, deliveries, label)
        .catch((e: unknown) => log(`callback: ${label}: ${(e as Error).message}`))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size) await Promise.all([...running]);
    },
    close() {
      stop.abort();
    },
  };
}
