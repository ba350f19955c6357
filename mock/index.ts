/**
 * The mock: Prism serving the bundled spec, behind the front and its rules. `startMock` starts both (what
 * `npm run mock` and the test setup use); `startMockFront` puts another front before a running Prism (tests that
 * want other rules, e.g. lifecycles, share the run's Prism this way).
 */
import { type Front, startFront } from "./front.js";
import { type MockServer, freePort, startPrism } from "./prism.js";
import { compileRoutes } from "./routes.js";
import { type RuleOptions, makeRules } from "./rules/index.js";
import { type MockSpec, loadMockSpec } from "./spec.js";

export { RULE_NAMES, type RuleOptions } from "./rules/index.js";
export type { LifecycleOptions } from "./rules/lifecycle.js";
export type { Front } from "./front.js";

/** A running mock: the front clients call, and the Prism behind it. */
export interface Mock {
  /** The front's base URL, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  port: number;
  /** Prism's own base URL (no rules applied; the same port after a restart). */
  prismUrl: string;
  /** The Prism running now (a new one after each restart). */
  readonly prism: MockServer;
  /** Times Prism died and was started again. */
  readonly restarts: number;
  /** Stops the front, then Prism. */
  stop(): Promise<void>;
}

/** What the mock reports about Prism's life (`npm run mock` prints it; default: stderr). */
export type MockEvent = { type: "prism-exited"; code: number | null; signal: string | null } | { type: "prism-restarted"; ms: number } | { type: "prism-restart-failed"; error: string };

const describeEvent = (e: MockEvent): string =>
  e.type === "prism-exited"
    ? `mock: Prism exited unexpectedly (${e.signal ?? `code ${e.code}`}); restarting it`
    : e.type === "prism-restarted"
      ? `mock: Prism restarted in ${e.ms} ms`
      : `mock: Prism could not be restarted: ${e.error}`;

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

/**
 * Starts Prism on a free port and the front on `port` (default: a free one), both on 127.0.0.1. The front reads
 * the spec while Prism starts, and listens once Prism does, so nothing reaches it before Prism can answer.
 * Rejects with Prism's output when it does not start within `timeoutMs` (default 60 s), or when the port is taken.
 * Restarts Prism when it dies, reporting each exit and restart to `onEvent` (default: a line on stderr).
 */
export async function startMock(
  opts: { port?: number; spec?: string; rules?: RuleOptions; timeoutMs?: number; onEvent?: (e: MockEvent) => void } = {},
): Promise<Mock> {
  const prismPort = await freePort();
  const [started, read] = await Promise.allSettled([
    startPrism({ port: prismPort, ...(opts.spec ? { spec: opts.spec } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }),
    specOf(opts.spec),
  ]);
  if (started.status === "rejected") throw started.reason as Error;
  let prism = started.value;
  const front = await (async () => {
    if (read.status === "rejected") throw read.reason as Error;
    return startFront({ upstream: prism.baseUrl, port: opts.port ?? 0, routes: compileRoutes(read.value), rules: makeRules(read.value, opts.rules) });
  })().catch(async (e: unknown) => {
    await prism.stop();
    throw e;
  });
  // Prism is supervised: if it dies (a request the guard rule did not foresee), it is started again on the same
  // port, so the front and its clients keep their URL; calls meanwhile get the front's 502 mock_error.
  const report = opts.onEvent ?? ((e: MockEvent) => console.error(describeEvent(e)));
  let stopping = false;
  let restarts = 0;
  const supervise = (server: MockServer) => {
    server.process.once("exit", (code, signal) => {
      if (stopping) return;
      restarts++;
      report({ type: "prism-exited", code, signal });
      const t0 = Date.now();
      startPrism({ port: prismPort, ...(opts.spec ? { spec: opts.spec } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }).then(
        (next) => {
          if (stopping) return void next.stop();
          prism = next;
          supervise(next);
          report({ type: "prism-restarted", ms: Date.now() - t0 });
        },
        (e: unknown) => report({ type: "prism-restart-failed", error: (e as Error).message }),
      );
    });
  };
  supervise(prism);
  return {
    baseUrl: front.baseUrl,
    port: front.port,
    prismUrl: prism.baseUrl,
    get prism() {
      return prism;
    },
    get restarts() {
      return restarts;
    },
    stop: async () => {
      stopping = true;
      await front.close();
      await prism.stop();
    },
  };
}
