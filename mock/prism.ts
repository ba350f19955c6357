/** Starting and stopping the Prism mock on the bundled spec; shared by `npm run mock` and the test setup. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { bin, generatedDir } from "../scripts/lib/paths.js";

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
 * A copy of the bundle at `file` without OpenAPI `callbacks`, in a temp file (removed by the returned function).
 * Prism would otherwise POST each callback's first example to whatever URL a request names, at once: the front's
 * callbacks rule delivers them instead (right states, the task's own id, allowed hosts only).
 */
async function withoutCallbacks(file: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const doc = JSON.parse(await readFile(file, "utf8")) as { paths?: Record<string, Record<string, { callbacks?: unknown }>>; components?: { callbacks?: unknown } };
  for (const item of Object.values(doc.paths ?? {})) for (const op of Object.values(item)) if (op && typeof op === "object") delete op.callbacks;
  if (doc.components) delete doc.components.callbacks;
  const out = path.join(os.tmpdir(), `elkapi-prism-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(out, JSON.stringify(doc));
  return { file: out, remove: () => rm(out, { force: true }) };
}

/**
 * Starts `prism mock` on `spec` (default generated/openapi.json; served without its callbacks) at
 * 127.0.0.1:`port`, logging warnings and errors only: at its default level Prism writes several lines per request, which cost it and the process
 * reading them CPU on every call. Resolves once the port accepts connections (Prism binds after loading the
 * spec); rejects with Prism's output if it exits first or takes over `timeoutMs` (default 60 s).
 */
export async function startPrism(opts: { port: number; spec?: string; timeoutMs?: number }): Promise<MockServer> {
  // Prism has read the copy once it listens (or failed), so it goes either way.
  const copy = await withoutCallbacks(opts.spec ?? path.join(generatedDir, "openapi.json"));
  return spawnPrism({ ...opts, spec: copy.file }).finally(copy.remove);
}

function spawnPrism(opts: { port: number; spec: string; timeoutMs?: number }): Promise<MockServer> {
  const spec = opts.spec;
  const args = ["mock", spec, "--host", "127.0.0.1", "--port", String(opts.port), "--errors", "false", "--verboseLevel", "warn"];
  const child = spawn(bin("prism"), args, { stdio: ["ignore", "pipe", "pipe"] });
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
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
