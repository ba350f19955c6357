/**
 * waitForTask against the lifecycle mock: for one submit of every task family, each state in order and then the
 * result; failed states give TaskFailedError with the vendor's reason; timeouts and aborts end cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockLifecycles } from "../generated/lifecycles.js";
import { operations } from "../generated/operations.js";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { type Front, startMockFront } from "../mock/index.js";
import { APIUserAbortError, type ElkClient, TaskFailedError, TaskTimeoutError, readTaskState, submitAndWait, waitForTask } from "../src/index.js";
import type { TaskHandle, TaskProgress, TaskQueryId, TaskSubmitId } from "../src/index.js";
import { taskLikeProblems } from "../scripts/lib/generate/extensions.js";
import { normaliseProgress } from "../src/task-state.js";
import { paramsOf, prismBaseUrl, requestExamples, testClient, toBody } from "./lib/calls.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";

let proxy: Front;
let elk: ElkClient;
beforeAll(async () => {
  proxy = await startMockFront({ upstream: prismBaseUrl(), rules: { lifecycle: true } });
  elk = testClient({ baseUrl: proxy.baseUrl });
});
afterAll(() => proxy.close());

type Rule = (typeof taskQueries)[keyof typeof taskQueries];
const rules = taskQueries as Record<string, Rule>;
const lifecycles = mockLifecycles as Record<string, { succeeded: readonly string[]; failed: readonly string[] }>;

/** The named 200 examples of a query, by name. */
function examples(query: string): Map<string, unknown> {
  const op = operation(query).op;
  const ok = deref(bundle, op.responses["200"]!);
  return new Map(examplesOf(ok.content?.["application/json"]).map((e) => [e.name, e.value]));
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/** One submit per family (tag). */
const submitPerFamily = new Map<string, string>();
for (const id of Object.keys(taskSubmits)) {
  const tag = operations[id as keyof typeof operations].tag;
  if (!submitPerFamily.has(tag)) submitPerFamily.set(tag, id);
}

describe("waitForTask against the lifecycle mock", () => {
  it("covers every task family of the spec", () => {
    const families = new Set(Object.keys(taskSubmits).map((id) => operations[id as keyof typeof operations].tag));
    expect([...submitPerFamily.keys()].sort()).toEqual([...families].sort());
  });

  for (const [family, submit] of submitPerFamily) {
    const poll = (taskSubmits as Record<string, { poll: string }>)[submit]!.poll;
    it(`${family}: ${submit} → ${poll} passes each state in order, then gives the result`, async () => {
      const entry = operation(submit);
      const example = requestExamples(entry)[0];
      const seen: TaskProgress[] = [];
      const init = { params: paramsOf(entry), ...(example ? { body: toBody(entry, example.value) } : {}) };
      const result = await submitAndWait(elk, submit as TaskSubmitId, init as never, {
        intervalMs: 1,
        onProgress: (p) => seen.push(p),
      });
      const byName = examples(poll);
      const steps = lifecycles[poll]!.succeeded.map((name) => byName.get(name));
      expect(seen.map((p) => p.status)).toEqual(steps.map((v) => readTaskState(rules[poll]!, v).status));
      expect(seen.at(-1)?.phase).toBe("succeeded");
      expect(result.handle).toMatchObject({ poll, submit });
      // The result is the final state's answer, with the result URLs the spec points at in it.
      expect(result.data).toEqual(steps.at(-1));
      expect(result.results).toEqual(readTaskState(rules[poll]!, steps.at(-1)).results);
    });
  }

  for (const [query, lifecycle] of Object.entries(lifecycles)) {
    const failedExample = lifecycle.failed.at(-1);
    const failed = failedExample ? examples(query).get(failedExample) : undefined;
    if (!failed || readTaskState(rules[query]!, failed).phase !== "failed") continue;
    it(`${query}: a failed state gives TaskFailedError with the vendor's reason`, async () => {
      const err = await waitForTask(elk, query as TaskQueryId, `task-fail-${query}`, { intervalMs: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TaskFailedError);
      const e = err as TaskFailedError;
      expect(e.reason).toBe(readTaskState(rules[query]!, failed).failureReason);
      expect(e.handle).toMatchObject({ poll: query, taskId: `task-fail-${query}` });
      expect(e.body).toEqual(failed);
    });
  }
});

describe("tasks that wait for the caller", () => {
  for (const [query, rule] of Object.entries(rules)) {
    if (!rule.actionRequired.length) continue;
    const byName = examples(query);
    const name = [...byName.keys()].find((n) => readTaskState(rule, byName.get(n)).phase === "action_required");
    it(`${query}: a ${String(rule.actionRequired[0])} answer stops waiting with phase action_required`, async () => {
      expect(name, `an example in state ${String(rule.actionRequired[0])}`).toBeDefined();
      const client = testClient({ headers: { Prefer: `example=${name}` } });
      const seen: string[] = [];
      const waited = await waitForTask(client, query as TaskQueryId, `modal-task-${query}`, { intervalMs: 1, onProgress: (p) => seen.push(p.phase) });
      expect(seen).toEqual(["action_required"]);
      expect(waited.phase).toBe("action_required");
      expect(waited.data).toEqual(byName.get(name!));
    });
  }
});

describe("waitForTask limits", () => {
  const poll = Object.keys(lifecycles)[0] as TaskQueryId;

  it("ends with TaskTimeoutError after timeoutMs, leaving no timer, and resumes from its handle", async () => {
    const before = timers();
    const err = await waitForTask(elk, poll, "slow-task-1", { intervalMs: 50, timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect(timers()).toBeLessThanOrEqual(before);
    const handle = JSON.parse(JSON.stringify((err as TaskTimeoutError).handle)) as TaskHandle;
    const done = await waitForTask(elk, handle, { intervalMs: 1 });
    expect(done.handle.taskId).toBe("slow-task-1");
  });

  it("stops on abort with APIUserAbortError, leaving no timer", async () => {
    const before = timers();
    const ac = new AbortController();
    const waiting = waitForTask(elk, poll, "aborted-task-1", { intervalMs: 10_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it("rejects bad options naming the option and rule", async () => {
    await expect(waitForTask(elk, poll, "t", { intervalMs: -1 })).rejects.toThrow(/intervalMs must be a non-negative number/);
    await expect(waitForTask(elk, "createChatCompletion" as TaskQueryId, "t")).rejects.toThrow(/not a task query/);
    await expect(waitForTask(elk, poll, "")).rejects.toThrow(/taskId must be a non-empty/);
  });
});

describe("task state", () => {
  it("normalises every progress scale to 0..1", () => {
    expect(normaliseProgress("45%", "percent-string")).toBeCloseTo(0.45);
    expect(normaliseProgress(45, "percent")).toBeCloseTo(0.45);
    expect(normaliseProgress(0.45, "fraction")).toBeCloseTo(0.45);
    expect(normaliseProgress("", "percent-string")).toBeUndefined();
    expect(normaliseProgress(250, "percent")).toBe(1);
  });

  it("treats unknown and empty statuses as pending", () => {
    const rule = { status: ["/s"], pending: [], succeeded: ["ok"], failed: ["bad"], actionRequired: ["WAIT_FOR_YOU"], progress: null, failureReason: [], results: [], interval: 1000 } as const;
    expect(readTaskState(rule, { s: "" }).phase).toBe("pending");
    expect(readTaskState(rule, { s: "WAIT_FOR_YOU" }).phase).toBe("action_required");
    expect(readTaskState(rule, { s: "SOMETHING_NEW" }).phase).toBe("pending");
    expect(readTaskState(rule, {}).phase).toBe("pending");
    expect(readTaskState(rule, { s: "bad" }).phase).toBe("failed");
  });
});

describe("the task-like check of npm run generate", () => {
  const op = (operationId: string, extra: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) => ({
    openapi: "3.1.0",
    paths: {
      "/x": {
        post: {
          operationId,
          responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties } } } } },
          ...extra,
        },
      },
    },
  });

  it("fails an operation that looks like a task without its extension, naming it and why", () => {
    expect(taskLikeProblems(op("submitThing") as never)).toEqual([expect.stringMatching(/^submitThing: .*operationId starts with submit/)]);
    expect(taskLikeProblems(op("makeThing", {}, { data: { type: "object", properties: { task_id: { type: "string" } } } }) as never)).toEqual([
      expect.stringMatching(/^makeThing: .*task_id/),
    ]);
  });

  it("passes tasks with their extension, opt-outs with a reason, and plain operations", () => {
    expect(taskLikeProblems(op("submitThing", { "x-elkapi-task": { poll: "p", taskId: ["/id"], param: "id" } }) as never)).toEqual([]);
    expect(taskLikeProblems(op("makeThing", { "x-elkapi-not-a-task": "Synchronous answer." }, { status: { type: "string" } }) as never)).toEqual([]);
    expect(taskLikeProblems(op("makeThing", {}, { text: { type: "string" } }) as never)).toEqual([]);
  });

  it("holds for the whole spec", () => {
    expect(taskLikeProblems(bundle)).toEqual([]);
  });
});
