/** Starts one Prism mock for the whole run on a free 127.0.0.1 port, and stops it when the run ends. */
import type { TestProject } from "vitest/node";
import { freePort, startPrism } from "../../mock/prism.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Prism mock serving generated/openapi.json. */
    mockBaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPrism({ port: await freePort() });
  project.provide("mockBaseUrl", server.baseUrl);
  return () => server.stop();
}
