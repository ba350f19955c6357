/** Starting and stopping the Prism mock on the bundled spec; shared by `npm run mock` and the test setup. */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { writeMockSpec } from "./mock-view.js";
import { bin, generatedDir } from "./paths.js";

/** A running Prism mock. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** Stops Prism and waits for it to exit (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

/** Asks the OS for a free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `prism mock` on the mock view (mock-view.ts) of `spec` (default generated/openapi.json) at
 * 127.0.0.1:`port`. Resolves once Prism says it listens; rejects with Prism's output if it exits first or takes
 * over `timeoutMs`.
 */
export async function startPrism(opts: { port: number; spec?: string; timeoutMs?: number; echo?: boolean }): Promise<MockServer> {
  const view = await writeMockSpec(opts.spec ?? path.join(generatedDir, "openapi.json"));
  const child = spawn(bin("prism"), ["mock", view.file, "--host", "127.0.0.1", "--port", String(opts.port), "--errors", "false"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(view.remove);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Prism did not start within ${opts.timeoutMs ?? 60000} ms:\n${output}`));
    }, opts.timeoutMs ?? 60000);
    const onData = (d: Buffer) => {
      const text = d.toString();
      output += text;
      if (opts.echo) process.stdout.write(text);
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve({ baseUrl, port: opts.port, process: child, stop });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with code ${code} before listening:\n${output}`));
    });
  });
}
