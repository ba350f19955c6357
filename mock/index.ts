/**
 * The mock: the front and its rules before Prism's engine, in one server process (server.ts, serve.ts) that
 * `startMock` forks and supervises (what `npm run mock` and the test setup use); `startMockFront` puts another front
 * before a running mock's "Prism itself" URL (tests that want other rules, e.g. lifecycles, share the run's mock).
 */
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import { root } from "../scripts/lib/paths.js";
import { type Front, startFront } from "./front.js";
import { compileRoutes } from "./routes.js";
import { type RuleOptions, makeRules } from "./rules/index.js";
import type { ServerMessage, ServerOptions } from "./server.js";
import { type MockSpec, loadMockSpec } from "./spec.js";

export { RULE_NAMES, type RuleOptions } from "./rules/index.js";
export type { LifecycleOptions } from "./rules/lifecycle.js";
export type { Front } from "./front.js";

/** A running mock. */
export interface Mock {
  /** The front's base URL, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  port: number;
  /** Prism's engine without the front's rules (what `prism mock` answers), in the same process. */
  readonly prismUrl: string;
  /** The server process now (a new one after each restart). */
  readonly process: ChildProcess;
  /** Times the server process died and was started again. */
  readonly restarts: number;
  /** Stops the server process (SIGTERM, then SIGKILL after 3 s) and waits for it. */
  stop(): Promise<void>;
}

/** What the mock reports about its server process (`npm run mock` prints it; default: stderr). */
export type MockEvent =
  | { type: "server-exited"; code: number | null; signal: string | null }
  | { type: "server-restarted"; ms: number }
  | { type: "server-restart-failed"; error: string };

const describeEvent = (e: MockEvent): string =>
  e.type === "server-exited"
    ? `mock: the server process exited unexpectedly (${e.signal ?? `code ${e.code}`}); restarting it`
    : e.type === "server-restarted"
      ? `mock: restarted in ${e.ms} ms`
      : `mock: could not be restarted: ${e.error}`;

const specs = new Map<string, Promise<MockSpec>>();
const specOf = (file: string | undefined) => {
  const key = file ?? "";
  if (!specs.has(key)) specs.set(key, loadMockSpec(file));
  return specs.get(key)!;
};

/**
 * Starts a front on 127.0.0.1:`port` (0 or absent: a free port) before the upstream at `upstream`, with the rules
 * `rules` selects, read from `spec` (a bundle file; default generated/openapi.json).
 */
export async function startMockFront(opts: { upstream: string; port?: number; rules?: RuleOptions; spec?: string }): Promise<Front> {
  const spec = await specOf(opts.spec);
  return startFront({ upstream: opts.upstream, port: opts.port ?? 0, routes: compileRoutes(spec), rules: makeRules(spec, opts.rules) });
}

// Under load V8 otherwise lets the heap grow by about 1 MiB/s for over a minute before a full collection (the soak saw
// the processes' RSS go from 317 to 420 MiB and back to 300); live data after a collection is about 60 MiB, and
// a form body over 32 MiB is refused by the guard rule, so 512 MiB keeps the footprint flat with room to spare.
const HEAP_LIMIT = "--max-old-space-size=512";

interface Running {
  child: ChildProcess;
  baseUrl: string;
  prismUrl: string;
  exited: Promise<void>;
}

/** Forks server.ts; resolves once it listens, rejects with its reason if it fails, exits or takes over `timeoutMs`. */
function startServer(options: ServerOptions, timeoutMs: number, log: (line: string) => void): Promise<Running> {
  const child = fork(path.join(root, "mock/server.ts"), [JSON.stringify(options)], {
    cwd: root,
    execArgv: [HEAP_LIMIT, "--import", "tsx"],
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    if (stderr.length < 100_000) stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(stderr ? `${message}:\n${stderr}` : message));
    };
    const timer = setTimeout(() => fail(`the mock did not start within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null) => fail(`the mock's server process exited with code ${code} before listening`);
    child.once("exit", onExit);
    child.on("message", (m: ServerMessage) => {
      if (m.type === "log") log(m.line);
      else if (m.type === "failed") fail(m.error);
      else if (m.type === "ready") {
        clearTimeout(timer);
        child.off("exit", onExit);
        // Keep draining its stderr (an unread pipe would block it), and pass it on once it is up.
        child.stderr?.removeAllListeners("data");
        child.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
        resolve({ child, baseUrl: m.baseUrl, prismUrl: m.prismUrl, exited });
      }
    });
  });
}

/**
 * Starts the mock's server process: the front on 127.0.0.1:`port` (default: a free one) with the rules `rules`
 * selects, before Prism's engine on `spec` (a bundle file; default generated/openapi.json). Rejects with the
 * process's stderr when it does not start within `timeoutMs` (default 60 s), or when the port is taken.
 * Restarts it on the same port when it dies (a request the guard rule did not foresee), reporting each exit and
 * restart to `onEvent` (default: a line on stderr); calls meanwhile are refused until it listens again.
 * Callback log lines go to `rules.callbacks.log` (default: stdout).
 */
export async function startMock(
  opts: { port?: number; spec?: string; rules?: RuleOptions; timeoutMs?: number; onEvent?: (e: MockEvent) => void } = {},
): Promise<Mock> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const callbacks = opts.rules?.callbacks;
  const log = (typeof callbacks === "object" && callbacks.log) || ((line: string) => console.log(line));
  // Functions cannot cross to the server process; its log lines come back as messages.
  const rules: RuleOptions | undefined =
    typeof callbacks === "object" ? { ...opts.rules, callbacks: Object.fromEntries(Object.entries(callbacks).filter(([k]) => k !== "log")) } : opts.rules;
  const options = (port: number, prismPort?: number): ServerOptions => ({ port, ...(prismPort ? { prismPort } : {}), ...(opts.spec ? { spec: opts.spec } : {}), ...(rules ? { rules } : {}) });
  let running = await startServer(options(opts.port ?? 0), timeoutMs, log);
  const port = Number(new URL(running.baseUrl).port);
  const prismPort = Number(new URL(running.prismUrl).port);
  const report = opts.onEvent ?? ((e: MockEvent) => console.error(describeEvent(e)));
  let stopping = false;
  let restarts = 0;
  const supervise = (r: Running) => {
    r.child.once("exit", (code, signal) => {
      if (stopping) return;
      restarts++;
      report({ type: "server-exited", code, signal });
      const t0 = Date.now();
      startServer(options(port, prismPort), timeoutMs, log).then(
        (next) => {
          if (stopping) return void next.child.kill("SIGTERM");
          running = next;
          supervise(next);
          report({ type: "server-restarted", ms: Date.now() - t0 });
        },
        (e: unknown) => report({ type: "server-restart-failed", error: (e as Error).message }),
      );
    });
  };
  supervise(running);
  return {
    baseUrl: running.baseUrl,
    port,
    get prismUrl() {
      return running.prismUrl;
    },
    get process() {
      return running.child;
    },
    get restarts() {
      return restarts;
    },
    stop: async () => {
      stopping = true;
      const { child, exited } = running;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
