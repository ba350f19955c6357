/**
 * The mock the hostile-input suite attacks: its own `startMock` (Prism behind the front, default rules) on free
 * 127.0.0.1 ports, so a crash cannot take the run's shared mock down. The suite needs a base URL, a stop, and how
 * often Prism had to be restarted.
 */
import { startMock } from "../../mock/index.js";

/** A mock started for one suite. */
export interface MockUnderTest {
  baseUrl: string;
  /** Times the mock restarted Prism after it died. */
  restarts(): number;
  /** Prism's process id now (for the test that kills it). */
  prismPid(): number | undefined;
  /** The mock's reports about Prism, as printed. */
  events: string[];
  stop(): Promise<void>;
}

/** Starts the mock under test. */
export async function startMockUnderTest(): Promise<MockUnderTest> {
  const events: string[] = [];
  const mock = await startMock({ onEvent: (e) => events.push(JSON.stringify(e)) });
  return { baseUrl: mock.baseUrl, restarts: () => mock.restarts, prismPid: () => mock.prism.process.pid, events, stop: () => mock.stop() };
}
