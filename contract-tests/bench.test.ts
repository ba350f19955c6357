/**
 * `npm run bench` stays runnable (the bench itself is not part of npm test; see bench/README.md): its code
 * type-checks, the cheap sections run in quick mode through the real driver and write a results file of the
 * right shape, the committed bench/results.json has all six sections, and the helpers the heavy sections use
 * (the 20-call consumers, the one-operation spec) hold. The heavy sections (tsc runs, Prism starts, the whole
 * suite) take about a minute even in quick mode, so the end-to-end `npm run bench -- --quick` runs here only
 * with BENCH_E2E=1.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CALLS, elkConsumer, openaiConsumer } from "../bench/typecheck-calls.js";
import { runBench, SECTION_MODULES } from "../bench/main.js";
import { oneOperationSpec } from "../bench/pipeline.js";
import { type BenchResults, resultsProblems, SECTIONS } from "../bench/lib/results.js";
import { bin, root } from "../scripts/lib/paths.js";
import { run } from "../scripts/lib/proc.js";

async function inTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-bench-"));
  try {
    return await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("bench", () => {
  it("type-checks (bench/tsconfig.json: the driver, every section, the bundle entries)", async () => {
    const res = await run(bin("tsc"), ["--noEmit", "-p", path.join(root, "bench/tsconfig.json")], { cwd: root });
    expect(res.stdout + res.stderr).toBe("");
    expect(res.code).toBe(0);
  }, 120_000);

  it("has a module for each of the six sections", () => {
    expect(Object.keys(SECTION_MODULES)).toEqual([...SECTIONS]);
    expect(SECTIONS).toHaveLength(6);
  });

  it("runs the overhead and bundle sections in quick mode and writes results of the right shape", async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, "results.json");
      const lines: string[] = [];
      const { failed } = await runBench({ quick: true, only: ["overhead", "bundle"], out, log: (l) => lines.push(l), progress: () => {} });
      expect(failed, lines.join("\n")).toBe(false);
      const written = JSON.parse(await readFile(out, "utf8")) as BenchResults;
      expect(resultsProblems(written, { allowErrors: true })).toEqual([]);
      expect(written.typecheck).toEqual({ error: "not run (--only)" });
      const o = written.overhead as Exclude<BenchResults["overhead"], { error: string }>;
      expect(o.stub.map((r) => r.id)).toEqual(["bare-fetch", "openapi-fetch", "elk-all", "elk-default", "openai"]);
      expect(o.loopback.every((r) => r.opsPerSec.median > 0)).toBe(true);
      const b = written.bundle as Exclude<BenchResults["bundle"], { error: string }>;
      expect(b.entries.map((e) => e.id)).toEqual(["openapi-fetch", "elk", "elk-full", "openai", "anthropic"]);
      expect(b.entries.every((e) => e.gzipBytes > 0 && e.gzipBytes < e.minifiedBytes)).toBe(true);
      expect(lines.join("\n")).toContain("## 1. Per-call overhead");
    });
  }, 60_000);

  it("keeps a committed bench/results.json from a full run with all six sections", async () => {
    const committed = JSON.parse(await readFile(path.join(root, "bench/results.json"), "utf8")) as BenchResults;
    expect(resultsProblems(committed)).toEqual([]);
    expect(committed.mode).toBe("full");
  });

  it("measures the resident memory of a process tree (the soak's mock processes)", async () => {
    const { treeRssMiB } = await import("../bench/soak.js");
    const self = treeRssMiB(process.pid);
    expect(self.processes).toBeGreaterThanOrEqual(1);
    expect(self.rssMiB).toBeGreaterThan(10);
  });

  it("names what is wrong with a results file", () => {
    expect(resultsProblems({ schema: 1, mode: "quick", durationMs: 1, machine: {} })).toEqual(
      expect.arrayContaining(["machine: missing cpuModel, cores, node or totalMemoryMiB", "overhead: missing", "suite: missing"]),
    );
    expect(resultsProblems({ schema: 1, mode: "full", durationMs: 1, machine: { cpuModel: "x", cores: 2, node: "v20", totalMemoryMiB: 1 }, overhead: { error: "boom" } })).toContain(
      "overhead: failed: boom",
    );
  });

  it("writes 20 calls both ways, and cuts the spec down to one operation with every $ref it needs", async () => {
    expect(CALLS).toHaveLength(20);
    expect(new Set(CALLS.map((c) => c.id)).size).toBe(20);
    expect(elkConsumer("x").match(/export async function call\d\d\(\)/g)).toHaveLength(20);
    expect(openaiConsumer().match(/export async function call\d\d\(\)/g)).toHaveLength(20);
    const full = JSON.parse(await readFile(path.join(root, "generated/openapi.json"), "utf8")) as Record<string, unknown>;
    const one = oneOperationSpec(full, "/v1/chat/completions", "post");
    expect(Object.keys(one.paths as object)).toEqual(["/v1/chat/completions"]);
    const text = JSON.stringify(one);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/([^"]+)"/g)) {
      const [kind, name] = ref!.split("/") as [string, string];
      expect((one.components as Record<string, Record<string, unknown>>)[kind]?.[name], ref).toBeDefined();
    }
  });

  it.runIf(process.env.BENCH_E2E === "1")("npm run bench -- --quick runs end to end and writes all six sections (skipped unless BENCH_E2E=1: about 50 s)", async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, "results.json");
      const res = await run(bin("tsx"), [path.join(root, "bench/run.ts"), "--quick", "--out", out], { cwd: root });
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(resultsProblems(JSON.parse(await readFile(out, "utf8")))).toEqual([]);
    });
  }, 300_000);
});
