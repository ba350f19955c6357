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
  /** Prism's own base URL (no rules applied). */
  prismUrl: string;
  prism: MockServer;
  /** Stops the front, then Prism. */
  stop(): Promise<void>;
}

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
 */
export async function startMock(opts: { port?: number; spec?: string; rules?: RuleOptions; timeoutMs?: number } = {}): Promise<Mock> {
  const prismPort = await freePort();
  const [started, read] = await Promise.allSettled([
    startPrism({ port: prismPort, ...(opts.spec ? { spec: opts.spec } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }),
    specOf(opts.spec),
  ]);
  if (started.status === "rejected") throw started.reason as Error;
  const prism = started.value;
  const front = await (async () => {
    if (read.status === "rejected") throw read.reason as Error;
    return startFront({ upstream: prism.baseUrl, port: opts.port ?? 0, routes: compileRoutes(read.value), rules: makeRules(read.value, opts.rules) });
  })().catch(async (e: unknown) => {
    await prism.stop();
    throw e;
  });
  return {
    baseUrl: front.baseUrl,
    port: front.port,
    prismUrl: prism.baseUrl,
    prism,
    stop: async () => {
      await front.close();
      await prism.stop();
    },
  };
}
