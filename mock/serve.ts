/**
 * The mock in one process: Prism's engine (engine.ts) on the mock's copy of the spec (view.ts), the front with its
 * rules on `port`, and a second listener where the engine answers without rules ("Prism itself", to compare).
 * server.ts runs this in the process `startMock` supervises.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { generatedDir } from "../scripts/lib/paths.js";
import type { Bundle } from "../scripts/lib/spec.js";
import { createEngine } from "./engine.js";
import { type Front, startFront } from "./front.js";
import { compileRoutes } from "./routes.js";
import { type RuleOptions, makeRules } from "./rules/index.js";
import { mockSpec } from "./spec.js";
import { mockView } from "./view.js";

/** A mock serving in this process. */
export interface Served {
  /** The front (rules applied). */
  front: Front;
  /** The engine alone, no rules: what `prism mock` would answer. */
  prism: Front;
  /** Closes both listeners and the rules' work (callback deliveries). */
  close(): Promise<void>;
}

/**
 * Loads `spec` (a bundle file; default generated/openapi.json) and listens on 127.0.0.1: the front on `port` (0: a
 * free one) and the engine alone on `prismPort` (the same). Rejects when the spec does not load or the port is taken.
 */
export async function serveMock(opts: { port?: number; prismPort?: number; spec?: string; rules?: RuleOptions }): Promise<Served> {
  const text = await readFile(opts.spec ?? path.join(generatedDir, "openapi.json"), "utf8");
  // Prism dereferences the document it is given in place: it gets its own copy (the view), the rules another.
  const engine = await createEngine(mockView(JSON.parse(text) as Bundle));
  const spec = mockSpec(JSON.parse(text) as Bundle);
  const routes = compileRoutes(spec);
  const front = await startFront({ upstream: engine, port: opts.port ?? 0, routes, rules: makeRules(spec, opts.rules) });
  const prism = await startFront({ upstream: engine, port: opts.prismPort ?? 0, routes, rules: [] }).catch(async (e: unknown) => {
    await front.close();
    throw e;
  });
  return { front, prism, close: async () => void (await Promise.all([front.close(), prism.close()])) };
}
