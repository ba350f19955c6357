/**
 * Waiting for async tasks the same way for every vendor. The spec says, per operation, where a submit answer
 * holds the task id, which query polls it and how that query reports state (x-elkapi-task, x-elkapi-task-status);
 * generated/tasks.ts tables it, and this module only follows the table. Each family's rules (generated/tasks/)
 * load with its first wait, so a page bundles only the families it waits on (generated/task-index.ts).
 *
 *   const result = await submitAndWait(elk, "createLumaGeneration", { body: { prompt: "a lantern" } }, {
 *     onProgress: (p) => console.log(p.status, p.progress),
 *   });
 *   console.log(result.results); // video URLs
 */
import type { ElkClient } from "./types.js";
import type { operations as Ops } from "../generated/schema.js";
import type { TaskStatusRule, TaskSubmitRule, taskQueries, taskSubmits } from "../generated/tasks.js";
import { type TaskFamilyRules, loadTaskFamily, taskQueryFamilies, taskSubmitFamilies } from "../generated/task-index.js";
import { getPointer } from "./internal/pointer.js";
import { type TaskPhase, readTaskState } from "./task-state.js";
import { realSleep } from "./internal/sleep.js";
import { checkMs } from "./internal/values.js";
import { serverRetryAfterMs } from "./retry.js";

/** The error classes, loaded on the first failure (see task-failures.ts). */
const failures = () => import("./internal/task-failures.js");

/** operationIds of task queries (operations that report a task's state). */
export type TaskQueryId = keyof typeof taskQueries & keyof Ops;
/** operationIds of task submits (operations that start a task). */
export type TaskSubmitId = keyof typeof taskSubmits & keyof Ops;
/** The poll operation of a submit. */
export type PollOf<S extends TaskSubmitId> = (typeof taskSubmits)[S]["poll"] & TaskQueryId;

type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;
/** The JSON body of an operation's success answer. */
export type SuccessBody<Id extends keyof Ops> = {
  [S in keyof Ops[Id]["responses"]]: S extends 200 | 201 | 202 ? JsonOf<Ops[Id]["responses"][S]> : never;
}[keyof Ops[Id]["responses"]];
type BodyOf<Id extends keyof Ops> = Ops[Id] extends { requestBody?: infer B } ? (NonNullable<B> extends { content: infer C } ? C[keyof C] : never) : never;

/** Request of a submit: body, parameters and headers as the operation defines them. */
export interface SubmitInit<Id extends TaskSubmitId> {
  body?: BodyOf<Id>;
  params?: Ops[Id]["parameters"];
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A task in flight, as plain JSON: store it (e.g. in a database) and pass it to `waitForTask` later to resume.
 * `taskId` is always a string (integer ids are kept as their decimal text).
 */
export interface TaskHandle<Q extends string = TaskQueryId> {
  /** The operation that polls the task. */
  poll: Q;
  taskId: string;
  /** The operation that started it, when known. */
  submit?: string;
  /** ISO 8601 time the handle was made. */
  createdAt: string;
}

/** One poll's news, as `onProgress` receives it. */
export interface TaskProgress {
  handle: TaskHandle<string>;
  /** The vendor's raw status value. */
  status: string | number | boolean | undefined;
  phase: TaskPhase;
  /** 0..1 when the vendor reports progress, else undefined. */
  progress: number | undefined;
  /** 1 for the first poll. */
  poll: number;
  /** The poll answer, as received. */
  data: unknown;
}

/** Options of `waitForTask` and `submitAndWait`. */
export interface WaitOptions {
  /** Time between polls, in ms. Default: the query's own interval from the spec (x-elkapi-task-status.interval). */
  intervalMs?: number;
  /** Give up after this many ms with TaskTimeoutError. Default 1800000 (30 min). */
  timeoutMs?: number;
  /** Abort waiting (APIUserAbortError); the task itself keeps running on the vendor's side. */
  signal?: AbortSignal;
  /** Called after every poll. */
  onProgress?: (progress: TaskProgress) => void;
}

/**
 * A task that stopped needing polls: `phase` is `succeeded`, or `action_required` when it waits for the caller
 * (Midjourney MODAL: submit the modal, then wait on the task that starts). Check `phase` before using results.
 */
export interface TaskResult<Q extends TaskQueryId = TaskQueryId> {
  handle: TaskHandle<Q>;
  phase: "succeeded" | "action_required";
  status: string | number | boolean | undefined;
  /** Result URLs the spec points at (videos, images, audio). */
  results: string[];
  /** The last poll answer. */
  data: SuccessBody<Q>;
  /** How many polls it took. */
  polls: number;
}

/** Default overall wait: 30 minutes, in ms. */
export const DEFAULT_TASK_TIMEOUT_MS = 30 * 60 * 1000;

type AnyCall = (path: string, init: Record<string, unknown>) => Promise<{ data: unknown; response: Response }>;

/** The rules of the family `id` is in (loaded on first use), or undefined when `families` does not list it. */
async function familyOf(families: { readonly [operationId: string]: string }, id: string): Promise<TaskFamilyRules | undefined> {
  return Object.hasOwn(families, id) ? loadTaskFamily(families[id]!) : undefined;
}

/** Method and path of a task submit or query, from its family's rules. */
function routeOf(rules: TaskFamilyRules, id: string): { method: string; path: string } {
  const route = rules.routes[id];
  if (!route) throw new TypeError(`${id} is not a task submit or query of the spec`);
  const space = route.indexOf(" ");
  return { method: route.slice(0, space), path: route.slice(space + 1) };
}

function callOperation(client: ElkClient, rules: TaskFamilyRules, id: string, init: Record<string, unknown>) {
  const { method, path } = routeOf(rules, id);
  return (client[method as "GET" | "POST"] as unknown as AnyCall)(path, init);
}

/** The poll's family rules and its status rule. */
async function statusRule(poll: string): Promise<{ rules: TaskFamilyRules; rule: TaskStatusRule }> {
  const rules = await familyOf(taskQueryFamilies, poll);
  const rule = rules?.queries[poll];
  if (!rules || !rule) throw new TypeError(`waitForTask: ${poll} is not a task query (operations with x-elkapi-task-status: ${Object.keys(taskQueryFamilies).join(", ")})`);
  return { rules, rule };
}

function setPointer(pointer: string, value: string): Record<string, unknown> {
  const keys = pointer.slice(1).split("/");
  const root: Record<string, unknown> = {};
  let cur: Record<string, unknown> | unknown[] = root;
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    const next = last ? value : /^\d+$/.test(keys[i + 1]!) ? [] : {};
    if (Array.isArray(cur)) cur[Number(k)] = next;
    else cur[k] = next;
    cur = next as Record<string, unknown>;
  });
  return root;
}

/**
 * The request that polls `handle`: the id in a path or query parameter, or in the JSON body. The handle's own
 * submit rule says where, else any submit polled by the same query (both in the poll's family), else the query.
 */
function pollInit(handle: TaskHandle<string>, rules: TaskFamilyRules, submitRule: TaskSubmitRule | undefined, signal: AbortSignal | undefined): Record<string, unknown> {
  const info = routeOf(rules, handle.poll);
  const byPoll = Object.values(rules.submits).find((r) => r.poll === handle.poll);
  const rule = submitRule ?? byPoll;
  const init: Record<string, unknown> = { signal };
  const bodyPointer = rule?.body ?? rules.queries[handle.poll]?.body;
  if (bodyPointer) init.body = setPointer(bodyPointer, handle.taskId);
  else {
    const param = rule?.param ?? info.path.match(/\{([^}]+)\}/)?.[1];
    if (!param) throw new TypeError(`waitForTask: no way to pass a task id to ${handle.poll}`);
    init.params = info.path.includes(`{${param}}`) ? { path: { [param]: handle.taskId } } : { query: { [param]: handle.taskId } };
  }
  return init;
}

/**
 * Polls a task until the vendor reports success (or that it waits for the caller, `phase: "action_required"`),
 * then returns its last answer and result URLs.
 * Accepts a handle (e.g. one stored earlier, or `error.handle` of a TaskTimeoutError) or a poll operationId and
 * task id. Transient poll failures are retried by the client's retry policy before they reach here.
 * @throws TaskFailedError when the status is a failed one or a poll answer carries an error inside a 200
 *   (`reason` keeps the vendor's text); TaskTimeoutError after `timeoutMs`; APIUserAbortError on `signal`;
 *   other ElkApiError subclasses for poll calls that fail.
 */
export async function waitForTask<Q extends TaskQueryId>(client: ElkClient, poll: Q, taskId: string | number, options?: WaitOptions): Promise<TaskResult<Q>>;
export async function waitForTask<Q extends TaskQueryId>(client: ElkClient, handle: TaskHandle<Q>, options?: WaitOptions): Promise<TaskResult<Q>>;
export async function waitForTask(
  client: ElkClient,
  target: string | TaskHandle<string>,
  idOrOptions?: string | number | WaitOptions,
  maybeOptions?: WaitOptions,
): Promise<TaskResult> {
  const handle: TaskHandle<string> =
    typeof target === "string" ? { poll: target, taskId: String(idOrOptions), createdAt: new Date().toISOString() } : target;
  const options = (typeof target === "string" ? maybeOptions : (idOrOptions as WaitOptions | undefined)) ?? {};
  if (typeof handle.taskId !== "string" || handle.taskId === "" || handle.taskId === "undefined") {
    throw new TypeError(`waitForTask: taskId must be a non-empty string or number, got ${JSON.stringify(handle.taskId)}`);
  }
  checkMs("intervalMs", options.intervalMs, "waitForTask", true);
  checkMs("timeoutMs", options.timeoutMs, "waitForTask", true);
  const { rules, rule } = await statusRule(handle.poll);
  const submitRule = handle.submit ? (await familyOf(taskSubmitFamilies, handle.submit))?.submits[handle.submit] : undefined;
  const interval = options.intervalMs ?? rule.interval;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS);
  const common = { operationId: handle.poll, handle };
  for (let poll = 1; ; poll++) {
    if (options.signal?.aborted) throw new (await failures()).APIUserAbortError({ ...common, message: `Stopped waiting for task ${handle.taskId}: aborted by the caller` });
    let data: unknown;
    let response: Response;
    try {
      ({ data, response } = await callOperation(client, rules, handle.poll, pollInit(handle, rules, submitRule, options.signal)));
    } catch (e) {
      const f = await failures();
      if (e instanceof f.ErrorInBodyError) {
        throw new f.TaskFailedError({ ...common, message: `Task ${handle.taskId} failed: ${e.message}`, reason: e.message, body: e.body, status: e.status, code: e.code, cause: e });
      }
      throw e;
    }
    const state = readTaskState(rule, data);
    options.onProgress?.({ handle, status: state.status, phase: state.phase, progress: state.progress, poll, data });
    if (state.phase === "succeeded" || state.phase === "action_required") {
      return { handle: handle as TaskHandle<TaskQueryId>, phase: state.phase, status: state.status, results: state.results, data: data as never, polls: poll };
    }
    if (state.phase === "failed") {
      const reason = state.failureReason;
      throw new (await failures()).TaskFailedError({
        ...common,
        message: `Task ${handle.taskId} failed with status ${JSON.stringify(state.status)}${reason ? `: ${reason}` : ""}`,
        reason,
        taskStatus: state.status,
        body: data,
      });
    }
    // The same Retry-After reading as retries (retry.ts): the server's ask wins within 0-60 s.
    const wait = serverRetryAfterMs(response.headers) ?? interval;
    if (Date.now() + wait > deadline) {
      throw new (await failures()).TaskTimeoutError({
        ...common,
        message: `Task ${handle.taskId} still ${JSON.stringify(state.status)} after ${options.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS} ms (${poll} polls); resume with waitForTask(client, error.handle)`,
        taskStatus: state.status,
        body: data,
      });
    }
    try {
      await realSleep(wait, options.signal);
    } catch (cause) {
      throw new (await failures()).APIUserAbortError({ ...common, message: `Stopped waiting for task ${handle.taskId}: aborted by the caller`, cause });
    }
  }
}

/**
 * Starts a task with a submit operation and returns its handle (and the submit answer).
 * @throws ElkApiError when the answer holds no task id where the spec says; the client's usual errors otherwise.
 */
export async function submitTask<S extends TaskSubmitId>(client: ElkClient, submit: S, init: SubmitInit<S> = {}): Promise<{ handle: TaskHandle<PollOf<S>>; data: SuccessBody<S> }> {
  const rules = await familyOf(taskSubmitFamilies, submit);
  const rule = rules?.submits[submit];
  if (!rules || !rule) throw new TypeError(`submitTask: ${String(submit)} is not a task submit (operations with x-elkapi-task: ${Object.keys(taskSubmitFamilies).join(", ")})`);
  const { data } = await callOperation(client, rules, submit, init as Record<string, unknown>);
  const raw = rule.taskId.map((p) => getPointer(data, p)).find((v) => typeof v === "string" || typeof v === "number");
  if (raw === undefined || raw === "") {
    throw new (await failures()).ElkApiError({ message: `${String(submit)}: the answer has no task id at ${rule.taskId.join(" or ")}`, operationId: submit, body: data });
  }
  const handle = { poll: rule.poll as PollOf<S>, taskId: String(raw), submit, createdAt: new Date().toISOString() };
  return { handle, data: data as SuccessBody<S> };
}

/** `submitTask` then `waitForTask`: starts a task and resolves when it has succeeded. Throws as both do. */
export async function submitAndWait<S extends TaskSubmitId>(client: ElkClient, submit: S, init: SubmitInit<S> = {}, options: WaitOptions = {}): Promise<TaskResult<PollOf<S>>> {
  const { handle } = await submitTask(client, submit, { ...init, signal: init.signal ?? options.signal });
  return waitForTask(client, handle, options) as Promise<TaskResult<PollOf<S>>>;
}
