/** The `elkapi` CLI, run as a process against the lifecycle mock: output and exit codes checked. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockLifecycles } from "../generated/lifecycles.js";
import { type Front, startMockFront } from "../mock/index.js";
import { bin, root } from "../scripts/lib/paths.js";
import { run } from "../scripts/lib/proc.js";
import { type TaskStatusRule, taskQueries } from "../generated/tasks.js";
import { readTaskState } from "../src/index.js";
import { TEST_KEY, prismBaseUrl } from "./lib/calls.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";

let proxy: Front;
beforeAll(async () => {
  proxy = await startMockFront({ upstream: prismBaseUrl(), rules: { lifecycle: true } });
});
afterAll(() => proxy.close());

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  run(bin("tsx"), [path.join(root, "src/cli/bin.ts"), "--base-url", proxy.baseUrl, ...args], {
    cwd: root,
    env: { ...process.env, ELKAPI_API_KEY: TEST_KEY, ...env },
  });

/** A task query whose finished example carries result URLs, so the CLI has URLs to print. */
const [poll, lifecycle] = Object.entries(mockLifecycles).find(([query, steps]) => {
  const last = steps.succeeded.at(-1);
  const ok = deref(bundle, operation(query).op.responses["200"]!);
  const value = examplesOf(ok.content?.["application/json"]).find((e) => e.name === last)?.value;
  return readTaskState((taskQueries as Record<string, TaskStatusRule>)[query]!, value).results.length > 0;
})!;

describe("elkapi CLI", () => {
  it("lists operations with the task query each submit hands to", async () => {
    const res = await cli(["operations"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`submit → ${poll}`));
    expect(res.stdout).toMatch(/\d+ operations/);
  });

  it("waits on a task, logging each state, and prints the result URLs", async () => {
    const res = await cli(["wait", poll, "cli-task-1", "--interval", "1"]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split("\n").every((l) => /^https?:\/\//.test(l))).toBe(true);
    expect(res.stderr.trim().split("\n")).toHaveLength(lifecycle.succeeded.length);
    expect(res.stdout).not.toContain(TEST_KEY);
  }, 60_000);

  it("draws a live progress bar on a terminal", async () => {
    const cmd = [bin("tsx"), path.join(root, "src/cli/bin.ts"), "--base-url", proxy.baseUrl, "wait", poll, "cli-tty-1", "--interval", "50"].join(" ");
    const res = await run("script", ["-qec", cmd, "/dev/null"], { cwd: root, env: { ...process.env, ELKAPI_API_KEY: TEST_KEY } });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("100%");
    expect(res.stdout).toMatch(/\[[█░]+\]/);
  }, 60_000);

  it("submits and waits with call --wait", async () => {
    const submit = Object.entries((await import("../generated/tasks.js")).taskSubmits).find(([, r]) => r.poll === poll)?.[0];
    expect(submit).toBeDefined();
    const { requestExamples } = await import("./lib/calls.js");
    const { operation } = await import("./lib/spec.js");
    const body = requestExamples(operation(submit!))[0]?.value;
    const res = await cli(["call", submit!, "--wait", "--interval", "1", "--no-progress", ...(body ? ["--body", JSON.stringify(body)] : [])]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("submitted");
    expect(res.stdout).toMatch(/^https?:\/\//);
  }, 60_000);

  it("exits 3 with the vendor's reason when the task fails", async () => {
    const res = await cli(["wait", poll, "cli-task-fail", "--interval", "1", "--no-progress"]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/failed/);
  }, 60_000);

  it("exits 4 on timeout and says how to resume", async () => {
    const res = await cli(["wait", poll, "cli-slow-1", "--interval", "200", "--timeout", "1", "--no-progress"]);
    expect(res.code).toBe(4);
    expect(res.stderr).toContain(`elkapi wait ${poll} cli-slow-1`);
  }, 60_000);

  it("exits 2 on usage errors: unknown operation, bad JSON, no key", async () => {
    expect((await cli(["call", "noSuchOperation"])).code).toBe(2);
    const bad = await cli(["call", "createChatCompletion", "--body", "{not json"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--body is not valid JSON");
    const nokey = await cli(["operations"], { ELKAPI_API_KEY: "" });
    expect(nokey.code).toBe(0);
    const call = await cli(["call", "listModels"], { ELKAPI_API_KEY: "" });
    expect(call.code).toBe(2);
    expect(call.stderr).toContain("ELKAPI_API_KEY");
  }, 60_000);

  it("exits 1 with a typed error when the API refuses", async () => {
    const res = await cli(["call", "listModels", "--header", "Prefer=code=401"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("AuthenticationError");
  }, 60_000);

  it("has --help on every command", async () => {
    for (const args of [["--help"], ["operations", "--help"], ["call", "--help"], ["wait", "--help"]]) {
      const res = await cli(args);
      expect(res.code, args.join(" ")).toBe(0);
      expect(res.stdout).toContain("Usage: elkapi");
    }
  }, 60_000);
});
