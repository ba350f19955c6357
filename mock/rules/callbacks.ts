/**
 * Rule `callbacks` (on by default; `--no-callbacks` turns it off): a task submit whose body names its callback URL
 * (the field of the submit's OpenAPI `callbacks` entry: `notifyHook`, `callback_url`, `webhook` ...) gets the
 * vendor's POSTs there, made from the spec (scripts/lib/generate/callbacks.ts): with `--lifecycle`, one per state the vendor
 * reports on the way to the task's end (the same ending the lifecycle rule plays: ids with `fail` end failed),
 * `intervalMs` apart; without, one of the final state. Each body is the callback's example for that state with the
 * task id the submit answered, sent with the declared media type and headers (mock/deliveries.ts: loopback and
 * `--callback-allow` hosts only, retries, log lines). Prism's own callback never fires: it serves a spec without
 * `callbacks` (mock/index.ts).
 *
 * It runs before `lifecycle` in the list, so its response hook sees the fresh id lifecycle gives each submit.
 */
import { type CallbackRule, callbackRules } from "../../scripts/lib/generate/callbacks.js";
import { getPointer } from "../../src/internal/pointer.js";
import { type DelivererOptions, createDeliverer, plannedDeliveries } from "../deliveries.js";
import { mediaOf } from "../media.js";
import type { RuleFactory } from "../rule.js";
import type { LifecycleOptions } from "./lifecycle.js";

/** Options of the callbacks rule: the deliverer's, and whether tasks move through states (`--lifecycle`). */
export interface CallbacksOptions extends DelivererOptions {
  /** The lifecycle rule's options when it is on; then every state is delivered, else only the final one. */
  lifecycle?: boolean | LifecycleOptions;
}

export const callbacks: RuleFactory<CallbacksOptions> = (spec, options) => {
  const { rules } = callbackRules(spec.bundle);
  const submits = new Map<string, { rule: CallbackRule; taskId: string[] }>();
  for (const [id, rule] of Object.entries(rules)) {
    const task = spec.operations.get(id)?.op["x-elkapi-task"] as { taskId?: string[] } | undefined;
    submits.set(id, { rule, taskId: task?.taskId ?? [] });
  }
  const deliverer = createDeliverer({ intervalMs: 1000, ...options });
  const lifecycle = options.lifecycle ? (options.lifecycle === true ? {} : options.lifecycle) : undefined;
  return {
    name: "callbacks",
    async onResponse(ex) {
      const submit = ex.route && submits.get(ex.route.operation.id);
      const res = ex.response;
      if (!submit || res.status < 200 || res.status >= 300 || !mediaOf(res.headers["content-type"]).includes("json")) return;
      const url = getPointer(await ex.fields(), submit.rule.field);
      if (typeof url !== "string" || url === "") return;
      let answer: unknown;
      try {
        answer = JSON.parse(res.body.toString("utf8"));
      } catch {
        return;
      }
      // No task id in the answer (a refusal inside a 200): no task, so no callback.
      const id = submit.taskId.map((p) => getPointer(answer, p)).find((v) => typeof v === "string" || typeof v === "number");
      if (id === undefined) return;
      const taskId = String(id);
      const outcome = lifecycle?.outcome ?? (/fail/i.test(taskId) ? "failed" : "succeeded");
      deliverer.send(url, plannedDeliveries(submit.rule, taskId, { lifecycle: lifecycle !== undefined, outcome }), `${submit.rule.submit} ${taskId}`);
    },
    close: () => deliverer.close(),
  };
};
