import { spawn } from "node:child_process";
import { bin, root } from "./paths.js";

/** What a finished child process printed, and how it ended. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion with its output captured (never through a shell).
 * Resolves with the exit code; rejects only when the command cannot be started.
 */
export function run(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Drops the Node-version banner Redocly CLI 2 prints on Node 20, keeping real output. */
export function withoutBanner(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/[║╔╚╗╝═]/.test(l) && !/Unknown user config "nodedir"/.test(l))
    .join("\n")
    .trim();
}

/**
 * Runs the project's Redocly CLI with telemetry off (REDOCLY_TELEMETRY=off: it sends no usage data, which this
 * machine's closed network would refuse anyway).
 */
export function redocly(args: string[], opts: { cwd?: string } = {}): Promise<RunResult> {
  return run(bin("redocly"), args, { cwd: opts.cwd ?? root, env: { ...process.env, REDOCLY_TELEMETRY: "off" } });
}
