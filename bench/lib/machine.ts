/** What machine the numbers come from. */
import os from "node:os";
import type { Machine } from "./results.js";

/** CPU model, cores, Node version, memory; the load average is filled in at start and end. */
export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism?.() ?? cpus.length,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAverage: { start: round2(os.loadavg()[0] ?? 0), end: 0 },
  };
}

/** The current 1-minute load average. */
export function loadNow(): number {
  return round2(os.loadavg()[0] ?? 0);
}

const round2 = (v: number) => Math.round(v * 100) / 100;
