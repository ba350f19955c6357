/** Running child processes for the bench: wall time, output, and (for Node children) peak memory. */
import { spawn } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** A binary in node_modules/.bin. */
export const bin = (name: string): string => path.join(root, "node_modules/.bin", name);
const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), "rss-preload.cjs");

/** How a timed child ended. */
export interface Timed {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak resident memory in MiB, for `node` children run through `timedNode`. */
  peakRssMiB?: number;
}

/**
 * The environment for children: the parent's, minus vitest's markers (a nested vitest must not think it is a
 * worker) and NODE_OPTIONS (so loaders or flags of the parent do not change what a measured child does).
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|TEST$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `command args` to completion (no shell), timing it from spawn to exit. Rejects only if it cannot start. */
export function timed(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: opts.cwd ?? root, env: opts.env ?? childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, wallMs: performance.now() - started }));
  });
}

/** Runs a Node script (`node <script> args`) timed, with its peak RSS read via rss-preload.cjs. */
export async function timedNode(script: string, args: string[], opts: { cwd?: string } = {}): Promise<Timed> {
  const rssFile = path.join(os.tmpdir(), `elkapi-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const res = await timed(process.execPath, ["--require", preload, script, ...args], { cwd: opts.cwd, env: childEnv({ BENCH_RSS_FILE: rssFile }) });
    const kb = Number(await readFile(rssFile, "utf8").catch(() => "NaN"));
    return { ...res, ...(Number.isFinite(kb) ? { peakRssMiB: kb / 1024 } : {}) };
  } finally {
    await rm(rssFile, { force: true });
  }
}

/** Throws with the child's output when it failed. */
export function ok(res: Timed, what: string): Timed {
  if (res.code !== 0) throw new Error(`${what} exited with code ${res.code}:\n${(res.stdout + "\n" + res.stderr).trim().slice(-3000)}`);
  return res;
}
