/**
 * Starts one mock for the whole run (Prism behind the front with its default rules, each on a free 127.0.0.1
 * port), and stops it when the run ends.
 */
import type { TestProject } from "vitest/node";
import { startMock } from "../../mock/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the mock's front (what clients call). */
    mockBaseUrl: string;
    /** Base URL of the Prism behind it, for tests that put their own front (other rules) before it. */
    prismBaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Request examples name callback URLs on example hosts: the callbacks rule refuses them; its log lines would only
  // be noise here (contract-tests/callbacks.test.ts checks them on its own front).
  const mock = await startMock({ rules: { callbacks: { log: () => {} } } });
  project.provide("mockBaseUrl", mock.baseUrl);
  project.provide("prismBaseUrl", mock.prismUrl);
  return () => mock.stop();
}
