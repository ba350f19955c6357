/**
 * Rule `lifecycle` (on only with `--lifecycle`, `MOCK_LIFECYCLE=1` or `--fail-tasks`): repeated polls of one
 * task id move through the query's named state examples (scripts/lib/generate/lifecycles.ts, from `x-elkapi-task-status`)
 * instead of always answering the first; each submit (`x-elkapi-task`) answers a fresh task id so every task
 * starts at the beginning.
 *
 * A task ends failed instead of succeeded when its id contains "fail", or when its submit carried the header
 * `x-elkapi-mock-lifecycle: failed` (its fresh id then ends in "-fail"); `outcome` forces one ending for every
 * task. A request that sends its own `Prefer` header keeps it.
 */
import { getPointer } from "../../src/internal/pointer.js";
import { type Lifecycle, lifecycles } from "../../scripts/lib/generate/lifecycles.js";
import type { Exchange, MockResponse } from "../exchange.js";
import { setPointer } from "../json.js";
import { mediaOf } from "../media.js";
import type { RuleFactory } from "../rule.js";

/** Options of the lifecycle rule. */
export interface LifecycleOptions {
  /** Forces how every task ends; by default the task id decides (ids containing "fail" fail). */
  outcome?: "succeeded" | "failed";
}

interface Submit {
  poll: string;
  taskId: string[];
  param?: string;
  body?: string;
}

/** Sets the first present task id pointer of a submit answer to a fresh id. */
function freshId(res: MockResponse, submit: Submit, seq: number, fail: boolean): void {
  let data: unknown;
  try {
    data = JSON.parse(res.body.toString("utf8"));
  } catch {
    return;
  }
  for (const pointer of submit.taskId) {
    const id = getPointer(data, pointer);
    if ((typeof id === "string" || typeof id === "number") && setPointer(data, pointer, `${String(id)}-${seq}${fail ? "-fail" : ""}`)) {
      res.body = Buffer.from(JSON.stringify(data));
      return;
    }
  }
}

export const lifecycle: RuleFactory<LifecycleOptions> = (spec, options) => {
  const steps: Record<string, Lifecycle> = lifecycles(spec.bundle).table;
  const submits = new Map<string, Submit>();
  const queryBody = new Map<string, string>();
  for (const o of spec.operations.values()) {
    const submit = o.op["x-elkapi-task"] as Submit | undefined;
    if (submit) submits.set(o.id, submit);
    const body = (o.op["x-elkapi-task-status"] as { body?: string } | undefined)?.body;
    if (body) queryBody.set(o.id, body);
  }
  const submitPolling = (query: string) => [...submits.values()].find((s) => s.poll === query);

  /** The task id a poll asks about: at the body pointer the submit (or the query) names, else a parameter. */
  const taskIdOf = async (ex: Exchange, query: string): Promise<string> => {
    const submit = submitPolling(query);
    const pointer = submit?.body ?? queryBody.get(query);
    if (pointer) {
      const v = getPointer(await ex.fields(), pointer);
      return v === undefined ? "" : String(v);
    }
    const params = ex.route?.params ?? {};
    const param = submit?.param ?? Object.keys(params)[0];
    return (param && (params[param] ?? ex.query.get(param))) ?? "";
  };

  const polls = new Map<string, number>();
  let seq = 0;
  return {
    name: "lifecycle",
    async onRequest(ex) {
      const id = ex.route?.operation.id;
      const states = id ? steps[id] : undefined;
      if (!id || !states || ex.clientHeaders.prefer !== undefined) return;
      const task = await taskIdOf(ex, id);
      const key = `${id} ${task}`;
      const n = polls.get(key) ?? 0;
      polls.set(key, n + 1);
      const fails = options.outcome ? options.outcome === "failed" : /fail/i.test(task);
      const order = fails && states.failed.length ? states.failed : states.succeeded;
      ex.headers.prefer = `example=${order[Math.min(n, order.length - 1)]}`;
    },
    onResponse(ex) {
      const submit = ex.route && submits.get(ex.route.operation.id);
      const res = ex.response;
      if (submit && res.status >= 200 && res.status < 300 && mediaOf(res.headers["content-type"]).includes("json")) {
        freshId(res, submit, ++seq, ex.clientHeaders["x-elkapi-mock-lifecycle"] === "failed");
      }
    },
  };
};
