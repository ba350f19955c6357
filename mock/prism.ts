/**
 * Starting and stopping `prism mock` itself on the mock's copy of the spec: the bench's "Prism alone" and the
 * engine parity test (the mock runs Prism's engine in its own process, engine.ts); and `freePort`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { bin, generatedDir } from "../scripts/lib/paths.js";
import { writeMockSpec } from "./view.js";

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

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts `prism mock` on the mock's view (view.ts) of `spec` (default generated/openapi.json) at
 * 127.0.0.1:`port`, logging warnings and
 * errors only: at its default level Prism writes several lines per request, which cost it and the process
 * reading them CPU on every call. Resolves once the port accepts connections (Prism binds after loading the
 * spec); rejects with Prism's output if it exits first or takes over `timeoutMs` (default 60 s).
 */
export async function startPrism(opts: { port: number; spec?: string; timeoutMs?: number }): Promise<MockServer> {
  const view = await writeMockSpec(opts.spec ?? path.join(generatedDir, "openapi.json"));
  const args = ["mock", view.file, "--host", "127.0.0.1", "--port", String(opts.port), "--errors", "false", "--verboseLevel", "warn"];
  const child = spawn(bin("prism"), args, { stdio: ["ignore", "pipe", "pipe"] });
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
  // Keep what Prism says until it is up (for the error message), then only drain the pipes.
  let output: string | undefined = "";
  const onData = (d: Buffer) => {
    if (output !== undefined && output.length < 100_000) output += d.toString();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (message: string) => {
      if (done) return;
      done = true;
      reject(new Error(`${message}:\n${output ?? ""}`));
    };
    const timer = setTimeout(() => {
      void stop();
      fail(`Prism did not start within ${timeoutMs} ms`);
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(`Prism exited with code ${code} before listening`);
    });
    const poll = async () => {
      while (!done) {
        if (await accepting(opts.port)) {
          if (done || child.exitCode !== null) return;
          done = true;
          clearTimeout(timer);
          output = undefined;
          resolve({ baseUrl, port: opts.port, process: child, stop });
          return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    void poll();
  });
}
