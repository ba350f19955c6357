/**
 * The mock the hostile-input suite attacks: its own `startMock` (the front before Prism's engine, default rules, in
 * a server process) on free 127.0.0.1 ports, so a crash cannot take the run's shared mock down. The suite needs a
 * base URL, a stop, and how often the server process had to be restarted.
 */
import { startMock } from "../../mock/index.js";

/** A mock started for one suite. */
export interface MockUnderTest {
  baseUrl: string;
  /** Times the mock restarted its server process after it died. */
  restarts(): number;
  /** The server process's id now (for the test that kills it). */
  serverPid(): number | undefined;
  /** The mock's reports about its server process, as printed. */
  events: string[];
  stop(): Promise<void>;
}

/** Starts the mock under test. */
export async function startMockUnderTest(): Promise<MockUnderTest> {
  const events: string[] = [];
  const mock = await startMock({ onEvent: (e) => events.push(JSON.stringify(e)) });
  return { baseUrl: mock.baseUrl, restarts: () => mock.restarts, serverPid: () => mock.process.pid, events, stop: () => mock.stop() };
}
