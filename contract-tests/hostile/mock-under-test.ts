/**
 * The mock the hostile-input suite attacks: its own instance on free 127.0.0.1 ports, so a crash cannot take the
 * run's shared mock down. The suite only needs a base URL, a stop, and how often Prism had to be restarted.
 */
import { freePort, startPrism } from "../../scripts/lib/prism.js";

/** A mock started for one suite. */
export interface MockUnderTest {
  baseUrl: string;
  /** Times the mock restarted Prism after it died (0 for a mock that does not supervise it). */
  restarts(): number;
  stop(): Promise<void>;
}

/** Starts the mock under test. */
export async function startMockUnderTest(): Promise<MockUnderTest> {
  const prism = await startPrism({ port: await freePort() });
  let died = 0;
  prism.process.once("exit", () => died++);
  return { baseUrl: prism.baseUrl, restarts: () => died, stop: () => prism.stop() };
}
